// UKHSA's subplot tables and downloads (tables/subplot/v1, downloads/subplot/v1) over a real
// socket (see MetricsApiFixture.h), held to the bytes UKHSA answers
// (metrics/interfaces/tables/subplot_tables/, metrics/interfaces/downloads/subplot_downloads/
// and their tests), on UKHSA's childhood-vaccine files in tests/fixtures/subplots: 6-in-1 at 12
// and 24 months and MMR1 at 24 months for Scotland, 6-in-1 at 12 months for the North East; one
// value a year, each 31 March.

#include "MetricsApiFixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestSubplotApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start({}, u"subplots"_s); }
    void cleanupTestCase() { m_api.stop(); }

    void answers_data();
    void answers();
    void downloadNamesItsFile_data();
    void downloadNamesItsFile();
    void chartIsPlotlysSubplots();
    void chartPreviewIsTheImage();

private:
    MetricsApiServer m_api;
};

namespace {

const QByteArray kTables = "/api/tables/subplot/v1";
const QByteArray kDownloads = "/api/downloads/subplot/v1";

// UKHSA's example request: three subplots (a vaccine at an age each), each with the same three
// areas (Darlington has no data), grouped by geography. `chartExtra` continues
// chart_parameters, `extra` the body.
QByteArray request(const QByteArray &dateFrom, const QByteArray &chartExtra = {},
                   const QByteArray &extra = {})
{
    const QByteArray plots =
        "\"plots\":[{\"label\":\"Scotland\",\"geography\":\"Scotland\",\"geography_type\":"
        "\"Nation\",\"line_colour\":\"COLOUR_1_DARK_BLUE\"},{\"label\":\"North East\","
        "\"geography\":\"North East\",\"geography_type\":\"Region\",\"line_colour\":"
        "\"COLOUR_2_TURQUOISE\"},{\"label\":\"Darlington\",\"geography\":\"Darlington\","
        "\"geography_type\":\"Upper Tier Local Authority\",\"line_colour\":"
        "\"COLOUR_3_DARK_PINK\"}]";
    auto subplot = [&plots](const char *title, const char *topic,
                            const char *stratum) -> QByteArray {
        return QByteArray("{\"subplot_title\":\"") + title
               + "\",\"subplot_parameters\":{\"topic\":\"" + topic + "\",\"metric\":\"" + topic
               + "_coverage_coverageByYear\",\"stratum\":\"" + stratum + "\"}," + plots + '}';
    };
    return "{\"file_format\":\"svg\",\"chart_parameters\":{\"x_axis\":\"geography\",\"y_axis\":"
           "\"metric\",\"theme\":\"immunisation\",\"sub_theme\":\"childhood-vaccines\","
           "\"date_from\":\""
           + dateFrom + "\",\"date_to\":\"2023-12-31\",\"age\":\"all\",\"sex\":\"all\"" + chartExtra
           + "},\"subplots\":[" + subplot("6-in-1 (12 months)", "6-in-1", "12m") + ','
           + subplot("6-in-1 (24 months)", "6-in-1", "24m") + ','
           + subplot("MMR1 (24 months)", "MMR1", "24m") + ']' + extra + '}';
}

QByteArray row(const char *reference, const char *sixIn1At12, const char *sixIn1At24,
               const char *mmr1At24)
{
    return QByteArray("{\"reference\":\"") + reference + "\",\"values\":["
           + tableCell("6-in-1 (12 months)", sixIn1At12) + ','
           + tableCell("6-in-1 (24 months)", sixIn1At24) + ','
           + tableCell("MMR1 (24 months)", mmr1At24) + "]}";
}

QByteArray csvRow(const char *geographyType, const char *geography, const char *topic,
                  const char *stratum, const char *value)
{
    return QByteArray("immunisation,childhood-vaccines,") + topic + ',' + geographyType + ','
           + geography + ',' + topic + "_coverage_coverageByYear,all,all," + stratum
           + ",2023,2023-03-31," + value + ",False\r\n";
}

} // namespace

