#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace isobar {

class PrometheusText;

// Process-lifetime request counters and latency histograms, as Prometheus wants them
// (monotonic since start, by route/method/status). Event-loop thread only.
class TrafficCounters
{
public:
    void count(const QString &route, const QByteArray &method, int status, qint64 durationUs);
    void writePrometheus(PrometheusText &out) const;

private:
    struct Histogram {
        QList<qint64> buckets; // per LatencyBuckets bound, plus overflow
        qint64 count = 0;
        double sumSeconds = 0;
    };
    QHash<std::pair<QString, QByteArray>, QHash<int, qint64>> m_requests;
    QHash<QString, Histogram> m_latency;
};

} // namespace isobar
