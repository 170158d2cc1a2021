#include "PointDownloads.h"

#include "DateParsing.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace isobar::PointDownloads {

namespace {

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

QByteArray optionalDecimals(const std::optional<double> &value, bool json)
{
    if (!value)
        return json ? "null" : "";
    return json ? '"' + fourDecimals(*value) + '"' : fourDecimals(*value);
}

// A headline period's end or start as UKHSA writes it: London time, "%Y-%m-%d %H:%M:%S".
QByteArray periodTime(qint64 utcSeconds)
{
    return londonTime(utcSeconds).toString(u"yyyy-MM-dd HH:mm:ss"_s).toLatin1();
}

// The names a series is filed under, in UKHSA's CSV order (sex before age)...
QByteArray csvNames(const SeriesDescription &s)
{
    return csvField(s.theme) + ',' + csvField(s.subTheme) + ',' + csvField(s.topic) + ','
           + csvField(s.geographyType) + ',' + csvField(s.geography) + ',' + csvField(s.metric)
           + ',' + csvField(s.sex) + ',' + csvField(s.age) + ',' + csvField(s.stratum);
}

// ...and opening a JSON object in its JSON order (sex after stratum).
QByteArray jsonNames(const SeriesDescription &s)
{
    return "{\"theme\":" + jsonString(s.theme) + ",\"sub_theme\":" + jsonString(s.subTheme)
           + ",\"topic\":" + jsonString(s.topic) + ",\"geography_type\":"
           + jsonString(s.geographyType) + ",\"geography\":" + jsonString(s.geography)
           + ",\"metric\":" + jsonString(s.metric) + ",\"age\":" + jsonString(s.age)
           + ",\"stratum\":" + jsonString(s.stratum) + ",\"sex\":" + jsonString(s.sex);
}

// The names a series is filed under as record fields, in UKHSA's JSON order.
QList<Field> nameFields(const SeriesDescription &s)
{
    const std::pair<const char *, const QString *> names[] = {{"theme", &s.theme},
                                                              {"sub_theme", &s.subTheme},
                                                              {"topic", &s.topic},
                                                              {"geography_type", &s.geographyType},
                                                              {"geography", &s.geography},
                                                              {"metric", &s.metric},
                                                              {"age", &s.age},
                                                              {"stratum", &s.stratum},
                                                              {"sex", &s.sex}};
    QList<Field> fields;
    for (const auto &[name, value] : names)
        fields.append({name, jsonString(*value), *value});
    return fields;
}

} // namespace

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

QList<Field> record(const PublicPoint &point)
{
    QList<Field> fields = nameFields(*point.series);
    const QByteArray date = isoDateBytes(point.date);
    const QByteArray value = fourDecimals(point.value);
    fields.append(
        {"year", QByteArray::number(point.date.year()), QString::number(point.date.year())});
    fields.append({"date", '"' + date + '"', QString::fromLatin1(date)});
    fields.append({"metric_value", '"' + value + '"', QString::fromLatin1(value)});
    fields.append({"in_reporting_delay_period", point.inReportingDelay ? "true" : "false",
                   point.inReportingDelay ? u"True"_s : u"False"_s});
    return fields;
}

QList<Field> record(const PublicHeadline &headline)
{
    QList<Field> fields = nameFields(*headline.series);
    const std::pair<const char *, qint64> periods[] = {{"period_start", headline.periodStart},
                                                       {"period_end", headline.periodEnd}};
    for (const auto &[name, time] : periods)
        fields.append({name, '"' + periodTime(time) + '"', QString::fromLatin1(periodTime(time))});
    const QByteArray value = fourDecimals(headline.value);
    fields.append({"metric_value", '"' + value + '"', QString::fromLatin1(value)});
    return fields;
}

QByteArray fourDecimals(double value)
{
    return QByteArray::number(value, 'f', 4);
}

QByteArray csv(const QList<PublicPoint> &points)
{
    QByteArray out = "theme,sub_theme,topic,geography_type,geography,metric,sex,age,stratum,year,"
                     "date,metric_value,in_reporting_delay_period\r\n";
    for (const PublicPoint &point : points) {
        const SeriesDescription &s = *point.series;
        out += csvNames(s) + ',' + QByteArray::number(point.date.year()) + ','
               + isoDateBytes(point.date) + ',' + fourDecimals(point.value) + ','
               + (point.inReportingDelay ? "True" : "False") + "\r\n";
    }
    return out;
}

QByteArray json(const QList<PublicPoint> &points)
{
    QByteArray out = "[";
    for (const PublicPoint &point : points) {
        const SeriesDescription &s = *point.series;
        if (out.size() > 1)
            out += ',';
        out += jsonNames(s) + ",\"year\":" + QByteArray::number(point.date.year()) + ",\"date\":\""
               + isoDateBytes(point.date) + "\",\"metric_value\":\"" + fourDecimals(point.value)
               + "\",\"in_reporting_delay_period\":" + (point.inReportingDelay ? "true" : "false")
               + '}';
    }
    return out + ']';
}

QByteArray headlineCsv(const QList<PublicHeadline> &headlines, bool confidence)
{
    QByteArray out = "theme,sub_theme,topic,geography_type,geography,metric,sex,age,stratum,"
                     "period_start,period_end,metric_value";
    out += confidence ? ",lower_confidence,upper_confidence\r\n" : "\r\n";
    for (const PublicHeadline &headline : headlines) {
        const SeriesDescription &s = *headline.series;
        out += csvNames(s) + ',' + periodTime(headline.periodStart) + ','
               + periodTime(headline.periodEnd) + ',' + fourDecimals(headline.value);
        if (confidence)
            out += ',' + optionalDecimals(headline.lowerConfidence, false) + ','
                   + optionalDecimals(headline.upperConfidence, false);
        out += "\r\n";
    }
    return out;
}

QByteArray headlineJson(const QList<PublicHeadline> &headlines, bool confidence)
{
    QByteArray out = "[";
    for (const PublicHeadline &headline : headlines) {
        const SeriesDescription &s = *headline.series;
        if (out.size() > 1)
            out += ',';
        out += jsonNames(s) + ",\"period_start\":\"" + periodTime(headline.periodStart)
               + "\",\"period_end\":\"" + periodTime(headline.periodEnd) + "\",\"metric_value\":\""
               + fourDecimals(headline.value) + '"';
        if (confidence)
            out += ",\"upper_confidence\":" + optionalDecimals(headline.upperConfidence, true)
                   + ",\"lower_confidence\":" + optionalDecimals(headline.lowerConfidence, true);
        out += '}';
    }
    return out + ']';
}

} // namespace isobar::PointDownloads
