// The service driven only through the generated client, with every request and response passing
// through Prism, which validates them against the committed OpenAPI document.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
    ApiException,
    ClientsClient,
    DeliveriesClient,
    EventsClient,
    WebhooksClient,
    basic,
    bearer,
    isEnvelopeException,
    isProblemException,
    type CreateWebhookRequest,
    type DeliveryResponse,
    type EnvelopeException,
    type FetchLike,
    type ProblemException,
    type WebhookEndpointResponse,
} from "../src/index.js";
import { ContractValidator, Receiver, Service, createOrganization, openApiDocument, type IssuedClient } from "./support/harness.js";

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = "0196f0c1-2d3e-7f40-8a1b-2c3d4e5f6a7b";

/** What the receiver answers next, by path: each webhook takes the first reply of its path's queue (200 "ok" when none is left). */
const replies = new Map<string, { status: number; body: string }[]>();
let receiver: Receiver;
let service: Service;
let prism: ContractValidator;
let webhooks: WebhooksClient;
let webhooksAuth: FetchLike;
let readOnly: WebhooksClient;
let wrongKey: WebhooksClient;
let client: IssuedClient;
let suspended: IssuedClient;
let clients: ClientsClient;

before(async () => {
    // The worker stays off (deliveries stay pending until a test retries them); a retry attempts this receiver.
    receiver = await Receiver.start((_, path) => replies.get(path)?.shift() ?? { status: 200, body: "ok" });
    service = await Service.start({ receiver, worker: false });
    prism = await ContractValidator.start(service.baseUrl);
    const org = await createOrganization(service, "Node tests");
    client = await service.admin<IssuedClient>("clients", "create", "--customer-id", "customer-node");
    suspended = await service.admin<IssuedClient>("clients", "create", "--customer-id", "customer-suspended");
    await service.admin("clients", "suspend", "--id", suspended.client_id);
    webhooksAuth = bearer(org.writeKey);
    webhooks = new WebhooksClient(prism.baseUrl, webhooksAuth);
    readOnly = new WebhooksClient(prism.baseUrl, bearer(org.readKey));
    wrongKey = new WebhooksClient(prism.baseUrl, bearer(`am_live_${"x".repeat(43)}`));
    clients = new ClientsClient(prism.baseUrl, basic(client.client_id, client.client_secret));
});

after(async () => {
    await prism?.stop();
    await service?.stop();
    await receiver?.stop();
});

