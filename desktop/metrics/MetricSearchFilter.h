#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace isobar {

// The navigator's search over MetricTreeModel: a metric is shown when every word typed appears
// in its search text (its title, its name with spaces for underscores, and the levels above),
// in any order and case, so "covid cases" finds COVID-19's "New cases daily". The levels above
// a shown metric are shown with it; nothing typed shows everything.
class MetricSearchFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MetricSearchFilter(QObject *parent = nullptr);

    void setSearch(const QString &text);
    bool isSearching() const { return !m_words.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QStringList m_words;
};

} // namespace isobar
