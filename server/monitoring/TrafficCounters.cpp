#include "TrafficCounters.h"

#include "RequestLog.h"

#include <cmath>

namespace isobar {

namespace {

QString escapeLabel(QString value)
{
    return value.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'"', QStringLiteral("\\\""))
        .replace(u'\n', QStringLiteral("\\n"));
}

} // namespace

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

void TrafficCounters::writeTo(PrometheusText &out) const
{
    out.family(QStringLiteral("isobar_http_requests_total"), "counter",
               QStringLiteral("Requests answered, by route pattern, method and status."));
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        for (auto status = it->cbegin(); status != it->cend(); ++status) {
            out.sample(QStringLiteral("isobar_http_requests_total"),
                       {{u"route"_qs, it.key().first},
                        {u"method"_qs, QString::fromLatin1(it.key().second)},
                        {u"status"_qs, QString::number(status.key())}},
                       double(status.value()));
        }
    }
    const QString name = QStringLiteral("isobar_http_request_duration_seconds");
    out.family(name, "histogram",
               QStringLiteral("Time from a complete request to its answer, by route pattern."));
    const QList<qint64> &bounds = LatencyBuckets::upperBoundsUs();
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QString &route = it.key();
        qint64 cumulative = 0;
        for (int i = 0; i < bounds.size(); ++i) {
            cumulative += it->buckets[i];
            out.sample(name + u"_bucket",
                       {{u"route"_qs, route}, {u"le"_qs, QString::number(double(bounds[i]) / 1e6)}},
                       double(cumulative));
        }
        out.sample(name + u"_bucket", {{u"route"_qs, route}, {u"le"_qs, u"+Inf"_qs}},
                   double(it->count));
        out.sample(name + u"_sum", {{u"route"_qs, route}}, it->sumSeconds);
        out.sample(name + u"_count", {{u"route"_qs, route}}, double(it->count));
    }
}

void PrometheusText::family(const QString &name, const char *type, const QString &help)
{
    m_text += "# HELP " + name.toUtf8() + ' ' + help.toUtf8() + "\n# TYPE " + name.toUtf8() + ' '
              + type + '\n';
}

void PrometheusText::sample(const QString &name, const Labels &labels, double value)
{
    m_text += name.toUtf8();
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i)
                m_text += ',';
            m_text +=
                labels[i].first.toUtf8() + "=\"" + escapeLabel(labels[i].second).toUtf8() + '"';
        }
        m_text += '}';
    }
    m_text += ' ';
    if (std::isinf(value))
        m_text += value > 0 ? "+Inf" : "-Inf";
    else if (value == std::floor(value) && std::fabs(value) < 1e15)
        m_text += QByteArray::number(qint64(value));
    else
        m_text += QByteArray::number(value, 'g', 12);
    m_text += '\n';
}

} // namespace isobar
