// The metrics API over a real socket: `isobar serve` runs as a child process on a store loaded
// by `isobar ingest` from tests/fixtures/metrics, and every answer is compared as exact JSON.
//
// The fixtures are small cuts of data/ukhsa with known values:
// - COVID-19_cases_casesByDay (England): 2022-12-30 .. 2023-01-05; 2023-01-04 is in its
//   reporting delay, 2023-01-05 is under embargo until 2099;
// - COVID-19_cases_rateRollingMean (England) for ages 90+ (all and Male) and 85-89;
// - COVID-19_deaths_ONSByWeek for "East Devon", a "Lower Tier Local Authority" (spaces);
// - two OFF-SENS_ (non-public) files, one the only data of "North Lincolnshire";
// - headline files: cases 7-day totals (an older week, the served week, and a week under
//   embargo), tests and ONS deaths 7-day change with their percentages;
// - respiratory_2023_influenza.csv: Influenza for "East Midlands" ("UKHSA Region") with an NA
//   row, and England for stratum "85+".

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace isobar::test;

namespace {

// Every `isobar serve` option this suite relies on, in one place.
// clang-format off
const QStringList kServeArguments = {
    u"--no-auth"_qs,                     // the API's answers are under test here, not tokens
    u"--rate-limit"_qs, u"0"_qs,         // this suite sends a few hundred requests at once
    u"--max-body-bytes"_qs, u"65536"_qs, // small, so the 413 test need not send megabytes
    u"--max-plots"_qs, u"10"_qs,
    u"--query-threads"_qs, u"2"_qs,
};
// clang-format on

const QByteArray kTimeseries = "/api/public/timeseries";
const QByteArray kCovid = "/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory"
                          "/topics/COVID-19";
const QByteArray kEngland = kCovid + "/geography_types/Nation/geographies/England/metrics";
const QByteArray kCasesByDay = kEngland + "/COVID-19_cases_casesByDay";
const QByteArray kRollingMean = kEngland + "/COVID-19_cases_rateRollingMean";
const QByteArray kEastDevon = kCovid
                              + "/geography_types/Lower%20Tier%20Local%20Authority"
                                "/geographies/East%20Devon/metrics";
const QByteArray kInfluenza = "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                              "respiratory/topics/Influenza";

// The names a point is filed under.
struct Series {
    const char *topic;
    const char *geographyType;
    const char *geography;
    const char *geographyCode;
    const char *metric;
    const char *metricGroup;
    const char *stratum;
    const char *sex;
    const char *age;
};

const Series kCases{"COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_casesByDay",
                    "cases",    "default", "all",     "all"};
const Series kRate90Male{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "Male",    "90+"};
const Series kRate90All{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "all",     "90+"};
const Series kRate85{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "all",     "85-89"};
const Series kDeaths{"COVID-19",
                     "Lower Tier Local Authority",
                     "East Devon",
                     "E07000040",
                     "COVID-19_deaths_ONSByWeek",
                     "deaths",
                     "default",
                     "all",
                     "all"};
const Series kFluRegion{"Influenza",
                        "UKHSA Region",
                        "East Midlands",
                        "",
                        "weekly_hospital_admissions_rate_by_geography",
                        "healthcare",
                        "default",
                        "all",
                        "all"};
const Series kFluAge{
    "Influenza",  "Nation", "England", "E92000001", "weekly_hospital_admissions_rate_by_age",
    "healthcare", "85+",    "all",     "all"};

// One result of the paginated level (and of JSON downloads), field for field.
QJsonObject point(const Series &s, const char *date, int epiweek, double value,
                  bool inDelay = false)
{
    const QDate day = QDate::fromString(QLatin1String(date), Qt::ISODate);
    return QJsonObject{
        {u"theme"_qs, u"infectious_disease"_qs},
        {u"sub_theme"_qs, u"respiratory"_qs},
        {u"topic"_qs, QLatin1String(s.topic)},
        {u"geography_type"_qs, QLatin1String(s.geographyType)},
        {u"geography"_qs, QLatin1String(s.geography)},
        {u"geography_code"_qs, QLatin1String(s.geographyCode)},
        {u"metric"_qs, QLatin1String(s.metric)},
        {u"metric_group"_qs, QLatin1String(s.metricGroup)},
        {u"stratum"_qs, QLatin1String(s.stratum)},
        {u"sex"_qs, QLatin1String(s.sex)},
        {u"age"_qs, QLatin1String(s.age)},
        {u"year"_qs, day.year()},
        {u"month"_qs, day.month()},
        {u"epiweek"_qs, epiweek},
        {u"date"_qs, QLatin1String(date)},
        {u"metric_value"_qs, value},
        {u"in_reporting_delay_period"_qs, inDelay},
    };
}

// The released public points of COVID-19_cases_casesByDay, oldest first.
QJsonArray casesPoints(int from, int count)
{
    const QJsonArray all{
        point(kCases, "2022-12-30", 52, 5524), point(kCases, "2022-12-31", 52, 3891),
        point(kCases, "2023-01-01", 52, 3338), point(kCases, "2023-01-02", 1, 4636),
        point(kCases, "2023-01-03", 1, 5739),  point(kCases, "2023-01-04", 1, 5009, true),
    };
    QJsonArray slice;
    for (int i = from; i < from + count; ++i)
        slice.append(all[i]);
    return slice;
}

QJsonArray catalogue(const QByteArray &listPath, const QStringList &names,
                     const QStringList &encoded = {})
{
    QJsonArray items;
    for (qsizetype i = 0; i < names.size(); ++i) {
        items.append(QJsonObject{
            {u"name"_qs, names[i]},
            {u"link"_qs, QString(u"$BASE"_qs + QString::fromLatin1(listPath) + u'/'
                                 + encoded.value(i, names[i]))},
        });
    }
    return items;
}

QJsonObject detail(const QString &name, const char *next, const QByteArray &nextPath)
{
    return QJsonObject{
        {u"name"_qs, name},
        {QLatin1String(next), QString(u"$BASE"_qs + QString::fromLatin1(nextPath) + u'/')}};
}

QJsonObject page(qint64 count, const QByteArray &next, const QByteArray &previous,
                 const QJsonArray &results)
{
    auto link = [](const QByteArray &target) {
        return target.isEmpty() ? QJsonValue()
                                : QJsonValue(QString(u"$BASE"_qs + QString::fromLatin1(target)));
    };
    return QJsonObject{{u"count"_qs, count},
                       {u"next"_qs, link(next)},
                       {u"previous"_qs, link(previous)},
                       {u"results"_qs, results}};
}

// "$BASE" in expected answers stands for the server's address as the client called it.
QJsonValue withBase(const QJsonValue &value, const QString &base)
{
    if (value.isString())
        return QJsonValue(value.toString().replace(u"$BASE"_qs, base));
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(withBase(item, base));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = withBase(it.value(), base);
        return object;
    }
    return value;
}

