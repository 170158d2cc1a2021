#include "TrafficCounters.h"

#include "LatencyBuckets.h"
#include "PrometheusNames.h"
#include "PrometheusText.h"

using namespace Qt::StringLiterals;

namespace isobar {

void TrafficCounters::count(const QString &route, const QByteArray &method, int status,
                            qint64 durationUs)
{
    ++m_requests[{route, method}][status];
    Histogram &histogram = m_latency[route];
    if (histogram.buckets.isEmpty())
        histogram.buckets.resize(LatencyBuckets::upperBoundsUs().size() + 1);
    ++histogram.buckets[LatencyBuckets::bucketOf(durationUs)];
    ++histogram.count;
    histogram.sumSeconds += double(durationUs) / 1e6;
}

void TrafficCounters::writePrometheus(PrometheusText &out) const
{
    out.family(prometheus::kHttpRequests, "counter",
               "Requests answered, by route pattern, method and status.");
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        for (auto status = it->cbegin(); status != it->cend(); ++status) {
            out.sample(prometheus::kHttpRequests,
                       {{u"route"_s, it.key().first},
                        {u"method"_s, QString::fromLatin1(it.key().second)},
                        {u"status"_s, QString::number(status.key())}},
                       double(status.value()));
        }
    }
    const QByteArray name = prometheus::kHttpRequestDuration;
    const QByteArray bucket = name + "_bucket", sum = name + "_sum", count = name + "_count";
    out.family(name, "histogram", "Time from a complete request to its answer, by route pattern.");
    const QList<qint64> &bounds = LatencyBuckets::upperBoundsUs();
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QString &route = it.key();
        qint64 cumulative = 0;
        for (int i = 0; i < bounds.size(); ++i) {
            cumulative += it->buckets[i];
            out.sample(bucket,
                       {{u"route"_s, route}, {u"le"_s, QString::number(double(bounds[i]) / 1e6)}},
                       double(cumulative));
        }
        out.sample(bucket, {{u"route"_s, route}, {u"le"_s, u"+Inf"_s}}, double(it->count));
        out.sample(sum, {{u"route"_s, route}}, it->sumSeconds);
        out.sample(count, {{u"route"_s, route}}, double(it->count));
    }
}

} // namespace isobar