void TestSubplotApi::answers_data()
{
    addPostColumns();
    // A row per area, first seen first, a value per subplot: the newest in the dates; an area
    // without data keeps its row, all nulls.
    QTest::newRow("table") << kTables << request("2021-01-31") << 200
                           << QByteArray('[' + row("Scotland", "95.5500", "96.4600", "93.4100")
                                         + ',' + row("North East", "95.1400", nullptr, nullptr)
                                         + ',' + row("Darlington", nullptr, nullptr, nullptr)
                                         + ']');
    // Values outside every range are left out before the newest is taken: the North East's
    // 95.14 of 2023 gives way to 95.55 of 2022.
    QTest::newRow("value ranges")
        << kTables
        << request("2021-01-31", ",\"metric_value_ranges\":[{\"start\":95.5,\"end\":96}]") << 200
        << QByteArray('[' + row("Scotland", "95.5500", nullptr, nullptr) + ','
                      + row("North East", "95.5500", nullptr, nullptr) + ','
                      + row("Darlington", nullptr, nullptr, nullptr) + ']');
    // One table of every area's points, newest first within an area.
    QTest::newRow("CSV download")
        << kDownloads << request("2023-01-01", {}, ",\"file_format\":\"csv\"") << 200
        << QByteArray("theme,sub_theme,topic,geography_type,geography,metric,sex,age,stratum,year,"
                      "date,metric_value,in_reporting_delay_period\r\n"
                      + csvRow("Nation", "Scotland", "6-in-1", "12m", "95.5500")
                      + csvRow("Nation", "Scotland", "6-in-1", "24m", "96.4600")
                      + csvRow("Nation", "Scotland", "MMR1", "24m", "93.4100")
                      + csvRow("Region", "North East", "6-in-1", "12m", "95.1400"));
    // JSON: a list per area with data.
    QTest::newRow("JSON download")
        << kDownloads
        << request("2023-01-01", ",\"geography_type\":\"Region\"", ",\"file_format\":\"json\"")
        << 200
        << QByteArray("[[{\"theme\":\"immunisation\",\"sub_theme\":\"childhood-vaccines\","
                      "\"topic\":\"6-in-1\",\"geography_type\":\"Region\",\"geography\":\"North "
                      "East\",\"metric\":\"6-in-1_coverage_coverageByYear\",\"age\":\"all\","
                      "\"stratum\":\"12m\",\"sex\":\"all\",\"year\":2023,\"date\":\"2023-03-31\","
                      "\"metric_value\":\"95.1400\",\"in_reporting_delay_period\":false}]]");

    // DRF's errors, nested as its serializers nest them, in their fields' order.
    QTest::newRow("nothing given")
        << kTables << QByteArray("{}") << 400
        << QByteArray("{\"chart_parameters\":[\"This field is required.\"],\"subplots\":[\"This "
                      "field is required.\"]}");
    QTest::newRow("a subplot's and a plot's fields")
        << kTables
        << QByteArray("{\"chart_parameters\":{\"x_axis\":\"geography\",\"y_axis\":\"metric\","
                      "\"date_from\":\"2021-1-x\",\"date_to\":\"2023-12-31\"},\"subplots\":[{"
                      "\"subplot_title\":\"\",\"subplot_parameters\":{\"topic\":\"6-in-1\"},"
                      "\"plots\":[{\"label\":\"x\",\"line_colour\":\"c\"},{\"label\":7}]},5]}")
        << 400
        << QByteArray("{\"chart_parameters\":{\"date_from\":[\"Date has wrong format. Use one of "
                      "these formats instead: YYYY-MM-DD.\"]},\"subplots\":[{\"subplot_title\":"
                      "[\"This field may not be blank.\"],\"subplot_parameters\":{\"metric\":["
                      "\"This field is required.\"]},\"plots\":[{},{\"line_colour\":[\"This "
                      "field is required.\"]}]},{\"non_field_errors\":[\"Invalid data. Expected "
                      "a dictionary, but got int.\"]}]}");
    QTest::newRow("themes named nowhere")
        << kTables
        << QByteArray("{\"chart_parameters\":{\"x_axis\":\"geography\",\"y_axis\":\"metric\","
                      "\"date_from\":\"2021-01-31\",\"date_to\":\"2023-12-31\"},\"subplots\":[{"
                      "\"subplot_title\":\"t\",\"subplot_parameters\":{\"topic\":\"6-in-1\","
                      "\"metric\":\"m\",\"theme\":\"immunisation\"},\"plots\":[]}]}")
        << 400
        << QByteArray("{\"subplots\":[{\"subplot_parameters\":{\"non_field_errors\":[\"'sub_"
                      "theme' must be specified at either subplot_parameters or chart_parameters "
                      "level\"]}}]}");
}

