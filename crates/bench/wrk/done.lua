-- Appended to every wrk script the harness uses: prints one machine-readable
-- line that `tribune-bench wrk` parses. `ok` counts 201 responses when the
-- script counts them (the POST scripts), and is -1 otherwise; `held` counts
-- the 201s that moderation held (the varied POST script; 0 otherwise).
function done(summary, latency, requests)
  local ok, held = -1, 0
  if threads ~= nil then
    ok = 0
    for _, t in ipairs(threads) do
      ok = ok + (t:get("created") or 0)
      held = held + (t:get("held") or 0)
    end
  end
  local e = summary.errors
  io.write(string.format(
    '@@TRIBUNE_BENCH {"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"ok":%.0f,"held":%.0f,' ..
    '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},' ..
    '"latency_us":{"mean":%.1f,"p50":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f}}\n',
    summary.requests, summary.duration, summary.bytes, ok, held,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
