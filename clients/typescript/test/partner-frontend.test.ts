// The partner front end in a real browser (Debian's Chromium, driven by playwright-core): served from
// its own origin, it lists the organization's endpoints with an API key typed into the page, edits
// one, and shows the API's validation error for an http:// URL; it shows an endpoint's deliveries
// (attempted by the service's worker against a local HTTPS receiver that answers with markup), their
// attempts and response bodies as text, and sends test events; retries a delivery (answered 200, then
// on another endpoint 410, which deactivates it, and then refused with 409); and lists the endpoint's
// history, newest first, with "More". The stored state is then checked through the generated client
// (behind Prism, like every other API call of the Node tests).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import {
    DeliveriesClient,
    EventsClient,
    WebhooksClient,
    bearer,
    type DeliveryAttemptResponse,
    type DeliveryResponse,
    type WebhookEndpointResponse,
    type WebhookHistoryEntryResponse,
} from "../src/index.js";
import { ContractValidator, FrontEnd, Receiver, Service, createOrganization, repoRoot } from "./support/harness.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend.png");
const VALIDATION_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-validation-error.png");
const DELIVERIES_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-deliveries.png");
const CONFLICT_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-test-event-conflict.png");
const RETRY_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-retry.png");
const RETRY_CONFLICT_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-retry-conflict.png");
const HISTORY_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-history.png");
/** PAGE_SIZE of samples/partner-frontend/src/deliveries.ts. */
const PAGE_SIZE = 10;
/** HISTORY_PAGE_SIZE of samples/partner-frontend/src/history.ts. */
const HISTORY_PAGE_SIZE = 10;
/** RETRY_CONFLICT.endpoint of samples/partner-frontend/src/deliveries.ts. */
const RETRY_INACTIVE_MESSAGE = "This endpoint is inactive: activate it (and save) to retry a delivery.";
/** WebhookEndpoint.ReceiverGoneReason (src/Domain). */
const GONE_REASON = "the receiver answered 410 Gone";
/** The receiver's path that answers 500 once, then 410 Gone. */
const GONE_PATH = "/partner/gone";
const HOSTILE_DESCRIPTION = `<img src="x" onerror="window.__hostile = 'description'">`;
/** What the receiver answers: markup that would run script if the page put it into the DOM as HTML. */
const FAILURE_BODY = `<script>window.__hostile = "script"</script><b>down</b> & "out"`;
const TEST_EVENT_BODY = `<img src="x" onerror="window.__hostile = 'img'"><p>ok</p>`;
const RETRY_BODY = `<svg onload="window.__hostile = 'svg'"></svg>accepted`;
/** Until a test sets this, the receiver answers 500 to everything but test events. */
let receiverRecovered = false;
const goneReplies = [{ status: 500, body: FAILURE_BODY }];

let service: Service;
let receiver: Receiver;
let publisher: EventsClient;
let deliveriesApi: DeliveriesClient;
let prism: ContractValidator;
let frontEnd: FrontEnd;
let browser: BrowserContext;
let userDataDir: string;
let page: Page;
let writeKey: string;
let writeKeyId: string;
let webhooks: WebhooksClient;
let target: WebhookEndpointResponse;
let other: WebhookEndpointResponse;
/** The endpoint of the deliveries test, on the receiver. */
let receiverEndpoint: WebhookEndpointResponse;
const pageErrors: string[] = [];