QByteArray compact(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QJsonValue bodyJson(const HttpReply &reply)
{
    const QJsonDocument document = reply.json();
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

QByteArray plot(const QByteArray &metric, const QByteArray &extra = {})
{
    return "{\"topic\":\"COVID-19\",\"metric\":\"" + metric + "\"" + extra + '}';
}

} // namespace

class TestMetricsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void drillDown_data();
    void drillDown();
    void metricPoints_data();
    void metricPoints();
    void headline_data();
    void headline();
    void trend_data();
    void trend();
    void table_data();
    void table();
    void downloadJson();
    void downloadCsv();
    void problems_data();
    void problems();
    void wrongMethod_data();
    void wrongMethod();
    void oversizedBody();
    void nonPublicAndEmbargoedNeverServed();
    void catalogueIsTheDrillDownFlattened();
    void hiddenNamesAreUnknown_data();
    void hiddenNamesAreUnknown();

private:
    HttpReply get(const QByteArray &target) const
    {
        return HttpClient::request(m_server.port(), "GET", target);
    }
    HttpReply post(const QByteArray &target, const QByteArray &body) const
    {
        return HttpClient::request(m_server.port(), "POST", target, body);
    }
    void compareJson(const HttpReply &reply, const QJsonValue &expected) const;

    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_base;
};

void TestMetricsApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString database = m_dir.filePath(u"metrics.db"_qs);
    QByteArray output;
    QCOMPARE(runIngest(database, {fixturesDir() + u"/metrics"_qs}, &output), 0);
    QVERIFY2(output.contains("files: 13 ok, 0 failed"), output.constData());
    QVERIFY2(m_server.start(database, kServeArguments), m_server.output().constData());
    m_base = u"http://localhost:"_qs + QString::number(m_server.port());
}

void TestMetricsApi::cleanupTestCase()
{
    QCOMPARE(m_server.stop(), 0);
}

