#pragma once

#include <QDate>
#include <QDateTime>
#include <QStringView>
#include <optional>

namespace isobar {

// Strict parsers for the date shapes found in UKHSA files; nullopt means "not that shape".
std::optional<QDate> parseIsoDate(QStringView text); // 2023-03-08
// "2023-11-16 17:30:00" or "2023-11-16", UK local time (Europe/London), as UTC seconds.
std::optional<qint64> parseUkTimestamp(QStringView text);

// Midnight at the start of `day` in London, as a UTC date-time: how UKHSA keeps a headline's
// period (a summer day starts at 23:00 UTC the day before).
QDateTime londonMidnightUtc(QDate day);

// Days since 1970-01-01: the compact date key of the fact tables.
inline qint64 toDayNumber(QDate date)
{
    return date.toJulianDay() - 2440588;
}
inline QDate fromDayNumber(qint64 day)
{
    return QDate::fromJulianDay(day + 2440588);
}

} // namespace isobar