before(async () => {
    frontEnd = await FrontEnd.start();
    // A test event is answered 200, anything else 500 until the receiver has recovered; all with markup.
    // GONE_PATH answers 500 once, then 410 Gone.
    receiver = await Receiver.start((webhook, path) => {
        if (path === GONE_PATH) {
            return goneReplies.shift() ?? { status: 410, body: "gone" };
        }
        if (receiverRecovered) {
            return { status: 200, body: RETRY_BODY };
        }
        return webhook.type === "webhook.test" ? { status: 200, body: TEST_EVENT_BODY } : { status: 500, body: FAILURE_BODY };
    });
    service = await Service.start({ corsOrigins: [frontEnd.origin], receiver });
    prism = await ContractValidator.start(service.baseUrl);
    const org = await createOrganization(service, "Partner front end");
    writeKey = org.writeKey;
    writeKeyId = org.writeKeyId;
    webhooks = new WebhooksClient(prism.baseUrl, bearer(writeKey));
    deliveriesApi = new DeliveriesClient(prism.baseUrl, bearer(writeKey));
    const publisherKey = await service.admin<{ key: string }>("keys", "create", "--org", org.orgId, "--scopes", "events:write", "--name", "publisher");
    publisher = new EventsClient(prism.baseUrl, bearer(publisherKey.key));
    target = (await webhooks.createWebhook({ url: "https://hooks.example.com/partner/orders", events: ["wallet.balance_low", "wallet.balance_zero"], description: "Orders" })).result;
    other = (await webhooks.createWebhook({ url: "https://hooks.example.com/partner/billing", events: ["subscription.past_due"] })).result;

    userDataDir = mkdtempSync(path.join(tmpdir(), "webhooks-chromium-"));
    browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 900 },
        args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    });
    page = browser.pages()[0] ?? await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
});

after(async () => {
    await browser?.close();
    if (userDataDir) {
        rmSync(userDataDir, { recursive: true, force: true });
    }
    await prism?.stop();
    await service?.stop();
    await receiver?.stop();
    await frontEnd?.stop();
});

/** Polls the API until `read` gives a value (the worker delivers in the background), for at most a minute. */
async function eventually<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
        const value = await read();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            assert.fail(`${what}: not within a minute`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

/** How the page prints a timestamp of the API (samples/partner-frontend/src/page.ts, `timestamp`). */
function shown(value: string | null): string {
    return value === null ? "—" : value.replace("T", " ").replace(/Z$/, " UTC");
}

/** The cells of an attempt's row, as the page should show them. */
function attemptRow(attempt: DeliveryAttemptResponse): string[] {
    return [
        String(attempt.number),
        attempt.trigger,
        shown(attempt.started_at),
        `${attempt.duration_ms} ms`,
        attempt.response_status === null ? "—" : String(attempt.response_status),
        attempt.error ?? "—",
    ];
}

/** The cells of every attempt row of the delivery shown. */
function attemptsShown(): Promise<(string | null)[][]> {
    return page.locator("#attempts tbody tr.attempt").evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent)));
}