void TestMetricsApi::compareJson(const HttpReply &reply, const QJsonValue &expectedWithBase) const
{
    const QJsonValue expected = withBase(expectedWithBase, m_base);
    QVERIFY2(reply.status == 200,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonValue actual = bodyJson(reply);
    if (actual != expected) {
        QFAIL(qPrintable(u"\n   actual: "_qs + QString::fromUtf8(reply.body) + u"\n expected: "_qs
                         + QString::fromUtf8(compact(expected))));
    }
}

void TestMetricsApi::drillDown_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");

    const QByteArray themes = kTimeseries + "/themes";
    const QByteArray subThemes = themes + "/infectious_disease/sub_themes";
    const QByteArray topics = subThemes + "/respiratory/topics";
    const QByteArray covidTypes = kCovid + "/geography_types";
    const QByteArray ltla = covidTypes + "/Lower%20Tier%20Local%20Authority";

    QTest::newRow("themes") << themes << QJsonValue(catalogue(themes, {u"infectious_disease"_qs}));
    QTest::newRow("themes/") << themes + '/'
                             << QJsonValue(catalogue(themes, {u"infectious_disease"_qs}));
    QTest::newRow("theme") << themes + "/infectious_disease"
                           << QJsonValue(detail(u"infectious_disease"_qs, "sub_themes", subThemes));
    QTest::newRow("theme/") << themes + "/infectious_disease/"
                            << QJsonValue(
                                   detail(u"infectious_disease"_qs, "sub_themes", subThemes));
    QTest::newRow("sub_themes") << subThemes
                                << QJsonValue(catalogue(subThemes, {u"respiratory"_qs}));
    QTest::newRow("sub_theme") << subThemes + "/respiratory"
                               << QJsonValue(detail(u"respiratory"_qs, "topics", topics));
    QTest::newRow("topics") << topics + '/'
                            << QJsonValue(catalogue(topics, {u"COVID-19"_qs, u"Influenza"_qs}));
    QTest::newRow("topic") << kCovid
                           << QJsonValue(detail(u"COVID-19"_qs, "geography_types", covidTypes));
    // An escape where none is needed decodes to the same name; links are written canonically.
    QTest::newRow("topic escaped")
        << topics + "/COVID%2D19"
        << QJsonValue(detail(u"COVID-19"_qs, "geography_types", covidTypes));
    QTest::newRow("geography_types, a name with spaces")
        << covidTypes
        << QJsonValue(catalogue(covidTypes, {u"Lower Tier Local Authority"_qs, u"Nation"_qs},
                                {u"Lower%20Tier%20Local%20Authority"_qs}));
    QTest::newRow("geography_type with spaces")
        << ltla
        << QJsonValue(
               detail(u"Lower Tier Local Authority"_qs, "geographies", ltla + "/geographies"));
    // North Lincolnshire has only OFF-SENS_ (non-public) data.
    QTest::newRow("geographies, public only")
        << ltla + "/geographies/"
        << QJsonValue(catalogue(ltla + "/geographies", {u"East Devon"_qs}, {u"East%20Devon"_qs}));
    QTest::newRow("geography with spaces")
        << ltla + "/geographies/East%20Devon"
        << QJsonValue(detail(u"East Devon"_qs, "metrics", kEastDevon));
    QTest::newRow("metrics of East Devon")
        << kEastDevon << QJsonValue(catalogue(kEastDevon, {u"COVID-19_deaths_ONSByWeek"_qs}));
    // Headline metrics are not time series, and OFF-SENS_ metrics are not public.
    QTest::newRow("metrics of England")
        << kEngland
        << QJsonValue(catalogue(
               kEngland, {u"COVID-19_cases_casesByDay"_qs, u"COVID-19_cases_rateRollingMean"_qs}));
    QTest::newRow("geography_types from the CSV")
        << kInfluenza + "/geography_types"
        << QJsonValue(catalogue(kInfluenza + "/geography_types", {u"Nation"_qs, u"UKHSA Region"_qs},
                                {u"Nation"_qs, u"UKHSA%20Region"_qs}));
    QTest::newRow("metrics from the CSV")
        << kInfluenza + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics"
        << QJsonValue(catalogue(
               kInfluenza + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics",
               {u"weekly_hospital_admissions_rate_by_geography"_qs}));
}

void TestMetricsApi::drillDown()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    compareJson(get(target), expected);
}

void TestMetricsApi::metricPoints_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");

    const QByteArray cases = kCasesByDay;
    QTest::newRow("first page, default size 5")
        << cases << QJsonValue(page(6, cases + "?page=2", {}, casesPoints(0, 5)));
    QTest::newRow("trailing slash")
        << cases + '/' << QJsonValue(page(6, cases + "/?page=2", {}, casesPoints(0, 5)));
    QTest::newRow("last page") << cases + "?page=2"
                               << QJsonValue(page(6, {}, cases + "?page=1", casesPoints(5, 1)));
    QTest::newRow("page_size") << cases + "?page_size=2&page=2"
                               << QJsonValue(page(6, cases + "?page_size=2&page=3",
                                                  cases + "?page_size=2&page=1",
                                                  casesPoints(2, 2)));
    QTest::newRow("page_size 365")
        << cases + "?page_size=365" << QJsonValue(page(6, {}, {}, casesPoints(0, 6)));
    QTest::newRow("year") << cases + "?year=2022" << QJsonValue(page(2, {}, {}, casesPoints(0, 2)));
    QTest::newRow("epiweek") << cases + "?epiweek=52"
                             << QJsonValue(page(3, {}, {}, casesPoints(0, 3)));
    QTest::newRow("date") << cases + "?date=2023-01-03"
                          << QJsonValue(page(1, {}, {}, casesPoints(4, 1)));
    QTest::newRow("date range") << cases + "?date_from=2022-12-31&date_to=2023-01-01"
                                << QJsonValue(page(2, {}, {}, casesPoints(1, 2)));
    QTest::newRow("date_from only: the embargoed day is left out")
        << cases + "?date_from=2023-01-03" << QJsonValue(page(2, {}, {}, casesPoints(4, 2)));
    QTest::newRow("date_to only") << cases + "?date_to=2022-12-30"
                                  << QJsonValue(page(1, {}, {}, casesPoints(0, 1)));
    QTest::newRow("an embargoed day")
        << cases + "?date=2023-01-05" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("series filters kept in links")
        << cases + "?stratum=default&sex=all&age=all"
        << QJsonValue(
               page(6, cases + "?stratum=default&sex=all&age=all&page=2", {}, casesPoints(0, 5)));
    QTest::newRow("stratum matching nothing")
        << cases + "?stratum=none" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("age with an escaped plus, and sex")
        << kRollingMean + "?age=90%2B&sex=Male"
        << QJsonValue(page(2, {}, {},
                           {point(kRate90Male, "2023-01-02", 1, 448.53),
                            point(kRate90Male, "2023-01-03", 1, 443.08)}));
    QTest::newRow("age") << kRollingMean + "?age=85-89"
                         << QJsonValue(page(1, {}, {}, {point(kRate85, "2023-01-02", 1, 278.74)}));
    QTest::newRow("sex and date") << kRollingMean + "?sex=all&age=90%2B&date=2023-01-03"
                                  << QJsonValue(page(1, {}, {},
                                                     {point(kRate90All, "2023-01-03", 1, 491.92)}));
    QTest::newRow("names with spaces, epiweek given as text in the source")
        << kEastDevon + "/COVID-19_deaths_ONSByWeek/"
        << QJsonValue(
               page(3, {}, {},
                    {point(kDeaths, "2022-10-31", 44, 2), point(kDeaths, "2022-11-07", 45, 4),
                     point(kDeaths, "2022-11-14", 46, 1)}));
    QTest::newRow("CSV points, NA rows skipped")
        << kInfluenza
               + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics/"
                 "weekly_hospital_admissions_rate_by_geography"
        << QJsonValue(page(3, {}, {},
                           {point(kFluRegion, "2023-02-06", 6, 1.270175934),
                            point(kFluRegion, "2023-02-13", 7, 2.540351868),
                            point(kFluRegion, "2023-02-20", 8, 2.11695981)}));
    QTest::newRow("CSV stratum with an escaped plus")
        << kInfluenza
               + "/geography_types/Nation/geographies/England/metrics/"
                 "weekly_hospital_admissions_rate_by_age?stratum=85%2B"
        << QJsonValue(page(2, {}, {},
                           {point(kFluAge, "2023-02-13", 7, 4.190432072),
                            point(kFluAge, "2023-02-20", 8, 4.58914423)}));
}

