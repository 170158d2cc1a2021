-- The soak's mixed traffic (run-soak.sh): every request is drawn from the weighted list of kinds
-- below, each with the statuses it may answer, and every answer is checked against its kind's.
--
-- wrk does not tell response() which request an answer belongs to, so each request names its
-- kind in an Origin header and the server (started with --cors-origins '*') echoes it in
-- Access-Control-Allow-Origin. An answer without the echo (one the connection layer wrote
-- before routing) cannot be attributed and counts as unexpected.
--
-- Read from the environment: SOAK_CITIES (bench/data/cities-300.csv), SOAK_SERIES and
-- SOAK_HEADLINES (tab-separated lists the driver takes from the store: see run-soak.sh).

local function lines(path)
    local file = assert(io.open(path), "cannot read " .. path)
    local rows = {}
    for line in file:lines() do
        local fields = {}
        for field in (line .. "\t"):gmatch("([^\t]*)\t") do table.insert(fields, field) end
        table.insert(rows, fields)
    end
    file:close()
    return rows
end

-- Four positions per city, 3 km apart so each is its own 1 km cell, the same in every thread
-- and replica: 1,200 cells, all missed once early in the run and hit from then on.
local positions = {}
for _, line in ipairs(lines(os.getenv("SOAK_CITIES"))) do
    -- city,country_iso2,lat,lon,population,timezone; a city's name may hold a comma.
    local lat, lon = line[1]:match(",([^,]+),([^,]+),[^,]*,[^,]*$")
    lat, lon = tonumber(lat), tonumber(lon)
    if lat and lon then
        local perDegreeLon = 111.32 * math.cos(math.rad(lat))
        for _, step in ipairs({{0, 0}, {3, 0}, {0, 3}, {-3, -3}}) do
            table.insert(positions, {lat = lat + step[1] / 110.57, lon = lon + step[2] / perDegreeLon})
        end
    end