/** A history value as the page prints it: null a dash, a list its items, a string itself. */
function valueShown(value: unknown): string {
    if (value === null) {
        return "—";
    }
    if (Array.isArray(value)) {
        return value.length === 0 ? "none" : value.join(", ");
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The cells of a history entry's row, as the page should show them. */
function historyRow(entry: WebhookHistoryEntryResponse): string[] {
    const changes = Object.entries(entry.changes).map(([field, change]) => `${field}: ${valueShown(change.from)} → ${valueShown(change.to)}`);
    return [
        shown(entry.at),
        entry.actor.type === "api_key" ? `API key ${entry.actor.id}` : `the service (${entry.actor.reason})`,
        entry.action,
        changes.length > 0 ? changes.join("") : "—",
    ];
}

async function historyRows(): Promise<string[][]> {
    const cells: string[][] = [];
    for (const row of await page.locator("#history-list tbody tr").all()) {
        cells.push(await row.locator("td").allTextContents());
    }
    return cells;
}

/** The cells of a delivery's row, as the page should show them. */
function deliveryRow(delivery: DeliveryResponse): string[] {
    return [
        delivery.event_type,
        delivery.status,
        String(delivery.attempt_count),
        delivery.last_response_status === null ? "—" : String(delivery.last_response_status),
        shown(delivery.last_attempt_at),
        shown(delivery.next_attempt_at),
        shown(delivery.created_at),
        "View",
    ];
}

async function listedRows(): Promise<{ ids: (string | null)[]; cells: string[][] }> {
    const rows = page.locator("#delivery-list tbody tr");
    const ids: (string | null)[] = [];
    const cells: string[][] = [];
    for (const row of await rows.all()) {
        ids.push(await row.getAttribute("data-id"));
        cells.push(await row.locator("td").allTextContents());
    }
    return { ids, cells };
}

test("the page lists the organization's endpoints, refuses an http:// URL with the API's message, and saves an edit", async () => {
    await page.goto(`${frontEnd.origin}/?api=${encodeURIComponent(service.baseUrl)}`);
    await page.fill("#api-key", writeKey);
    await page.click("#load");

    const rows = page.locator("#endpoints tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await page.locator("#endpoints tbody td.url").allTextContents(), [other.url, target.url], "newest first");

    // Open the endpoint and try an http:// URL: the API refuses it, and the page says why, next to the field.
    await page.locator(`#endpoints tbody tr[data-id="${target.id}"] button.edit`).click();
    await page.locator("#editor").waitFor({ state: "visible" });
    assert.equal(await page.inputValue("#edit-url"), target.url);
    assert.equal(await page.inputValue("#edit-description"), "Orders");
    await page.fill("#edit-url", "http://hooks.example.com/partner/orders");
    await page.click("#save");
    await page.locator("#error-url").filter({ hasText: "must use https" }).waitFor();
    assert.equal(await page.getAttribute("#edit-url", "aria-invalid"), "true");
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: VALIDATION_SCREENSHOT, fullPage: true });
    assert.equal((await webhooks.getWebhook(target.id)).result.url, target.url, "nothing was written");

    // Now a valid edit of every field.
    await page.fill("#edit-url", "https://hooks.example.com/partner/orders-v2");
    await page.fill("#edit-description", "Orders (v2)");
    await page.uncheck('#edit-events input[value="wallet.balance_zero"]');
    await page.check('#edit-events input[value="subscription.canceled"]');
    await page.uncheck("#edit-active");
    await page.click("#save");
    await page.locator("#status.saved").waitFor();
    assert.equal(await page.textContent("#error-url"), "");
    assert.match(await page.textContent("#status") ?? "", /Saved https:\/\/hooks\.example\.com\/partner\/orders-v2/);
    await page.locator(`#endpoints tbody tr[data-id="${target.id}"] td.url`).filter({ hasText: "orders-v2" }).waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The stored state, through the API.
    const stored = (await webhooks.getWebhook(target.id)).result;
    assert.equal(stored.url, "https://hooks.example.com/partner/orders-v2");
    assert.equal(stored.description, "Orders (v2)");
    assert.deepEqual(stored.events, ["wallet.balance_low", "subscription.canceled"]);
    assert.equal(stored.active, false);
    const untouched = (await webhooks.getWebhook(other.id)).result;
    assert.equal(untouched.updated_at, other.updated_at);

    assert.deepEqual(pageErrors, []);
});

test("the deliveries view lists an endpoint's deliveries newest first with a status filter and More, shows attempts and response bodies as text, and sends test events", async () => {
    const endpoint = (await webhooks.createWebhook({ url: `${receiver.url}/partner/deliveries`, events: ["wallet.balance_zero"], description: "Receiver" })).result;
    receiverEndpoint = endpoint;
    for (let index = 0; index <= PAGE_SIZE; index++) {
        await publisher.publishEvent({ type: "wallet.balance_zero", data: { wallet_id: `w_${index}` } });
    }
    // Each delivery answered 500 once; the next attempt is an hour away (Service.start with a receiver).
    const attempted = await eventually("every delivery attempted once", async () => {
        const listed = (await webhooks.listWebhookDeliveries(endpoint.id, undefined, 100)).data;
        return listed.length === PAGE_SIZE + 1 && listed.every((delivery) => delivery.attempt_count === 1 && delivery.last_response_status === 500) ? listed : undefined;
    });

    await page.click("#load");
    await page.locator(`#endpoints tbody tr[data-id="${endpoint.id}"] button.edit`).click();
    await page.locator("#deliveries").waitFor({ state: "visible" });
    const rows = page.locator("#delivery-list tbody tr");
    await rows.nth(PAGE_SIZE - 1).waitFor();
    let listed = await listedRows();
    assert.deepEqual(listed.ids, attempted.slice(0, PAGE_SIZE).map((delivery) => delivery.id), "the first page, newest first");
    assert.deepEqual(listed.cells, attempted.slice(0, PAGE_SIZE).map(deliveryRow));
    assert.equal(await page.textContent("#deliveries-count"), `(${PAGE_SIZE}+)`);

    await page.click("#more-deliveries");
    await rows.nth(PAGE_SIZE).waitFor();
    listed = await listedRows();
    assert.deepEqual(listed.ids, attempted.map((delivery) => delivery.id), "More appends the next page");
    assert.ok(await page.locator("#more-deliveries").isHidden(), "no More after the last page");

    await page.selectOption("#delivery-status", "succeeded");
    await page.locator("#deliveries-empty").waitFor({ state: "visible" });
    assert.equal(await rows.count(), 0);
    await page.selectOption("#delivery-status", "pending");
    await rows.nth(PAGE_SIZE - 1).waitFor();
    assert.equal(await rows.count(), PAGE_SIZE);

    // One delivery's attempt: every field, and the receiver's markup as text.
    const failed = await deliveriesApi.getDelivery(attempted[0]!.id);
    const attempt = failed.attempts[0]!;
    assert.equal(failed.attempts.length, 1);
    assert.equal(attempt.response_body, FAILURE_BODY);
    await rows.first().locator("button.view").click();
    await page.locator("#delivery-id").filter({ hasText: failed.id }).waitFor();
    assert.equal(await page.textContent("#delivery-state"), "pending");
    assert.equal(await page.textContent("#delivery-type"), "wallet.balance_zero");
    assert.equal(await page.textContent("#delivery-event"), failed.event_id);
    assert.deepEqual(await attemptsShown(), [attemptRow(attempt)]);
    assert.equal(attempt.response_status, 500);
    assert.equal(attempt.trigger, "scheduled");
    assert.equal(await page.textContent("#attempts pre.response-body"), FAILURE_BODY);

    // Send test event: the new delivery is shown and listed first; the worker delivers it, answered 200.
    await page.selectOption("#delivery-status", "");
    await rows.nth(PAGE_SIZE - 1).waitFor();
    await page.click("#send-test");
    await page.locator("#delivery-type").filter({ hasText: "webhook.test" }).waitFor();
    const testId = await page.textContent("#delivery-id") ?? "";
    await rows.first().and(page.locator(`tr[data-id="${testId}"]`)).waitFor();
    const delivered = await eventually("the test event delivered", async () => {
        const delivery = await deliveriesApi.getDelivery(testId);
        return delivery.status === "succeeded" ? delivery : undefined;
    });
    assert.equal(delivered.endpoint_id, endpoint.id);
    await page.click("#refresh-deliveries");
    await rows.first().locator("td.status").filter({ hasText: "succeeded" }).waitFor();
    assert.deepEqual((await listedRows()).cells[0], deliveryRow(delivered));
    await rows.first().locator("button.view").click();
    await page.locator("#delivery-state").filter({ hasText: "succeeded" }).waitFor();
    assert.equal(await page.textContent("#attempts tbody tr.attempt td.response"), "200");
    assert.equal(await page.textContent("#attempts pre.response-body"), TEST_EVENT_BODY);
    assert.equal(await page.locator("#delivery-detail img, #delivery-detail script, #delivery-list script").count(), 0, "no markup from a response body");
    assert.equal(await page.evaluate(() => (window as unknown as { __hostile?: string }).__hostile), undefined, "no script of a response body ran");
    await page.screenshot({ path: DELIVERIES_SCREENSHOT, fullPage: true });
    assert.deepEqual(pageErrors, []);
});

test("Send test event on an inactive endpoint shows why nothing was sent", async () => {
    assert.equal((await webhooks.getWebhook(target.id)).result.active, false, "the first test paused it");
    await page.locator(`#endpoints tbody tr[data-id="${target.id}"] button.edit`).click();
    await page.locator("#deliveries-empty").waitFor({ state: "visible" });
    await page.click("#send-test");
    await page.locator("#error").filter({ hasText: "This endpoint is inactive: activate it (and save) to send a test event." }).waitFor();
    await page.screenshot({ path: CONFLICT_SCREENSHOT, fullPage: true });
    assert.deepEqual((await webhooks.listWebhookDeliveries(target.id)).data, [], "nothing was sent");
    assert.deepEqual(pageErrors, []);
});

test("Retry on a delivery that failed makes a manual attempt now: the page shows it after the scheduled one, and the new status in the list", async () => {
    receiverRecovered = true;
    await page.click("#load");
    await page.locator(`#endpoints tbody tr[data-id="${receiverEndpoint.id}"] button.edit`).click();
    const rows = page.locator("#delivery-list tbody tr");
    await rows.nth(PAGE_SIZE - 1).waitFor();
    const failed = (await webhooks.listWebhookDeliveries(receiverEndpoint.id, "pending", 1)).data[0]!;
    assert.equal(failed.attempt_count, 1);
    assert.equal(failed.last_response_status, 500);
    const row = page.locator(`#delivery-list tbody tr[data-id="${failed.id}"]`);
    assert.deepEqual(await row.locator("td").allTextContents(), deliveryRow(failed));
    await row.locator("button.view").click();
    await page.locator("#delivery-id").filter({ hasText: failed.id }).waitFor();

    await page.click("#retry-delivery");
    await page.locator("#delivery-state").filter({ hasText: "succeeded" }).waitFor();
    const retried = await deliveriesApi.getDelivery(failed.id);
    assert.deepEqual(retried.attempts.map((attempt) => [attempt.trigger, attempt.response_status]), [["scheduled", 500], ["manual", 200]]);
    assert.deepEqual(await attemptsShown(),
        retried.attempts.map(attemptRow), "the manual attempt after the scheduled one");
    assert.deepEqual(await page.locator("#attempts pre.response-body").allTextContents(), [FAILURE_BODY, RETRY_BODY]);
    const { attempts: _, ...summary } = retried;
    assert.deepEqual(await row.locator("td").allTextContents(), deliveryRow(summary), "the list row shows the new status");
    assert.equal(await page.textContent(`#delivery-list tbody tr[data-id="${failed.id}"] td.status`), "succeeded");
    assert.equal(await page.locator("#delivery-detail svg, #delivery-detail img").count(), 0, "no markup from a response body");
    assert.equal(await page.evaluate(() => (window as unknown as { __hostile?: string }).__hostile), undefined);
    assert.ok(await page.locator("#error").isHidden());
    await page.screenshot({ path: RETRY_SCREENSHOT, fullPage: true });
    assert.deepEqual(pageErrors, []);
});

let gone: WebhookEndpointResponse;

test("Retry answered 410 Gone fails the delivery and the service deactivates the endpoint; Retry then shows why nothing was sent", async () => {
    gone = (await webhooks.createWebhook({ url: `${receiver.url}${GONE_PATH}`, events: ["wallet.balance_low"], description: "Gone soon" })).result;
    await page.click("#load");
    await page.locator(`#endpoints tbody tr[data-id="${gone.id}"] button.edit`).click();
    await page.locator("#history-list tbody tr").first().waitFor();
    // An edit of the page (in the history below): a description that is markup, and one more event.
    await page.fill("#edit-description", HOSTILE_DESCRIPTION);
    await page.check('#edit-events input[value="subscription.canceled"]');
    await page.click("#save");
    await page.locator("#status.saved").waitFor();

    // A test event: the worker's attempt is answered 500 (the next one is an hour away).
    await page.click("#send-test");
    await page.locator("#delivery-type").filter({ hasText: "webhook.test" }).waitFor();
    const testId = await page.textContent("#delivery-id") ?? "";
    await eventually("the test event attempted", async () => {
        const delivery = await deliveriesApi.getDelivery(testId);
        return delivery.attempt_count === 1 ? delivery : undefined;
    });

    await page.click("#retry-delivery");
    await page.locator("#delivery-state").filter({ hasText: "failed" }).waitFor();
    const failed = await deliveriesApi.getDelivery(testId);
    assert.deepEqual(failed.attempts.map((attempt) => [attempt.trigger, attempt.response_status]), [["scheduled", 500], ["manual", 410]]);
    assert.deepEqual(await attemptsShown(),
        failed.attempts.map(attemptRow));
    assert.equal((await webhooks.getWebhook(gone.id)).result.active, false, "the service deactivated the endpoint");
    await page.locator(`#endpoints tbody tr[data-id="${gone.id}"] .badge.off`).waitFor();
    await page.locator("#edit-active:not(:checked)").waitFor();
    assert.equal(await page.inputValue("#edit-description"), HOSTILE_DESCRIPTION, "the editor shows the endpoint as it is now");

    await page.click("#retry-delivery");
    await page.locator("#error").filter({ hasText: RETRY_INACTIVE_MESSAGE }).waitFor();
    await page.screenshot({ path: RETRY_CONFLICT_SCREENSHOT, fullPage: true });
    assert.equal((await deliveriesApi.getDelivery(testId)).attempts.length, 2, "nothing was attempted");
    assert.deepEqual(pageErrors, []);
});

test("History lists the endpoint's changes newest first: created, updated field by field, deactivated by the service; values as text", async () => {
    const history = (await webhooks.listWebhookHistory(gone.id, 100)).data;
    assert.deepEqual(history.map((entry) => entry.action), ["deactivated", "updated", "created"]);
    await page.locator("#history-list tbody tr").nth(2).waitFor();
    const cells = await historyRows();
    assert.deepEqual(cells, history.map(historyRow));
    assert.deepEqual(cells.map((row) => row[1]), [`the service (${GONE_REASON})`, `API key ${writeKeyId}`, `API key ${writeKeyId}`]);
    assert.deepEqual(await page.locator("#history-list tbody tr").nth(0).locator("ul.changes li").allTextContents(), ["active: true → false"]);
    assert.deepEqual(await page.locator("#history-list tbody tr").nth(1).locator("ul.changes li").allTextContents(), [
        `description: Gone soon → ${HOSTILE_DESCRIPTION}`,
        "events: wallet.balance_low → wallet.balance_low, subscription.canceled",
    ]);
    assert.equal(await page.textContent("#history-count"), "(3)");
    assert.ok(await page.locator("#more-history").isHidden());
    assert.equal(await page.locator("#history img, #endpoints img").count(), 0, "the description is text, not markup");
    assert.equal(await page.evaluate(() => (window as unknown as { __hostile?: string }).__hostile), undefined);
    await page.locator("#history").scrollIntoViewIfNeeded();
    await page.screenshot({ path: HISTORY_SCREENSHOT, fullPage: true });

    // More pages through the cursor: an endpoint with more changes than a page.
    for (let index = 1; index <= HISTORY_PAGE_SIZE; index++) {
        await webhooks.patchWebhook(other.id, { description: `Billing ${index}` });
    }
    const all = (await webhooks.listWebhookHistory(other.id, 100)).data;
    assert.equal(all.length, HISTORY_PAGE_SIZE + 1);
    await page.click("#load");
    await page.locator(`#endpoints tbody tr[data-id="${other.id}"] button.edit`).click();
    await page.locator("#history-count").filter({ hasText: `(${HISTORY_PAGE_SIZE}+)` }).waitFor();
    assert.deepEqual(await historyRows(), all.slice(0, HISTORY_PAGE_SIZE).map(historyRow));
    await page.click("#more-history");
    await page.locator("#history-count").filter({ hasText: `(${HISTORY_PAGE_SIZE + 1})` }).waitFor();
    assert.deepEqual(await historyRows(), all.map(historyRow), "More appends the older entries");
    assert.ok(await page.locator("#more-history").isHidden());
    assert.deepEqual((await historyRows()).at(-1)?.[2], "created");
    assert.deepEqual(pageErrors, []);
});

test("Prism saw no request or response that breaks the OpenAPI document", async () => {
    assert.deepEqual(await prism.violations(), []);
});
