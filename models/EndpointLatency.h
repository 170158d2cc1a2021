#pragma once

#include <QString>

namespace isobar {

// One endpoint (method and route) of a stats summary: its requests, and its latency against the
// response-time objective. Milliseconds to 2 decimals and ratios to 4, as the stats API gives
// them: the histogram they come from is no finer.
struct EndpointLatency {
    QString method;
    QString endpoint; // the route pattern, e.g. /api/v1/weather/<kind>
    qint64 requests = 0;
    qint64 errors = 0; // 4xx and 5xx
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    double overObjectiveRatio = 0; // share of the route's requests slower than the objective
    bool meetsObjective = true;    // the route's p95 is within the objective
    bool operator==(const EndpointLatency &) const = default;
};

} // namespace isobar
