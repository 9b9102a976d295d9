// The partner console: lists an organization's webhook endpoints, edits one and shows its deliveries,
// using only the generated TypeScript client. The page is served from its own origin; the API must
// list that origin in Cors:AllowedOrigins.
import {
    DeliveriesClient,
    WebhooksClient,
    bearer,
    isEnvelopeException,
    type ErrorEnvelopeErrorCode,
    type EventTypeResponse,
    type PatchWebhookRequest,
    type WebhookEndpointResponse,
} from "../../../clients/typescript/src/index.js";
import { DeliveriesView } from "./deliveries.js";
import { HistoryView } from "./history.js";
import { element, rowButton } from "./page.js";

const FIELDS = ["url", "description", "events", "active"] as const;
type Field = (typeof FIELDS)[number];

let client: WebhooksClient | undefined;
let deliveriesClient: DeliveriesClient | undefined;
let catalog: EventTypeResponse[] = [];
let endpoints: WebhookEndpointResponse[] = [];
let editing: { endpoint: WebhookEndpointResponse; etag: string } | undefined;

const ui = {
    apiUrl: element<HTMLInputElement>("api-url"),
    apiKey: element<HTMLInputElement>("api-key"),
    connect: element<HTMLFormElement>("connect"),
    load: element<HTMLButtonElement>("load"),
    status: element<HTMLParagraphElement>("status"),
    error: element<HTMLParagraphElement>("error"),
    rows: element<HTMLTableElement>("endpoints").tBodies[0]!,
    count: element<HTMLSpanElement>("count"),
    empty: element<HTMLParagraphElement>("empty"),
    editor: element<HTMLElement>("editor"),
    edit: element<HTMLFormElement>("edit"),
    editId: element<HTMLElement>("edit-id"),
    url: element<HTMLInputElement>("edit-url"),
    description: element<HTMLInputElement>("edit-description"),
    events: element<HTMLDivElement>("edit-events"),
    active: element<HTMLInputElement>("edit-active"),
    save: element<HTMLButtonElement>("save"),
    cancel: element<HTMLButtonElement>("cancel"),
};

function showStatus(text: string, saved = false): void {
    ui.status.textContent = text;
    ui.status.classList.toggle("saved", saved);
}

function showError(text: string | null): void {
    ui.error.textContent = text ?? "";
    ui.error.hidden = text === null;
}

function fieldOf(key: string): Field | undefined {
    const name = key.replace(/\[\d+\]$/, "");
    return (FIELDS as readonly string[]).includes(name) ? (name as Field) : undefined;
}

function clearFieldErrors(): void {
    for (const field of FIELDS) {
        element(`error-${field}`).textContent = "";
    }
    for (const input of [ui.url, ui.description, ui.active]) {
        input.removeAttribute("aria-invalid");
    }
}

function showFieldErrors(details: Record<string, string>): void {
    const general: string[] = [];
    for (const [key, message] of Object.entries(details)) {
        const field = fieldOf(key);
        if (!field) {
            general.push(`${key}: ${message}`);
            continue;
        }
        const target = element(`error-${field}`);
        const text = key === field ? message : `${key}: ${message}`;
        target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
        ({ url: ui.url, description: ui.description, active: ui.active, events: undefined })[field]?.setAttribute("aria-invalid", "true");
    }
    showError(general.length > 0 ? general.join("; ") : "Please correct the highlighted fields.");
}

/** A message a person can act on, for any failure of a call; `messages` words some codes for the action at hand. */
function describe(error: unknown, messages: Partial<Record<ErrorEnvelopeErrorCode, string>> = {}): string {
    if (isEnvelopeException(error)) {
        const own = messages[error.result.error.code as ErrorEnvelopeErrorCode];
        if (own) {
            return own;
        }
        switch (error.result.error.code) {
            case "UNAUTHORIZED": return "The API key was refused (missing, unknown or revoked).";
            case "FORBIDDEN": return "The API key lacks the scope for this (editing needs webhooks:write).";
            case "NOT_FOUND": return "This endpoint no longer exists.";
            case "PRECONDITION_FAILED": return "This endpoint changed since you opened it: open it again to see the current values.";
            default: return `${error.result.error.message} (${error.result.error.code}, request ${error.result.error.request_id})`;
        }
    }
    if (error instanceof TypeError) {
        return `Could not reach the API at ${ui.apiUrl.value}: is it running, and is this page's origin (${location.origin}) in its Cors:AllowedOrigins?`;
    }
    return error instanceof Error ? error.message : String(error);
}

function renderList(): void {
    ui.rows.replaceChildren(...endpoints.map((endpoint) => {
        const row = document.createElement("tr");
        row.dataset["id"] = endpoint.id;
        row.classList.toggle("selected", editing?.endpoint.id === endpoint.id);
        const cell = (text: string, className?: string): HTMLTableCellElement => {
            const td = document.createElement("td");
            td.textContent = text;
            if (className) {
                td.className = className;
            }
            return td;
        };
        const active = document.createElement("td");
        const badge = document.createElement("span");
        badge.className = `badge ${endpoint.active ? "on" : "off"}`;
        badge.textContent = endpoint.active ? "active" : "paused";
        active.append(badge);
        const actions = document.createElement("td");
        actions.append(rowButton("Edit", "edit", () => void openEditor(endpoint.id)));
        row.append(cell(endpoint.url, "url"), cell(endpoint.description ?? "—"), cell(endpoint.events.join(", ")), active, actions);
        return row;
    }));
    ui.count.textContent = `(${endpoints.length})`;
    ui.empty.hidden = endpoints.length > 0;
    ui.empty.textContent = "No endpoints yet.";
}