void TestMetricsApi::metricPoints()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    compareJson(get(target), expected);
}

void TestMetricsApi::headline_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");
    // The week after (2023-11-08) is under embargo; the week before is older.
    const QJsonObject totals{{u"value"_qs, 6276}, {u"period_end"_qs, u"2023-11-01"_qs}};
    QTest::newRow("latest released record")
        << QByteArray("/api/headlines/v3?topic=COVID-19&metric=COVID-19_headline_cases_7DayTotals")
        << QJsonValue(totals);
    QTest::newRow("every filter, trailing slash")
        << QByteArray("/api/headlines/v3/?topic=COVID-19&metric=COVID-19_headline_cases_7DayTotals"
                      "&geography=England&geography_type=Nation&stratum=default&age=all&sex=all")
        << QJsonValue(totals);
    QTest::newRow("a negative value")
        << QByteArray("/api/headlines/v3?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange")
        << QJsonValue(QJsonObject{{u"value"_qs, -38928}, {u"period_end"_qs, u"2023-11-11"_qs}});
}

void TestMetricsApi::headline()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    compareJson(get(target), expected);
}

void TestMetricsApi::trend_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("deaths down: up is bad, so green")
        << QByteArray(
               "/api/trends/v3?topic=COVID-19&metric=COVID-19_headline_ONSdeaths_7DayChange"
               "&percentage_metric=COVID-19_headline_ONSdeaths_7DayPercentChange&geography=England")
        << QJsonValue(QJsonObject{
               {u"metric_name"_qs, u"COVID-19_headline_ONSdeaths_7DayChange"_qs},
               {u"metric_value"_qs, -62},
               {u"metric_period_end"_qs, u"2023-11-03"_qs},
               {u"percentage_metric_name"_qs, u"COVID-19_headline_ONSdeaths_7DayPercentChange"_qs},
               {u"percentage_metric_value"_qs, -22.1},
               {u"percentage_metric_period_end"_qs, u"2023-11-03"_qs},
               {u"direction"_qs, u"down"_qs},
               {u"colour"_qs, u"green"_qs},
           });
    QTest::newRow("tests down: up is good, so red")
        << QByteArray("/api/trends/v3/?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange"
                      "&percentage_metric=COVID-19_headline_tests_7DayPercentChange")
        << QJsonValue(QJsonObject{
               {u"metric_name"_qs, u"COVID-19_headline_tests_7DayChange"_qs},
               {u"metric_value"_qs, -38928},
               {u"metric_period_end"_qs, u"2023-11-11"_qs},
               {u"percentage_metric_name"_qs, u"COVID-19_headline_tests_7DayPercentChange"_qs},
               {u"percentage_metric_value"_qs, -19.1},
               {u"percentage_metric_period_end"_qs, u"2023-11-11"_qs},
               {u"direction"_qs, u"down"_qs},
               {u"colour"_qs, u"red"_qs},
           });
}

void TestMetricsApi::trend()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    compareJson(get(target), expected);
}

