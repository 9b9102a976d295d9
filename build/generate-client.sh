#!/usr/bin/env bash
# Generates the TypeScript client, clients/typescript/src/webhooksClient.ts, from the committed
# OpenAPI document, docs/openapi/v1.json, with NSwag's npm package (fetch template).
#
#   build/generate-client.sh           rewrite the committed client
#   build/generate-client.sh --check   generate into a temporary file; exit 1 if the committed client
#                                      differs (it is stale: run this script without --check, commit)
#
# The document itself is rewritten by a Debug build of src/Api (see docs/decisions/0007-openapi.md).
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENT_DIR="${ROOT}/clients/typescript"
DOCUMENT="${ROOT}/docs/openapi/v1.json"
CLIENT="${CLIENT_DIR}/src/webhooksClient.ts"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if [[ ! -x "${CLIENT_DIR}/node_modules/.bin/nswag" ]]; then
  (cd "${CLIENT_DIR}" && npm ci --no-audit --no-fund)
fi

output="${CLIENT}"
if [[ "${check}" -eq 1 ]]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "${scratch}"' EXIT
  output="${scratch}/webhooksClient.ts"
fi

# Options: one client class per tag (WebhooksClient, EventsClient, ClientsClient), methods named by operationId;
# DTOs as interfaces (a request body is sent as given, so an absent field stays absent and null stays
# null, which PATCH needs), null as null, timestamps as the strings the API sends; the operations that
# return an ETag, and the publications (for their Location), resolve to ApiResponse<T> (status, headers, result); and every declared error is
# thrown as an ApiException whose `result` is the error body (ErrorEnvelope or ProblemDetails).
log="$(mktemp)"
if ! "${CLIENT_DIR}/node_modules/.bin/nswag" openapi2tsclient /runtime:Net100 \
    "/input:${DOCUMENT}" "/output:${output}" \
    /template:Fetch \
    /typeScriptVersion:5.0 \
    /operationGenerationMode:MultipleClientsFromFirstTagAndOperationId \
    "/className:{controller}Client" \
    /typeStyle:Interface \
    /nullValue:Null \
    /dateTimeType:string \
    /enumStyle:StringLiteral \
    /markOptionalProperties:true \
    /generateOptionalParameters:true \
    /wrapDtoExceptions:true \
    /wrapResponses:true \
    "/wrapResponseMethods:WebhooksClient.createWebhook,WebhooksClient.getWebhook,WebhooksClient.patchWebhook,WebhooksClient.rotateWebhookSecret,EventsClient.publishEvent,EventsClient.publishClientEvent" \
    /responseClass:ApiResponse \
    /newLineBehavior:LF >"${log}" 2>&1; then
  cat "${log}" >&2
  rm -f "${log}"
  exit 1
fi
rm -f "${log}"

if [[ "${check}" -eq 1 ]]; then
  if ! diff -u "${CLIENT}" "${output}" >"${scratch}/diff"; then
    echo "clients/typescript/src/webhooksClient.ts is stale (it differs from what docs/openapi/v1.json generates):" >&2
    head -n 40 "${scratch}/diff" >&2
    echo "Run build/generate-client.sh and commit the result." >&2
    exit 1
  fi
  echo "clients/typescript/src/webhooksClient.ts is up to date with docs/openapi/v1.json"
else
  echo "wrote ${CLIENT#"${ROOT}/"}"
fi
