#include "MetricTitles.h"

#include "MetricTitle.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QString kSettingsKey = u"metrics/titles"_s;

} // namespace

MetricTitles::MetricTitles(QObject *parent)
    : QObject(parent)
{
    const QVariantMap stored = QSettings().value(kSettingsKey).toMap();
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        m_renamed.insert(it.key(), it.value().toString());
}

QString MetricTitles::key(const QString &topic, const QString &metric)
{
    // A tab: no topic or metric name in UKHSA's data holds one.
    return topic + u'\t' + metric;
}

QString MetricTitles::title(const QString &topic, const QString &metric) const
{
    const QString renamed = m_renamed.value(key(topic, metric));
    return renamed.isEmpty() ? derivedMetricTitle(topic, metric) : renamed;
}

bool MetricTitles::isRenamed(const QString &topic, const QString &metric) const
{
    return m_renamed.contains(key(topic, metric));
}

void MetricTitles::rename(const QString &topic, const QString &metric, const QString &title)
{
    const QString trimmed = title.simplified();
    if (trimmed.isEmpty() || trimmed == derivedMetricTitle(topic, metric))
        m_renamed.remove(key(topic, metric));
    else
        m_renamed.insert(key(topic, metric), trimmed);
    QVariantMap stored;
    for (auto it = m_renamed.cbegin(); it != m_renamed.cend(); ++it)
        stored.insert(it.key(), it.value());
    QSettings().setValue(kSettingsKey, stored);
    Q_EMIT changed();
}

} // namespace isobar