void TestMetricsApi::table_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QJsonValue>("expected");
    auto cell = [](const char *label, QJsonValue value, bool inDelay = false) {
        return QJsonObject{{u"label"_qs, QLatin1String(label)},
                           {u"value"_qs, value},
                           {u"in_reporting_delay_period"_qs, inDelay}};
    };
    auto row = [](const char *date, QJsonArray values) {
        return QJsonObject{{u"reference"_qs, QLatin1String(date)}, {u"values"_qs, values}};
    };
    const QByteArray dates = ",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-05\"";
    QTest::newRow("two plots, default labels, newest first")
        << "{\"plots\":[" + plot("COVID-19_cases_casesByDay", dates) + ','
               + plot("COVID-19_cases_rateRollingMean", dates + ",\"age\":\"90+\",\"sex\":\"all\"")
               + "],\"x_axis\":\"date\"}"
        << QJsonValue(QJsonArray{
               row("2023-01-04", {cell("Plot1", 5009, true), cell("Plot2", QJsonValue())}),
               row("2023-01-03", {cell("Plot1", 5739), cell("Plot2", 491.92)}),
               row("2023-01-02", {cell("Plot1", 4636), cell("Plot2", 493.68)}),
           });
    QTest::newRow("own label, filters, x_axis defaulted")
        << "{\"plots\":["
               + plot(
                   "COVID-19_cases_casesByDay",
                   ",\"label\":\"Cases\",\"geography\":\"England\",\"geography_type\":\"Nation\","
                   "\"stratum\":\"default\",\"age\":\"all\",\"sex\":\"all\","
                   "\"date_from\":\"2022-12-31\",\"date_to\":\"2023-01-01\"")
               + "]}"
        << QJsonValue(QJsonArray{row("2023-01-01", {cell("Cases", 3338)}),
                                 row("2022-12-31", {cell("Cases", 3891)})});
    // Without dates a plot covers the year up to today, and the fixtures are older.
    QTest::newRow("default dates")
        << "{\"plots\":[" + plot("COVID-19_cases_casesByDay") + "]}" << QJsonValue(QJsonArray{});
    QTest::newRow("blank filters mean not filtered")
        << "{\"plots\":["
               + plot("COVID-19_cases_casesByDay",
                      ",\"geography\":\"\",\"stratum\":null,\"date_from\":\"2023-01-04\","
                      "\"date_to\":\"\",\"label\":\"\"")
               + "]}"
        << QJsonValue(QJsonArray{row("2023-01-04", {cell("Plot1", 5009, true)})});
}

void TestMetricsApi::table()
{
    QFETCH(QByteArray, body);
    QFETCH(QJsonValue, expected);
    compareJson(post("/api/tables/v4", body), expected);
}

void TestMetricsApi::downloadJson()
{
    const HttpReply reply =
        post("/api/downloads/v2/",
             "{\"file_format\":\"json\",\"plots\":["
                 + plot("COVID-19_cases_rateRollingMean",
                        ",\"sex\":\"Male\",\"date_from\":\"2023-01-01\",\"date_to\":\"2023-01-31\"")
                 + ','
                 + plot("COVID-19_cases_casesByDay",
                        ",\"date_from\":\"2023-01-04\",\"date_to\":\"2023-01-05\"")
                 + "]}");
    compareJson(reply, QJsonArray{point(kRate90Male, "2023-01-02", 1, 448.53),
                                  point(kRate90Male, "2023-01-03", 1, 443.08),
                                  point(kCases, "2023-01-04", 1, 5009, true)});
    QCOMPARE(reply.header("content-disposition"),
             QByteArray("attachment; filename=\"isobar-download.json\""));
}

void TestMetricsApi::downloadCsv()
{
    const HttpReply reply = post(
        "/api/downloads/v2", "{\"file_format\":\"csv\",\"plots\":["
                                 + plot("COVID-19_cases_casesByDay",
                                        ",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-05\"")
                                 + "]}");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("text/csv; charset=utf-8"));
    QCOMPARE(reply.header("content-disposition"),
             QByteArray("attachment; filename=\"isobar-download.csv\""));
    QCOMPARE(
        reply.body,
        QByteArray(
            "theme,sub_theme,topic,geography_type,geography,geography_code,metric,metric_group,"
            "stratum,sex,age,year,month,epiweek,date,metric_value,in_reporting_delay_period\r\n"
            "infectious_disease,respiratory,COVID-19,Nation,England,E92000001,COVID-19_cases_"
            "casesByDay,"
            "cases,default,all,all,2023,1,1,2023-01-03,5739,false\r\n"
            "infectious_disease,respiratory,COVID-19,Nation,England,E92000001,COVID-19_cases_"
            "casesByDay,"
            "cases,default,all,all,2023,1,1,2023-01-04,5009,true\r\n"));
}

