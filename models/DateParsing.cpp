#include "DateParsing.h"

#include <QDateTime>
#include <QTimeZone>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// UKHSA's files and periods are in UK local time (UTC should the system lack time zones).
const QTimeZone &london()
{
    static const QTimeZone zone("Europe/London");
    static const QTimeZone used = zone.isValid() ? zone : QTimeZone::utc();
    return used;
}

// Parses minDigits..maxDigits ASCII digits.
std::optional<int> parseNumber(QStringView text, qsizetype minDigits, qsizetype maxDigits)
{
    if (text.size() < minDigits || text.size() > maxDigits)
        return std::nullopt;
    int value = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

std::optional<QDate> makeDate(std::optional<int> y, std::optional<int> m, std::optional<int> d)
{
    if (!y || !m || !d)
        return std::nullopt;
    const QDate date(*y, *m, *d);
    if (!date.isValid())
        return std::nullopt;
    return date;
}

} // namespace

std::optional<QDate> parseIsoDate(QStringView text)
{
    if (text.size() != 10 || text[4] != u'-' || text[7] != u'-')
        return std::nullopt;
    return makeDate(parseNumber(text.first(4), 4, 4), parseNumber(text.sliced(5, 2), 2, 2),
                    parseNumber(text.sliced(8, 2), 2, 2));
}

std::optional<qint64> parseUkTimestamp(QStringView text)
{
    const auto date = parseIsoDate(text.first(qMin<qsizetype>(10, text.size())));
    if (!date)
        return std::nullopt;
    QTime time(0, 0);
    if (text.size() > 10) {
        const QStringView rest = text.sliced(10);
        if ((rest.size() != 9 && rest.size() != 6) || (rest[0] != u' ' && rest[0] != u'T'))
            return std::nullopt;
        time = QTime::fromString(rest.sliced(1).toString(),
                                 rest.size() == 9 ? u"HH:mm:ss"_s : u"HH:mm"_s);
        if (!time.isValid())
            return std::nullopt;
    }
    return QDateTime(*date, time, london()).toSecsSinceEpoch();
}

QDateTime londonMidnightUtc(QDate day)
{
    return QDateTime(day, QTime(0, 0), london()).toUTC();
}

QDateTime londonTime(qint64 utcSeconds)
{
    return QDateTime::fromSecsSinceEpoch(utcSeconds, london());
}

void appendIsoDate(QByteArray &out, QDate date)
{
    const CivilDate civil = date.isValid() ? civilDate(date) : CivilDate{0, 0, 0};
    if (civil.year < 1 || civil.year > 9999) { // not in a store; Qt's own layout
        out += date.toString(Qt::ISODate).toLatin1();
        return;
    }
    char text[10];
    out.append(text, writeIsoDate(text, civil.year, civil.month, civil.day) - text);
}

CivilDate civilDate(QDate date)
{
    // The proleptic Gregorian calendar in 400-year eras of 146,097 days, each counted from a
    // 1 March so that the leap day ends the year (H. Hinnant's civil_from_days).
    const qint64 days = toDayNumber(date) + 719'468; // from 0000-03-01
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const auto dayOfEra = int(days - era * 146'097);
    const int yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const int shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 for March
    const int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    const int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    return {int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month, day};
}

char *writeIsoDate(char *out, int year, int month, int day)
{
    *out++ = char('0' + year / 1000);
    *out++ = char('0' + year / 100 % 10);
    *out++ = char('0' + year / 10 % 10);
    *out++ = char('0' + year % 10);
    *out++ = '-';
    *out++ = char('0' + month / 10);
    *out++ = char('0' + month % 10);
    *out++ = '-';
    *out++ = char('0' + day / 10);
    *out++ = char('0' + day % 10);
    return out;
}

QByteArray londonIsoDateTime(qint64 utcSeconds)
{
    const QDateTime local = londonTime(utcSeconds);
    QByteArray text = local.toString(u"yyyy-MM-ddTHH:mm:ss"_s).toLatin1();
    const int offset = local.offsetFromUtc();
    if (offset == 0)
        return text + 'Z';
    const int minutes = std::abs(offset) / 60;
    return text + (offset < 0 ? '-' : '+') + QByteArray::number(minutes / 60).rightJustified(2, '0')
           + ':' + QByteArray::number(minutes % 60).rightJustified(2, '0');
}

} // namespace isobar