async function loadAll(): Promise<void> {
    if (!client) {
        return;
    }
    const [types, page] = await Promise.all([client.listEventTypes(), client.listWebhooks(100)]);
    catalog = types.data;
    endpoints = page.data;
    renderList();
}

async function openEditor(id: string): Promise<void> {
    if (!client) {
        return;
    }
    showError(null);
    clearFieldErrors();
    try {
        const response = await client.getWebhook(id);
        editing = { endpoint: response.result, etag: String(response.headers["etag"] ?? "") };
    } catch (error: unknown) {
        showError(describe(error));
        return;
    }
    fillEditor(editing.endpoint);
    ui.editor.hidden = false;
    renderList();
    showStatus(`Editing ${editing.endpoint.url}`);
    await Promise.all([
        deliveriesClient ? deliveries.open({ webhooks: client, deliveries: deliveriesClient }, id) : undefined,
        history.open(client, id),
    ]);
}

function closeEditor(): void {
    ui.editor.hidden = true;
    editing = undefined;
    deliveries.close();
    history.close();
}

function fillEditor(endpoint: WebhookEndpointResponse): void {
    ui.editId.textContent = endpoint.id;
    ui.url.value = endpoint.url;
    ui.description.value = endpoint.description ?? "";
    ui.active.checked = endpoint.active;
    const names = [...catalog.map((type) => type.name), ...endpoint.events.filter((name) => !catalog.some((type) => type.name === name))];
    ui.events.replaceChildren(...names.map((name) => {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = name;
        box.checked = endpoint.events.includes(name);
        label.title = catalog.find((type) => type.name === name)?.description ?? "";
        label.append(box, name);
        return label;
    }));
}

/** Only what the form changed: PATCH leaves every absent field as it is. */
function changes(endpoint: WebhookEndpointResponse): PatchWebhookRequest {
    const patch: PatchWebhookRequest = {};
    if (ui.url.value !== endpoint.url) {
        patch.url = ui.url.value;
    }
    if (ui.description.value !== (endpoint.description ?? "")) {
        patch.description = ui.description.value.trim() === "" ? null : ui.description.value;
    }
    const events = [...ui.events.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((box) => box.value);
    if (events.length !== endpoint.events.length || events.some((name) => !endpoint.events.includes(name))) {
        patch.events = events;
    }
    if (ui.active.checked !== endpoint.active) {
        patch.active = ui.active.checked;
    }
    return patch;
}

async function save(): Promise<void> {
    if (!client || !editing) {
        return;
    }
    showError(null);
    clearFieldErrors();
    const patch = changes(editing.endpoint);
    if (Object.keys(patch).length === 0) {
        showStatus("Nothing changed.");
        return;
    }
    ui.save.disabled = true;
    showStatus("Saving…");
    try {
        const response = await client.patchWebhook(editing.endpoint.id, patch, editing.etag || undefined);
        editing = { endpoint: response.result, etag: String(response.headers["etag"] ?? "") };
        fillEditor(editing.endpoint);
        await Promise.all([loadAll(), history.reload()]);
        showStatus(`Saved ${editing.endpoint.url}`, true);
    } catch (error: unknown) {
        showStatus("");
        if (isEnvelopeException(error) && error.result.error.code === "VALIDATION_FAILED") {
            showFieldErrors(error.result.error.details ?? {});
        } else {
            showError(describe(error));
        }
    } finally {
        ui.save.disabled = false;
    }
}

const report = (error: unknown, messages?: Partial<Record<ErrorEnvelopeErrorCode, string>>): void => showError(describe(error, messages));
const history = new HistoryView(report);
/**
 * After a retry, which may have changed the endpoint (a 410 deactivates it): the list and the history
 * show that, and so does the editor unless it holds unsaved changes (a save of those then meets the
 * 412 message, as for any change made elsewhere).
 */
async function endpointChanged(): Promise<void> {
    const open = editing;
    const reread = client && open && Object.keys(changes(open.endpoint)).length === 0 ? client.getWebhook(open.endpoint.id) : undefined;
    const [response] = await Promise.all([reread, history.reload(), loadAll()]);
    if (response && editing === open) {
        editing = { endpoint: response.result, etag: String(response.headers["etag"] ?? "") };
        fillEditor(editing.endpoint);
    }
}

const deliveries = new DeliveriesView(report, () => void endpointChanged().catch(report));

ui.apiUrl.value = new URLSearchParams(location.search).get("api") ?? "http://localhost:5080";

ui.connect.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(null);
    closeEditor();
    const baseUrl = ui.apiUrl.value.replace(/\/+$/, "");
    const auth = bearer(ui.apiKey.value.trim());
    client = new WebhooksClient(baseUrl, auth);
    deliveriesClient = new DeliveriesClient(baseUrl, auth);
    ui.load.disabled = true;
    showStatus("Loading…");
    loadAll()
        .then(() => showStatus(`Loaded ${endpoints.length} endpoint(s).`))
        .catch((error: unknown) => {
            showStatus("");
            showError(describe(error));
        })
        .finally(() => (ui.load.disabled = false));
});

ui.edit.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
});

ui.cancel.addEventListener("click", () => {
    closeEditor();
    clearFieldErrors();
    showError(null);
    showStatus("");
    renderList();
});