void TestMetricsApi::problems_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");

    const QByteArray headlines = "/api/headlines/v3?topic=COVID-19&metric=";
    const QByteArray trends =
        "/api/trends/v3?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange";
    auto plots = [](const QByteArray &list) -> QByteArray { return "{\"plots\":[" + list + "]}"; };
    const QByteArray cases = plot("COVID-19_cases_casesByDay");
    QByteArray elevenPlots = cases;
    for (int i = 1; i < 11; ++i)
        elevenPlots += ',' + cases;

    // Unknown paths and names: 404.
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/api/nothing/here")
                                  << QByteArray() << 404 << QString();
    QTest::newRow("beyond the last level")
        << QByteArray("GET") << kCasesByDay + "/more" << QByteArray() << 404 << QString();
    QTest::newRow("unknown theme") << QByteArray("GET") << kTimeseries + "/themes/no_such_theme"
                                   << QByteArray() << 404 << u"theme"_qs;
    QTest::newRow("unknown sub_theme in a list")
        << QByteArray("GET") << kTimeseries + "/themes/infectious_disease/sub_themes/nope/topics"
        << QByteArray() << 404 << u"sub_theme"_qs;
    QTest::newRow("unknown topic")
        << QByteArray("GET")
        << kTimeseries + "/themes/infectious_disease/sub_themes/respiratory/topics/Ebola"
        << QByteArray() << 404 << u"topic"_qs;
    QTest::newRow("a topic under another theme")
        << QByteArray("GET")
        << kTimeseries + "/themes/climate/sub_themes/respiratory/topics/COVID-19" << QByteArray()
        << 404 << u"topic"_qs;
    QTest::newRow("unknown geography with spaces")
        << QByteArray("GET") << kCovid + "/geography_types/Nation/geographies/New%20England/metrics"
        << QByteArray() << 404 << u"geography"_qs;
    QTest::newRow("unknown metric in the path")
        << QByteArray("GET") << kEngland + "/COVID-19_cases_noSuchMetric" << QByteArray() << 404
        << u"metric"_qs;
    QTest::newRow("a metric of another geography")
        << QByteArray("GET") << kEngland + "/COVID-19_deaths_ONSByWeek" << QByteArray() << 404
        << u"metric"_qs;

    // The paginated level: 400 naming the parameter.
    QTest::newRow("date_to before date_from")
        << QByteArray("GET") << kCasesByDay + "?date_from=2023-01-03&date_to=2023-01-02"
        << QByteArray() << 400 << u"date_to"_qs;
    QTest::newRow("bad date") << QByteArray("GET") << kCasesByDay + "?date=2023-02-30"
                              << QByteArray() << 400 << u"date"_qs;
    QTest::newRow("bad date_from") << QByteArray("GET") << kCasesByDay + "?date_from=yesterday"
                                   << QByteArray() << 400 << u"date_from"_qs;
    QTest::newRow("page out of range")
        << QByteArray("GET") << kCasesByDay + "?page=3" << QByteArray() << 400 << u"page"_qs;
    QTest::newRow("page 0") << QByteArray("GET") << kCasesByDay + "?page=0" << QByteArray() << 400
                            << u"page"_qs;
    QTest::newRow("page_size over 365") << QByteArray("GET") << kCasesByDay + "?page_size=366"
                                        << QByteArray() << 400 << u"page_size"_qs;
    QTest::newRow("page_size not a number") << QByteArray("GET") << kCasesByDay + "?page_size=ten"
                                            << QByteArray() << 400 << u"page_size"_qs;
    QTest::newRow("epiweek 54") << QByteArray("GET") << kCasesByDay + "?epiweek=54" << QByteArray()
                                << 400 << u"epiweek"_qs;
    QTest::newRow("year not a number")
        << QByteArray("GET") << kCasesByDay + "?year=last" << QByteArray() << 400 << u"year"_qs;
    QTest::newRow("unknown query parameter")
        << QByteArray("GET") << kCasesByDay + "?colour=red" << QByteArray() << 400 << u"colour"_qs;
    QTest::newRow("query parameter on a list")
        << QByteArray("GET") << kTimeseries + "/themes?page=1" << QByteArray() << 400 << u"page"_qs;

    // Headlines and trends.
    QTest::newRow("headline of a time-series metric")
        << QByteArray("GET") << headlines + "COVID-19_cases_casesByDay" << QByteArray() << 400
        << u"metric"_qs;
    QTest::newRow("headline of an unknown metric")
        << QByteArray("GET") << headlines + "COVID-19_headline_nothing" << QByteArray() << 400
        << u"metric"_qs;
    QTest::newRow("headline without metric")
        << QByteArray("GET") << QByteArray("/api/headlines/v3?topic=COVID-19") << QByteArray()
        << 400 << u"metric"_qs;
    QTest::newRow("headline without topic")
        << QByteArray("GET")
        << QByteArray("/api/headlines/v3?metric=COVID-19_headline_cases_7DayTotals") << QByteArray()
        << 400 << u"topic"_qs;
    QTest::newRow("headline metric of another topic")
        << QByteArray("GET")
        << QByteArray("/api/headlines/v3?topic=Influenza&metric=COVID-19_headline_cases_7DayTotals")
        << QByteArray() << 400 << u"topic"_qs;
    QTest::newRow("headline with no data for the selection")
        << QByteArray("GET") << headlines + "COVID-19_headline_cases_7DayTotals&geography=Wales"
        << QByteArray() << 404 << QString();
    QTest::newRow("trend without percentage_metric")
        << QByteArray("GET") << trends << QByteArray() << 400 << u"percentage_metric"_qs;
    QTest::newRow("trend with an unknown percentage_metric")
        << QByteArray("GET") << trends + "&percentage_metric=COVID-19_headline_nothing"
        << QByteArray() << 400 << u"percentage_metric"_qs;
    QTest::newRow("trend with an unknown metric")
        << QByteArray("GET")
        << QByteArray("/api/trends/"
                      "v3?topic=COVID-19&metric=nothing&percentage_metric=COVID-19_headline_tests_"
                      "7DayPercentChange")
        << QByteArray() << 400 << u"metric"_qs;

    // Tables and downloads.
    QTest::newRow("body not JSON") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                   << QByteArray("{\"plots\": [") << 400 << u"body"_qs;
    QTest::newRow("body not an object") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                        << QByteArray("[]") << 400 << u"body"_qs;
    QTest::newRow("empty body") << QByteArray("POST") << QByteArray("/api/downloads/v2")
                                << QByteArray() << 400 << u"body"_qs;
    QTest::newRow("no plots") << QByteArray("POST") << QByteArray("/api/tables/v4")
                              << QByteArray("{\"x_axis\":\"date\"}") << 400 << u"plots"_qs;
    QTest::newRow("empty plots") << QByteArray("POST") << QByteArray("/api/tables/v4") << plots({})
                                 << 400 << u"plots"_qs;
    QTest::newRow("plot without topic")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots("{\"metric\":\"COVID-19_cases_casesByDay\"}") << 400 << u"plots[0].topic"_qs;
    QTest::newRow("second plot without metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(cases + ",{\"topic\":\"COVID-19\"}") << 400 << u"plots[1].metric"_qs;
    QTest::newRow("too many plots") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                    << plots(elevenPlots) << 400 << u"plots"_qs;
    QTest::newRow("plot with an unknown metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_nothing")) << 400 << u"plots[0].metric"_qs;
    QTest::newRow("plot with a headline metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_headline_cases_7DayTotals")) << 400 << u"plots[0].metric"_qs;
    QTest::newRow("plot date_to before date_from")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay",
                      ",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-02\""))
        << 400 << u"plots[0].date_to"_qs;
    QTest::newRow("plot with a bad date")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay", ",\"date_from\":\"03/01/2023\"")) << 400
        << u"plots[0].date_from"_qs;
    QTest::newRow("plot filter not a string")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay", ",\"age\":90")) << 400 << u"plots[0].age"_qs;
    QTest::newRow("x_axis other than date")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << "{\"x_axis\":\"age\",\"plots\":[" + cases + "]}" << 400 << u"x_axis"_qs;
    QTest::newRow("unknown file_format")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << "{\"file_format\":\"xml\",\"plots\":[" + cases + "]}" << 400 << u"file_format"_qs;
    QTest::newRow("download of an unknown metric")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << plots(cases + ',' + plot("nothing")) << 400 << u"plots[1].metric"_qs;
}

