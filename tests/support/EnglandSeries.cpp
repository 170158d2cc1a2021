#include "EnglandSeries.h"

using namespace Qt::StringLiterals;

namespace isobar::test {

namespace {

constexpr char kTheme[] = "infectious_disease";
constexpr char kSubTheme[] = "respiratory";
constexpr char kTopic[] = "COVID-19";
constexpr char kMetricGroup[] = "cases";
constexpr char kGeographyType[] = "Nation";
constexpr char kGeography[] = "England";
constexpr char kGeographyCode[] = "E92000001";
constexpr char kEveryone[] = "all";
constexpr char kStratum[] = "default";

} // namespace

QJsonObject englandFile(const QString &metric, const QJsonArray &records)
{
    return QJsonObject{
        {u"parent_theme"_s, QLatin1String(kTheme)},
        {u"child_theme"_s, QLatin1String(kSubTheme)},
        {u"topic"_s, QLatin1String(kTopic)},
        {u"metric_group"_s, QLatin1String(kMetricGroup)},
        {u"metric"_s, metric},
        {u"geography_type"_s, QLatin1String(kGeographyType)},
        {u"geography"_s, QLatin1String(kGeography)},
        {u"geography_code"_s, QLatin1String(kGeographyCode)},
        {u"age"_s, QLatin1String(kEveryone)},
        {u"sex"_s, QLatin1String(kEveryone)},
        {u"stratum"_s, QLatin1String(kStratum)},
        {u"metric_frequency"_s, u"daily"_s},
        {u"refresh_date"_s, u"2023-11-09 10:00:00"_s},
        {u"time_series"_s, records},
    };
}

SeriesKey englandKey(const QString &metric)
{
    SeriesKey key;
    key.theme = QLatin1String(kTheme);
    key.subTheme = QLatin1String(kSubTheme);
    key.topic = QLatin1String(kTopic);
    key.metricGroup = QLatin1String(kMetricGroup);
    key.metric = metric;
    key.geographyType = QLatin1String(kGeographyType);
    key.geography = QLatin1String(kGeography);
    key.geographyCode = QLatin1String(kGeographyCode);
    key.age = QLatin1String(kEveryone);
    key.sex = QLatin1String(kEveryone);
    key.stratum = QLatin1String(kStratum);
    key.frequency = u"daily"_s;
    return key;
}

std::shared_ptr<const SeriesDescription> englandSeries(const QString &metric,
                                                       const QString &frequency, const QString &age)
{
    SeriesDescription names;
    names.theme = QLatin1String(kTheme);
    names.subTheme = QLatin1String(kSubTheme);
    names.topic = QLatin1String(kTopic);
    names.metric = metric;
    names.metricGroup = QLatin1String(kMetricGroup);
    names.geographyType = QLatin1String(kGeographyType);
    names.geography = QLatin1String(kGeography);
    names.geographyCode = QLatin1String(kGeographyCode);
    names.stratum = QLatin1String(kStratum);
    names.age = age;
    names.sex = QLatin1String(kEveryone);
    names.frequency = frequency;
    return std::make_shared<const SeriesDescription>(names);
}

} // namespace isobar::test
