// UKHSA's headlines/v3, trends/v3 and geographies/v2, v3 over a real socket (see
// MetricsApiFixture.h), held to the bytes UKHSA answers (metrics/api/views/headlines.py, trends.py
// and their tests): value and period formats, direction and colour from the percentage, its
// serializer's errors field by field, and its own messages when there is no data.

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

    void headline_data();
    void headline();
    void trend_data();
    void trend();
    void geographies_data();
    void geographies();

private:
    MetricsApiServer m_api;
};

namespace {

// Every dimension UKHSA's headlines and trends require, for England.
const QByteArray kEnglandAll =
    "&geography=England&geography_type=Nation&stratum=default&age=all&sex=all";

} // namespace

void TestMetricsApiQueries::headline_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray headlines = "/api/headlines/v3/?topic=COVID-19&metric=";
    // The week after (2023-11-08) is under embargo; the week before is older. UKHSA writes the
    // value as a float and the period's end as a naive midnight.
    QTest::newRow("latest released record")
        << headlines + "COVID-19_headline_cases_7DayTotals" + kEnglandAll << 200
        << QByteArray("{\"value\":6276.0,\"period_end\":\"2023-11-01T00:00:00\"}");
    QTest::newRow("without the trailing slash, is_public and data_classification accepted")
        << "/api/headlines/v3?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange"
               + kEnglandAll + "&is_public=true&data_classification=official"
        << 200 << QByteArray("{\"value\":-38928.0,\"period_end\":\"2023-11-11T00:00:00\"}");
    // UKHSA's database connection reads periods in London time (its alert tests compare a
    // summer period's wall-clock time): a week ending on 1 July says 1 July.
    QTest::newRow("a summer period end, as UKHSA writes it")
        << headlines + "COVID-19_headline_positivity_latest" + kEnglandAll << 200
        << QByteArray("{\"value\":8.5,\"period_end\":\"2023-07-01T00:00:00\"}");

    // UKHSA's errors: its serializer's, field by field in its order, then its own message.
    QTest::newRow("nothing given")
        << QByteArray("/api/headlines/v3/") << 400
        << QByteArray("{\"topic\":[\"This field is required.\"],\"metric\":[\"This field is "
                      "required.\"],\"geography\":[\"This field is required.\"],"
                      "\"geography_type\":[\"This field is required.\"],\"stratum\":[\"This "
                      "field is required.\"],\"age\":[\"This field is required.\"],\"sex\":"
                      "[\"This field is required.\"]}");
    QTest::newRow("a time-series metric is not a choice")
        << headlines + "COVID-19_cases_casesByDay" + kEnglandAll << 400
        << QByteArray("{\"metric\":[\"\\\"COVID-19_cases_casesByDay\\\" is not a valid "
                      "choice.\"]}");
    QTest::newRow("unknown topic and geography")
        << QByteArray("/api/headlines/v3/?topic=Ebola&metric=COVID-19_headline_cases_7DayTotals"
                      "&geography=Wales&geography_type=Nation&stratum=default&age=all&sex=all")
        << 400
        << QByteArray("{\"topic\":[\"\\\"Ebola\\\" is not a valid choice.\"],\"geography\":"
                      "[\"\\\"Wales\\\" is not a valid choice.\"]}");
    QTest::newRow("is_public not a boolean")
        << headlines + "COVID-19_headline_cases_7DayTotals" + kEnglandAll + "&is_public=maybe"
        << 400 << QByteArray("{\"is_public\":[\"Must be a valid boolean.\"]}");
    // DRF takes "true", "True" and "TRUE", nothing between.
    QTest::newRow("is_public in mixed case")
        << headlines + "COVID-19_headline_cases_7DayTotals" + kEnglandAll + "&is_public=tRue" << 400
        << QByteArray("{\"is_public\":[\"Must be a valid boolean.\"]}");
    QTest::newRow("a metric of another topic has no data")
        << "/api/headlines/v3/?topic=Influenza&metric=COVID-19_headline_cases_7DayTotals"
               + kEnglandAll
        << 400 << QByteArray("{\"error_message\":\"No data could be found for those parameters\"}");
    QTest::newRow("no data for the selection")
        << headlines + "COVID-19_headline_cases_7DayTotals"
               + "&geography=England&geography_type=Nation&stratum=default&age=90%2B&sex=all"
        << 400 << QByteArray("{\"error_message\":\"No data could be found for those parameters\"}");
}

void TestMetricsApiQueries::headline()
{
    m_api.compareGet();
}

