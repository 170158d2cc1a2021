#include "EnglandSeries.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kCases = u"COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s;

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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_database = m_dir.filePath("charts.db");
        QByteArray output;
        QCOMPARE(runIngest(m_database, {fixturesDir() + "/metrics/" + kCases}, &output), 0);
        QVERIFY2(m_server.start(m_database, {"--rate-limit", "0"}), m_server.output().constData());
    }

    void imagesInEveryFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("png") << "png" << QByteArray("image/png");
        QTest::newRow("jpg") << "jpg" << QByteArray("image/jpeg");
        QTest::newRow("jpeg") << "jpeg" << QByteArray("image/jpeg");
        QTest::newRow("svg") << "svg" << QByteArray("image/svg+xml");
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
        const HttpReply reply = post("/api/charts/v3", body("line_multi_coloured", "png"));
        QCOMPARE(reply.status, 200);
        const QJsonObject answer = reply.json().object();
        // The newest public, released point of the fixture is 2023-01-04 (the 5th is embargoed).
        QCOMPARE(answer.value("last_updated").toString(), u"2023-01-04"_s);
        const QByteArray svg =
            QUrl::fromPercentEncoding(answer.value("chart").toString().toLatin1()).toUtf8();
        QVERIFY(svg.startsWith("<?xml"));
        QVERIFY(svg.contains("<svg"));
        QVERIFY(answer.value("alt_text").toString().contains("England"));
        const QJsonArray series = answer.value("figure").toObject().value("series").toArray();
        QCOMPARE(series.size(), 1);
        const QJsonArray points = series[0].toObject().value("points").toArray();
        QCOMPARE(points.last().toObject().value("date").toString(), u"2023-01-04"_s);
        QCOMPARE(points.last().toObject().value("value").toDouble(), 5009.0);
        QCOMPARE(points.last().toObject().value("in_reporting_delay_period").toBool(), true);
        QVERIFY(series[0].toObject().value("colour").toString().startsWith('#'));
        QVERIFY(!points.last().toObject().contains("upper_confidence"));
    }

    void v3FigureCarriesConfidenceBounds()
    {
        // A series published with bounds: the figure hands them on, so a web client can draw
        // the band itself; points without bounds (the test above) carry no such keys.
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
                               {"chart_type", "line_multi_coloured"},
                               {"confidence_intervals", true},
                               {"date_from", "2023-01-01"},
                               {"date_to", "2023-01-31"}};
        const HttpReply reply = post(
            "/api/charts/v3",
            QJsonDocument(QJsonObject{{"plots", QJsonArray{plot}}}).toJson(QJsonDocument::Compact));
        QCOMPARE(reply.status, 200);
        const QJsonArray points = reply.json()
                                      .object()
                                      .value("figure")
                                      .toObject()
                                      .value("series")
                                      .toArray()[0]
                                      .toObject()
                                      .value("points")
                                      .toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[1].toObject().value("upper_confidence").toDouble(), 22.0);
        QCOMPARE(points[1].toObject().value("lower_confidence").toDouble(), 18.0);
    }

    void noDataIsAnEmptyChartNotAnError()
    {
        QByteArray request = body("bar");
        request.replace("2022-12-01", "2010-01-01").replace("2023-02-01", "2010-02-01");
        const HttpReply reply = post("/api/charts/v3", request);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.json().object().value("last_updated").isNull());
        QVERIFY(
            QUrl::fromPercentEncoding(reply.json().object().value("chart").toString().toLatin1())
                .contains("No data"));
    }

    void invalidRequestsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("field");
        QTest::newRow("not JSON") << QByteArray("{\"plots\": [") << "body";
        QTest::newRow("too narrow") << body("bar", "png", 49) << "chart_width";
        QTest::newRow("too tall") << body("bar", "png", 515, 4001) << "chart_height";
        QTest::newRow("format") << body("bar", "gif") << "file_format";
        QByteArray unknownMetric = body("bar");
        unknownMetric.replace("COVID-19_cases_casesByDay", "COVID-19_cases_nonsense");
        QTest::newRow("unknown metric") << unknownMetric << "plots[0].metric";
        QByteArray unknownType = body("bar");
        unknownType.replace("\"bar\"", "\"pie\"");
        QTest::newRow("chart type") << unknownType << "plots[0].chart_type";
        QByteArray backwards = body("bar");
        backwards.replace("2022-12-01", "2024-01-01");
        QTest::newRow("date_to before date_from") << backwards << "plots[0].date_to";
        QByteArray colour = body("line_multi_coloured");
        colour.replace("\"chart_type\"", "\"line_colour\":\"COLOUR_99_NOPE\",\"chart_type\"");
        QTest::newRow("unknown colour") << colour << "plots[0].line_colour";
        QJsonObject many = QJsonDocument::fromJson(body("bar")).object();
        QJsonArray plots;
        for (int i = 0; i < 11; ++i)
            plots.append(many.value("plots").toArray().first());
        many.insert("plots", plots);
        QTest::newRow("11 plots") << QJsonDocument(many).toJson() << "plots";
    }
    void invalidRequestsNameTheField()
    {
        QFETCH(QByteArray, request);
        QFETCH(QString, field);
        const HttpReply reply = post("/api/charts/v2", request);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(reply.json().object().value("field").toString(), field);
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
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        const QJsonObject problem = reply.json().object();
        QCOMPARE(problem.value("field").toString(), u"x_axis_title"_s);
        QVERIFY2(problem.value("detail").toString().contains(QString::number(limit)),
                 reply.body.constData());
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
        const QJsonArray points = redrawn.json()
                                      .object()
                                      .value("figure")
                                      .toObject()
                                      .value("series")
                                      .toArray()[0]
                                      .toObject()
                                      .value("points")
                                      .toArray();
        QCOMPARE(points.last().toObject().value("value").toDouble(), 9500.0);
    }
};

QTEST_GUILESS_MAIN(TestChartsApi)
#include "TestChartsApi.moc"
