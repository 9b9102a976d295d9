// A table of an API list, newest first as the API returns it: the first page on `open`/`reload`,
// "More" appends the next page by `next_cursor`. Shared by the deliveries and the history views.
import { type Report } from "./page.js";

/** A page of any list of the API (`data`, `has_more`, `next_cursor`). */
export interface ListPage<T> {
    data: T[];
    has_more: boolean;
    next_cursor: string | null;
}

/** Reads one page: the first without a cursor. */
export type PageSource<T> = (cursor: string | undefined) => Promise<ListPage<T>>;

export interface PagedListParts<T> {
    rows: HTMLTableSectionElement;
    /** Shows `(n)`, or `(n+)` while there is more. */
    count: HTMLElement;
    /** Shown when the list is empty. */
    empty: HTMLElement;
    more: HTMLButtonElement;
    /** The table rows of one item. */
    render: (item: T) => HTMLTableRowElement | HTMLTableRowElement[];
    report: Report;
}

export class PagedList<T> {
    readonly #parts: PagedListParts<T>;
    #source: PageSource<T> | undefined;
    #items: T[] = [];
    #cursor: string | null = null;
    /** Bumped by every open, reload and close: a page read for an earlier one is dropped. */
    #generation = 0;

    constructor(parts: PagedListParts<T>) {
        this.#parts = parts;
        parts.more.addEventListener("click", () => void this.#load(this.#cursor ?? undefined));
    }

    get items(): readonly T[] {
        return this.#items;
    }

    /** Lists from this source, first page. */
    open(source: PageSource<T>): Promise<void> {
        this.#source = source;
        return this.reload();
    }

    close(): void {
        this.#source = undefined;
        this.#generation++;
    }

    /** The first page again. */
    reload(): Promise<void> {
        this.#generation++;
        this.#items = [];
        this.#cursor = null;
        return this.#load(undefined);
    }

    /** Replaces the items for which `replace` gives a new value (the list keeps its order and its cursor). */
    update(replace: (item: T) => T): void {
        this.#items = this.#items.map(replace);
        this.render();
    }

    render(): void {
        const parts = this.#parts;
        parts.rows.replaceChildren(...this.#items.flatMap((item) => parts.render(item)));
        parts.count.textContent = `(${this.#items.length}${this.#cursor ? "+" : ""})`;
        parts.empty.hidden = this.#items.length > 0;
        parts.more.hidden = this.#cursor === null;
    }

    async #load(cursor: string | undefined): Promise<void> {
        const source = this.#source;
        if (!source) {
            return;
        }
        const generation = this.#generation;
        this.#parts.more.disabled = true;
        try {
            const page = await source(cursor);
            if (generation !== this.#generation) {
                return; // reloaded, or another endpoint opened, meanwhile
            }
            this.#items = [...this.#items, ...page.data];
            this.#cursor = page.has_more ? page.next_cursor : null;
            this.render();
        } catch (error: unknown) {
            this.#parts.report(error);
        } finally {
            this.#parts.more.disabled = false;
        }
    }
}
