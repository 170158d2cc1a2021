#include "PointDownloads.h"

#include <QJsonValue>

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
    static const QStringList names = {u"theme"_qs,
                                      u"sub_theme"_qs,
                                      u"topic"_qs,
                                      u"geography_type"_qs,
                                      u"geography"_qs,
                                      u"geography_code"_qs,
                                      u"metric"_qs,
                                      u"metric_group"_qs,
                                      u"stratum"_qs,
                                      u"sex"_qs,
                                      u"age"_qs,
                                      u"year"_qs,
                                      u"month"_qs,
                                      u"epiweek"_qs,
                                      u"date"_qs,
                                      u"metric_value"_qs,
                                      u"in_reporting_delay_period"_qs};
    return names;
}

QJsonObject object(const PublicPoint &point)
{
    const SeriesDescription &s = *point.series;
    return QJsonObject{
        {u"theme"_qs, s.theme},
        {u"sub_theme"_qs, s.subTheme},
        {u"topic"_qs, s.topic},
        {u"geography_type"_qs, s.geographyType},
        {u"geography"_qs, s.geography},
        {u"geography_code"_qs, s.geographyCode},
        {u"metric"_qs, s.metric},
        {u"metric_group"_qs, s.metricGroup},
        {u"stratum"_qs, s.stratum},
        {u"sex"_qs, s.sex},
        {u"age"_qs, s.age},
        {u"year"_qs, point.date.year()},
        {u"month"_qs, point.date.month()},
        {u"epiweek"_qs, point.epiweek},
        {u"date"_qs, point.date.toString(Qt::ISODate)},
        {u"metric_value"_qs, point.value},
        {u"in_reporting_delay_period"_qs, point.inReportingDelay},
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