/** Awaits a call that must fail, and returns its typed error. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
    try {
        await call;
    } catch (error: unknown) {
        return error;
    }
    assert.fail("the call succeeded");
}

async function envelopeError(call: Promise<unknown>, status: number, code: string): Promise<EnvelopeException> {
    const error = await rejection(call);
    assert.ok(isEnvelopeException(error), `expected an ApiException carrying an ErrorEnvelope, got ${String(error)}`);
    assert.ok(error instanceof ApiException);
    assert.equal(error.status, status);
    assert.equal(error.result.success, false);
    assert.equal(error.result.error.code, code);
    assert.match(error.result.error.request_id, ULID);
    assert.equal(error.result.error.request_id, error.headers["x-request-id"]);
    return error;
}

async function problemError(call: Promise<unknown>, status: number): Promise<ProblemException> {
    const error = await rejection(call);
    assert.ok(isProblemException(error), `expected an ApiException carrying ProblemDetails, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.result.status, status);
    assert.equal(error.result.instance, "/clients/webhook-url");
    assert.match(error.result.type, /^urn:webhooks:problem:/);
    assert.match(error.result.request_id, ULID);
    return error;
}

async function createEndpoint(overrides: Partial<CreateWebhookRequest> = {}): Promise<{ endpoint: WebhookEndpointResponse; etag: string }> {
    const response = await webhooks.createWebhook({
        url: "https://hooks.example.com/node/ops",
        events: ["wallet.balance_low", "wallet.balance_zero"],
        description: "Ops alerts",
        ...overrides,
    });
    assert.equal(response.status, 201);
    return { endpoint: response.result, etag: String(response.headers["etag"]) };
}

describe("Webhooks API v1 through the generated client", () => {
    test("create returns the resource, its signing secret, Location and ETag", async () => {
        const response = await webhooks.createWebhook({
            url: "HTTPS://Hooks.Example.com/node/create",
            events: ["wallet.balance_low", "wallet.balance_low", "subscription.past_due"],
        });
        const endpoint = response.result;
        assert.equal(response.status, 201);
        assert.equal(response.headers["location"], `/v1/webhooks/${endpoint.id}`);
        assert.match(String(response.headers["etag"]), /^"[0-9a-f]{32}\.\d+"$/);
        assert.equal(endpoint.url, "https://hooks.example.com/node/create");
        assert.deepEqual(endpoint.events, ["wallet.balance_low", "subscription.past_due"]);
        assert.equal(endpoint.description, null);
        assert.equal(endpoint.active, true);
        assert.equal(endpoint.api_version, "2026-04-01");
        assert.match(endpoint.created_at, RFC3339_UTC);
        assert.equal(endpoint.updated_at, endpoint.created_at);
        assert.equal(endpoint.deleted_at, null);
        assert.match(endpoint.secret ?? "", /^whsec_[A-Za-z0-9+/]{43}=$/);
    });

    test("create with an Idempotency-Key returns the first result on a retry", async () => {
        const body = ({ url: "https://hooks.example.com/node/idempotent", events: ["wallet.balance_zero"] });
        const first = await webhooks.createWebhook(body, "node-idempotency-1");
        const again = await webhooks.createWebhook(body, "node-idempotency-1");
        assert.equal(again.result.id, first.result.id);
        assert.equal(again.result.secret, first.result.secret);
    });

    test("get returns the stored resource, without the secret", async () => {
        const { endpoint, etag } = await createEndpoint();
        const response = await webhooks.getWebhook(endpoint.id);
        assert.equal(response.status, 200);
        assert.equal(response.headers["etag"], etag);
        const { secret: _secret, ...stored } = endpoint;
        assert.deepEqual({ ...response.result }, stored);
        assert.equal(response.result.secret, undefined);
    });

    test("list pages through the organization's endpoints, newest first", async () => {
        const a = (await createEndpoint({ description: "list a" })).endpoint;
        const b = (await createEndpoint({ description: "list b" })).endpoint;
        const first = await webhooks.listWebhooks(1);
        assert.equal(first.data.length, 1);
        assert.equal(first.data[0]?.id, b.id);
        assert.equal(first.has_more, true);
        assert.ok(first.next_cursor);
        const second = await webhooks.listWebhooks(1, first.next_cursor ?? undefined);
        assert.equal(second.data[0]?.id, a.id);
        const all = await webhooks.listWebhooks(100);
        const ids = all.data.map((endpoint) => endpoint.id);
        assert.ok(ids.indexOf(b.id) < ids.indexOf(a.id));
        assert.equal(all.has_more, false);
        assert.equal(all.next_cursor, null);
    });

    test("PATCH url changes only the url", async () => {
        const { endpoint } = await createEndpoint();
        const patched = (await webhooks.patchWebhook(endpoint.id, ({ url: "https://hooks.example.com/node/moved" }))).result;
        assert.equal(patched.url, "https://hooks.example.com/node/moved");
        assert.equal(patched.description, endpoint.description);
        assert.deepEqual(patched.events, endpoint.events);
        assert.equal(patched.active, endpoint.active);
        assert.equal((await webhooks.getWebhook(endpoint.id)).result.url, "https://hooks.example.com/node/moved");
    });

    test("PATCH description sets it, and null clears it", async () => {
        const { endpoint } = await createEndpoint();
        const relabeled = (await webhooks.patchWebhook(endpoint.id, ({ description: "  Billing  " }))).result;
        assert.equal(relabeled.description, "Billing");
        assert.equal(relabeled.url, endpoint.url);
        const cleared = (await webhooks.patchWebhook(endpoint.id, ({ description: null }))).result;
        assert.equal(cleared.description, null);
        assert.equal((await webhooks.getWebhook(endpoint.id)).result.description, null);
    });

    test("PATCH events replaces the whole set", async () => {
        const { endpoint } = await createEndpoint();
        const patched = (await webhooks.patchWebhook(endpoint.id, ({ events: ["subscription.canceled", "wallet.balance_low"] }))).result;
        assert.deepEqual(patched.events, ["subscription.canceled", "wallet.balance_low"]);
        assert.deepEqual((await webhooks.getWebhook(endpoint.id)).result.events, ["subscription.canceled", "wallet.balance_low"]);
    });

    test("PATCH active turns delivery off and on", async () => {
        const { endpoint } = await createEndpoint();
        assert.equal((await webhooks.patchWebhook(endpoint.id, ({ active: false }))).result.active, false);
        assert.equal((await webhooks.getWebhook(endpoint.id)).result.active, false);
        assert.equal((await webhooks.patchWebhook(endpoint.id, ({ active: true }))).result.active, true);
    });

    test("PATCH api_version with the current value changes nothing", async () => {
        const { endpoint } = await createEndpoint();
        const patched = (await webhooks.patchWebhook(endpoint.id, ({ api_version: endpoint.api_version }))).result;
        assert.equal(patched.updated_at, endpoint.updated_at);
    });

    test("PATCH with the current ETag in If-Match applies; with a stale one it is 412 and nothing is written", async () => {
        const { endpoint, etag } = await createEndpoint();
        const applied = await webhooks.patchWebhook(endpoint.id, ({ description: "v2" }), etag);
        assert.notEqual(applied.headers["etag"], etag);
        const error = await envelopeError(webhooks.patchWebhook(endpoint.id, ({ description: "v3" }), etag), 412, "PRECONDITION_FAILED");
        assert.equal(error.result.error.message, "precondition failed");
        assert.equal((await webhooks.getWebhook(endpoint.id)).result.description, "v2");
    });

    test("rotate gives a new secret, shown once", async () => {
        const { endpoint, etag } = await createEndpoint();
        const rotated = await webhooks.rotateWebhookSecret(endpoint.id, etag);
        assert.equal(rotated.status, 200);
        assert.match(rotated.result.secret ?? "", /^whsec_/);
        assert.notEqual(rotated.result.secret, endpoint.secret);
        assert.notEqual(rotated.headers["etag"], etag);
        assert.equal((await webhooks.getWebhook(endpoint.id)).result.secret, undefined);
    });

    test("rotate takes an optional grace period for the old secret; one out of range is 400 and rotates nothing", async () => {
        const { endpoint, etag } = await createEndpoint();
        const rotated = await webhooks.rotateWebhookSecret(endpoint.id, etag, { grace_seconds: 3600 });
        assert.equal(rotated.status, 200);
        assert.notEqual(rotated.result.secret, endpoint.secret);
        const error = await envelopeError(webhooks.rotateWebhookSecret(endpoint.id, undefined, { grace_seconds: 604801 }), 400, "VALIDATION_FAILED");
        assert.deepEqual({ ...error.result.error.details }, { grace_seconds: "must be a whole number of seconds from 0 to 604800" });
        assert.equal((await webhooks.getWebhook(endpoint.id)).headers["etag"], rotated.headers["etag"]);
    });

    test("delete sets deleted_at; the endpoint is then not found", async () => {
        const { endpoint } = await createEndpoint();
        const deleted = await webhooks.deleteWebhook(endpoint.id);
        assert.match(deleted.deleted_at ?? "", RFC3339_UTC);
        await envelopeError(webhooks.getWebhook(endpoint.id), 404, "NOT_FOUND");
        const listed = await webhooks.listWebhooks(100);
        assert.ok(!listed.data.some((item) => item.id === endpoint.id));
    });

    test("history lists every change newest first, by the calling key, field by field", async () => {
        const { endpoint } = await createEndpoint({ description: "history" });
        const patched = (await webhooks.patchWebhook(endpoint.id, ({ description: "renamed", active: false }))).result;
        const first = await webhooks.listWebhookHistory(endpoint.id, 1);
        assert.equal(first.has_more, true);
        const history = await webhooks.listWebhookHistory(endpoint.id, 100);
        assert.equal(history.has_more, false);
        assert.equal(history.next_cursor, null);
        assert.deepEqual(history.data.map((entry) => entry.action), ["updated", "created"]);
        assert.deepEqual(first.data, history.data.slice(0, 1));
        const [updated, created] = history.data;
        assert.equal(updated?.at, patched.updated_at);
        assert.equal(updated?.actor.type, "api_key");
        assert.match(updated?.actor.id ?? "", /^[0-9a-f-]{36}$/);
        assert.deepEqual(created?.actor, updated?.actor);
        assert.deepEqual(updated?.changes, { description: { from: "history", to: "renamed" }, active: { from: true, to: false } });
        assert.equal(created?.at, endpoint.created_at);
        assert.deepEqual(created?.changes["events"], { from: null, to: endpoint.events });
        assert.ok(!JSON.stringify(history).includes("whsec_"));
    });

    test("event types lists the catalog", async () => {
        const catalog = await readOnly.listEventTypes();
        assert.deepEqual(catalog.data.map((type) => type.name), ["wallet.balance_low", "wallet.balance_zero", "subscription.past_due", "subscription.canceled"]);
        assert.ok(catalog.data.every((type) => type.description.length > 0));
    });
});

describe("Webhooks API v1 errors reach the caller as ApiException carrying the envelope", () => {
    test("400 VALIDATION_FAILED names every failing field", async () => {
        const error = await envelopeError(
            webhooks.createWebhook({ url: "http://hooks.example.com/plain", events: ["wallet.balance_low", "wallet.typo"] }),
            400,
            "VALIDATION_FAILED",
        );
        assert.equal(error.result.error.message, "validation failed");
        assert.deepEqual({ ...error.result.error.details }, { "url": "must use https", "events[1]": "unknown event type 'wallet.typo'" });
    });

    test("401 UNAUTHORIZED for an unknown key, with WWW-Authenticate: Bearer", async () => {
        const error = await envelopeError(wrongKey.listWebhooks(), 401, "UNAUTHORIZED");
        assert.equal(error.result.error.message, "authentication failed");
        assert.equal(error.headers["www-authenticate"], "Bearer");
        assert.equal(error.result.error.details, undefined);
    });

    test("403 FORBIDDEN for a read-only key that writes", async () => {
        const error = await envelopeError(
            readOnly.createWebhook({ url: "https://hooks.example.com/node/forbidden", events: ["wallet.balance_low"] }),
            403,
            "FORBIDDEN",
        );
        assert.equal(error.result.error.message, "missing required scope");
    });

    test("404 NOT_FOUND for an unknown id", async () => {
        const error = await envelopeError(webhooks.patchWebhook("0190a1b2-c3d4-7e5f-a7b8-c9d0e1f2a3b4", ({ active: false })), 404, "NOT_FOUND");
        assert.equal(error.result.error.message, "not found");
    });

    test("413 PAYLOAD_TOO_LARGE for a body over 64 KiB", async () => {
        const { endpoint } = await createEndpoint();
        await envelopeError(webhooks.patchWebhook(endpoint.id, ({ description: "x".repeat(70_000) })), 413, "PAYLOAD_TOO_LARGE");
    });
});

describe("Clients API through the generated client", () => {
    test("the webhook URL starts empty, can be set, and cleared with an empty string", async () => {
        const initial = await clients.getClientWebhookUrl();
        assert.deepEqual({ ...initial }, { client_id: client.client_id, customer_id: "customer-node", webhook_url: "" });

        const set = await clients.updateClientWebhookUrl({ webhook_url: " https://Device.Example.com/hook " });
        assert.equal(set.webhook_url, "https://device.example.com/hook");
        assert.equal((await clients.getClientWebhookUrl()).webhook_url, "https://device.example.com/hook");

        const cleared = await clients.updateClientWebhookUrl({ webhook_url: "" });
        assert.equal(cleared.webhook_url, "");
        assert.equal((await clients.getClientWebhookUrl()).webhook_url, "");
    });
});

describe("Clients API errors reach the caller as ApiException carrying problem details", () => {
    test("400 for an http URL, with errors by field", async () => {
        const error = await problemError(clients.updateClientWebhookUrl({ webhook_url: "http://device.example.com/hook" }), 400);
        assert.deepEqual({ ...error.result.errors }, { webhook_url: ["must use https"] });
        assert.equal(error.result.title, "Validation failed");
    });

    test("401 for a wrong secret, with WWW-Authenticate: Basic", async () => {
        const wrong = new ClientsClient(prism.baseUrl, basic(client.client_id, "cs_live_wrong"));
        const error = await problemError(wrong.getClientWebhookUrl(), 401);
        assert.equal(error.headers["www-authenticate"], 'Basic realm="clients"');
        assert.equal(error.result.errors, undefined);
    });

    test("403 for a suspended client", async () => {
        const error = await problemError(new ClientsClient(prism.baseUrl, basic(suspended.client_id, suspended.client_secret)).getClientWebhookUrl(), 403);
        assert.equal(error.result.detail, "The client is suspended.");
    });

    test("413 for a body over 64 KiB", async () => {
        await problemError(clients.updateClientWebhookUrl({ webhook_url: `https://device.example.com/${"x".repeat(70_000)}` }), 413);
    });
});

describe("Publishing events through the generated client", () => {
    test("publish answers 202 with the event and its Location, GET reads it back, and a retry with the Idempotency-Key publishes nothing", async () => {
        const org = await createOrganization(service, "Node publisher");
        const publisher = await service.admin<{ key: string }>("keys", "create", "--org", org.orgId, "--scopes", "events:write", "--name", "publisher");
        const events = new EventsClient(prism.baseUrl, bearer(publisher.key));
        const reader = new EventsClient(prism.baseUrl, bearer(org.readKey));
        await new WebhooksClient(prism.baseUrl, bearer(org.writeKey)).createWebhook({ url: "https://hooks.example.com/node/events", events: ["wallet.balance_low"] });
        const body = { type: "wallet.balance_low", data: { wallet_id: "w_node", balance: { amount: "4.20", currency: "EUR" }, tags: ["low", 1, true, null] } };

        const published = await events.publishEvent(body, "node-publish-1");
        const event = published.result;
        assert.equal(published.status, 202);
        assert.equal(published.headers["location"], `/v1/events/${event.id}`);
        assert.equal(event.type, "wallet.balance_low");
        assert.deepEqual(event.data, body.data);
        assert.match(event.created_at, RFC3339_UTC);
        assert.equal(event.deliveries, 1);

        assert.deepEqual({ ...(await reader.getEvent(event.id)) }, { ...event });
        assert.deepEqual({ ...(await events.publishEvent(body, "node-publish-1")).result }, { ...event });
        await envelopeError(events.getEvent(event.id), 403, "FORBIDDEN");
        const refused = await envelopeError(events.publishEvent({ type: "wallet.typo", data: {} }), 400, "VALIDATION_FAILED");
        assert.deepEqual({ ...refused.result.error.details }, { type: "unknown event type 'wallet.typo'" });
    });

    test("publish to a client answers 202 with no delivery while the client has no webhook URL", async () => {
        const org = await createOrganization(service, "Node platform");
        const platform = await service.admin<{ key: string }>("keys", "create", "--org", org.orgId, "--scopes", "clients:events:write", "--name", "platform");
        const device = await service.admin<IssuedClient>("clients", "create", "--customer-id", "customer-node-events");
        const events = new EventsClient(prism.baseUrl, bearer(platform.key));

        const published = await events.publishClientEvent(device.client_id, { type: "device.online", data: { device_id: "d_1" } });
        assert.equal(published.status, 202);
        assert.equal(published.headers["location"], `/v1/clients/${device.client_id}/events/${published.result.id}`);
        assert.equal(published.result.deliveries, 0);
        assert.deepEqual({ ...(await events.getClientEvent(device.client_id, published.result.id)) }, { ...published.result });
        await envelopeError(events.publishClientEvent(UNKNOWN_ID, { type: "device.online", data: {} }), 404, "NOT_FOUND");
    });

    test("a client rotates its webhook signing secret", async () => {
        const device = await service.admin<IssuedClient & { webhook_secret: string }>("clients", "create", "--customer-id", "customer-node-rotate");
        const rotated = await new ClientsClient(prism.baseUrl, basic(device.client_id, device.client_secret)).rotateClientWebhookSecret();
        assert.match(rotated.webhook_secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
        assert.notEqual(rotated.webhook_secret, device.webhook_secret);
    });
});

describe("Seeing and steering deliveries through the generated client", () => {
    /** An organization of its own (so that its lists hold only what the test made), with an endpoint and a publisher. */
    async function organizationWithEndpoint(name: string, url = "https://hooks.example.com/node/deliveries") {
        const org = await createOrganization(service, name);
        const publisher = await service.admin<{ key: string }>("keys", "create", "--org", org.orgId, "--scopes", "events:write", "--name", "publisher");
        const writer = new WebhooksClient(prism.baseUrl, bearer(org.writeKey));
        const endpoint = (await writer.createWebhook({ url, events: ["wallet.balance_low", "wallet.balance_zero"] })).result;
        return {
            endpoint,
            writer,
            deliveryWriter: new DeliveriesClient(prism.baseUrl, bearer(org.writeKey)),
            reader: new WebhooksClient(prism.baseUrl, bearer(org.readKey)),
            publisher: new EventsClient(prism.baseUrl, bearer(publisher.key)),
            eventReader: new EventsClient(prism.baseUrl, bearer(org.readKey)),
            deliveryReader: new DeliveriesClient(prism.baseUrl, bearer(org.readKey)),
        };
    }

    /** A delivery that the worker (off in these tests) has not attempted yet. */
    function assertPending(delivery: DeliveryResponse, expected: { event_id: string; event_type: string; endpoint_id: string }): void {
        assert.match(delivery.id, UUID);
        assert.equal(delivery.event_id, expected.event_id);
        assert.equal(delivery.event_type, expected.event_type);
        assert.equal(delivery.endpoint_id, expected.endpoint_id);
        assert.equal(delivery.status, "pending");
        assert.equal(delivery.attempt_count, 0);
        assert.match(delivery.next_attempt_at ?? "", RFC3339_UTC);
        assert.equal(delivery.last_attempt_at, null);
        assert.equal(delivery.last_response_status, null);
        assert.match(delivery.created_at, RFC3339_UTC);
    }

    test("events list newest first with a type filter and a cursor; an event's and an endpoint's deliveries list, and one delivery reads with its attempts", async () => {
        const { endpoint, reader, publisher, eventReader, deliveryReader } = await organizationWithEndpoint("Node deliveries");
        const low = (await publisher.publishEvent({ type: "wallet.balance_low", data: { wallet_id: "w_1" } })).result;
        const zero = (await publisher.publishEvent({ type: "wallet.balance_zero", data: { wallet_id: "w_1" } })).result;

        const first = await eventReader.listEvents(undefined, 1);
        assert.deepEqual(first.data.map((event) => ({ ...event })), [{ ...zero }]);
        assert.equal(first.has_more, true);
        const second = await eventReader.listEvents(undefined, 1, first.next_cursor ?? undefined);
        assert.deepEqual(second.data.map((event) => ({ ...event })), [{ ...low }]);
        assert.equal(second.has_more, false);
        assert.equal(second.next_cursor, null);
        assert.deepEqual((await eventReader.listEvents("wallet.balance_low")).data.map((event) => event.id), [low.id]);

        const ofEvent = await eventReader.listEventDeliveries(low.id);
        assert.equal(ofEvent.data.length, 1);
        assert.equal(ofEvent.has_more, false);
        const delivery = ofEvent.data[0]!;
        assertPending(delivery, { event_id: low.id, event_type: "wallet.balance_low", endpoint_id: endpoint.id });

        const pending = await reader.listWebhookDeliveries(endpoint.id, "pending");
        assert.deepEqual(pending.data.map((item) => item.event_id), [zero.id, low.id], "newest first");
        assert.deepEqual((await reader.listWebhookDeliveries(endpoint.id, "succeeded")).data, []);
        const page = await reader.listWebhookDeliveries(endpoint.id, undefined, 1);
        assert.equal(page.has_more, true);
        const next = await reader.listWebhookDeliveries(endpoint.id, undefined, 1, page.next_cursor ?? undefined);
        assert.deepEqual([...page.data, ...next.data].map((item) => item.id), pending.data.map((item) => item.id));

        const detail = await deliveryReader.getDelivery(delivery.id);
        const { attempts, ...summary } = detail;
        assert.deepEqual(summary, { ...delivery });
        assert.deepEqual(attempts, []);
    });

    test("a bad status filter is 400 VALIDATION_FAILED naming the statuses; unknown and other organizations' ids are 404 NOT_FOUND", async () => {
        const { endpoint, reader, publisher, eventReader, deliveryReader } = await organizationWithEndpoint("Node deliveries errors");
        const event = (await publisher.publishEvent({ type: "wallet.balance_low", data: {} })).result;
        const delivery = (await eventReader.listEventDeliveries(event.id)).data[0]!;

        const refused = await envelopeError(reader.listWebhookDeliveries(endpoint.id, "done"), 400, "VALIDATION_FAILED");
        // ListDeliveriesQuery.InvalidStatusMessage
        assert.deepEqual({ ...refused.result.error.details }, { status: "must be one of pending, succeeded, failed, canceled" });

        const stranger = await organizationWithEndpoint("Node deliveries stranger");
        for (const call of [
            () => deliveryReader.getDelivery(UNKNOWN_ID),
            () => stranger.deliveryReader.getDelivery(delivery.id),
            () => stranger.eventReader.listEventDeliveries(event.id),
            () => stranger.reader.listWebhookDeliveries(endpoint.id),
            () => eventReader.listEventDeliveries(UNKNOWN_ID),
        ]) {
            const error = await envelopeError(call(), 404, "NOT_FOUND");
            assert.equal(error.result.error.message, "not found");
        }
    });

    test("a test event is one webhook.test delivery to that endpoint only (202); a read-only key is 403, an inactive endpoint 409 CONFLICT, an unknown one 404", async () => {
        const { endpoint, writer, reader, eventReader } = await organizationWithEndpoint("Node test events");

        const delivery = await writer.sendTestEvent(endpoint.id);
        const { attempts, ...summary } = delivery;
        const event = await eventReader.getEvent(delivery.event_id);
        assertPending(summary, { event_id: event.id, event_type: "webhook.test", endpoint_id: endpoint.id });
        assert.deepEqual(attempts, []);
        // SendTestEventCommand.Message
        assert.deepEqual({ ...event.data }, { message: "This is a test event from the webhooks service.", endpoint_id: endpoint.id });
        assert.equal(event.type, "webhook.test");
        assert.equal(event.deliveries, 1);
        assert.deepEqual((await reader.listWebhookDeliveries(endpoint.id)).data.map((item) => ({ ...item })), [summary]);

        const forbidden = await envelopeError(reader.sendTestEvent(endpoint.id), 403, "FORBIDDEN");
        assert.equal(forbidden.result.error.message, "missing required scope");
        await writer.patchWebhook(endpoint.id, { active: false });
        const conflict = await envelopeError(writer.sendTestEvent(endpoint.id), 409, "CONFLICT");
        // ApiError.Conflict
        assert.equal(conflict.result.error.message, "the resource's current state does not allow this");
        assert.equal(conflict.result.error.details, undefined);
        await envelopeError(writer.sendTestEvent(UNKNOWN_ID), 404, "NOT_FOUND");
        assert.equal((await reader.listWebhookDeliveries(endpoint.id)).data.length, 1, "the refused calls added no delivery");
    });

    /** An organization whose endpoint is the receiver at `path`, with one pending delivery of a wallet.balance_low event. */
    async function pendingDelivery(name: string, path: string) {
        const org = await organizationWithEndpoint(name, `${receiver.url}${path}`);
        const event = (await org.publisher.publishEvent({ type: "wallet.balance_low", data: { wallet_id: "w_retry" } })).result;
        const delivery = (await org.eventReader.listEventDeliveries(event.id)).data[0]!;
        assertPending(delivery, { event_id: event.id, event_type: "wallet.balance_low", endpoint_id: org.endpoint.id });
        return { ...org, delivery };
    }

    test("retry makes one manual attempt now and answers 200 with the delivery and every attempt; a failure keeps the schedule, a 2xx ends it", async () => {
        const { delivery, deliveryWriter, deliveryReader } = await pendingDelivery("Node retry", "/node/retry");
        replies.set("/node/retry", [{ status: 500, body: "<h1>down</h1>" }, { status: 200, body: "accepted" }]);

        const failed = await deliveryWriter.retryDelivery(delivery.id);
        const [first] = failed.attempts;
        assert.equal(failed.attempts.length, 1);
        assert.equal(first?.number, 1);
        assert.equal(first?.trigger, "manual");
        assert.match(first?.started_at ?? "", RFC3339_UTC);
        assert.ok(Number.isInteger(first?.duration_ms) && (first?.duration_ms ?? -1) >= 0, `duration_ms ${first?.duration_ms}`);
        assert.equal(first?.response_status, 500);
        assert.equal(first?.response_body, "<h1>down</h1>");
        assert.equal(first?.error, null);
        const { attempts: failedAttempts, ...failedSummary } = failed;
        assert.deepEqual(failedSummary, {
            ...delivery,
            status: "pending",
            attempt_count: 1,
            last_attempt_at: first?.started_at,
            last_response_status: 500,
        }, "a failed manual attempt leaves the status and next_attempt_at as they were");
        assert.equal(failedAttempts.length, 1);

        const succeeded = await deliveryWriter.retryDelivery(delivery.id);
        assert.equal(succeeded.status, "succeeded");
        assert.equal(succeeded.attempt_count, 2);
        assert.equal(succeeded.last_response_status, 200);
        assert.equal(succeeded.next_attempt_at, null);
        assert.deepEqual(succeeded.attempts[0], first);
        const second = succeeded.attempts[1];
        assert.deepEqual({ ...second, started_at: "", duration_ms: 0 }, { number: 2, trigger: "manual", started_at: "", duration_ms: 0, response_status: 200, response_body: "accepted", error: null });
        assert.equal(succeeded.last_attempt_at, second?.started_at);
        assert.deepEqual(await deliveryReader.getDelivery(delivery.id), succeeded, "the answer is the delivery as it is read afterwards");
    });

    test("retry: a read-only key is 403 FORBIDDEN, unknown and other organizations' deliveries 404 NOT_FOUND, and nothing is attempted", async () => {
        const { delivery, deliveryReader, deliveryWriter } = await pendingDelivery("Node retry refused", "/node/retry-refused");
        const stranger = await organizationWithEndpoint("Node retry stranger");
        const unknown = await envelopeError(deliveryWriter.retryDelivery(UNKNOWN_ID), 404, "NOT_FOUND");
        assert.equal(unknown.result.error.message, "not found");
        const readOnlyRetry = await envelopeError(deliveryReader.retryDelivery(delivery.id), 403, "FORBIDDEN");
        assert.equal(readOnlyRetry.result.error.message, "missing required scope");
        await envelopeError(stranger.deliveryWriter.retryDelivery(delivery.id), 404, "NOT_FOUND");
        assert.deepEqual((await deliveryReader.getDelivery(delivery.id)).attempts, []);
    });

    test("a 410 to a retry fails the delivery and the service deactivates the endpoint (in its history); retry and recover are then 409 CONFLICT; once reactivated, recover requeues it (202)", async () => {
        const { endpoint, delivery, writer, reader, deliveryWriter, deliveryReader } = await pendingDelivery("Node recover", "/node/gone");
        replies.set("/node/gone", [{ status: 410, body: "gone" }]);

        const gone = await deliveryWriter.retryDelivery(delivery.id);
        assert.equal(gone.status, "failed");
        assert.equal(gone.last_response_status, 410);
        assert.deepEqual(gone.attempts.map((attempt) => [attempt.trigger, attempt.response_status, attempt.response_body]), [["manual", 410, "gone"]]);
        const deactivated = (await reader.getWebhook(endpoint.id)).result;
        assert.equal(deactivated.active, false);
        const history = await reader.listWebhookHistory(endpoint.id);
        assert.deepEqual(history.data.map((entry) => entry.action), ["deactivated", "created"]);
        // WebhookEndpoint.ReceiverGoneReason
        assert.deepEqual({ ...history.data[0] }, {
            at: deactivated.updated_at,
            actor: { type: "system", reason: "the receiver answered 410 Gone" },
            action: "deactivated",
            changes: { active: { from: true, to: false } },
        });

        const retryConflict = await envelopeError(deliveryWriter.retryDelivery(delivery.id), 409, "CONFLICT");
        // ApiError.Conflict; RetryDeliveryCommand.InactiveEndpointMessage
        assert.equal(retryConflict.result.error.message, "the resource's current state does not allow this");
        assert.deepEqual({ ...retryConflict.result.error.details }, { endpoint: "is inactive or deleted; nothing would be sent" });
        const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
        const recoverConflict = await envelopeError(writer.recoverWebhookDeliveries(endpoint.id, { since: hourAgo }), 409, "CONFLICT");
        // RecoverWebhookDeliveriesCommand.InactiveEndpointMessage
        assert.deepEqual({ ...recoverConflict.result.error.details }, { endpoint: "is inactive; activate it first (requeued deliveries would only be canceled)" });
        assert.equal((await deliveryReader.getDelivery(delivery.id)).attempts.length, 1, "the refused retry attempted nothing");

        await writer.patchWebhook(endpoint.id, { active: true });
        const fifteenDaysAgo = new Date(Date.now() - 15 * 86_400_000).toISOString();
        const refused = await envelopeError(writer.recoverWebhookDeliveries(endpoint.id, { since: fifteenDaysAgo }), 400, "VALIDATION_FAILED");
        // RecoverWebhookDeliveriesCommand.TooOldMessage
        assert.deepEqual({ ...refused.result.error.details }, { since: "must be at most 14 days back" });
        const backwards = await envelopeError(writer.recoverWebhookDeliveries(endpoint.id, { since: hourAgo, until: new Date(Date.now() - 7_200_000).toISOString() }), 400, "VALIDATION_FAILED");
        // RecoverWebhookDeliveriesCommand.NotAfterSinceMessage
        assert.deepEqual({ ...backwards.result.error.details }, { until: "must be after since" });
        await envelopeError(reader.recoverWebhookDeliveries(endpoint.id, { since: hourAgo }), 403, "FORBIDDEN");
        await envelopeError(writer.recoverWebhookDeliveries(UNKNOWN_ID, { since: hourAgo }), 404, "NOT_FOUND");

        assert.deepEqual({ ...await writer.recoverWebhookDeliveries(endpoint.id, { since: hourAgo, until: null }) }, { requeued: 1 });
        const requeued = await deliveryReader.getDelivery(delivery.id);
        assert.equal(requeued.status, "pending");
        assert.match(requeued.next_attempt_at ?? "", RFC3339_UTC);
        assert.deepEqual(requeued.attempts, gone.attempts, "recover attempts nothing itself");
        assert.deepEqual({ ...await writer.recoverWebhookDeliveries(endpoint.id, { since: hourAgo }) }, { requeued: 0 }, "nothing failed since");
    });

    test("history: unknown and other organizations' endpoints are 404 NOT_FOUND; a bad cursor is 400 VALIDATION_FAILED naming it", async () => {
        const { endpoint, reader } = await organizationWithEndpoint("Node history errors");
        const stranger = await organizationWithEndpoint("Node history stranger");
        for (const call of [() => reader.listWebhookHistory(UNKNOWN_ID), () => stranger.reader.listWebhookHistory(endpoint.id)]) {
            const error = await envelopeError(call(), 404, "NOT_FOUND");
            assert.equal(error.result.error.message, "not found");
        }
        // (A limit out of 1..100 breaks the document's schema: Prism refuses it before the service sees it.)
        const refused = await envelopeError(reader.listWebhookHistory(endpoint.id, undefined, "not-a-cursor"), 400, "VALIDATION_FAILED");
        // ListPaging.InvalidCursorMessage
        assert.deepEqual({ ...refused.result.error.details }, { cursor: "is not a valid cursor" });
    });
});

