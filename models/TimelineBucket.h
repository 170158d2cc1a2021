#pragma once

#include "Durations.h"
#include "StatusClass.h"

#include <QList>
#include <QStringView>

namespace isobar {

// One bucket (a minute, an hour or a day) of a stats timeline (RequestStats::timeline): its
// requests by status class and its latency percentiles, in milliseconds to 2 decimals.
struct TimelineBucket {
    qint64 startMs = 0; // the bucket's start, ms since the epoch
    qint64 requests = 0;
    StatusCounts statusCounts{};
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    bool operator==(const TimelineBucket &) const = default;
};

// A timeline as the stats API answers it: the buckets, their width, and the range they cover
// (whole buckets: what a chart of "the last 15 minutes" really shows).
struct Timeline {
    QList<TimelineBucket> buckets;
    qint64 bucketMs = kHourMs;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    bool operator==(const Timeline &) const = default;
};

// A bucket width as the stats API names it ("minute", "hour", "day"); 0 for any other name.
inline qint64 timelineBucketMs(QStringView name)
{
    return name == u"minute" ? kMinuteMs : name == u"hour" ? kHourMs : name == u"day" ? kDayMs : 0;
}

} // namespace isobar
