// The public face of the generated client: the NSwag-generated classes and types, plus the few
// hand-written helpers a caller needs (authentication, typed errors). Nothing here talks HTTP itself.
import { ApiException, type ErrorEnvelope, type ProblemDetails } from "./webhooksClient.js";

export * from "./webhooksClient.js";

/** What the generated clients need from `fetch`. */
export interface FetchLike {
    fetch(url: RequestInfo, init?: RequestInit): Promise<Response>;
}

/** `fetch` with an `Authorization` header added to every request. */
export function withAuthorization(authorization: string, inner: typeof fetch = globalThis.fetch.bind(globalThis)): FetchLike {
    return {
        fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
            const headers = new Headers(init?.headers);
            headers.set("Authorization", authorization);
            return inner(url, { ...init, headers });
        },
    };
}

/** Webhooks API v1: `Authorization: Bearer am_live_...`. */
export function bearer(apiKey: string, inner?: typeof fetch): FetchLike {
    return withAuthorization(`Bearer ${apiKey}`, inner);
}

/** Clients API: HTTP Basic with `client_id` and `client_secret`. */
export function basic(clientId: string, clientSecret: string, inner?: typeof fetch): FetchLike {
    const credentials = btoa(String.fromCodePoint(...new TextEncoder().encode(`${clientId}:${clientSecret}`)));
    return withAuthorization(`Basic ${credentials}`, inner);
}

/** An error of the Webhooks API v1: an `ApiException` whose `result` is the `{"success": false, "error": {...}}` envelope. */
export type EnvelopeException = ApiException & { result: ErrorEnvelope };

/** An error of the Clients API: an `ApiException` whose `result` is the RFC 7807 problem details. */
export type ProblemException = ApiException & { result: ProblemDetails };

/** Whether an error is an `ApiException` of the Webhooks API v1, carrying the `{"success": false, "error": {...}}` envelope. */
export function isEnvelopeException(error: unknown): error is EnvelopeException {
    if (!(error instanceof ApiException) || !isObject(error.result)) {
        return false;
    }
    const body = error.result;
    return body["success"] === false && isObject(body["error"])
        && typeof body["error"]["code"] === "string"
        && typeof body["error"]["message"] === "string"
        && typeof body["error"]["request_id"] === "string";
}

/** Whether an error is an `ApiException` of the Clients API, carrying RFC 7807 problem details. */
export function isProblemException(error: unknown): error is ProblemException {
    if (!(error instanceof ApiException) || !isObject(error.result)) {
        return false;
    }
    const body = error.result;
    return typeof body["type"] === "string" && typeof body["title"] === "string"
        && typeof body["status"] === "number" && typeof body["detail"] === "string"
        && typeof body["request_id"] === "string";
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
