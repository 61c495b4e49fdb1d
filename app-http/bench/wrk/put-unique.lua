-- wrk script: PUT a fixed body to a new path on every request, so that every request is a
-- create (DocsGen and nginx WebDAV answer 201, S3 (s3proxy) 200). Used by ../wrk-vs-nginx.sh.
--   BENCH_PREFIX  path prefix; "t<thread>-<n>.bin" is appended (unique across wrk's threads:
--                 each thread numbers its own requests; the caller picks a prefix not used before)
--   BENCH_BYTES   body size (default 16384)
--   BENCH_TOKEN   bearer token (empty: no Authorization header)
--   BENCH_TYPE    X-Artifact-Type header (default OTHER; nginx and s3proxy ignore it)
--   BENCH_CREATED the status the server answers a create with (default 201; S3: 200)
-- Counts the answers by status (BENCH_CREATED / other 2xx / non-2xx) in response() and prints
-- one RESULT line from done() (s201= holds the BENCH_CREATED count).
local prefix = os.getenv("BENCH_PREFIX") or "/put/"
local size = tonumber(os.getenv("BENCH_BYTES") or "16384")
local token = os.getenv("BENCH_TOKEN") or ""
local artifact_type = os.getenv("BENCH_TYPE") or "OTHER"
local created_status = tonumber(os.getenv("BENCH_CREATED") or "201")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

local counter = 0
-- globals, not locals: done() reads them from each thread with thread:get()
created, other2xx, non2xx = 0, 0, 0
local headers = {}
local body

function init(args)
  headers["Content-Type"] = "application/octet-stream"
  headers["X-Artifact-Type"] = artifact_type
  if token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  -- a deterministic, non-repeating-looking body; the same bytes on every request
  local bytes = {}
  for i = 1, size do
    bytes[i] = string.char((i * 131 + 7) % 256)
  end
  body = table.concat(bytes)
end

function request()
  counter = counter + 1
  return wrk.format("PUT", prefix .. "t" .. thread_id .. "-" .. counter .. ".bin", headers, body)
end

function response(status, resp_headers, resp_body)
  if status == created_status then
    created = created + 1
  elseif status >= 200 and status < 300 then
    other2xx = other2xx + 1
  else
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local c, o, n = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other2xx")
    n = n + t:get("non2xx")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " s201=%d other2xx=%d non2xx=%d socket_errors=%d bytes_per_resp=%.0f\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    c, o, n, e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and summary.bytes / summary.requests or 0))
end
