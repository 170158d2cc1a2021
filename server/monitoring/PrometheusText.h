#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <utility>

namespace isobar {

// Prometheus text exposition format 0.0.4: HELP and TYPE once per family, escaped labels.
// Names come from PrometheusNames.h.
class PrometheusText
{
public:
    using Labels = QList<std::pair<QString, QString>>;

    void family(QByteArrayView name, const char *type, QByteArrayView help);
    void sample(QByteArrayView name, const Labels &labels, double value);
    // A family with one unlabelled sample: most counters and gauges.
    void single(QByteArrayView name, const char *type, QByteArrayView help, double value);
    QByteArray text() const { return m_text; }

private:
    QByteArray m_text;
};

} // namespace isobar