void TestMetricsApi::problems()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);

    const HttpReply reply = HttpClient::request(m_server.port(), method, target, body);
    QVERIFY2(reply.status == status,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    const QJsonObject problem = reply.json().object();
    QCOMPARE(problem.value(u"type").toString(), u"about:blank"_qs);
    QCOMPARE(problem.value(u"title").toString(),
             status == 404 ? u"Not Found"_qs : u"Bad Request"_qs);
    QCOMPARE(problem.value(u"status").toInt(), status);
    QVERIFY2(!problem.value(u"detail").toString().isEmpty(), reply.body.constData());
    QCOMPARE(problem.value(u"field").toString(), field);
    QCOMPARE(problem.contains(u"field"), !field.isEmpty());
}

void TestMetricsApi::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("allow");
    QTest::newRow("GET a table") << QByteArray("GET") << QByteArray("/api/tables/v4")
                                 << QByteArray("POST");
    QTest::newRow("POST a headline")
        << QByteArray("POST") << QByteArray("/api/headlines/v3/") << QByteArray("GET");
    QTest::newRow("DELETE a metric") << QByteArray("DELETE") << kCasesByDay << QByteArray("GET");
    QTest::newRow("PUT a download")
        << QByteArray("PUT") << QByteArray("/api/downloads/v2") << QByteArray("POST");
}

void TestMetricsApi::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, allow);
    const HttpReply reply = HttpClient::request(m_server.port(), method, target, "{}");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("allow"), allow);
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(reply.json().object().value(u"status").toInt(), 405);
    QCOMPARE(reply.json().object().value(u"title").toString(), u"Method Not Allowed"_qs);
}

void TestMetricsApi::oversizedBody()
{
    // One byte over --max-body-bytes; the guard answers from the headers alone.
    const QByteArray body = "{\"plots\":[" + QByteArray(65536 - 11, ' ') + "]}";
    QCOMPARE(body.size(), 65537);
    const HttpReply reply = post("/api/tables/v4", body);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(reply.json().object().value(u"status").toInt(), 413);

    // The same body one byte smaller is read and parsed (and refused for its empty plots).
    const HttpReply accepted =
        post("/api/tables/v4", "{\"plots\":[" + QByteArray(65536 - 12, ' ') + "]}");
    QCOMPARE(accepted.status, 400);
    QCOMPARE(accepted.json().object().value(u"field").toString(), u"plots"_qs);
}

