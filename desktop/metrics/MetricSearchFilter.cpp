#include "MetricSearchFilter.h"

#include "MetricTreeModel.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace isobar {

MetricSearchFilter::MetricSearchFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void MetricSearchFilter::setSearch(const QString &text)
{
    // Underscores split words as spaces do: a name typed as stored still matches.
    static const QRegularExpression separators(u"[\\s_]+"_s);
    QStringList words = text.split(separators, Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    m_words = std::move(words);
    invalidateFilter();
}

bool MetricSearchFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    // The levels above a metric have no search text: they are shown for their metrics only.
    const QString text = sourceModel()
                             ->index(sourceRow, 0, sourceParent)
                             .data(MetricTreeModel::SearchTextRole)
                             .toString();
    if (text.isEmpty())
        return false;
    for (const QString &word : m_words) {
        if (!text.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace isobar
