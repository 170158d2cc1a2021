// The charts API's bounded render queue against a real `isobar serve`: a burst beyond
// --max-queued-renders is refused with 503 and Retry-After, never queued without bound, and the
// server draws again once the burst has passed; clients that hang up while their chart is drawn
// cost nothing but the drawing.
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

// A big PNG, so renders take long enough for a burst to pile up; widths differ so no two
// requests are the same chart (the cache is off anyway).
QByteArray request(int width)
{
    const QJsonObject plot{{"topic", "COVID-19"},
                           {"metric", "COVID-19_cases_casesByDay"},
                           {"geography", "England"},
                           {"geography_type", "Nation"},
                           {"chart_type", "line_with_shaded_section"},
                           {"date_from", "2022-01-01"},
                           {"date_to", "2023-12-31"}};
    const QByteArray body = QJsonDocument(QJsonObject{{"file_format", "png"},
                                                      {"chart_width", width},
                                                      {"chart_height", 3000},
                                                      {"plots", QJsonArray{plot}}})
                                .toJson(QJsonDocument::Compact);
    return "POST /api/charts/v2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
           "Content-Length: "
           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Chart requests the server has answered, drawn or refused, whether or not the client was
// still there to read the answer: /metrics counts an answer once it is ready.
int chartsAnswered(quint16 port)
{
    static const QRegularExpression count(
        u"^isobar_http_request_duration_seconds_count\\{route=\"/api/charts/v2\"\\} "
        "(\\d+)$"_s,
        QRegularExpression::MultilineOption);
    const HttpReply metrics = HttpClient::request(port, "GET", "/metrics");
    return count.match(QString::fromUtf8(metrics.body)).captured(1).toInt();
}

} // namespace

class TestChartRenderLimits : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    ServerProcess m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString database = m_dir.filePath("charts.db");
        QCOMPARE(
            runIngest(database,
                      {fixturesDir()
                       + "/metrics/COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"}),
            0);
        QVERIFY2(m_server.start(database, {"--rate-limit", "0", "--max-queued-renders", "1",
                                           "--chart-cache-entries", "0"}),
                 m_server.output().constData());
    }

    void burstBeyondTheQueueIsRefusedWithRetryAfter()
    {
        constexpr int kBurst = 16;
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (int i = 0; i < kBurst; ++i) {
            clients.push_back(std::make_unique<HttpClient>(m_server.port()));
            QVERIFY(clients.back()->isConnected());
        }
        for (int i = 0; i < kBurst; ++i)
            clients[i]->sendRaw(request(3000 + i));
        int drawn = 0, refused = 0;
        for (auto &client : clients) {
            const std::optional<HttpReply> reply = client->readReply(120'000);
            QVERIFY(reply);
            if (reply->status == 200) {
                QCOMPARE(reply->header("content-type"), QByteArray("image/png"));
                ++drawn;
            } else {
                QCOMPARE(reply->status, 503);
                QCOMPARE(reply->header("retry-after"), QByteArray("1"));
                QCOMPARE(reply->header("content-type"), QByteArray("application/problem+json"));
                ++refused;
            }
        }
        QVERIFY2(drawn >= 1, "nothing was drawn");
        QVERIFY2(refused >= 1, "a burst of 16 big charts with room for 1 waiting was all queued");
        QCOMPARE(drawn + refused, kBurst);

        // The queue drained: the next chart is drawn.
        HttpClient after(m_server.port());
        after.sendRaw(request(2000));
        const std::optional<HttpReply> reply = after.readReply(60'000);
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }

    // The connection must outlive its answer's computation without the answer finding it gone:
    // the server keeps serving after clients hung up mid-render.
    void clientsHangingUpWhileTheirChartIsDrawn()
    {
        const int answeredBefore = chartsAnswered(m_server.port());
        for (int i = 0; i < 4; ++i) {
            HttpClient client(m_server.port());
            QVERIFY(client.isConnected());
            client.sendRaw(request(3500 + i));
        } // closed here, long before the chart is drawn
        // The renders finish (or are refused) and find their connections closed.
        QTRY_COMPARE_WITH_TIMEOUT(chartsAnswered(m_server.port()), answeredBefore + 4, 120'000);
        const HttpReply health = HttpClient::request(m_server.port(), "GET", "/health");
        QCOMPARE(health.status, 200);
        HttpClient after(m_server.port());
        after.sendRaw(request(2100));
        const std::optional<HttpReply> reply = after.readReply(60'000);
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }

    // On two cores a burst of renders must not take the CPU from answers: headless, the
    // drawing (main) thread runs at a lower priority than the HTTP loop's thread.
    void drawingRunsBelowTheHttpLoop()
    {
        const QString tasks = u"/proc/%1/task"_s.arg(m_server.processId());
        auto niceness = [&](const QString &tid) {
            QFile stat(tasks + u'/' + tid + u"/stat"_s);
            if (!stat.open(QIODevice::ReadOnly))
                return -100;
            // Fields after the parenthesised name; nice is field 19 of the line.
            const QByteArray line = stat.readAll();
            const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
            return fields.value(16).toInt();
        };
        auto threadNamed = [&](const QByteArray &name) {
            for (const QString &tid : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile comm(tasks + u'/' + tid + u"/comm"_s);
                if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
                    return tid;
            }
            return QString();
        };
        const QString http = threadNamed("isobar-http");
        QVERIFY2(!http.isEmpty(), "no thread named isobar-http");
        const int httpNice = niceness(http);
        const int drawingNice = niceness(QString::number(m_server.processId()));
        QVERIFY2(httpNice > -100 && drawingNice > -100, "cannot read the threads' priorities");
        // Relative: the test may itself run under `nice`.
        QVERIFY2(
            drawingNice > httpNice,
            qPrintable(
                u"drawing thread nice %1, HTTP thread nice %2"_s.arg(drawingNice).arg(httpNice)));
    }
};

QTEST_MAIN(TestChartRenderLimits)
#include "TestChartRenderLimits.moc"