void TestMetricsApi::catalogueIsTheDrillDownFlattened()
{
    // Every leaf of the drill-down, walked level by level by name.
    QList<QStringList> walked{{}};
    for (const char *collection :
         {"themes", "sub_themes", "topics", "geography_types", "geographies", "metrics"}) {
        QList<QStringList> deeper;
        for (const QStringList &path : std::as_const(walked)) {
            QByteArray target = kTimeseries;
            static const char *const kCollections[] = {"themes", "sub_themes", "topics",
                                                       "geography_types", "geographies"};
            for (int i = 0; i < path.size(); ++i)
                target +=
                    '/' + QByteArray(kCollections[i]) + '/' + QUrl::toPercentEncoding(path[i]);
            const HttpReply reply = get(target + '/' + collection);
            QCOMPARE(reply.status, 200);
            for (const QJsonValue &item : reply.json().array())
                deeper.append(path + QStringList{item.toObject().value(u"name").toString()});
        }
        walked = deeper;
    }
    const HttpReply reply = get("/api/v1/catalogue");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonObject answer = reply.json().object();
    QList<QStringList> flat;
    for (const QJsonValue &row : answer.value(u"results").toArray()) {
        const QJsonObject o = row.toObject();
        flat.append({o.value(u"theme").toString(), o.value(u"sub_theme").toString(),
                     o.value(u"topic").toString(), o.value(u"geography_type").toString(),
                     o.value(u"geography").toString(), o.value(u"metric").toString()});
    }
    QCOMPARE(flat, walked);
    QCOMPARE(answer.value(u"count").toInt(), 5); // no headline, no OFF-SENS_, embargo respected
    QVERIFY(flat.contains(QStringList{u"infectious_disease"_qs, u"respiratory"_qs, u"COVID-19"_qs,
                                      u"Lower Tier Local Authority"_qs, u"East Devon"_qs,
                                      u"COVID-19_deaths_ONSByWeek"_qs}));
    QCOMPARE(get("/api/v1/catalogue?page=2").status, 400); // it takes no parameters
}

void TestMetricsApi::nonPublicAndEmbargoedNeverServed()
{
    // Walks the whole catalogue by its links and reads every point of every metric.
    QStringList pending{m_base + QString::fromLatin1(kTimeseries) + u"/themes/"_qs};
    QByteArray everything;
    int metricsRead = 0;
    while (!pending.isEmpty()) {
        const QString url = pending.takeFirst();
        QVERIFY(url.startsWith(m_base));
        const QByteArray target = url.mid(m_base.size()).toLatin1();
        const bool pointsLevel = target.contains("/metrics/") && !target.endsWith("/metrics/");
        const HttpReply reply = get(target + (pointsLevel ? "?page_size=365" : ""));
        QVERIFY2(reply.status == 200, target.constData());
        everything += reply.body;
        const QJsonDocument document = reply.json();
        if (document.isArray()) {
            for (const QJsonValue &item : document.array())
                pending << item.toObject().value(u"link").toString();
        } else if (pointsLevel) {
            QCOMPARE(document.object().value(u"next"), QJsonValue());
            ++metricsRead;
        } else {
            for (const QJsonValue &link : document.object())
                if (link.toString().startsWith(m_base))
                    pending << link.toString();
        }
    }
    QCOMPARE(metricsRead, 5); // casesByDay, rateRollingMean, ONSByWeek, and two from the CSV
    QVERIFY(everything.contains("\"2023-01-04\""));
    QVERIFY2(!everything.contains("2023-01-05"), "a point under embargo was served");
    QVERIFY2(!everything.contains("OFF-SENS"), "a non-public metric was served");
    QVERIFY2(!everything.contains("North Lincolnshire"),
             "a geography with only non-public data was listed");
    QVERIFY2(!everything.contains("\"Female\""), "a non-public series was served");
    QVERIFY2(!everything.contains("headline"), "a headline metric was listed as a time series");
}

void TestMetricsApi::hiddenNamesAreUnknown_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    const QByteArray offSens = "OFF-SENS_COVID-19_cases_rateRollingMean";
    QTest::newRow("non-public metric in the path")
        << QByteArray("GET") << kEngland + '/' + offSens << QByteArray() << 404 << u"metric"_qs;
    QTest::newRow("geography with only non-public data")
        << QByteArray("GET")
        << kCovid
               + "/geography_types/Lower%20Tier%20Local%20Authority/geographies/"
                 "North%20Lincolnshire"
        << QByteArray() << 404 << u"geography"_qs;
    QTest::newRow("headline metric in the path")
        << QByteArray("GET") << kEngland + "/COVID-19_headline_cases_7DayTotals" << QByteArray()
        << 404 << u"metric"_qs;
    QTest::newRow("non-public metric in a table")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << "{\"plots\":[" + plot(offSens) + "]}" << 400 << u"plots[0].metric"_qs;
    QTest::newRow("non-public metric in a download")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << "{\"plots\":[" + plot(offSens) + "]}" << 400 << u"plots[0].metric"_qs;
}

// Names the catalogue does not list (non-public, headline-only) are unknown everywhere else too.
void TestMetricsApi::hiddenNamesAreUnknown()
{
    problems();
}

QTEST_GUILESS_MAIN(TestMetricsApi)
#include "TestMetricsApi.moc"
