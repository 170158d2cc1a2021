-- A well-behaved client at a modest rate: each connection waits PACE_MS (run-hostile.sh sets
-- it) before each request. wrk starts a request's latency when it is written, so the wait is
-- not counted in it.
local pace = tonumber(os.getenv("PACE_MS") or "20")
function delay()
    return pace
end
