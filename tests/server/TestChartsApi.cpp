#include "EnglandSeries.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kCases = u"COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s;
const QString kHeadline =
    u"COVID-19_headline_cases_7DayTotals_CTRY_E92000001_all_all_default.json"_s;

QByteArray body(const QString &chartType, const QString &format = u"png"_s, int width = 515,
                int height = 220)
{
    const QJsonObject plot{{"topic", "COVID-19"},     {"metric", "COVID-19_cases_casesByDay"},
                           {"geography", "England"},  {"geography_type", "Nation"},
                           {"chart_type", chartType}, {"date_from", "2022-12-01"},
                           {"date_to", "2023-02-01"}};
    return QJsonDocument(QJsonObject{{"file_format", format},
                                     {"chart_width", width},
                                     {"chart_height", height},
                                     {"plots", QJsonArray{plot}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestChartsApi : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    ServerProcess m_server;
    QString m_database;

    HttpReply post(const QByteArray &target, const QByteArray &json, const QByteArray &headers = {})
    {
        return HttpClient::request(m_server.port(), "POST", target, json, headers);
    }

    qint64 chartsDrawn()
    {
        const QByteArray metrics = HttpClient::request(m_server.port(), "GET", "/metrics").body;
        for (const QByteArray &line : metrics.split('\n')) {
            if (line.startsWith("isobar_chart_renders_total "))
                return line.mid(int(qstrlen("isobar_chart_renders_total "))).toLongLong();
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_database = m_dir.filePath("charts.db");
        QByteArray output;
        QCOMPARE(runIngest(m_database,
                           {fixturesDir() + "/metrics/" + kCases,
                            fixturesDir() + "/metrics/" + kHeadline},
                           &output),
                 0);
        QVERIFY2(m_server.start(m_database, {"--rate-limit", "0"}), m_server.output().constData());
    }

    void imagesInEveryFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("png") << "png" << QByteArray("image/png");
        // UKHSA types a chart by the format's name, however browsers name it.
        QTest::newRow("jpg") << "jpg" << QByteArray("image/jpg");
        QTest::newRow("jpeg") << "jpeg" << QByteArray("image/jpeg");
        QTest::newRow("svg") << "svg" << QByteArray("image/svg");
    }
    void imagesInEveryFormat()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, contentType);
        const HttpReply reply =
            post("/api/charts/v2/", body("line_with_shaded_section", format, 640, 300));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), contentType);
        if (format == u"svg") {
            QXmlStreamReader xml(reply.body);
            bool sawSvg = false;
            while (!xml.atEnd()) {
                xml.readNext();
                if (xml.isStartElement() && xml.name() == u"svg")
                    sawSvg = xml.attributes().value("width") == u"640"
                             && xml.attributes().value("height") == u"300";
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(sawSvg);
        } else {
            const QImage image = QImage::fromData(reply.body);
            QCOMPARE(image.size(), QSize(640, 300));
        }
    }

    void v3CarriesSvgAltTextAndData()
    {
        const HttpReply reply = post("/api/charts/v3", body("line_multi_coloured", "svg"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body.left(16), QByteArray("{\"last_updated\":")); // UKHSA's key order
        const QJsonObject answer = reply.json().object();
        // The newest public, released point of the fixture is 2023-01-04 (the 5th is embargoed).
        QCOMPARE(answer.value("last_updated").toString(), u"2023-01-04"_s);
        // Percent-encoded as Python's quote_plus() does: spaces as '+', nothing else bare.
        const QByteArray encoded = answer.value("chart").toString().toLatin1();
        QVERIFY(!encoded.contains(' ') && !encoded.contains('/') && encoded.contains('+'));
        const QByteArray svg =
            QByteArray::fromPercentEncoding(QByteArray(encoded).replace('+', ' '));
        QVERIFY(svg.startsWith("<?xml"));
        QVERIFY(svg.contains("<svg"));
        QVERIFY(answer.value("alt_text").toString().contains("England"));
        // The figure is Plotly's, as UKHSA returns it: a trace per plot, then the reporting
        // delay's legend entry, its band among the layout's shapes.
        const QJsonObject figure = answer.value("figure").toObject();
        const QJsonArray traces = figure.value("data").toArray();
        QCOMPARE(traces.size(), 2);
        const QJsonObject line = traces[0].toObject();
        QCOMPARE(line.value("type").toString(), u"scatter"_s);
        QCOMPARE(line.value("x").toArray().last().toString(), u"2023-01-04"_s);
        QCOMPARE(line.value("y").toArray().last().toDouble(), 5009.0);
        QCOMPARE(line.value("line").toObject().value("color").toString(),
                 u"rgba(18, 67, 109, 1)"_s);
        QCOMPARE(line.value("line").toObject().value("shape").toString(), u"spline"_s);
        QCOMPARE(line.value("hovertemplate").toString(),
                 u"%{y:,} (%{x|%d %b %Y})<extra></extra>"_s);
        QCOMPARE(traces[1].toObject().value("name").toString(), u"Reporting delay"_s);
        QVERIFY(!figure.value("layout").toObject().value("shapes").toArray().isEmpty());
    }

    // A body that names only what it needs gets UKHSA's defaults, and a plot's options reach
    // what is drawn.
    void defaultsAndPlotOptionsReachTheChart()
    {
        QJsonObject plot{{"topic", "COVID-19"},
                         {"metric", "COVID-19_cases_casesByDay"},
                         {"chart_type", "line_multi_coloured"},
                         {"date_from", "2022-12-01"}};
        const HttpReply jpeg =
            post("/api/charts/v2",
                 QJsonDocument(QJsonObject{{"file_format", "jpg"}, {"plots", QJsonArray{plot}}})
                     .toJson(QJsonDocument::Compact));
        QCOMPARE(jpeg.status, 200);
        QVERIFY(jpeg.body.startsWith("\xFF\xD8\xFF")); // JPEG's start-of-image marker
        QCOMPARE(QImage::fromData(jpeg.body).size(), QSize(515, 220));

        plot.insert("line_colour", "COLOUR_4_ORANGE");
        plot.insert("line_type", "DASH");
        plot.insert("label", "England");
        const HttpReply figure = post(
            "/api/charts/v3",
            QJsonDocument(QJsonObject{{"plots", QJsonArray{plot}}}).toJson(QJsonDocument::Compact));
        QCOMPARE(figure.status, 200);
        const QJsonObject line =
            figure.json().object().value("figure").toObject().value("data").toArray()[0].toObject();
        QCOMPARE(line.value("name").toString(), u"England"_s);
        QCOMPARE(line.value("line").toObject().value("color").toString(),
                 u"rgba(244, 106, 37, 1)"_s);
        QCOMPARE(line.value("line").toObject().value("dash").toString(), u"dash"_s);
        // No date_to: up to today, so the fixture's newest released point is in.
        QCOMPARE(line.value("x").toArray().last().toString(), u"2023-01-04"_s);
    }

    void v3FigureCarriesConfidenceWhiskers()
    {
        // A series published with bounds, asked for: each bar carries its whisker's lengths
        // above and below, as UKHSA's figure does.
        QJsonArray records;
        for (int day = 1; day <= 3; ++day)
            records.append(QJsonObject{{"epiweek", 1},
                                       {"date", u"2023-01-0%1"_s.arg(day)},
                                       {"metric_value", 10 * day},
                                       {"upper_confidence", 10 * day + 2},
                                       {"lower_confidence", 10 * day - 2},
                                       {"embargo", QJsonValue()},
                                       {"is_public", true}});
        const QJsonObject file = englandFile(u"COVID-19_cases_rateRollingMean"_s, records);
        QFile bounded(m_dir.filePath("bounded.json"));
        QVERIFY(bounded.open(QIODevice::WriteOnly));
        bounded.write(QJsonDocument(file).toJson());
        bounded.close();
        QCOMPARE(runIngest(m_database, {bounded.fileName()}), 0);

        const QJsonObject plot{{"topic", "COVID-19"},
                               {"metric", "COVID-19_cases_rateRollingMean"},
                               {"age", "all"},
                               {"chart_type", "bar"},
                               {"date_from", "2023-01-01"},
                               {"date_to", "2023-01-31"}};
        const HttpReply reply = post(
            "/api/charts/v3",
            QJsonDocument(QJsonObject{{"plots", QJsonArray{plot}}, {"confidence_intervals", true}})
                .toJson(QJsonDocument::Compact));
        QCOMPARE(reply.status, 200);
        const QJsonObject bar =
            reply.json().object().value("figure").toObject().value("data").toArray()[0].toObject();
        QCOMPARE(bar.value("type").toString(), u"bar"_s);
        const QJsonObject whiskers = bar.value("error_y").toObject();
        QCOMPARE(whiskers.value("array").toArray(), QJsonArray({2, 2, 2}));
        QCOMPARE(whiskers.value("arrayminus").toArray(), QJsonArray({2, 2, 2}));
    }

    // A headline metric is drawn from its newest released record, whatever the dates, as one
    // bar per plot; its period's end is the chart's date.
    void headlineMetricIsItsLatestRecord()
    {
        const QJsonObject plot{{"topic", "COVID-19"},
                               {"metric", "COVID-19_headline_cases_7DayTotals"},
                               {"chart_type", "bar"},
                               {"date_from", "2010-01-01"},
                               {"date_to", "2010-02-01"}};
        const HttpReply reply =
            post("/api/charts/v3",
                 QJsonDocument(QJsonObject{{"x_axis", "age"}, {"plots", QJsonArray{plot}}})
                     .toJson(QJsonDocument::Compact));
        QCOMPARE(reply.status, 200);
        // 2023-11-08's record is still under embargo.
        QCOMPARE(reply.json().object().value("last_updated").toString(), u"2023-11-01"_s);
    }

    // UKHSA's "common" chart: bars and lines in one figure, on one axis.
    void barsAndLinesTogether()
    {
        QJsonObject request = QJsonDocument::fromJson(body("bar")).object();
        QJsonObject line = request.value("plots").toArray()[0].toObject();
        line.insert("chart_type", "line_multi_coloured");
        line.insert("line_colour", "COLOUR_4_ORANGE");
        request.insert("plots", QJsonArray{request.value("plots").toArray()[0], line});
        const HttpReply reply =
            post("/api/charts/v2", QJsonDocument(request).toJson(QJsonDocument::Compact));
        QCOMPARE(reply.status, 200);
        const QImage image = QImage::fromData(reply.body);
        QCOMPARE(image.size(), QSize(515, 220));
        int orange = 0, darkBlue = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                orange += c.red() > 200 && c.green() > 80 && c.green() < 130 && c.blue() < 70;
                darkBlue += qAbs(c.red() - 18) + qAbs(c.green() - 67) + qAbs(c.blue() - 109) < 20;
            }
        }
        QVERIFY2(orange > 100, qPrintable(QString::number(orange))); // the line
        // The bars fill areas; drawn as a line the same plot would colour a few hundred pixels.
        QVERIFY2(darkBlue > 4000, qPrintable(QString::number(darkBlue)));
    }

    void dualCategoryChartAsJsonOrPreview()
    {
        const QJsonObject request{
            {"chart_type", "stacked_bar"},
            {"secondary_category", "age"},
            {"static_fields", QJsonObject{{"topic", "COVID-19"},
                                          {"metric", "COVID-19_cases_casesByDay"},
                                          {"geography", "England"},
                                          {"date_from", "2022-12-01"},
                                          {"date_to", "2023-02-01"}}},
            {"segments", QJsonArray{QJsonObject{{"secondary_field_value", "all"},
                                                {"colour", "COLOUR_4_ORANGE"},
                                                {"label", "All ages"}}}}};
        const QByteArray json = QJsonDocument(request).toJson(QJsonDocument::Compact);
        const HttpReply answer = post("/api/charts/dual-category/v1", json);
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("content-type"), QByteArray("application/json"));
        QCOMPARE(answer.json().object().value("last_updated").toString(), u"2023-01-04"_s);
        QVERIFY(answer.json().object().value("chart").toString().startsWith("%3C%3Fxml"));

        const HttpReply preview = post("/api/charts/dual-category/v1/?preview=true", json);
        QCOMPARE(preview.status, 200);
        QCOMPARE(preview.header("content-type"), QByteArray("image/svg"));
        QVERIFY(preview.body.contains("<svg"));
        // The segment's colour fills its bars.
        QVERIFY(preview.body.toLower().contains("#f46a25"));

        QCOMPARE(post("/api/charts/dual-category/v1?preview=maybe", json).body,
                 QByteArray("{\"preview\":[\"Must be a valid boolean.\"]}"));
        QByteArray bars = json;
        bars.replace("stacked_bar", "bar");
        QCOMPARE(post("/api/charts/dual-category/v1", bars).body,
                 QByteArray("{\"chart_type\":[\"\\\"bar\\\" is not a valid choice.\"]}"));
    }

    void noDataIsUkhsasError()
    {
        QByteArray request = body("bar", "svg");
        request.replace("2022-12-01", "2010-01-01").replace("2023-02-01", "2010-02-01");
        const HttpReply reply = post("/api/charts/v3", request);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.body, QByteArray("{\"error_message\":\"No data was found for the plot(s) "
                                        "requested, please review the request parameters of "
                                        "each plot provided.\"}"));
    }

    void invalidRequestsGetUkhsasErrors_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("too narrow")
            << body("bar", "png", 49)
            << QByteArray(
                   "{\"chart_width\":[\"Ensure this value is greater than or equal to 50.\"]}");
        QTest::newRow("too tall")
            << body("bar", "png", 515, 4001)
            << QByteArray(
                   "{\"chart_height\":[\"Ensure this value is less than or equal to 4000.\"]}");
        QTest::newRow("format") << body(
            "bar",
            "gif") << QByteArray("{\"file_format\":[\"\\\"gif\\\" is not a valid choice.\"]}");
        QByteArray unknownMetric = body("bar");
        unknownMetric.replace("COVID-19_cases_casesByDay", "COVID-19_cases_nonsense");
        QTest::newRow("unknown metric")
            << unknownMetric
            << QByteArray("{\"plots\":[{\"metric\":[\"\\\"COVID-19_cases_nonsense\\\" is not a "
                          "valid choice.\"]}]}");
        QByteArray unknownType = body("bar");
        unknownType.replace("\"bar\"", "\"pie\"");
        QTest::newRow("chart type")
            << unknownType
            << QByteArray(
                   "{\"plots\":[{\"chart_type\":[\"\\\"pie\\\" is not a valid choice.\"]}]}");
        QByteArray colour = body("line_multi_coloured");
        colour.replace("\"chart_type\"", "\"line_colour\":\"GREEN\",\"chart_type\"");
        QTest::newRow("an alias is no colour")
            << colour
            << QByteArray(
                   "{\"plots\":[{\"line_colour\":[\"\\\"GREEN\\\" is not a valid choice.\"]}]}");
        QByteArray backwards = body("bar");
        backwards.replace("2022-12-01", "2023-02-01");
        QTest::newRow("date_to not after date_from")
            << backwards
            << QByteArray(
                   "{\"error_message\":\"Invalid plot parameter, Please check the date range "
                   "(date_from and date_to) and the topic property provided. \"}");
        // Axis limits are finite numbers: "NaN" and "inf" read as numbers by strtod are not.
        for (const char *notFinite : {"NaN", "inf", "-Infinity"}) {
            QJsonObject limits = QJsonDocument::fromJson(body("bar")).object();
            limits.insert("y_axis_minimum_value", QString::fromLatin1(notFinite));
            QTest::newRow(qPrintable(QString::fromLatin1("y_axis_minimum_value %1").arg(notFinite)))
                << QJsonDocument(limits).toJson()
                << QByteArray("{\"y_axis_minimum_value\":[\"A valid number is required.\"]}");
        }
        QJsonObject many = QJsonDocument::fromJson(body("bar")).object();
        QJsonArray plots;
        for (int i = 0; i < 11; ++i)
            plots.append(many.value("plots").toArray().first());
        many.insert("plots", plots);
        QTest::newRow("11 plots")
            << QJsonDocument(many).toJson()
            << QByteArray("{\"plots\":[\"Ensure this field has no more than 10 elements.\"]}");
        QJsonObject mixed = many;
        QJsonObject simplified = plots[0].toObject();
        simplified.insert("chart_type", "line_single_simplified");
        mixed.insert("plots", QJsonArray{plots[0], simplified});
        QTest::newRow("bars with a simplified line")
            << QJsonDocument(mixed).toJson()
            << QByteArray("{\"error_message\":\"There has been an invalid combination of plots "
                          "selected, Please review your plot data. line_single_simplified\"}");
        QJsonObject classified = QJsonDocument::fromJson(body("bar")).object();
        classified.insert("data_classification", "OFFICIAL-SENSITIVE"); // the key is wanted
        QTest::newRow("classification") << QJsonDocument(classified).toJson()
                                        << QByteArray("{\"data_classification\":[\"\\\"OFFICIAL-"
                                                      "SENSITIVE\\\" is not a valid choice.\"]}");
    }
    void invalidRequestsGetUkhsasErrors()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, answer);
        const HttpReply reply = post("/api/charts/v2", request);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
        QCOMPARE(reply.body, answer);
    }

    void badJsonIsDrfsParseError()
    {
        const HttpReply reply = post("/api/charts/v3", "{\"plots\": [");
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json().object().value("detail").toString().startsWith("JSON parse error"),
                 reply.body.constData());
    }

    // A long title once took seconds and gigabytes to lay out while other charts waited: it is
    // refused before the store or the renderer is touched, at the limit the document states.
    void overlongTitleIsRefusedBeforeAnyWork()
    {
        const QJsonObject schema = HttpClient::request(m_server.port(), "GET", "/openapi.json")
                                       .json()
                                       .object()
                                       .value("components")
                                       .toObject()
                                       .value("schemas")
                                       .toObject()
                                       .value("ChartRequest")
                                       .toObject()
                                       .value("properties")
                                       .toObject();
        const int limit = schema.value("x_axis_title").toObject().value("maxLength").toInt();
        QVERIFY2(limit > 0, "ChartRequest.x_axis_title has no maxLength in /openapi.json");

        auto withTitle = [](const QString &title) {
            QJsonObject request = QJsonDocument::fromJson(body("line_multi_coloured")).object();
            QJsonArray plots = request.value("plots").toArray();
            QJsonObject plot = plots[0].toObject();
            plot.insert("date_from", "2022-01-01");
            plots[0] = plot;
            request.insert("plots", plots);
            request.insert("x_axis_title", title);
            return QJsonDocument(request).toJson(QJsonDocument::Compact);
        };
        QCOMPARE(post("/api/charts/v2", withTitle(QString(limit, u'T'))).status, 200);

        QElapsedTimer elapsed;
        elapsed.start();
        const HttpReply reply =
            post("/api/charts/v2", withTitle(QString(qsizetype(50) * 1024, u'T')));
        QCOMPARE(reply.status, 400);
        // Refused on parsing, in milliseconds; laying this title out took 1.9 s and 2.6 GB.
        QVERIFY2(elapsed.elapsed() < 1000, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(reply.body, u"{\"x_axis_title\":[\"Ensure this field has no more than %1 "
                             "characters.\"]}"_s.arg(limit)
                                 .toUtf8());
    }

    void identicalRequestsInFlightShareOneDrawing()
    {
        // Eight asks for a chart never drawn, pipelined on one connection: the server reads
        // them all before the first drawing can be done, and draws it once.
        const QByteArray request = body("simple_line", "png", 333, 111);
        const qint64 drawnBefore = chartsDrawn();
        QByteArray pipeline;
        for (int i = 0; i < 8; ++i)
            pipeline += "POST /api/charts/v2 HTTP/1.1\r\nHost: test\r\n"
                        "Content-Type: application/json\r\nContent-Length: "
                        + QByteArray::number(request.size())
                        + (i == 7 ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n") + request;
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write(pipeline);
        QByteArray answers;
        while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10'000))
            answers += socket.readAll();
        answers += socket.readAll();
        QCOMPARE(answers.count("HTTP/1.1 200 OK\r\n"), 8);
        QCOMPARE(chartsDrawn(), drawnBefore + 1);
    }

    void identicalRequestsComeFromTheCacheUntilNewData()
    {
        const QByteArray request = body("simple_line", "png", 300, 120);
        const HttpReply first = post("/api/charts/v2", request);
        const HttpReply second = post("/api/charts/v2", request);
        QCOMPARE(first.status, 200);
        QCOMPARE(second.body, first.body);
        const QByteArray etag = first.header("etag");
        QVERIFY(!etag.isEmpty());
        QCOMPARE(second.header("etag"), etag);
        const HttpReply notModified =
            post("/api/charts/v2", request, "If-None-Match: " + etag + "\r\n");
        QCOMPARE(notModified.status, 304);
        QVERIFY(notModified.body.isEmpty());

        // A correction of the latest value (newer refresh date) reaches the chart.
        QFile source(fixturesDir() + "/metrics/" + kCases);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QByteArray corrected = source.readAll();
        corrected.replace("\"refresh_date\": \"2023-11-09\"", "\"refresh_date\": \"2023-11-20\"")
            .replace("\"metric_value\": 5009", "\"metric_value\": 9500");
        QVERIFY(corrected.contains("9500") && corrected.contains("2023-11-20"));
        QFile copy(m_dir.filePath(kCases));
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write(corrected);
        copy.close();
        QCOMPARE(runIngest(m_database, {copy.fileName()}), 0);
        QTRY_VERIFY_WITH_TIMEOUT(post("/api/charts/v2", request).header("etag") != etag, 5000);
        const HttpReply redrawn = post("/api/charts/v3", body("simple_line", "svg", 300, 120));
        const QJsonArray values = redrawn.json()
                                      .object()
                                      .value("figure")
                                      .toObject()
                                      .value("data")
                                      .toArray()[0]
                                      .toObject()
                                      .value("y")
                                      .toArray();
        QCOMPARE(values.last().toDouble(), 9500.0);
    }
};

QTEST_GUILESS_MAIN(TestChartsApi)
#include "TestChartsApi.moc"
