// The metrics API's read queries over a real socket (see MetricsApiFixture.h): a metric's
// points with their filters and paging, headlines and trends, and the 400s naming the parameter.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestMetricsApiQueries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start(); }
    void cleanupTestCase() { m_api.stop(); }

    void metricPoints_data();
    void metricPoints();
    void headline_data();
    void headline();
    void trend_data();
    void trend();
    void problems_data();
    void problems();

private:
    MetricsApiServer m_api;
};

void TestMetricsApiQueries::metricPoints_data()
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

void TestMetricsApiQueries::metricPoints()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestMetricsApiQueries::headline_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");
    // The week after (2023-11-08) is under embargo; the week before is older.
    const QJsonObject totals{{u"value"_s, 6276}, {u"period_end"_s, u"2023-11-01"_s}};
    QTest::newRow("latest released record")
        << QByteArray("/api/headlines/v3?topic=COVID-19&metric=COVID-19_headline_cases_7DayTotals")
        << QJsonValue(totals);
    QTest::newRow("every filter, trailing slash")
        << QByteArray("/api/headlines/v3/?topic=COVID-19&metric=COVID-19_headline_cases_7DayTotals"
                      "&geography=England&geography_type=Nation&stratum=default&age=all&sex=all")
        << QJsonValue(totals);
    QTest::newRow("a negative value")
        << QByteArray("/api/headlines/v3?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange")
        << QJsonValue(QJsonObject{{u"value"_s, -38928}, {u"period_end"_s, u"2023-11-11"_s}});
}

void TestMetricsApiQueries::headline()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestMetricsApiQueries::trend_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("deaths down: up is bad, so green")
        << QByteArray(
               "/api/trends/v3?topic=COVID-19&metric=COVID-19_headline_ONSdeaths_7DayChange"
               "&percentage_metric=COVID-19_headline_ONSdeaths_7DayPercentChange&geography=England")
        << QJsonValue(QJsonObject{
               {u"metric_name"_s, u"COVID-19_headline_ONSdeaths_7DayChange"_s},
               {u"metric_value"_s, -62},
               {u"metric_period_end"_s, u"2023-11-03"_s},
               {u"percentage_metric_name"_s, u"COVID-19_headline_ONSdeaths_7DayPercentChange"_s},
               {u"percentage_metric_value"_s, -22.1},
               {u"percentage_metric_period_end"_s, u"2023-11-03"_s},
               {u"direction"_s, u"down"_s},
               {u"colour"_s, u"green"_s},
           });
    QTest::newRow("tests down: up is good, so red")
        << QByteArray("/api/trends/v3/?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange"
                      "&percentage_metric=COVID-19_headline_tests_7DayPercentChange")
        << QJsonValue(QJsonObject{
               {u"metric_name"_s, u"COVID-19_headline_tests_7DayChange"_s},
               {u"metric_value"_s, -38928},
               {u"metric_period_end"_s, u"2023-11-11"_s},
               {u"percentage_metric_name"_s, u"COVID-19_headline_tests_7DayPercentChange"_s},
               {u"percentage_metric_value"_s, -19.1},
               {u"percentage_metric_period_end"_s, u"2023-11-11"_s},
               {u"direction"_s, u"down"_s},
               {u"colour"_s, u"red"_s},
           });
}

void TestMetricsApiQueries::trend()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestMetricsApiQueries::problems_data()
{
    addProblemColumns();

    const QByteArray headlines = "/api/headlines/v3?topic=COVID-19&metric=";
    const QByteArray trends =
        "/api/trends/v3?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange";

    // The paginated level: 400 naming the parameter.
    QTest::newRow("date_to before date_from")
        << QByteArray("GET") << kCasesByDay + "?date_from=2023-01-03&date_to=2023-01-02"
        << QByteArray() << 400 << u"date_to"_s;
    QTest::newRow("bad date") << QByteArray("GET") << kCasesByDay + "?date=2023-02-30"
                              << QByteArray() << 400 << u"date"_s;
    QTest::newRow("bad date_from") << QByteArray("GET") << kCasesByDay + "?date_from=yesterday"
                                   << QByteArray() << 400 << u"date_from"_s;
    QTest::newRow("page out of range")
        << QByteArray("GET") << kCasesByDay + "?page=3" << QByteArray() << 400 << u"page"_s;
    QTest::newRow("page 0") << QByteArray("GET") << kCasesByDay + "?page=0" << QByteArray() << 400
                            << u"page"_s;
    QTest::newRow("page_size over 365") << QByteArray("GET") << kCasesByDay + "?page_size=366"
                                        << QByteArray() << 400 << u"page_size"_s;
    QTest::newRow("page_size not a number") << QByteArray("GET") << kCasesByDay + "?page_size=ten"
                                            << QByteArray() << 400 << u"page_size"_s;
    QTest::newRow("epiweek 54") << QByteArray("GET") << kCasesByDay + "?epiweek=54" << QByteArray()
                                << 400 << u"epiweek"_s;
    QTest::newRow("year not a number")
        << QByteArray("GET") << kCasesByDay + "?year=last" << QByteArray() << 400 << u"year"_s;
    QTest::newRow("unknown query parameter")
        << QByteArray("GET") << kCasesByDay + "?colour=red" << QByteArray() << 400 << u"colour"_s;
    QTest::newRow("query parameter on a list")
        << QByteArray("GET") << kTimeseries + "/themes?page=1" << QByteArray() << 400 << u"page"_s;

    // Headlines and trends.
    QTest::newRow("headline of a time-series metric")
        << QByteArray("GET") << headlines + "COVID-19_cases_casesByDay" << QByteArray() << 400
        << u"metric"_s;
    QTest::newRow("headline of an unknown metric")
        << QByteArray("GET") << headlines + "COVID-19_headline_nothing" << QByteArray() << 400
        << u"metric"_s;
    QTest::newRow("headline without metric")
        << QByteArray("GET") << QByteArray("/api/headlines/v3?topic=COVID-19") << QByteArray()
        << 400 << u"metric"_s;
    QTest::newRow("headline without topic")
        << QByteArray("GET")
        << QByteArray("/api/headlines/v3?metric=COVID-19_headline_cases_7DayTotals") << QByteArray()
        << 400 << u"topic"_s;
    QTest::newRow("headline metric of another topic")
        << QByteArray("GET")
        << QByteArray("/api/headlines/v3?topic=Influenza&metric=COVID-19_headline_cases_7DayTotals")
        << QByteArray() << 400 << u"topic"_s;
    QTest::newRow("headline with no data for the selection")
        << QByteArray("GET") << headlines + "COVID-19_headline_cases_7DayTotals&geography=Wales"
        << QByteArray() << 404 << QString();
    QTest::newRow("trend without percentage_metric")
        << QByteArray("GET") << trends << QByteArray() << 400 << u"percentage_metric"_s;
    QTest::newRow("trend with an unknown percentage_metric")
        << QByteArray("GET") << trends + "&percentage_metric=COVID-19_headline_nothing"
        << QByteArray() << 400 << u"percentage_metric"_s;
    QTest::newRow("trend with an unknown metric")
        << QByteArray("GET")
        << QByteArray("/api/trends/"
                      "v3?topic=COVID-19&metric=nothing&percentage_metric=COVID-19_headline_tests_"
                      "7DayPercentChange")
        << QByteArray() << 400 << u"metric"_s;
}

void TestMetricsApiQueries::problems()
{
    m_api.verifyProblem();
}

QTEST_GUILESS_MAIN(TestMetricsApiQueries)
#include "TestMetricsApiQueries.moc"
