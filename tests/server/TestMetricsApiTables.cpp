// UKHSA's tables/v4 and downloads/v2 over a real socket (see MetricsApiFixture.h), held to the
// bytes UKHSA answers (metrics/api/views/tables and downloads, their serializers and integration
// tests): values as 4-decimal strings, plot labels numbered among the plots with data, rows
// newest first on the date axis and first seen on the others, headline tables, the CSV and JSON
// columns in UKHSA's two orders, its file names, its serializer errors (plots aligned with the
// request's), its messages for bad plots and no data; and the body size limit.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

namespace {

QByteArray cell(const char *label, const char *value, bool inDelay = false)
{
    return QByteArray("{\"label\":\"") + label
           + "\",\"value\":" + (value ? '"' + QByteArray(value) + '"' : QByteArray("null"))
           + ",\"in_reporting_delay_period\":" + (inDelay ? "true" : "false") + '}';
}

QByteArray row(const char *reference, const QByteArrayList &cells)
{
    return QByteArray("{\"reference\":\"") + reference + "\",\"values\":[" + cells.join(',') + "]}";
}

QByteArray plots(const QByteArrayList &list, const QByteArray &extra = {})
{
    return "{\"plots\":[" + list.join(',') + ']' + extra + '}';
}

const QByteArray kNoData = "{\"error_message\":\"No data was found for the plot(s) requested, "
                           "please review the request parameters of each plot provided.\"}";
const QByteArray kInvalidPlot = "{\"error_message\":\"Invalid plot parameter, Please check the "
                                "date range (date_from and date_to) and the topic property "
                                "provided. \"}";

} // namespace

class TestMetricsApiTables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // With the maps fixtures too: values of several magnitudes for the metric axis.
    void initTestCase() { m_api.start({}, u"maps"_s); }
    void cleanupTestCase() { m_api.stop(); }

    void answers_data();
    void answers();
    void metricAxis_data();
    void metricAxis();
    void downloadHeaders();
    void oversizedBody();
    void plotsWithinTheRowLimit();

private:
    MetricsApiServer m_api;
};

