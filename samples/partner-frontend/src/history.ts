// The "History" view of one endpoint: every change newest first ("More" pages through the cursor),
// each with when, who (an API key, or the service and why), the action and every changed field
// `from → to`. Values are the API's JSON values, printed as text.
import type { WebhookHistoryActorResponse, WebhookHistoryEntryResponse, WebhooksClient } from "../../../clients/typescript/src/index.js";
import { badge, cell, element, timestamp, type Report } from "./page.js";
import { PagedList } from "./paged-list.js";

/** History entries fetched per page. */
export const HISTORY_PAGE_SIZE = 10;

export class HistoryView {
    readonly #section = element<HTMLElement>("history");
    readonly #list: PagedList<WebhookHistoryEntryResponse>;

    constructor(report: Report) {
        this.#list = new PagedList({
            rows: element<HTMLTableElement>("history-list").tBodies[0]!,
            count: element<HTMLSpanElement>("history-count"),
            empty: element<HTMLParagraphElement>("history-empty"),
            more: element<HTMLButtonElement>("more-history"),
            render: entryRow,
            report: (error, messages) => report(error, { NOT_FOUND: "This endpoint no longer exists.", ...messages }),
        });
        element<HTMLButtonElement>("refresh-history").addEventListener("click", () => void this.reload());
    }

    /** Shows the history of this endpoint, first page. */
    open(webhooks: WebhooksClient, endpointId: string): Promise<void> {
        this.#section.hidden = false;
        return this.#list.open((cursor) => webhooks.listWebhookHistory(endpointId, HISTORY_PAGE_SIZE, cursor));
    }

    close(): void {
        this.#list.close();
        this.#section.hidden = true;
    }

    /** The first page again (after a change made on this page). */
    reload(): Promise<void> {
        return this.#list.reload();
    }
}

/** Who made a change: the API key's id, or the service with its reason. */
export function actorText(actor: WebhookHistoryActorResponse): string {
    return actor.type === "api_key" ? `API key ${actor.id ?? ""}` : `the service (${actor.reason ?? actor.type})`;
}

/** A field's value as text: null as a dash, a list as its items (or "none"), anything else as JSON. */
export function valueText(value: unknown): string {
    if (value === null || value === undefined) {
        return "—";
    }
    if (Array.isArray(value)) {
        return value.length === 0 ? "none" : value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(", ");
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

function entryRow(entry: WebhookHistoryEntryResponse): HTMLTableRowElement {
    const row = document.createElement("tr");
    row.className = "entry";
    const changes = Object.entries(entry.changes);
    const list = document.createElement("ul");
    list.className = "changes";
    list.append(...changes.map(([field, change]) => {
        const item = document.createElement("li");
        const name = document.createElement("code");
        name.textContent = field;
        item.dataset["field"] = field;
        item.append(name, `: ${valueText(change.from)} → ${valueText(change.to)}`);
        return item;
    }));
    row.append(
        cell(timestamp(entry.at), "at time"),
        cell(actorText(entry.actor), "actor"),
        cell(badge(entry.action, entry.action), "action"),
        cell(changes.length > 0 ? list : "—", "changes"),
    );
    return row;
}
