-- wrk script: GET one fixed path, optionally with a bearer token. Used by ../wrk-vs-nginx.sh.
--   BENCH_PATH   the path
--   BENCH_TOKEN  bearer token (empty: no Authorization header)
-- No response() hook (it would make wrk copy every 16 KiB body into Lua): wrk itself counts
-- statuses >= 400 (non2xx below) and the bytes read, so a wrong answer shows as an error count or
-- as bytes_per_resp far from the body size plus headers. Prints one RESULT line from done().
local path = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_TOKEN") or ""

-- no request() function either: wrk then builds the request once and resends the same bytes
wrk.method = "GET"
wrk.path = path
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " s201=- other2xx=- non2xx=%d socket_errors=%d bytes_per_resp=%.0f\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and summary.bytes / summary.requests or 0))
end