void TestMetricsApiTables::answers_data()
{
    addPostColumns();

    const QByteArray tables = "/api/tables/v4/";
    const QByteArray dates = ",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-05\"";
    const QByteArray cases = plot("COVID-19_cases_casesByDay", dates);
    const QByteArray rate90 =
        plot("COVID-19_cases_rateRollingMean", dates + ",\"age\":\"90+\",\"sex\":\"all\"");

    // The reporting-delay flag is the row's, from the last plot with a point there.
    QTest::newRow("two plots, default labels, newest first")
        << tables << plots({cases, rate90}) << 200
        << '[' + row("2023-01-04", {cell("Plot1", "5009.0000", true), cell("Plot2", nullptr, true)})
               + ',' + row("2023-01-03", {cell("Plot1", "5739.0000"), cell("Plot2", "491.9200")})
               + ',' + row("2023-01-02", {cell("Plot1", "4636.0000"), cell("Plot2", "493.6800")})
               + ']';
    QTest::newRow("a plot without data takes no number")
        << QByteArray("/api/tables/v4")
        << plots({plot("COVID-19_cases_casesByDay", dates + ",\"stratum\":\"none\""), rate90,
                  plot("COVID-19_cases_casesByDay", dates + ",\"label\":\"Cases\"")},
                 ",\"x_axis\":null")
        << 200
        << '[' + row("2023-01-04", {cell("Plot1", nullptr, true), cell("Cases", "5009.0000", true)})
               + ',' + row("2023-01-03", {cell("Plot1", "491.9200"), cell("Cases", "5739.0000")})
               + ',' + row("2023-01-02", {cell("Plot1", "493.6800"), cell("Cases", "4636.0000")})
               + ']';
    // On another axis rows come as first seen, by that axis (an age band's dash spaced out), and
    // of several dates in a row the last read wins.
    QTest::newRow("x_axis age")
        << tables
        << plots({plot("COVID-19_cases_rateRollingMean",
                       ",\"sex\":\"all\",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-03\"")},
                 ",\"x_axis\":\"age\"")
        << 200
        << '[' + row("85 - 89", {cell("Plot1", "278.7400")}) + ','
               + row("90+", {cell("Plot1", "491.9200")}) + ']';
    // A headline table: the plot's label names the row (unless it is a default one).
    QTest::newRow("headline table")
        << tables
        << plots({plot("COVID-19_headline_cases_7DayTotals", ",\"label\":\"England\""),
                  plot("COVID-19_headline_tests_7DayChange")},
                 ",\"x_axis\":\"geography\"")
        << 200
        << QByteArray("[{\"reference\":\"England\",\"values\":[{\"label\":\"Amount\",\"value\":"
                      "\"6276.0000\",\"in_reporting_delay_period\":false},{\"label\":\"Amount\","
                      "\"value\":\"-38928.0000\",\"in_reporting_delay_period\":false}]}]");
    // Without dates a plot covers the year up to today, and the fixtures are older.
    QTest::newRow("default dates: no data")
        << tables << plots({plot("COVID-19_cases_casesByDay")}) << 400 << kNoData;
    QTest::newRow("date_to not after date_from")
        << tables
        << plots({plot("COVID-19_cases_casesByDay",
                       ",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-03\"")})
        << 400 << kInvalidPlot;
    QTest::newRow("a metric not named after its topic")
        << tables << plots({"{\"topic\":\"Influenza\",\"metric\":\"COVID-19_cases_casesByDay\"}"})
        << 400 << kInvalidPlot;

    // UKHSA's serializer errors: field by field, plots aligned with the request's.
    QTest::newRow("plot errors aligned with the plots")
        << tables
        << plots(
               {cases,
                "{\"topic\":\"Ebola\",\"metric\":\"COVID-19_cases_casesByDay\","
                "\"date_from\":\"03/01/2023\",\"chart_type\":\"pie\"}",
                "{\"metric\":\"OFF-SENS_COVID-19_cases_rateRollingMean\",\"topic\":\"COVID-19\"}"},
               ",\"x_axis\":\"colour\"")
        << 400
        << QByteArray("{\"plots\":[{},{\"topic\":[\"\\\"Ebola\\\" is not a valid choice.\"],"
                      "\"date_from\":[\"Date has wrong format. Use one of these formats instead: "
                      "YYYY-MM-DD.\"],\"chart_type\":[\"\\\"pie\\\" is not a valid choice.\"]},"
                      "{\"metric\":[\"\\\"OFF-SENS_COVID-19_cases_rateRollingMean\\\" is not a "
                      "valid choice.\"]}],\"x_axis\":[\"\\\"colour\\\" is not a valid choice.\"]}");
    QTest::newRow("no plots") << tables << QByteArray("{\"x_axis\":\"date\"}") << 400
                              << QByteArray("{\"plots\":[\"This field is required.\"]}");
    QTest::newRow("not an object") << tables << QByteArray("[1]") << 400
                                   << QByteArray("{\"non_field_errors\":[\"Invalid data. Expected "
                                                 "a dictionary, but got list.\"]}");

    const QByteArray downloads = "/api/downloads/v2/";
    // All plots' points once each, newest first; the CSV with sex before age, True/False.
    QTest::newRow("CSV")
        << downloads
        << plots({plot("COVID-19_cases_casesByDay",
                       ",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-05\""),
                  plot("COVID-19_cases_casesByDay",
                       ",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-04\"")},
                 ",\"file_format\":\"csv\"")
        << 200
        << QByteArray("theme,sub_theme,topic,geography_type,geography,metric,sex,age,stratum,year,"
                      "date,metric_value,in_reporting_delay_period\r\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,COVID-19_cases_"
                      "casesByDay,all,all,default,2023,2023-01-04,5009.0000,True\r\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,COVID-19_cases_"
                      "casesByDay,all,all,default,2023,2023-01-03,5739.0000,False\r\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,COVID-19_cases_"
                      "casesByDay,all,all,default,2023,2023-01-02,4636.0000,False\r\n");
    // The JSON puts sex after stratum, and writes values as strings.
    QTest::newRow("JSON")
        << downloads
        << plots(
               {plot("COVID-19_cases_rateRollingMean",
                     ",\"sex\":\"Male\",\"date_from\":\"2023-01-03\",\"date_to\":\"2023-01-31\"")},
               ",\"file_format\":\"json\"")
        << 200
        << QByteArray("[{\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":"
                      "\"COVID-19\",\"geography_type\":\"Nation\",\"geography\":\"England\","
                      "\"metric\":\"COVID-19_cases_rateRollingMean\",\"age\":\"90+\",\"stratum\":"
                      "\"default\",\"sex\":\"Male\",\"year\":2023,\"date\":\"2023-01-03\","
                      "\"metric_value\":\"443.0800\",\"in_reporting_delay_period\":false}]");
    const QByteArray headlineCsv =
        "theme,sub_theme,topic,geography_type,geography,metric,sex,age,stratum,period_start,"
        "period_end,metric_value\r\ninfectious_disease,respiratory,COVID-19,Nation,England,"
        "COVID-19_headline_positivity_latest,all,all,default,2023-06-25 00:00:00,2023-07-01 "
        "00:00:00,8.5000\r\n";
    QTest::newRow("headline CSV, periods in London time")
        << downloads
        << plots({plot("COVID-19_headline_positivity_latest")},
                 ",\"file_format\":\"csv\",\"x_axis\":\"age\"")
        << 200 << headlineCsv;
    QTest::newRow("file_format required") << downloads << plots({cases}) << 400
                                          << QByteArray("{\"file_format\":[\"This field is "
                                                        "required.\"]}");
    QTest::newRow("unknown file_format")
        << downloads << plots({cases}, ",\"file_format\":\"xml\"") << 400
        << QByteArray("{\"file_format\":[\"\\\"xml\\\" is not a valid choice.\"]}");
    // A download's axes may be null or blank; a number is no axis.
    QTest::newRow("download axes null and blank")
        << downloads
        << plots({plot("COVID-19_headline_positivity_latest")},
                 ",\"file_format\":\"csv\",\"x_axis\":null,\"y_axis\":\"\"")
        << 200 << headlineCsv;
    QTest::newRow("a number is no axis")
        << downloads << plots({cases}, ",\"file_format\":\"csv\",\"x_axis\":5") << 400
        << QByteArray("{\"x_axis\":[\"\\\"5\\\" is not a valid choice.\"]}");
    // Downloads take any names, and an unknown or non-public metric is simply no data.
    QTest::newRow("download of names nothing holds")
        << downloads
        << plots({plot("COVID-19_nothing"), plot("OFF-SENS_COVID-19_cases_rateRollingMean")},
                 ",\"file_format\":\"json\"")
        << 400 << kNoData;
}