void TestMetricsApiQueries::trend_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray deaths = "/api/trends/v3/?topic=COVID-19&metric=COVID-19_headline_ONSdeaths_"
                              "7DayChange&percentage_metric=COVID-19_headline_ONSdeaths_"
                              "7DayPercentChange";
    const QByteArray tests = "/api/trends/v3?topic=COVID-19&metric=COVID-19_headline_tests_"
                             "7DayChange&percentage_metric=COVID-19_headline_tests_"
                             "7DayPercentChange";
    // Direction and colour come from the percentage, the colour's sense from the main metric.
    QTest::newRow("deaths down: up is bad, so green")
        << deaths + kEnglandAll << 200
        << QByteArray(
               "{\"metric_name\":\"COVID-19_headline_ONSdeaths_7DayChange\","
               "\"metric_value\":-62.0,\"metric_period_end\":\"2023-11-03T00:00:00Z\","
               "\"percentage_metric_name\":\"COVID-19_headline_ONSdeaths_7DayPercentChange\","
               "\"percentage_metric_value\":-22.1,\"percentage_metric_period_end\":"
               "\"2023-11-03T00:00:00Z\",\"direction\":\"down\",\"colour\":\"green\"}");
    QTest::newRow("tests down: up is good, so red")
        << tests + kEnglandAll << 200
        << QByteArray("{\"metric_name\":\"COVID-19_headline_tests_7DayChange\","
                      "\"metric_value\":-38928.0,\"metric_period_end\":\"2023-11-11T00:00:00Z\","
                      "\"percentage_metric_name\":\"COVID-19_headline_tests_7DayPercentChange\","
                      "\"percentage_metric_value\":-19.1,\"percentage_metric_period_end\":"
                      "\"2023-11-11T00:00:00Z\",\"direction\":\"down\",\"colour\":\"red\"}");
    QTest::newRow("percentage_metric required, after the others")
        << "/api/trends/v3/?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange" + kEnglandAll
        << 400 << QByteArray("{\"percentage_metric\":[\"This field is required.\"]}");
    QTest::newRow("percentage_metric must say percent")
        << "/api/trends/v3/?topic=COVID-19&metric=COVID-19_headline_tests_7DayChange"
           "&percentage_metric=COVID-19_headline_ONSdeaths_7DayChange"
               + kEnglandAll
        << 400
        << QByteArray("{\"percentage_metric\":[\"\\\"COVID-19_headline_ONSdeaths_7DayChange\\\" "
                      "is not a valid choice.\"]}");
    QTest::newRow("no data: the percentage is read first")
        << "/api/trends/v3/?topic=Influenza&metric=COVID-19_headline_ONSdeaths_7DayChange"
           "&percentage_metric=COVID-19_headline_ONSdeaths_7DayPercentChange"
               + kEnglandAll
        << 400
        << QByteArray("{\"error_message\":\"Data for `Influenza` and "
                      "`COVID-19_headline_ONSdeaths_7DayPercentChange` could not be found.\"}");
}

void TestMetricsApiQueries::trend()
{
    m_api.compareGet();
}

void TestMetricsApiQueries::geographies_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray unitedKingdom =
        "{\"geography_type\":\"United Kingdom\",\"name\":\"United Kingdom\",\"geography_code\":"
        "\"K02000001\"}";
    const QByteArray england = "{\"name\":\"England\",\"geography_code\":\"E92000001\","
                               "\"relationships\":["
                               + unitedKingdom + "]}";
    // Groups by type in order, public released time series only (North Lincolnshire, London
    // and Hackney hold non-public data alone), other types related to nothing.
    const QByteArray covid = "[{\"geography_type\":\"Lower Tier Local Authority\",\"geographies\":"
                             "[{\"name\":\"East Devon\",\"geography_code\":\"E07000040\","
                             "\"relationships\":null}]},{\"geography_type\":\"Nation\","
                             "\"geographies\":["
                             + england + "]}]";
    QTest::newRow("v2 by topic") << QByteArray("/api/geographies/v2/COVID-19") << 200 << covid;
    QTest::newRow("v3 by topic") << QByteArray("/api/geographies/v3/?topic=COVID-19") << 200
                                 << covid;
    QTest::newRow("v2, an unknown topic")
        << QByteArray("/api/geographies/v2/Ebola") << 400
        << QByteArray("{\"topic\":{\"name\":\"Please enter a valid topic name.\"}}");
    // By type: every geography of it, each with the areas it sits within.
    QTest::newRow("v3, an upper-tier authority sits in a region and a nation")
        << QByteArray("/api/geographies/v3?geography_type=Upper%20Tier%20Local%20Authority") << 200
        << "[{\"geography_type\":\"Upper Tier Local Authority\",\"geographies\":[{\"name\":"
           "\"Hackney\",\"geography_code\":\"E09000012\",\"relationships\":["
               + unitedKingdom
               + ",{\"geography_type\":\"Region\",\"name\":\"London\",\"geography_code\":"
                 "\"E12000007\"},{\"geography_type\":\"Nation\",\"name\":\"England\","
                 "\"geography_code\":\"E92000001\"}]}]}]";
    QTest::newRow("v3, a region sits in a nation")
        << QByteArray("/api/geographies/v3?geography_type=Region") << 200
        << "[{\"geography_type\":\"Region\",\"geographies\":[{\"name\":\"London\","
           "\"geography_code\":\"E12000007\",\"relationships\":["
               + unitedKingdom
               + ",{\"geography_type\":\"Nation\",\"name\":\"England\",\"geography_code\":"
                 "\"E92000001\"}]}]}]";
    QTest::newRow("v3, a type nothing holds")
        << QByteArray("/api/geographies/v3?geography_type=Ward") << 200
        << QByteArray("[{\"geography_type\":\"Ward\",\"geographies\":[]}]");
    QTest::newRow("v3, neither")
        << QByteArray("/api/geographies/v3") << 400
        << QByteArray("{\"non_field_errors\":[\"Either 'topic' or 'geography_type' must be "
                      "provided.\"]}");
    QTest::newRow("v3, both")
        << QByteArray("/api/geographies/v3?topic=COVID-19&geography_type=Nation") << 400
        << QByteArray("{\"non_field_errors\":[\"Only one of 'topic' or 'geography_type' should "
                      "be provided, not both.\"]}");
    QTest::newRow("v3, blank") << QByteArray("/api/geographies/v3?topic=") << 400
                               << QByteArray("{\"topic\":[\"This field may not be blank.\"]}");
}

void TestMetricsApiQueries::geographies()
{
    m_api.compareGet();
}

QTEST_GUILESS_MAIN(TestMetricsApiQueries)
#include "TestMetricsApiQueries.moc"
