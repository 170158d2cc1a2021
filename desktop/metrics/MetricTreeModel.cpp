#include "MetricTreeModel.h"

#include "MetricTitles.h"

#include <QSet>
#include <QStringList>
#include <set>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// "infectious_disease" -> "Infectious disease".
QString levelTitle(QString name)
{
    name.replace(u'_', u' ');
    if (!name.isEmpty() && name[0].isLower())
        name[0] = name[0].toUpper();
    return name;
}

bool sameMetric(const CatalogueEntry &entry, const SeriesQuery &metric)
{
    return entry.metric == metric.metric && entry.topic == metric.topic
           && entry.subTheme == metric.subTheme && entry.theme == metric.theme;
}

} // namespace

MetricTreeModel::MetricTreeModel(const MetricTitles *titles, QObject *parent)
    : QStandardItemModel(parent)
    , m_titles(titles)
{
    setHorizontalHeaderLabels({tr("Metric")});
    connect(m_titles, &MetricTitles::changed, this, &MetricTreeModel::retitle);
}

void MetricTreeModel::describeMetric(QStandardItem *item) const
{
    const QString topic = item->data(TopicRole).toString();
    const QString name = item->data(MetricRole).toString();
    const QString title = m_titles->title(topic, name);
    const bool headline = item->data(KindRole).toInt() == int(SeriesKind::Headline);
    // A headline metric is a figure, not a chart: marked so, and found as "headline".
    const QString kind = headline ? tr("Headline figure") : QString();
    item->setText(headline ? tr("%1 (headline)").arg(title) : title);
    item->setToolTip(headline ? QStringList{title, kind, name}.join(u'\n') : title + u'\n' + name);
    // Words from every level and both spellings of the name: "covid cases", "hospital
    // admissions" and "new_cases" all find what they mean.
    QString words = QStringList{item->data(ThemeRole).toString(),
                                item->data(SubThemeRole).toString(),
                                topic,
                                title,
                                name,
                                kind}
                        .join(u' ');
    item->setData(words.replace(u'_', u' '), SearchTextRole);
}

void MetricTreeModel::retitle()
{
    const auto walk = [this](QStandardItem *item, const auto &self) -> void {
        if (!item->data(MetricRole).toString().isEmpty())
            describeMetric(item);
        for (int row = 0; row < item->rowCount(); ++row)
            self(item->child(row), self);
    };
    walk(invisibleRootItem(), walk);
    sort(0);
}

void MetricTreeModel::setCatalogue(const QList<CatalogueEntry> &entries)
{
    m_entries = entries;
    clear();
    setHorizontalHeaderLabels({tr("Metric")});
    // Entries come sorted by theme, sub-theme and topic, so a level's item changes only when
    // its name does; within a topic they are sorted by area first, so metrics repeat.
    auto append = [](QStandardItem *parent, const QString &name, const QString &shown) {
        auto *item = new QStandardItem(shown);
        item->setEditable(false);
        item->setToolTip(name);
        parent->appendRow(item);
        return item;
    };
    QStandardItem *theme = nullptr, *subTheme = nullptr, *topic = nullptr;
    const CatalogueEntry *previous = nullptr;
    QSet<QString> metricsOfTopic;
    for (const CatalogueEntry &e : entries) {
        // Themes and sub-themes are identifiers ("infectious_disease"): shown as words.
        if (!previous || previous->theme != e.theme) {
            theme = append(invisibleRootItem(), e.theme, levelTitle(e.theme));
            subTheme = nullptr;
        }
        if (!subTheme || previous->subTheme != e.subTheme) {
            subTheme = append(theme, e.subTheme, levelTitle(e.subTheme));
            topic = nullptr;
        }
        if (!topic || previous->topic != e.topic) {
            topic = append(subTheme, e.topic, e.topic);
            metricsOfTopic.clear();
        }
        previous = &e;
        if (metricsOfTopic.contains(e.metric))
            continue;
        metricsOfTopic.insert(e.metric);
        QStandardItem *metric = append(topic, e.metric, e.metric);
        metric->setData(e.theme, ThemeRole);
        metric->setData(e.subTheme, SubThemeRole);
        metric->setData(e.topic, TopicRole);
        metric->setData(e.metric, MetricRole);
        metric->setData(int(e.kind), KindRole);
        describeMetric(metric);
    }
    sort(0); // every level, metrics included
}

QModelIndex MetricTreeModel::indexOfMetric(const SeriesQuery &metric) const
{
    const QModelIndexList found =
        match(index(0, 0), MetricRole, metric.metric, -1, Qt::MatchExactly | Qt::MatchRecursive);
    for (const QModelIndex &candidate : found) {
        const SeriesQuery path = metricAt(candidate);
        if (path.topic == metric.topic && path.subTheme == metric.subTheme
            && path.theme == metric.theme)
            return candidate;
    }
    return {};
}

SeriesQuery MetricTreeModel::metricAt(const QModelIndex &index)
{
    SeriesQuery query;
    query.theme = index.data(ThemeRole).toString();
    query.subTheme = index.data(SubThemeRole).toString();
    query.topic = index.data(TopicRole).toString();
    query.metric = index.data(MetricRole).toString();
    query.kind = index.data(KindRole).toInt() == int(SeriesKind::Headline) ? SeriesKind::Headline
                                                                           : SeriesKind::TimeSeries;
    return query;
}

QStringList MetricTreeModel::areaTypes(const SeriesQuery &metric) const
{
    std::set<QString> types;
    for (const CatalogueEntry &e : m_entries) {
        if (sameMetric(e, metric))
            types.insert(e.geographyType);
    }
    return QStringList(types.begin(), types.end());
}

QStringList MetricTreeModel::areas(const SeriesQuery &metric, const QString &areaType) const
{
    std::set<QString> names;
    for (const CatalogueEntry &e : m_entries) {
        if (e.geographyType == areaType && sameMetric(e, metric))
            names.insert(e.geography);
    }
    return QStringList(names.begin(), names.end());
}

} // namespace isobar