void TestSubplotApi::answers()
{
    m_api.comparePost();
}

void TestSubplotApi::downloadNamesItsFile_data()
{
    addAttachmentColumns();
    // UKHSA quotes the CSV's name, not the JSON's, and names them differently.
    QTest::newRow("csv") << QByteArray("csv") << QByteArray("text/csv")
                         << QByteArray("attachment; filename=\"charts-download.csv\"");
    QTest::newRow("json") << QByteArray("json") << QByteArray("application/json")
                          << QByteArray("attachment; filename=chart_download.json");
}

void TestSubplotApi::downloadNamesItsFile()
{
    QFETCH(QByteArray, format);
    m_api.compareAttachment(kDownloads,
                            request("2023-01-01", {}, ",\"file_format\":\"" + format + '"'));
}

// charts/subplot/v1: UKHSA's figure, a column (x, x2, x3) per subplot with a bar per area that
// has data there, each area once in the legend, the subplot's title under its column.
void TestSubplotApi::chartIsPlotlysSubplots()
{
    const HttpReply reply =
        m_api.post("/api/charts/subplot/v1",
                   request("2023-01-01", {},
                           ",\"target_threshold\":95,\"target_threshold_label\":\"Target\""));
    QCOMPARE(reply.status, 200);
    const QJsonObject answer = reply.json().object();
    QCOMPARE(answer.value("last_updated").toString(), u"2023-03-31"_s);
    const QJsonArray traces = answer.value("figure").toObject().value("data").toArray();
    QStringList seen;
    for (const auto &trace : traces) {
        const QJsonObject bar = trace.toObject();
        seen << bar.value("xaxis").toString() + u' ' + bar.value("name").toString() + u' '
                    + QString::number(bar.value("y").toArray()[0].toDouble())
                    + (bar.value("showlegend").toBool() ? u" legend"_s : QString());
    }
    QCOMPARE(seen, QStringList({u"x Scotland 95.55 legend"_s, u"x North East 95.14 legend"_s,
                                u"x2 Scotland 96.46"_s, u"x3 Scotland 93.41"_s}));
    const QJsonObject layout = answer.value("figure").toObject().value("layout").toObject();
    QCOMPARE(layout.value("xaxis2").toObject().value("ticktext").toArray()[0].toString(),
             u"<b>6-in-1</b><br>(24 months)"_s);
    QCOMPARE(layout.value("xaxis").toObject().value("tickvals").toArray()[0].toInt(), 0);
    QCOMPARE(layout.value("yaxis3").toObject().value("matches").toString(), u"y"_s);
    QCOMPARE(layout.value("shapes").toArray().size(), 3);
    QCOMPARE(layout.value("annotations").toArray()[0].toObject().value("text").toString(),
             u"Target"_s);
}

void TestSubplotApi::chartPreviewIsTheImage()
{
    const HttpReply png = m_api.post("/api/charts/subplot/v1?preview=true",
                                     request("2023-01-01", {}, ",\"file_format\":\"png\""));
    QCOMPARE(png.status, 200);
    QCOMPARE(png.header("content-type"), QByteArray("image/png"));
    // A PNG of the chart's size (its IHDR: width and height, big-endian, from byte 16).
    QVERIFY(png.body.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(qFromBigEndian<quint32>(png.body.constData() + 16), 515u);
    QCOMPARE(qFromBigEndian<quint32>(png.body.constData() + 20), 220u);
    // A table's format is no image: UKHSA fails there (a 500), Isobar names the field.
    const HttpReply csv = m_api.post("/api/charts/subplot/v1?preview=true",
                                     request("2023-01-01", {}, ",\"file_format\":\"csv\""));
    QCOMPARE(csv.status, 400);
    QCOMPARE(csv.body, QByteArray("{\"file_format\":[\"\\\"csv\\\" is not a valid choice.\"]}"));
    // No area with data in any subplot: UKHSA's error.
    QCOMPARE(m_api
                 .post("/api/charts/subplot/v1",
                       request("2000-01-01").replace("2023-12-31", "2000-12-31"))
                 .status,
             400);
}

QTEST_GUILESS_MAIN(TestSubplotApi)
#include "TestSubplotApi.moc"
