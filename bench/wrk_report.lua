-- wrk script of the bench: optionally a different client address per request (so that a
-- per-address throttle sees many visitors), and the figures as one JSON line at the end.
local random_client = os.getenv("BENCH_RANDOM_CLIENT") == "1"

request = function()
  if random_client then
    wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
                                                   math.random(0, 255), math.random(1, 254))
  end
  return wrk.format(nil)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
