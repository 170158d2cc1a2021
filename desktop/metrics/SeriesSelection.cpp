#include "SeriesSelection.h"

#include <QCoreApplication>
#include <algorithm>

namespace isobar {

QString periodName(Period period)
{
    switch (period) {
    case Period::OneMonth:
        return QCoreApplication::translate("isobar::Period", "1 month");
    case Period::ThreeMonths:
        return QCoreApplication::translate("isobar::Period", "3 months");
    case Period::SixMonths:
        return QCoreApplication::translate("isobar::Period", "6 months");
    case Period::OneYear:
        return QCoreApplication::translate("isobar::Period", "1 year");
    case Period::All:
        break;
    }
    return QCoreApplication::translate("isobar::Period", "All");
}

QDate periodStart(Period period, QDate last)
{
    // The day after the same date n months earlier: "1 month" up to 8 March starts 9 February.
    switch (period) {
    case Period::OneMonth:
        return last.addMonths(-1).addDays(1);
    case Period::ThreeMonths:
        return last.addMonths(-3).addDays(1);
    case Period::SixMonths:
        return last.addMonths(-6).addDays(1);
    case Period::OneYear:
        return last.addYears(-1).addDays(1);
    case Period::All:
        break;
    }
    return {};
}

Period defaultPeriod(const QList<QDate> &dates)
{
    if (dates.isEmpty())
        return Period::All;
    const QDate start = periodStart(Period::OneYear, dates.constLast());
    if (dates.constFirst() >= start)
        return Period::All;
    const auto inLastYear =
        std::count_if(dates.cbegin(), dates.cend(), [start](QDate d) { return d >= start; });
    return inLastYear >= kMinimumDefaultPoints ? Period::OneYear : Period::All;
}

QDataStream &operator<<(QDataStream &out, const SeriesSelection &s)
{
    const SeriesQuery &q = s.series;
    return out << q.theme << q.subTheme << q.topic << q.metric << q.geographyType << q.geography
               << s.age << s.sex << s.stratum << qint32(s.period ? int(*s.period) : -1);
}

QDataStream &operator>>(QDataStream &in, SeriesSelection &s)
{
    SeriesQuery &q = s.series;
    qint32 period = -1;
    in >> q.theme >> q.subTheme >> q.topic >> q.metric >> q.geographyType >> q.geography >> s.age
        >> s.sex >> s.stratum >> period;
    s.period = period >= int(Period::OneMonth) && period <= int(Period::All)
                   ? std::optional<Period>(Period(period))
                   : std::nullopt;
    return in;
}

} // namespace isobar
