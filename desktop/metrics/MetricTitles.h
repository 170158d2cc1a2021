#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace isobar {

// The titles the navigator lists and searches, and cards and exports show: derivedMetricTitle()
// of each metric unless the user renamed it. Renames persist in the desktop's settings
// (QSettings, "metrics/titles"), per topic and metric name.
class MetricTitles : public QObject
{
    Q_OBJECT
public:
    explicit MetricTitles(QObject *parent = nullptr);

    QString title(const QString &topic, const QString &metric) const;
    bool isRenamed(const QString &topic, const QString &metric) const;
    // A trimmed, non-empty title renames the metric; an empty one restores the derived title.
    void rename(const QString &topic, const QString &metric, const QString &title);

Q_SIGNALS:
    void changed();

private:
    static QString key(const QString &topic, const QString &metric);

    QHash<QString, QString> m_renamed;
};

} // namespace isobar