end
-- theme, sub_theme, topic, metric, geography_type, geography, stratum, age, sex, first, last
local series = lines(os.getenv("SOAK_SERIES"))
-- topic, metric, geography_type, geography, stratum, age, sex
local headlines = lines(os.getenv("SOAK_HEADLINES"))
assert(#positions > 0 and #series > 0 and #headlines > 0, "empty positions or series")

local function escape(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local function pick(list) return list[math.random(#list)] end
local function position()
    local p = pick(positions)
    return string.format("%.5f", p.lat), string.format("%.5f", p.lon)
end
local function query(...) -- name, value, name, value...: "?a=1&b=2", values escaped
    local args, parts = {...}, {}
    for i = 1, #args, 2 do table.insert(parts, args[i] .. "=" .. escape(args[i + 1])) end
    return "?" .. table.concat(parts, "&")
end
local function plot(s, extra)
    return string.format('{"topic":"%s","metric":"%s","geography_type":"%s","geography":"%s",'
        .. '"stratum":"%s","age":"%s","sex":"%s","date_from":"%s","date_to":"%s"%s}',
        s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], extra or "")
end
local json = {["Content-Type"] = "application/json"}

-- weight: requests in 100; expect: the statuses this kind may answer; make(): method, path,
-- headers, body. The distinct requests of every kind are few enough (1,200 positions, a few
-- hundred series in a few shapes) that caches are full by the end of the warm-up: memory
-- that grows after it is not a cache filling.
local kinds = {
    {name = "prcpt", weight = 30, expect = {200}, make = function()
        local lat, lon = position()
        return "GET", "/prcpt" .. query("lt", lat, "lg", lon)
    end},
    {name = "weather-current", weight = 18, expect = {200}, make = function()
        local lat, lon = position()
        return "GET", "/api/v1/weather/current" .. query("lat", lat, "lon", lon, "units", "metric")
    end},
    {name = "forecast-hourly", weight = 3, expect = {200}, make = function()
        local lat, lon = position()
        return "GET", "/api/v1/weather/forecast/hourly" .. query("lat", lat, "lon", lon, "hours", "12")
    end},
    {name = "forecast-daily", weight = 2, expect = {200}, make = function()
        local lat, lon = position()
        return "GET", "/api/v1/weather/forecast/daily" .. query("lat", lat, "lon", lon, "days", "5")
    end},
    {name = "timeseries", weight = 14, expect = {200}, make = function()
        local s = pick(series)
        return "GET", "/api/public/timeseries/themes/" .. escape(s[1]) .. "/sub_themes/"
            .. escape(s[2]) .. "/topics/" .. escape(s[3]) .. "/geography_types/" .. escape(s[5])
            .. "/geographies/" .. escape(s[6]) .. "/metrics/" .. escape(s[4])
            .. query("page_size", pick({"5", "30", "365"}))
    end},
    {name = "tables", weight = 6, expect = {200}, make = function()
        return "POST", "/api/tables/v4", json, '{"plots":[' .. plot(pick(series)) .. '],"x_axis":"date"}'
    end},
    {name = "headline", weight = 3, expect = {200}, make = function()
        local h = pick(headlines)
        return "GET", "/api/headlines/v3" .. query("topic", h[1], "metric", h[2],
            "geography_type", h[3], "geography", h[4], "stratum", h[5], "age", h[6], "sex", h[7])
    end},
    {name = "catalogue", weight = 1, expect = {200}, make = function()
        return "GET", "/api/v1/catalogue"
    end},
    -- 503 with Retry-After: the render queue is full, a refusal the server means to give.
    {name = "chart", weight = 3, expect = {200}, refusal = 503, make = function()
        return "POST", "/api/charts/v2", json, string.format(
            '{"file_format":"png","chart_width":%d,"chart_height":220,"plots":[%s]}',
            pick({400, 515, 600}), plot(pick(series),
                ',"chart_type":"' .. pick({"simple_line", "line_with_shaded_section"}) .. '"'))
    end},
    {name = "stats", weight = 6, expect = {200}, make = function()
        return "GET", pick({"/api/v1/stats/summary?from=now-1h",
                            "/api/v1/stats/timeline?from=now-1h&bucket=hour",
                            "/api/v1/stats/geography?from=now-1h&limit=100",
                            "/api/v1/stats/users?from=now-1h"})
    end},
    {name = "ops", weight = 4, expect = {200}, make = function()
        return "GET", pick({"/health", "/readyz", "/livez", "/metrics"})
    end},
    {name = "bad-coordinates", weight = 5, expect = {400}, make = function()
        return "GET", pick({"/prcpt?lt=91.5&lg=2.35", "/prcpt?lt=48.85&lg=east",
                            "/api/v1/weather/current?lat=abc&lon=1",
                            "/api/v1/weather/current?lat=10&lon=-181"})
    end},
    {name = "unknown-path", weight = 3, expect = {404}, make = function()
        return "GET", "/api/v1/no-such-route/" .. math.random(1000)
    end},
    {name = "bad-body", weight = 2, expect = {400}, make = function()
        return "POST", "/api/tables/v4", json, '{"plots":['
    end},
}

local byName = {}
for _, kind in ipairs(kinds) do
    byName[kind.name] = kind
    kind.origin = "http://" .. kind.name .. ".soak"
    kind.expected = {}
    for _, status in ipairs(kind.expect) do kind.expected[status] = true end
end

-- Per thread (each has its own Lua state): the kinds in a shuffled cycle of 100 slots, each
-- kind as many slots as its weight, and what was answered.
local cycle, slot = {}, 1
-- "kind field" -> n, fields: requests, c2xx .. c5xx, refused, unexpected. Flat, since wrk's
-- thread:get() crashes copying nested tables.
counts = {}
examples = {} -- the first few unexpected answers: "kind status body..."

function init(args)
    -- The table address tells the threads apart.
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003))
    for _, kind in ipairs(kinds) do
        for _ = 1, kind.weight do table.insert(cycle, kind) end
    end
    for i = #cycle, 2, -1 do
        local j = math.random(i)
        cycle[i], cycle[j] = cycle[j], cycle[i]
    end
end

function request()
    local kind = cycle[slot]
    slot = slot % #cycle + 1
    local method, path, headers, body = kind.make()
    local all = {Origin = kind.origin}
    for name, value in pairs(headers or {}) do all[name] = value end
    return wrk.format(method, path, all, body)
end

local function count(name, field)
    local key = name .. " " .. field
    counts[key] = (counts[key] or 0) + 1
end

function response(status, headers, body)
    local origin = headers["Access-Control-Allow-Origin"] or headers["access-control-allow-origin"]
    local kind = origin and byName[origin:match("^http://(.-)%.soak$") or ""]
    local name = kind and kind.name or "unattributed"
    count(name, "requests")
    if status >= 200 and status < 600 then count(name, "c" .. math.floor(status / 100) .. "xx") end
    local retryAfter = headers["Retry-After"] or headers["retry-after"]
    if kind and kind.expected[status] then return end
    if kind and status == kind.refusal and retryAfter then
        count(name, "refused")
        return
    end
    count(name, "unexpected")
    if #examples < 5 then
        table.insert(examples, name .. " " .. status .. " " .. (body or ""):sub(1, 200):gsub("%s+", " "))
    end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function done(summary, latency, requests)
    local total, order = {}, {}
    for _, kind in ipairs(kinds) do table.insert(order, kind.name) end
    table.insert(order, "unattributed")
    local shown = {}
    for _, thread in ipairs(threads) do
        for key, n in pairs(thread:get("counts")) do
            local name, field = key:match("^(%S+) (%S+)$")
            total[name] = total[name] or {}
            total[name][field] = (total[name][field] or 0) + n
        end
        for _, example in ipairs(thread:get("examples")) do
            if #shown < 5 then table.insert(shown, example) end
        end
    end
    local fields = {"requests", "c2xx", "c3xx", "c4xx", "c5xx", "refused", "unexpected"}
    io.write(string.format("%-16s %9s %9s %6s %9s %6s %8s %10s\n", "kind", "answers", "2xx", "3xx",
        "4xx", "5xx", "refused", "unexpected"))
    local sum = {}
    for _, name in ipairs(order) do
        local t = total[name]
        if t then
            local row = {}
            for i, field in ipairs(fields) do
                row[i] = t[field] or 0
                sum[i] = (sum[i] or 0) + row[i]
            end
            io.write(string.format("%-16s %9d %9d %6d %9d %6d %8d %10d\n", name, unpack(row)))
        end
    end
    io.write(string.format("%-16s %9d %9d %6d %9d %6d %8d %10d\n", "all", unpack(sum)))
    for _, example in ipairs(shown) do io.write("unexpected: " .. example .. "\n") end
    local e = summary.errors
    -- Read by run-soak.sh: its verdicts.
    io.write(string.format("soak-unexpected %d\n", sum[7] or 0))
    io.write(string.format("soak-refused %d\n", sum[6] or 0))
    io.write(string.format("soak-socket-errors %d (connect %d, read %d, write %d, timeout %d)\n",
        e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
    io.write(string.format("soak-p99-ms %.2f\n", latency:percentile(99) / 1000))
end
