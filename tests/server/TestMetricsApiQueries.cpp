// The dashboard API's read queries over a real socket (see MetricsApiFixture.h): headlines and
// trends, and the 400s naming the parameter.

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
    void problems_data();
    void problems();

private:
    MetricsApiServer m_api;
};

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
