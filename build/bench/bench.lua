-- wrk script for build/bench/run.sh.  wrk ... -s bench.lua URL -- MODE IDS_FILE AUTHORIZATION
--   MODE: get | patch (rotating endpoint ids, PATCH bodies that always change the description)
--         client (PATCH /clients/webhook-url) | list (GET /v1/webhooks?limit=20) | floor (GET path as is)
--         event (POST /v1/events, wallet.balance_low with a fresh wallet id in each body)
--         read | write (the plain Microsoft.Data.Sqlite baseline: GET /read/{id}, PATCH /write/{id})
-- done() prints one line "BENCH {json}" that run.sh reads.
local mode, authorization, nonce
local ids = {}
local n, counter = 0, 0

-- A value of this run's own, in every PATCH body: Lua's math.random is not seeded, so without it every
-- run would send the same (id, description) sequence as the run before, and a PATCH that changes
-- nothing writes nothing (the service skips no-op updates): the PATCH figures would measure no writes.
local function run_nonce()
  local f = assert(io.open("/dev/urandom", "rb"))
  local bytes = f:read(6)
  f:close()
  return (bytes:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function init(args)
  mode = args[1]
  if args[2] and args[2] ~= "-" then
    for line in io.lines(args[2]) do
      if #line > 0 then n = n + 1; ids[n] = line end
    end
  end
  authorization = args[3]
  nonce = run_nonce()
  counter = tonumber(nonce:sub(1, 5), 16)
end

local function next_id()
  counter = counter + 1
  return ids[(counter % n) + 1]
end

function request()
  local headers = {}
  if authorization and authorization ~= "-" then headers["Authorization"] = authorization end
  if mode == "get" then
    return wrk.format("GET", "/v1/webhooks/" .. next_id(), headers)
  elseif mode == "patch" then
    headers["Content-Type"] = "application/json"
    local id = next_id()
    return wrk.format("PATCH", "/v1/webhooks/" .. id, headers, '{"description":"bench ' .. nonce .. ' ' .. counter .. '"}')
  elseif mode == "client" then
    counter = counter + 1
    headers["Content-Type"] = "application/json"
    return wrk.format("PATCH", "/clients/webhook-url", headers, '{"webhook_url":"https://hooks.example.com/bench/' .. nonce .. '/' .. counter .. '"}')
  elseif mode == "event" then
    counter = counter + 1
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", wrk.path, headers,
      '{"type":"wallet.balance_low","data":{"wallet_id":"w_' .. nonce .. '_' .. counter .. '","balance":"4.20","currency":"EUR"}}')
  elseif mode == "list" then
    return wrk.format("GET", "/v1/webhooks?limit=20", headers)
  elseif mode == "read" then
    return wrk.format("GET", "/read/" .. next_id(), headers)
  elseif mode == "write" then
    headers["Content-Type"] = "application/json"
    local id = next_id()
    return wrk.format("PATCH", "/write/" .. id, headers, '{"description":"bench ' .. nonce .. ' ' .. counter .. '"}')
  end
  return wrk.format("GET", wrk.path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors_status":%d,"errors_socket":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
