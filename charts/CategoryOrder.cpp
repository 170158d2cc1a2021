#include "CategoryOrder.h"

#include <QRegularExpression>
#include <algorithm>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Totals are listed after their parts: "all" for ages and sexes, "default" for strata.
bool isTotal(const QString &name)
{
    return name.compare(u"all", Qt::CaseInsensitive) == 0
           || name.compare(u"default", Qt::CaseInsensitive) == 0;
}

// The ages a band covers, in years, from `from` up to but not including `to`.
struct AgeSpan {
    double from = 0;
    double to = 0;
    bool operator<(const AgeSpan &other) const
    {
        return from != other.from ? from < other.from : to < other.to;
    }
};

// A number of years, or of months with an "m" ("12m", the immunisation strata).
double years(const QString &number, const QString &unit)
{
    return unit.compare(u"m", Qt::CaseInsensitive) == 0 ? number.toDouble() / 12
                                                        : number.toDouble();
}

// The spellings in UKHSA files: "00-04", "5-9", "0_4" (the CSV's strata), "<1", "90+",
// "65 and over", "12m", "5y". Anything else is not an age band.
std::optional<AgeSpan> ageSpan(const QString &band)
{
    static const QRegularExpression range(
        u"^(\\d+(?:\\.\\d+)?)\\s*(m|y)?\\s*[-_]\\s*(\\d+(?:\\.\\d+)?)\\s*(m|y)?$"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression under(u"^(?:<|under\\s+)(\\d+(?:\\.\\d+)?)\\s*(m|y)?$"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression over(
        u"^(\\d+(?:\\.\\d+)?)\\s*(m|y)?\\s*(?:\\+|and over|plus)$"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression single(u"^(\\d+(?:\\.\\d+)?)\\s*(m|y)?$"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    const QString text = band.trimmed();
    if (const auto m = range.match(text); m.hasMatch()) {
        // A range's upper end is inclusive ("5-9" holds 9-year-olds); one unit covers both ends.
        const QString unit = m.captured(4).isEmpty() ? m.captured(2) : m.captured(4);
        const double step = unit.compare(u"m", Qt::CaseInsensitive) == 0 ? 1.0 / 12 : 1.0;
        return AgeSpan{years(m.captured(1), unit), years(m.captured(3), unit) + step};
    }
    if (const auto m = under.match(text); m.hasMatch())
        return AgeSpan{0, years(m.captured(1), m.captured(2))};
    if (const auto m = over.match(text); m.hasMatch())
        return AgeSpan{years(m.captured(1), m.captured(2)),
                       std::numeric_limits<double>::infinity()};
    if (const auto m = single.match(text); m.hasMatch()) {
        const double at = years(m.captured(1), m.captured(2));
        return AgeSpan{
            at, at + (m.captured(2).compare(u"m", Qt::CaseInsensitive) == 0 ? 1.0 / 12 : 1.0)};
    }
    return std::nullopt;
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
    case ChartAxis::Subplot:
        break;
    }
    return {};
}

QString spacedAgeBand(const QString &age)
{
    return QString(age).replace(u"-"_s, u" - "_s);
}

QStringList sortedCategories(QStringList categories, ChartAxis axis)
{
    categories.removeDuplicates();
    // Strata are often age bands too (the CSV's "0_4", the immunisation "12m"); they sort by
    // age when every one of them is, and by name when any is something else ("male").
    bool byAge = axis == ChartAxis::Age;
    if (axis == ChartAxis::Stratum)
        byAge = std::all_of(categories.cbegin(), categories.cend(),
                            [](const QString &c) { return isTotal(c) || ageSpan(c).has_value(); });
    std::stable_sort(categories.begin(), categories.end(),
                     [byAge](const QString &a, const QString &b) {
                         if (isTotal(a) != isTotal(b))
                             return isTotal(b);
                         if (byAge) {
                             const std::optional<AgeSpan> sa = ageSpan(a);
                             const std::optional<AgeSpan> sb = ageSpan(b);
                             // Bands first, by where they start, the narrower first ("<1"
                             // before "00-04", "65-74" before "65+"); unrecognised names after.
                             if (sa.has_value() != sb.has_value())
                                 return sa.has_value();
                             if (sa && (*sa < *sb || *sb < *sa))
                                 return *sa < *sb;
                         }
                         return QString::compare(a, b, Qt::CaseInsensitive) < 0;
                     });
    return categories;
}

} // namespace isobar
