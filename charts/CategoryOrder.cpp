#include "CategoryOrder.h"

#include <QRegularExpression>
#include <algorithm>

namespace isobar {

namespace {

bool isTotal(const QString &name)
{
    return name.compare(u"all", Qt::CaseInsensitive) == 0;
}

// The lower bound of an age band ("00-04", "5-9", "90+", "<1", "65 and over"); bands
// without a number sort after those with one.
double ageLowerBound(const QString &band)
{
    static const QRegularExpression firstNumber(QStringLiteral("(\\d+(?:\\.\\d+)?)"));
    const QRegularExpressionMatch match = firstNumber.match(band);
    if (!match.hasMatch())
        return 1e9;
    const double value = match.captured(1).toDouble();
    // "<1" means under one: before "1-4" and after nothing.
    return band.trimmed().startsWith(u'<') ? value - 0.5 : value;
}

} // namespace

QString categoryOf(const SeriesDescription &series, ChartAxis axis)
{
    switch (axis) {
    case ChartAxis::Age:
        return series.age;
    case ChartAxis::Stratum:
        return series.stratum;
    case ChartAxis::Sex:
        return series.sex;
    case ChartAxis::Geography:
        return series.geography;
    case ChartAxis::Date:
        break;
    }
    return {};
}

QStringList sortedCategories(QStringList categories, ChartAxis axis)
{
    categories.removeDuplicates();
    std::stable_sort(categories.begin(), categories.end(),
                     [axis](const QString &a, const QString &b) {
                         if (isTotal(a) != isTotal(b))
                             return isTotal(b);
                         if (axis == ChartAxis::Age) {
                             const double la = ageLowerBound(a);
                             const double lb = ageLowerBound(b);
                             if (la != lb)
                                 return la < lb;
                         }
                         return QString::compare(a, b, Qt::CaseInsensitive) < 0;
                     });
    return categories;
}

} // namespace isobar
