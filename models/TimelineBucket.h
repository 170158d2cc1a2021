#pragma once

#include "StatusClass.h"

namespace isobar {

// One bucket (an hour or a day) of a stats timeline (RequestStats::timeline): its requests by
// status class and its latency percentiles, in milliseconds to 2 decimals.
struct TimelineBucket {
    qint64 startMs = 0; // the bucket's start, ms since the epoch
    qint64 requests = 0;
    StatusCounts statusCounts{};
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    bool operator==(const TimelineBucket &) const = default;
};

} // namespace isobar
