// Real deliveries, verified by the receivers' own library: npm `standardwebhooks` (1.1.1), not ours.
//
// How: the .NET delivery tests (tests/Webhooks.Api.Tests/Deliveries) run the real service with its
// worker on against a real HTTPS receiver, and keep what the receiver got — the three webhook-*
// headers and the raw body bytes — with the endpoint's or client's signing secret, in
// artifacts/captured-deliveries/*.json. build/test.sh empties that folder, runs the .NET tests, then
// these. Capturing in .NET keeps one receiver (with its certificate authority and trust set-up) for
// every delivery test, instead of a second HTTPS server, certificate and CA set-up in Node.
//
// The library refuses a timestamp more than five minutes from its clock; the captures were made
// earlier in the same run, so the clock is set to the second each was sent. The tampered cases show
// that the check can fail.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { mock, test } from "node:test";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { repoRoot } from "./support/harness.js";

interface CapturedDelivery {
    secret: string;
    headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
    body_base64: string;
}

const CAPTURES = path.join(repoRoot, "artifacts", "captured-deliveries");

function capture(name: string): CapturedDelivery {
    const file = path.join(CAPTURES, `${name}.json`);
    assert.ok(existsSync(file), `${file} is missing: run the .NET delivery tests first (build/test.sh does)`);
    return JSON.parse(readFileSync(file, "utf8")) as CapturedDelivery;
}

/** Verifies as a receiver would, at the moment the delivery was sent; returns what verify() returned. */
function verifyAtSendTime(delivery: CapturedDelivery, body: string, headers: Record<string, string> = delivery.headers, secret = delivery.secret): unknown {
    mock.timers.enable({ apis: ["Date"], now: Number(delivery.headers["webhook-timestamp"]) * 1000 });
    try {
        return new Webhook(secret).verify(body, headers);
    } finally {
        mock.timers.reset();
    }
}

for (const [name, keys] of [
    ["endpoint", ["id", "type", "api_version", "created_at", "data"]],
    ["client", ["id", "type", "created_at", "data"]],
] as const) {
    test(`a real ${name} delivery verifies with standardwebhooks, and a tampered one does not`, () => {
        const delivery = capture(name);
        const body = Buffer.from(delivery.body_base64, "base64").toString("utf8");

        const payload = verifyAtSendTime(delivery, body) as Record<string, unknown>;
        assert.deepEqual(payload, JSON.parse(body));
        assert.deepEqual(Object.keys(payload), [...keys]);
        assert.equal(payload["id"], delivery.headers["webhook-id"]);

        assert.throws(() => verifyAtSendTime(delivery, body.replace(/}$/, " }")), WebhookVerificationError, "a changed body");
        assert.throws(
            () => verifyAtSendTime(delivery, body, { ...delivery.headers, "webhook-id": `${delivery.headers["webhook-id"]}x` }),
            WebhookVerificationError,
            "another message id",
        );
        assert.throws(
            () => verifyAtSendTime(delivery, body, delivery.headers, `whsec_${Buffer.alloc(32, 7).toString("base64")}`),
            WebhookVerificationError,
            "another secret",
        );
    });
}

test("during a rotation's grace, each secret alone verifies the same delivery, and a third does not", () => {
    const signedByNew = capture("endpoint-rotated-new-secret");
    const signedByOld = capture("endpoint-rotated-old-secret");
    assert.deepEqual(signedByOld.headers, signedByNew.headers, "one delivery, kept with each secret");
    assert.notEqual(signedByOld.secret, signedByNew.secret);
    assert.equal(signedByNew.headers["webhook-signature"].split(" ").length, 2, "two v1 entries");
    const body = Buffer.from(signedByNew.body_base64, "base64").toString("utf8");

    for (const delivery of [signedByNew, signedByOld]) {
        const payload = verifyAtSendTime(delivery, body) as Record<string, unknown>;
        assert.equal(payload["id"], delivery.headers["webhook-id"]);
    }

    assert.throws(
        () => verifyAtSendTime(signedByNew, body, signedByNew.headers, `whsec_${Buffer.alloc(32, 9).toString("base64")}`),
        WebhookVerificationError,
        "a secret that signed neither entry",
    );
});
