-- wrk script of `make bench-http`: rotates over the request paths listed in a file (one per
-- line), sends the bearer token when one is given, and prints the figures as one JSON line.
--   wrk -t2 -c8 -d20s -s bench/wrk.lua http://127.0.0.1:8701 -- <paths file> [<token>]

local paths = {}
local counter = 0
local token = nil
local threads = 0

function setup(thread)
  -- Each thread starts at its own place in the list, so threads do not move in lockstep.
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  token = args[2]
  counter = (offset or 0) % #paths
end

function request()
  counter = counter % #paths + 1
  local headers = {}
  if token ~= nil and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  return wrk.format("GET", paths[counter], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
