// The partner front end in a real browser (Debian's Chromium, driven by playwright-core): served from
// its own origin, it lists the organization's endpoints with an API key typed into the page, edits
// one, and shows the API's validation error for an http:// URL. The stored state is then checked
// through the generated client (behind Prism, like every other API call of the Node tests).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { WebhooksClient, bearer, type WebhookEndpointResponse } from "../src/index.js";
import { ContractValidator, FrontEnd, Service, createOrganization, repoRoot } from "./support/harness.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend.png");
const VALIDATION_SCREENSHOT = path.join(repoRoot, "artifacts", "partner-frontend-validation-error.png");

let service: Service;
let prism: ContractValidator;
let frontEnd: FrontEnd;
let browser: BrowserContext;
let userDataDir: string;
let page: Page;
let writeKey: string;
let webhooks: WebhooksClient;
let target: WebhookEndpointResponse;
let other: WebhookEndpointResponse;
const pageErrors: string[] = [];

before(async () => {
    frontEnd = await FrontEnd.start();
    service = await Service.start({ corsOrigins: [frontEnd.origin] });
    prism = await ContractValidator.start(service.baseUrl);
    writeKey = (await createOrganization(service, "Partner front end")).writeKey;
    webhooks = new WebhooksClient(prism.baseUrl, bearer(writeKey));
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
    await frontEnd?.stop();
});

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

test("Prism saw no request or response that breaks the OpenAPI document", async () => {
    assert.deepEqual(await prism.violations(), []);
});
