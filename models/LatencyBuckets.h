#pragma once

#include <QList>

namespace isobar {

// The latency histogram shared by the roll-ups and the Prometheus exposition: upper bounds in
// microseconds, plus one overflow bucket. 200 ms (the default objective) is a bound.
struct LatencyBuckets {
    static const QList<qint64> &upperBoundsUs();
    static int bucketOf(qint64 durationUs);
    // Adds `requests` to a histogram's `bucket`, giving an empty histogram its full size first;
    // a bucket out of range counts in the nearest one (a row from a store with other bounds).
    static void add(QList<qint64> &histogram, qint64 bucket, qint64 requests);
    // The q-quantile (0..1) of a histogram, interpolated inside its bucket, in microseconds.
    static double quantileUs(const QList<qint64> &counts, double q);
    // How many of the histogram's requests took longer than `thresholdUs` (interpolated).
    static double countAboveUs(const QList<qint64> &counts, qint64 thresholdUs);
};

} // namespace isobar
