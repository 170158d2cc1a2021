// The metrics API's tables and downloads over a real socket (see MetricsApiFixture.h): POSTed
// plot lists answered as tables, JSON and CSV, the body's problems, and the body size limit.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestMetricsApiTables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start(); }
    void cleanupTestCase() { m_api.stop(); }

    void table_data();
    void table();
    void downloadJson();
    void downloadCsv();
    void problems_data();
    void problems();
    void oversizedBody();

private:
    MetricsApiServer m_api;
};

void TestMetricsApiTables::table_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QJsonValue>("expected");
    auto cell = [](const char *label, QJsonValue value, bool inDelay = false) {
        return QJsonObject{{u"label"_s, QLatin1String(label)},
                           {u"value"_s, value},
                           {u"in_reporting_delay_period"_s, inDelay}};
    };
    auto row = [](const char *date, QJsonArray values) {
        return QJsonObject{{u"reference"_s, QLatin1String(date)}, {u"values"_s, values}};
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

void TestMetricsApiTables::table()
{
    QFETCH(QByteArray, body);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.post("/api/tables/v4", body), expected);
}

void TestMetricsApiTables::downloadJson()
{
    const HttpReply reply = m_api.post(
        "/api/downloads/v2/",
        "{\"file_format\":\"json\",\"plots\":["
            + plot("COVID-19_cases_rateRollingMean",
                   ",\"sex\":\"Male\",\"date_from\":\"2023-01-01\",\"date_to\":\"2023-01-31\"")
            + ','
            + plot("COVID-19_cases_casesByDay",
                   ",\"date_from\":\"2023-01-04\",\"date_to\":\"2023-01-05\"")
            + "]}");
    m_api.compareJson(reply, QJsonArray{point(kRate90Male, "2023-01-02", 1, 448.53),
                                        point(kRate90Male, "2023-01-03", 1, 443.08),
                                        point(kCases, "2023-01-04", 1, 5009, true)});
    QCOMPARE(reply.header("content-disposition"),
             QByteArray("attachment; filename=\"isobar-download.json\""));
}

void TestMetricsApiTables::downloadCsv()
{
    const HttpReply reply = m_api.post(
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

void TestMetricsApiTables::problems_data()
{
    addProblemColumns();

    auto plots = [](const QByteArray &list) -> QByteArray { return "{\"plots\":[" + list + "]}"; };
    const QByteArray cases = plot("COVID-19_cases_casesByDay");
    QByteArray elevenPlots = cases;
    for (int i = 1; i < 11; ++i)
        elevenPlots += ',' + cases;

    // Tables and downloads.
    QTest::newRow("body not JSON") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                   << QByteArray("{\"plots\": [") << 400 << u"body"_s;
    QTest::newRow("body not an object") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                        << QByteArray("[]") << 400 << u"body"_s;
    QTest::newRow("empty body") << QByteArray("POST") << QByteArray("/api/downloads/v2")
                                << QByteArray() << 400 << u"body"_s;
    QTest::newRow("no plots") << QByteArray("POST") << QByteArray("/api/tables/v4")
                              << QByteArray("{\"x_axis\":\"date\"}") << 400 << u"plots"_s;
    QTest::newRow("empty plots") << QByteArray("POST") << QByteArray("/api/tables/v4") << plots({})
                                 << 400 << u"plots"_s;
    QTest::newRow("plot without topic")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots("{\"metric\":\"COVID-19_cases_casesByDay\"}") << 400 << u"plots[0].topic"_s;
    QTest::newRow("second plot without metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(cases + ",{\"topic\":\"COVID-19\"}") << 400 << u"plots[1].metric"_s;
    QTest::newRow("too many plots") << QByteArray("POST") << QByteArray("/api/tables/v4")
                                    << plots(elevenPlots) << 400 << u"plots"_s;
    QTest::newRow("plot with an unknown metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_nothing")) << 400 << u"plots[0].metric"_s;
    QTest::newRow("plot with a headline metric")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_headline_cases_7DayTotals")) << 400 << u"plots[0].metric"_s;
    QTest::newRow("plot date_to before date_from")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay",
                      ",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-02\""))
        << 400 << u"plots[0].date_to"_s;
    QTest::newRow("plot with a bad date")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay", ",\"date_from\":\"03/01/2023\"")) << 400
        << u"plots[0].date_from"_s;
    QTest::newRow("plot filter not a string")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << plots(plot("COVID-19_cases_casesByDay", ",\"age\":90")) << 400 << u"plots[0].age"_s;
    QTest::newRow("x_axis other than date")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << "{\"x_axis\":\"age\",\"plots\":[" + cases + "]}" << 400 << u"x_axis"_s;
    QTest::newRow("unknown file_format")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << "{\"file_format\":\"xml\",\"plots\":[" + cases + "]}" << 400 << u"file_format"_s;
    QTest::newRow("download of an unknown metric")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << plots(cases + ',' + plot("nothing")) << 400 << u"plots[1].metric"_s;
    // Names the public API does not list (non-public) are unknown here too.
    const QByteArray offSens = "OFF-SENS_COVID-19_cases_rateRollingMean";
    QTest::newRow("non-public metric in a table")
        << QByteArray("POST") << QByteArray("/api/tables/v4") << plots(plot(offSens)) << 400
        << u"plots[0].metric"_s;
    QTest::newRow("non-public metric in a download")
        << QByteArray("POST") << QByteArray("/api/downloads/v2") << plots(plot(offSens)) << 400
        << u"plots[0].metric"_s;
}

void TestMetricsApiTables::problems()
{
    m_api.verifyProblem();
}

void TestMetricsApiTables::oversizedBody()
{
    // One byte over --max-body-bytes; the guard answers from the headers alone.
    const QByteArray body = "{\"plots\":[" + QByteArray(65536 - 11, ' ') + "]}";
    QCOMPARE(body.size(), 65537);
    const HttpReply reply = m_api.post("/api/tables/v4", body);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(reply.json().object().value(u"status").toInt(), 413);

    // The same body one byte smaller is read and parsed (and refused for its empty plots).
    const HttpReply accepted =
        m_api.post("/api/tables/v4", "{\"plots\":[" + QByteArray(65536 - 12, ' ') + "]}");
    QCOMPARE(accepted.status, 400);
    QCOMPARE(accepted.json().object().value(u"field").toString(), u"plots"_s);
}

QTEST_GUILESS_MAIN(TestMetricsApiTables)
#include "TestMetricsApiTables.moc"
