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
// One year when the data span more than a year, else everything (as the UKHSA dashboard).
Period defaultPeriod(QDate first, QDate last);

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

QDataStream &operator<<(QDataStream &out, const SeriesSelection &selection);
QDataStream &operator>>(QDataStream &in, SeriesSelection &selection);

} // namespace isobar
