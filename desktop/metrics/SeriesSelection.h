#pragma once

#include "MetricsSource.h"

#include <QDataStream>
#include <QDate>
#include <optional>

namespace isobar {

// The period filter: how far back from a series' latest date a card shows.
enum class Period { OneMonth, ThreeMonths, SixMonths, OneYear, All };

QString periodName(Period period); // translated, for the period combo box
// The first date a period shows, for a series whose latest date is `last` (invalid for All).
QDate periodStart(Period period, QDate last);
// One year, as the UKHSA dashboard opens a chart, when the data span more than a year and the
// last year holds at least kMinimumDefaultPoints of them; else everything. A yearly or
// sparse series thus opens on all it has rather than on one point. `dates` oldest first.
constexpr int kMinimumDefaultPoints = 12;
Period defaultPeriod(const QList<QDate> &dates);

// What one chart card shows: a metric at an area, narrowed by age, sex, stratum and period.
// Empty strings mean "not chosen yet": the card picks "all"/"default" when the data have it.
struct SeriesSelection {
    SeriesQuery series;
    QString age;
    QString sex;
    QString stratum;
    std::optional<Period> period; // unset: defaultPeriod() of the loaded data

    bool hasMetric() const { return !series.metric.isEmpty(); }
    bool hasArea() const { return !series.geographyType.isEmpty() && !series.geography.isEmpty(); }

    friend bool operator==(const SeriesSelection &, const SeriesSelection &) = default;
};

// What a card's data offer for age, sex and stratum (sorted), and which of each hold data
// with the other two as chosen now: the navigator marks the others.
struct FilterOptions {
    QStringList ages, sexes, strata;
    QStringList agesWithData, sexesWithData, strataWithData;
};

QDataStream &operator<<(QDataStream &out, const SeriesSelection &selection);
QDataStream &operator>>(QDataStream &in, SeriesSelection &selection);

} // namespace isobar