void TestMetricsApiTables::metricAxis_data()
{
    addPostColumns();
    const QByteArray tables = "/api/tables/v4/";
    // On the metric axis rows follow the values as numbers (England's countRollingMean, from
    // the maps fixtures: 4 in 2020 and 2025, 12.3456 in 2024), not as text.
    QTest::newRow("x_axis metric")
        << tables
        << plots({plot("COVID-19_cases_countRollingMean",
                       ",\"geography\":\"England\",\"date_from\":\"2020-01-01\",\"date_to\":"
                       "\"2025-12-31\"")},
                 ",\"x_axis\":\"metric\"")
        << 200
        << '[' + row("4.0000", {cell("Plot1", "4.0000")}) + ','
               + row("12.3456", {cell("Plot1", "12.3456")}) + ']';
}

void TestMetricsApiTables::metricAxis()
{
    m_api.comparePost();
}

void TestMetricsApiTables::answers()
{
    m_api.comparePost();
}

void TestMetricsApiTables::downloadHeaders()
{
    const QByteArray body = plot("COVID-19_cases_casesByDay",
                                 ",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-05\"");
    HttpReply reply =
        m_api.post("/api/downloads/v2", "{\"file_format\":\"csv\",\"plots\":[" + body + "]}");
    QCOMPARE(reply.header("content-type"), QByteArray("text/csv"));
    QCOMPARE(reply.header("content-disposition"),
             QByteArray("attachment; filename=\"chart_download.csv\""));
    reply = m_api.post("/api/downloads/v2", "{\"file_format\":\"json\",\"plots\":[" + body + "]}");
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.header("content-disposition"),
             QByteArray("attachment; filename=chart_download.json"));
}

void TestMetricsApiTables::plotsWithinTheRowLimit()
{
    // --max-rows bounds each plot's points: a plot of exactly the limit is answered, a larger
    // one refused with its count.
    MetricsApiServer limited;
    limited.start({u"--max-rows"_s, u"3"_s}, u"maps"_s);
    const QByteArray threeDays = plot("COVID-19_cases_casesByDay",
                                      ",\"date_from\":\"2023-01-02\",\"date_to\":\"2023-01-05\"");
    const HttpReply three = limited.post("/api/tables/v4", plots({threeDays}));
    QCOMPARE(three.status, 200);
    QCOMPARE(three.json().array().size(), 3);
    limited.compareBytes(
        limited.post("/api/tables/v4",
                     plots({plot("COVID-19_cases_casesByDay",
                                 ",\"date_from\":\"2020-01-01\",\"date_to\":\"2024-12-31\"")})),
        400,
        "{\"error_message\":\"plot 0 selects 6 points, more than the limit of 3; "
        "narrow the dates or filters\"}");
    limited.stop();
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
    m_api.compareBytes(accepted, 400, "{\"plots\":[\"This list may not be empty.\"]}");
}

QTEST_GUILESS_MAIN(TestMetricsApiTables)
#include "TestMetricsApiTables.moc"
