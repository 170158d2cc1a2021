#pragma once

#include <QDate>
#include <QString>
#include <optional>

namespace isobar {

// What a metric's records are: dated points, or a headline figure over a period.
enum class SeriesKind { TimeSeries = 0, Headline = 1 };

// The kind as GET /api/v1/catalogue names it: "timeseries" or "headline".
inline QString seriesKindName(SeriesKind kind)
{
    return kind == SeriesKind::Headline ? QStringLiteral("headline") : QStringLiteral("timeseries");
}
inline SeriesKind seriesKindNamed(QStringView name)
{
    return name == seriesKindName(SeriesKind::Headline) ? SeriesKind::Headline
                                                        : SeriesKind::TimeSeries;
}

// Everything that identifies one series; the dimension tables normalise these names.
struct SeriesKey {
    QString theme;
    QString subTheme;
    QString topic;
    QString metricGroup;
    QString metric;
    QString geographyType;
    QString geography;
    QString geographyCode;
    QString age;
    QString sex;
    QString stratum;
    QString frequency;
    SeriesKind kind = SeriesKind::TimeSeries;
};

struct TimeSeriesPoint {
    QDate date;
    int epiweek = 0;
    double value = 0;
    std::optional<qint64> embargo; // UTC seconds; points are never served before it
    bool isPublic = true;
    bool inReportingDelay = false;
    qint64 refreshDate = 0; // UTC seconds; a newer refresh replaces an older value
    // Bounds of the value's confidence interval, when the source publishes them.
    std::optional<double> upperConfidence;
    std::optional<double> lowerConfidence;
};

// A figure over a period. Periods are instants (UTC seconds): alerts start and end at a time of
// day; a period given as a date starts at London midnight. Its London date keys the record.
struct HeadlinePoint {
    qint64 periodStart = 0;
    qint64 periodEnd = 0;
    double value = 0;
    std::optional<double> upperConfidence;
    std::optional<double> lowerConfidence;
    std::optional<qint64> embargo;
    bool isPublic = true;
    qint64 refreshDate = 0;
};

} // namespace isobar
