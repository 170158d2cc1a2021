-- The names bench_generate_store writes (20 metrics x 100 geographies), so request scripts
-- can pick any of its 2,000 series. Loaded with dofile() by the scripts beside it.
local shape = {}

shape.topics = {
    {name = "COVID-19", metrics = {"COVID-19_cases_casesByDay", "COVID-19_cases_rateRollingMean",
        "COVID-19_deaths_ONSByDay", "COVID-19_healthcare_admissionByDay", "COVID-19_testing_PCRcountByDay"}},
    {name = "Influenza", metrics = {"influenza_healthcare_admissionRateByDay",
        "influenza_healthcare_ICUHDUadmissionRateByDay", "influenza_testing_positivityByDay",
        "influenza_cases_countByDay", "influenza_deaths_countByDay"}},
    {name = "RSV", metrics = {"RSV_healthcare_admissionRateByDay", "RSV_testing_positivityByDay",
        "RSV_cases_countByDay", "RSV_deaths_countByDay", "RSV_healthcare_occupiedBedsByDay"}},
    {name = "hMPV", metrics = {"hMPV_testing_positivityByDay", "hMPV_cases_countByDay",
        "hMPV_healthcare_admissionByDay", "hMPV_deaths_countByDay", "hMPV_healthcare_occupiedBedsByDay"}},
}

shape.geographies = {{type = "Nation", name = "England"}}
for _, region in ipairs({"East Midlands", "East of England", "London", "North East", "North West",
                         "South East", "South West", "West Midlands", "Yorkshire and Humber"}) do
    table.insert(shape.geographies, {type = "UKHSA Region", name = region})
end
for i = 1, 90 do
    table.insert(shape.geographies,
                 {type = "Upper Tier Local Authority", name = string.format("Authority %03d", i)})
end

-- Years fully inside the generated range (2011-04 .. 2024-12 by default).
shape.firstYear, shape.lastYear = 2012, 2024

function shape.escape(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- A random series: topic name, metric name, geography {type, name}.
function shape.pick()
    local topic = shape.topics[math.random(#shape.topics)]
    local metric = topic.metrics[math.random(#topic.metrics)]
    local geography = shape.geographies[math.random(#shape.geographies)]
    return topic.name, metric, geography
end

function shape.timeseriesPath(topic, metric, geography, year)
    return "/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/"
        .. shape.escape(topic) .. "/geography_types/" .. shape.escape(geography.type)
        .. "/geographies/" .. shape.escape(geography.name) .. "/metrics/" .. shape.escape(metric)
        .. "?year=" .. year .. "&page_size=365"
end

function shape.tableBody(topic, metric, geography, year)
    return string.format('{"plots": [{"topic": "%s", "metric": "%s", "geography": "%s",'
        .. ' "geography_type": "%s", "date_from": "%d-01-01", "date_to": "%d-12-31"}],'
        .. ' "x_axis": "date"}', topic, metric, geography.name, geography.type, year, year)
end

return shape
