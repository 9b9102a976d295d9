// The "Deliveries" view of one endpoint: its deliveries newest first (status filter, "More" pages
// through the cursor), one delivery's attempts with the captured response bodies, "Retry" (one manual
// attempt now) and "Send test event". A delivery shown in the detail always comes from a response of
// the API (`show`): an action on a delivery (a retry) is a call that resolves to the delivery, followed
// by `show`.
import {
    isEnvelopeException,
    type DeliveriesClient,
    type DeliveryAttemptResponse,
    type DeliveryDetailResponse,
    type DeliveryResponse,
    type WebhooksClient,
} from "../../../clients/typescript/src/index.js";
import { badge, cell, element, rowButton, timestamp, type Report } from "./page.js";
import { PagedList } from "./paged-list.js";

/** Deliveries fetched per page. */
export const PAGE_SIZE = 10;

export interface DeliveriesApi {
    webhooks: WebhooksClient;
    deliveries: DeliveriesClient;
}

/** What the page says when a retry is refused with 409 CONFLICT, by the field its `details` name. */
export const RETRY_CONFLICT = {
    endpoint: "This endpoint is inactive: activate it (and save) to retry a delivery.",
    delivery: "An attempt of this delivery is in progress: retry when it has been recorded.",
} as const;

export class DeliveriesView {
    readonly #ui = {
        section: element<HTMLElement>("deliveries"),
        status: element<HTMLSelectElement>("delivery-status"),
        refresh: element<HTMLButtonElement>("refresh-deliveries"),
        sendTest: element<HTMLButtonElement>("send-test"),
        detail: element<HTMLElement>("delivery-detail"),
        id: element<HTMLElement>("delivery-id"),
        state: element<HTMLSpanElement>("delivery-state"),
        retry: element<HTMLButtonElement>("retry-delivery"),
        event: element<HTMLElement>("delivery-event"),
        type: element<HTMLSpanElement>("delivery-type"),
        created: element<HTMLSpanElement>("delivery-created"),
        attempts: element<HTMLTableElement>("attempts").tBodies[0]!,
        noAttempts: element<HTMLParagraphElement>("attempts-empty"),
    };
    readonly #report: Report;
    readonly #changed: () => void;
    readonly #list: PagedList<DeliveryResponse>;
    #api: DeliveriesApi | undefined;
    #endpointId: string | undefined;
    #selected: string | undefined;

    /** `changed` is called after an action that may have changed the endpoint (a retry answered 410 deactivates it). */
    constructor(report: Report, changed: () => void) {
        this.#report = report;
        this.#changed = changed;
        this.#list = new PagedList({
            rows: element<HTMLTableElement>("delivery-list").tBodies[0]!,
            count: element<HTMLSpanElement>("deliveries-count"),
            empty: element<HTMLParagraphElement>("deliveries-empty"),
            more: element<HTMLButtonElement>("more-deliveries"),
            render: (delivery) => this.#row(delivery),
            report,
        });
        this.#ui.status.addEventListener("change", () => void this.reload());
        this.#ui.refresh.addEventListener("click", () => void this.reload());
        this.#ui.sendTest.addEventListener("click", () => void this.#sendTest());
        this.#ui.retry.addEventListener("click", () => void this.#retry());
    }

    /** Shows the deliveries of this endpoint, first page, no delivery selected. */
    open(api: DeliveriesApi, endpointId: string): Promise<void> {
        this.#api = api;
        this.#endpointId = endpointId;
        this.#selected = undefined;
        this.#ui.status.value = "";
        this.#ui.detail.hidden = true;
        this.#ui.section.hidden = false;
        return this.#list.open((cursor) => api.webhooks.listWebhookDeliveries(endpointId, this.#ui.status.value || undefined, PAGE_SIZE, cursor));
    }

    close(): void {
        this.#api = undefined;
        this.#endpointId = undefined;
        this.#list.close();
        this.#ui.section.hidden = true;
    }

    /** The first page again, under the current status filter; the detail stays as it is. */
    reload(): Promise<void> {
        return this.#list.reload();
    }

    /** One delivery with its attempts, as the API just returned it. */
    show(delivery: DeliveryDetailResponse): void {
        const ui = this.#ui;
        this.#selected = delivery.id;
        ui.id.textContent = delivery.id;
        ui.state.textContent = delivery.status;
        ui.state.className = `badge ${delivery.status}`;
        ui.event.textContent = delivery.event_id;
        ui.type.textContent = delivery.event_type;
        ui.created.replaceChildren(timestamp(delivery.created_at));
        ui.attempts.replaceChildren(...delivery.attempts.flatMap((attempt) => attemptRows(attempt)));
        ui.noAttempts.hidden = delivery.attempts.length > 0;
        ui.detail.hidden = false;
        // The list shows the same delivery: keep its row in step with what was just read.
        const { attempts: _, ...summary } = delivery;
        this.#list.update((item) => (item.id === delivery.id ? summary : item));
    }

    async #select(id: string): Promise<void> {
        if (!this.#api) {
            return;
        }
        try {
            this.show(await this.#api.deliveries.getDelivery(id));
        } catch (error: unknown) {
            this.#report(error, { NOT_FOUND: "This delivery no longer exists." });
        }
    }

    /** One manual attempt of the delivery shown, now; the answer is the delivery afterwards. */
    async #retry(): Promise<void> {
        const api = this.#api;
        const id = this.#selected;
        if (!api || !id) {
            return;
        }
        this.#ui.retry.disabled = true;
        try {
            this.show(await api.deliveries.retryDelivery(id));
            this.#changed();
        } catch (error: unknown) {
            const details = isEnvelopeException(error) ? error.result.error.details ?? {} : {};
            this.#report(error, {
                CONFLICT: "delivery" in details ? RETRY_CONFLICT.delivery : RETRY_CONFLICT.endpoint,
                NOT_FOUND: "This delivery no longer exists.",
            });
        } finally {
            this.#ui.retry.disabled = false;
        }
    }

    async #sendTest(): Promise<void> {
        const api = this.#api;
        const endpointId = this.#endpointId;
        if (!api || !endpointId) {
            return;
        }
        this.#ui.sendTest.disabled = true;
        try {
            const delivery = await api.webhooks.sendTestEvent(endpointId);
            await this.reload();
            this.show(delivery);
        } catch (error: unknown) {
            this.#report(error, { CONFLICT: "This endpoint is inactive: activate it (and save) to send a test event." });
        } finally {
            this.#ui.sendTest.disabled = false;
        }
    }

    #row(delivery: DeliveryResponse): HTMLTableRowElement {
        const row = document.createElement("tr");
        row.dataset["id"] = delivery.id;
        row.classList.toggle("selected", delivery.id === this.#selected);
        row.append(
            cell(delivery.event_type, "type"),
            cell(badge(delivery.status, delivery.status), "status"),
            cell(String(delivery.attempt_count), "attempts"),
            cell(delivery.last_response_status === null ? "—" : String(delivery.last_response_status), "response code"),
            cell(timestamp(delivery.last_attempt_at), "last time"),
            cell(timestamp(delivery.next_attempt_at), "next time"),
            cell(timestamp(delivery.created_at), "created time"),
            cell(rowButton("View", "view", () => void this.#select(delivery.id))),
        );
        return row;
    }
}

/** An attempt's row, and a second row with the captured response body (as text) when there is one. */
function attemptRows(attempt: DeliveryAttemptResponse): HTMLTableRowElement[] {
    const row = document.createElement("tr");
    row.className = "attempt";
    row.dataset["number"] = String(attempt.number);
    row.append(
        cell(String(attempt.number), "number"),
        cell(attempt.trigger, "trigger"),
        cell(timestamp(attempt.started_at), "started time"),
        cell(`${attempt.duration_ms} ms`, "duration"),
        cell(attempt.response_status === null ? "—" : String(attempt.response_status), "response code"),
        cell(attempt.error ?? "—", "reason"),
    );
    if (attempt.response_body === null) {
        return [row];
    }
    const body = document.createElement("pre");
    body.className = "response-body";
    body.textContent = attempt.response_body;
    const bodyCell = cell(body);
    bodyCell.colSpan = 6;
    const bodyRow = document.createElement("tr");
    bodyRow.className = "body";
    bodyRow.dataset["number"] = String(attempt.number);
    bodyRow.append(bodyCell);
    return [row, bodyRow];
}