describe("contract validation", () => {
    test("the validator is no pass-through: a response the document does not allow fails the call and is reported", async () => {
        // The committed document, less the `secret` property (objects allow no other properties).
        const document = JSON.parse(readFileSync(openApiDocument, "utf8")) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
        delete document.components.schemas["WebhookEndpointResponse"]?.properties["secret"];
        const folder = mkdtempSync(path.join(tmpdir(), "webhooks-broken-document-"));
        const broken = path.join(folder, "v1.json");
        writeFileSync(broken, JSON.stringify(document));
        const strict = await ContractValidator.start(service.baseUrl, broken);
        try {
            const error = await rejection(new WebhooksClient(strict.baseUrl, webhooksAuth).createWebhook({ url: "https://hooks.example.com/node/violation", events: ["wallet.balance_low"] }));
            assert.ok(error instanceof ApiException);
            assert.equal(error.status, 500);
            assert.match(String(error.headers["sl-violations"]), /secret/);
            assert.notDeepEqual(await strict.violations(5_000), [], strict.output);
        } finally {
            await strict.stop();
            rmSync(folder, { recursive: true, force: true });
        }
    });

    test("Prism saw no request or response that breaks the OpenAPI document", async () => {
        assert.match(prism.output, /Request received/);
        assert.deepEqual(await prism.violations(), []);
    });
});
