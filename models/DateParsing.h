#pragma once

#include <QByteArray>
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
// An instant (UTC seconds) in London's local time: the date and wall-clock time UKHSA shows.
QDateTime londonTime(qint64 utcSeconds);
// An instant as Django renders a London date-time: ISO 8601 with the offset, "Z" in GMT
// ("2024-05-29T18:00:00+01:00", "2025-01-07T08:00:00Z").
QByteArray londonIsoDateTime(qint64 utcSeconds);

// "2023-03-08", as QDate::toString(Qt::ISODate) writes it (and nothing for an invalid date),
// at a fraction of its cost: answers write one per point, hundreds per request.
void appendIsoDate(QByteArray &out, QDate date);
// A valid date's year, month and day, as QDate::getDate() gives them at a fraction of its cost
// (Qt's calendar conversion was a thirtieth of a time-series read, for one call per point).
struct CivilDate {
    int year, month, day;
};
CivilDate civilDate(QDate date);
// The same layout from a date's parts, years 1 to 9999, written at `out` (10 chars); the end.
char *writeIsoDate(char *out, int year, int month, int day);
inline QByteArray isoDateBytes(QDate date)
{
    QByteArray text;
    appendIsoDate(text, date);
    return text;
}

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
