#pragma once

#include "MetricsSource.h"

#include <QStandardItemModel>

namespace isobar {

class MetricTitles;

// The catalogue as the navigator's tree: theme > sub-theme > topic > metric. Filled from either
// source's catalogue, so the views never know where the data live. Metric items show their
// title (MetricTitles) and carry their path in roles, and the words a search looks in;
// areas are looked up in the catalogue it keeps.
class MetricTreeModel : public QStandardItemModel
{
    Q_OBJECT
public:
    enum Role {
        ThemeRole = Qt::UserRole + 1,
        SubThemeRole,
        TopicRole,
        MetricRole,
        KindRole, // SeriesKind, as an int
        SearchTextRole
    };

    explicit MetricTreeModel(const MetricTitles *titles, QObject *parent = nullptr);

    void setCatalogue(const QList<CatalogueEntry> &entries);
    const QList<CatalogueEntry> &catalogue() const { return m_entries; }

    // The metric's item, or an invalid index.
    QModelIndex indexOfMetric(const SeriesQuery &metric) const;
    // The metric path of a metric item (empty metric for the levels above).
    static SeriesQuery metricAt(const QModelIndex &index);

    // Area types with this metric, and the areas of one type, sorted.
    QStringList areaTypes(const SeriesQuery &metric) const;
    QStringList areas(const SeriesQuery &metric, const QString &areaType) const;

private:
    // Sets a metric item's title, tooltip and search text from its roles.
    void describeMetric(QStandardItem *item) const;
    void retitle();

    const MetricTitles *m_titles;
    QList<CatalogueEntry> m_entries;
};

} // namespace isobar
