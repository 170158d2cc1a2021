#include "LatencyBuckets.h"

#include <algorithm>
#include <cmath>

namespace isobar {

const QList<qint64> &LatencyBuckets::upperBoundsUs()
{
    static const QList<qint64> bounds = {500,       1'000,     2'500,     5'000,     10'000,
                                         25'000,    50'000,    100'000,   200'000,   500'000,
                                         1'000'000, 2'500'000, 5'000'000, 10'000'000};
    return bounds;
}

int LatencyBuckets::bucketOf(qint64 durationUs)
{
    const QList<qint64> &bounds = upperBoundsUs();
    return int(std::lower_bound(bounds.begin(), bounds.end(), durationUs) - bounds.begin());
}

void LatencyBuckets::add(QList<qint64> &histogram, qint64 bucket, qint64 requests)
{
    if (histogram.isEmpty())
        histogram.resize(upperBoundsUs().size() + 1);
    histogram[std::clamp<qint64>(bucket, 0, histogram.size() - 1)] += requests;
}

double LatencyBuckets::quantileUs(const QList<qint64> &counts, double q)
{
    qint64 total = 0;
    for (qint64 count : counts)
        total += count;
    if (total == 0)
        return 0;
    const QList<qint64> &bounds = upperBoundsUs();
    const double rank = q * double(total);
    double seen = 0;
    for (int i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0)
            continue;
        if (seen + double(counts[i]) >= rank) {
            const double lower = i == 0 ? 0 : double(bounds[i - 1]);
            if (i >= bounds.size())
                return lower; // the overflow bucket has no upper bound to interpolate to
            return lower + (double(bounds[i]) - lower) * ((rank - seen) / double(counts[i]));
        }
        seen += double(counts[i]);
    }
    return double(bounds.constLast());
}

double LatencyBuckets::countAboveUs(const QList<qint64> &counts, qint64 thresholdUs)
{
    const QList<qint64> &bounds = upperBoundsUs();
    double above = 0;
    for (int i = 0; i < counts.size(); ++i) {
        const double lower = i == 0 ? 0 : double(bounds[i - 1]);
        const double upper = i < bounds.size() ? double(bounds[i]) : HUGE_VAL;
        if (lower >= double(thresholdUs))
            above += double(counts[i]);
        else if (upper > double(thresholdUs) && std::isfinite(upper))
            above += double(counts[i]) * (upper - double(thresholdUs)) / (upper - lower);
    }
    return above;
}

} // namespace isobar
