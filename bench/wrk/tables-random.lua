-- POST tables/v4 for one random series and one random year per request, so every request
-- reaches the store (run against a server started with --response-cache-entries 0).
local shape = dofile(os.getenv("BENCH_WRK_DIR") .. "/store-shape.lua")

function init(args)
    -- Each wrk thread has its own Lua state; the table address tells them apart.
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003))
end

function request()
    local topic, metric, geography = shape.pick()
    local body = shape.tableBody(topic, metric, geography,
                                 math.random(shape.firstYear, shape.lastYear))
    -- nil path: the path of the URL given to wrk (/api/tables/v4).
    return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
