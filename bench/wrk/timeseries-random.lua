-- GET one random series for one random year per request: every request reaches the store
-- (run against a server started with --response-cache-entries 0).
local shape = dofile(os.getenv("BENCH_WRK_DIR") .. "/store-shape.lua")

function init(args)
    -- Each wrk thread has its own Lua state; the table address tells them apart.
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003))
end

function request()
    local topic, metric, geography = shape.pick()
    return wrk.format("GET", shape.timeseriesPath(topic, metric, geography,
                                                   math.random(shape.firstYear, shape.lastYear)))
end
