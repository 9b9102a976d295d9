// Small DOM helpers shared by the page's views. Everything the API returns is put into the page as
// text (textContent), never as markup: a receiver's response body or an endpoint's description may
// hold anything.
import type { ErrorEnvelopeErrorCode } from "../../../clients/typescript/src/index.js";

/** How the page reports a failed call: its own messages for some error codes, else the API's. */
export type Report = (error: unknown, messages?: Partial<Record<ErrorEnvelopeErrorCode, string>>) => void;

/** The element with this id; the page is broken without it. */
export function element<T extends HTMLElement>(id: string): T {
    const found = document.getElementById(id);
    if (!found) {
        throw new Error(`#${id} is missing from the page`);
    }
    return found as T;
}

/** A table cell holding text (or a node built by the caller). */
export function cell(content: string | Node, className?: string): HTMLTableCellElement {
    const td = document.createElement("td");
    td.append(content);
    if (className) {
        td.className = className;
    }
    return td;
}

/** A button of a table row. */
export function rowButton(label: string, className: string, onClick: () => void): HTMLButtonElement {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `secondary ${className}`;
    button.textContent = label;
    button.addEventListener("click", onClick);
    return button;
}

/** A coloured label, e.g. a delivery's status. */
export function badge(text: string, className: string): HTMLSpanElement {
    const span = document.createElement("span");
    span.className = `badge ${className}`;
    span.textContent = text;
    return span;
}

/** An RFC 3339 UTC timestamp of the API as `2026-12-04 18:57:33 UTC` in a `<time>`, or a dash. */
export function timestamp(value: string | null): Node {
    if (value === null) {
        return document.createTextNode("—");
    }
    const time = document.createElement("time");
    time.dateTime = value;
    time.textContent = value.replace("T", " ").replace(/Z$/, " UTC");
    return time;
}
