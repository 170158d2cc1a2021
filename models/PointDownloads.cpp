#include "PointDownloads.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace isobar::PointDownloads {

namespace {

// Quoted when holding a separator, a quote or a line break.
QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')
        || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

} // namespace

const QStringList &columns()
{
    static const QStringList names = {u"theme"_s,
                                      u"sub_theme"_s,
                                      u"topic"_s,
                                      u"geography_type"_s,
                                      u"geography"_s,
                                      u"geography_code"_s,
                                      u"metric"_s,
                                      u"metric_group"_s,
                                      u"stratum"_s,
                                      u"sex"_s,
                                      u"age"_s,
                                      u"year"_s,
                                      u"month"_s,
                                      u"epiweek"_s,
                                      u"date"_s,
                                      u"metric_value"_s,
                                      u"in_reporting_delay_period"_s};
    return names;
}

QJsonObject object(const PublicPoint &point)
{
    const SeriesDescription &s = *point.series;
    return QJsonObject{
        {u"theme"_s, s.theme},
        {u"sub_theme"_s, s.subTheme},
        {u"topic"_s, s.topic},
        {u"geography_type"_s, s.geographyType},
        {u"geography"_s, s.geography},
        {u"geography_code"_s, s.geographyCode},
        {u"metric"_s, s.metric},
        {u"metric_group"_s, s.metricGroup},
        {u"stratum"_s, s.stratum},
        {u"sex"_s, s.sex},
        {u"age"_s, s.age},
        {u"year"_s, point.date.year()},
        {u"month"_s, point.date.month()},
        {u"epiweek"_s, point.epiweek},
        {u"date"_s, point.date.toString(Qt::ISODate)},
        {u"metric_value"_s, point.value},
        {u"in_reporting_delay_period"_s, point.inReportingDelay},
    };
}

QByteArray csv(const QList<PublicPoint> &points)
{
    QByteArray out = columns().join(u',').toUtf8() + "\r\n";
    for (const PublicPoint &point : points) {
        const QJsonObject row = object(point);
        QByteArrayList cells;
        for (const QString &column : columns()) {
            const QJsonValue value = row.value(column);
            cells << (value.isBool()     ? QByteArray(value.toBool() ? "true" : "false")
                      : value.isDouble() ? QByteArray::number(value.toDouble(), 'g', 15)
                                         : csvField(value.toString()));
        }
        out += cells.join(',') + "\r\n";
    }
    return out;
}

} // namespace isobar::PointDownloads
