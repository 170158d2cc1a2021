#include "MetricsDatabase.h"
#include "OidcTestProvider.h"
#include "RequestLogWriter.h"
#include "SandboxThread.h"
#include "TestSupport.h"
#include "map/WorldMapView.h"
#include "operations/DropoffPanel.h"
#include "operations/IngestRunModel.h"
#include "operations/LatencyChart.h"
#include "operations/OperationsChart.h"
#include "operations/OperationsPage.h"
#include "operations/StatTile.h"
#include "operations/StatsClient.h"
#include "operations/TimeRangeBar.h"
#include "operations/UserActivityModel.h"
#include "weather/GridCell.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QSplitter>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>
#include <optional>

using namespace Qt::StringLiterals;

using namespace isobar;
using namespace isobar::test;

namespace {

const QString kUpstreamKey = u"operations-upstream-key-7f3a"_s;
const QString kAudience = u"isobar-api"_s;
const QByteArray kLondon = "/prcpt?lt=51.5074&lg=-0.1278";
const QByteArray kBadPosition = "/prcpt?lt=north&lg=0"; // 400, after auth
const QByteArray kThemes = "/api/public/timeseries/themes/";
constexpr int kRefreshTimeoutMs = 15000;
// The request log is written about every second; generous, for a loaded machine.
constexpr int kRequestLogTimeoutMs = 30000;

QUrl serverUrl(quint16 port)
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

QString percent(double ratio)
{
    return QLocale().toString(ratio * 100, 'f', 1) + u'%';
}

// What the page's client sent and received, in order: the server's own answers.
class Exchanges
{
public:
    explicit Exchanges(OperationsPage &page)
        : m_spy(page.findChild<StatsClient *>(), &StatsClient::replied)
    {}
    StatsClient::Reply last(const QString &path, bool withEndpoint = false) const
    {
        for (qsizetype i = m_spy.size() - 1; i >= 0; --i) {
            auto reply = m_spy.at(i).at(0).value<StatsClient::Reply>();
            if (reply.path == path
                && QUrlQuery(reply.url).hasQueryItem(u"endpoint"_s) == withEndpoint)
                return reply;
        }
        return {};
    }
    void clear() { m_spy.clear(); }

private:
    QSignalSpy m_spy;
};

bool refreshAndWait(OperationsPage &page, bool expectOk = true)
{
    QSignalSpy refreshed(&page, &OperationsPage::refreshed);
    page.refresh();
    if (!refreshed.wait(kRefreshTimeoutMs))
        return false;
    return refreshed.last().at(0).toBool() == expectOk;
}

} // namespace

class TestOperationsPage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    SandboxThread m_sandboxThread{kUpstreamKey,
                                  [now = QDateTime::currentMSecsSinceEpoch()] { return now; }};
    AccuWeatherSandbox *m_sandbox = nullptr;
    TokenSigner m_signer;
    std::unique_ptr<OidcTestProvider> m_provider;
    ServerProcess m_open;    // --no-auth
    ServerProcess m_guarded; // tokens from m_provider

    QStringList upstreamArguments() const
    {
        return {"--rate-limit", "0", "--accuweather-url",
                u"http://127.0.0.1:%1"_s.arg(m_sandbox->port())};
    }
    QByteArray token(const QString &subject, const QString &scope) const
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return m_signer.signRs256(QJsonObject{{"iss", m_provider->issuer()},
                                              {"aud", kAudience},
                                              {"sub", subject},
                                              {"scope", scope},
                                              {"iat", double(now - 10)},
                                              {"nbf", double(now - 10)},
                                              {"exp", double(now + 3600)}});
    }
    static HttpReply get(quint16 port, const QByteArray &target, const QByteArray &token = {})
    {
        return HttpClient::request(port, "GET", target, {},
                                   token.isEmpty() ? QByteArray()
                                                   : "Authorization: Bearer " + token + "\r\n");
    }
    // Answers of `statusClass` in the last hour, as the server's request log has them so far.
    static int statusCount(quint16 port, const char *statusClass, const QByteArray &token = {})
    {
        const QJsonObject summary =
            get(port, "/api/v1/stats/summary?from=now-1h", token).json().object();
        return summary.value("status_counts").toObject().value(statusClass).toInt();
    }
    static StatTile *tile(OperationsPage &page, const char *name)
    {
        return page.findChild<StatTile *>(QLatin1String(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sandbox = m_sandboxThread.startSandbox();
        QVERIFY(m_sandbox->port() != 0);
        m_provider = std::make_unique<OidcTestProvider>(m_signer);
        QVERIFY(m_provider->start());

        m_open.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, kUpstreamKey);
        QVERIFY2(
            m_open.start(m_dir.filePath("open.db"), QStringList{"--no-auth"} + upstreamArguments()),
            m_open.output().constData());
        m_guarded.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, kUpstreamKey);
        QVERIFY2(m_guarded.start(m_dir.filePath("guarded.db"),
                                 QStringList{"--oidc-issuer", m_provider->issuer(),
                                             "--oidc-audience", kAudience}
                                     + upstreamArguments()),
                 m_guarded.output().constData());
    }

    // Tiles, map and latency chart show the server's numbers; the 2xx tile turns red when
    // the share of 2xx falls under the no-go threshold the summary reports.
    void tilesFollowTheServersAnswers()
    {
        const quint16 port = m_open.port();
        for (int i = 0; i < 3; ++i) // one cache miss, then two hits in the same cell
            QCOMPARE(get(port, kLondon).status, 200);
        for (int i = 0; i < 40; ++i)
            QCOMPARE(get(port, kThemes).status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(get(port, kBadPosition).status, 400);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(get(port, "/no/such/route").status, 404);
        QTRY_VERIFY_WITH_TIMEOUT(statusCount(port, "4xx") >= 4, kRequestLogTimeoutMs);

        OperationsPage page;
        page.resize(1440, 900);
        page.show();
        Exchanges exchanges(page);
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        page.setServer(serverUrl(port));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QVERIFY2(refreshed.last().at(0).toBool(), qPrintable(page.errorText()));
        QVERIFY(!page.findChild<QLabel *>("errorBanner")->isVisible());

        QJsonObject summary = exchanges.last("/api/v1/stats/summary").json;
        QCOMPARE(summary.value("status_counts").toObject().value("4xx").toInt(), 4);
        QCOMPARE(tile(page, "requestsTile")->value(),
                 QLocale().toString(summary.value("requests").toInteger()));
        double success = summary.value("status_ratios").toObject().value("2xx").toDouble();
        QVERIFY2(success >= 0.8, qPrintable(QString::number(success)));
        QCOMPARE(tile(page, "successTile")->value(), percent(success));
        QCOMPARE(tile(page, "successTile")->level(), Thresholds::Level::Ok);

        // The latency tile names the endpoint with the highest p95; the chart has them all.
        QJsonObject slowest;
        for (const auto &e : summary.value("endpoints").toArray()) {
            if (e.toObject().value("p95_ms").toDouble() >= slowest.value("p95_ms").toDouble())
                slowest = e.toObject();
        }
        QVERIFY2(tile(page, "latencyTile")->detail().contains(slowest.value("endpoint").toString()),
                 qPrintable(tile(page, "latencyTile")->detail()));
        const auto bars = page.findChild<LatencyChart *>()->bars();
        QCOMPARE(bars.size(), summary.value("endpoints").toArray().size());
        QCOMPARE(bars.last().second, slowest.value("p95_ms").toDouble()); // slowest on top

        // The map holds the server's one London cell with its three requests.
        const QList<MapCell> cells = page.findChild<WorldMapView *>()->cells();
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells[0].requests, qint64(3));
        const GridCell london = GridCell::locate(51.5074, -0.1278, 1000);
        QCOMPARE(cells[0].latitude, london.centreLatitude);
        QCOMPARE(cells[0].south, london.south);

        // One miss and two hits for the three London calls, whatever else the server did.
        QCOMPARE(tile(page, "cacheTile")->value(), percent(2.0 / 3.0));

        // Now mostly failures: 60 more 4xx push the 2xx share under 80%.
        for (int i = 0; i < 60; ++i)
            QCOMPARE(get(port, "/no/such/route").status, 404);
        QTRY_VERIFY_WITH_TIMEOUT(statusCount(port, "4xx") >= 64, kRequestLogTimeoutMs);
        QVERIFY2(refreshAndWait(page), qPrintable(page.errorText()));
        summary = exchanges.last("/api/v1/stats/summary").json;
        QCOMPARE(summary.value("status_counts").toObject().value("4xx").toInt(), 64);
        QVERIFY(summary.value("no_go").toBool());
        success = summary.value("status_ratios").toObject().value("2xx").toDouble();
        QCOMPARE(tile(page, "successTile")->value(), percent(success));
        QCOMPARE(tile(page, "successTile")->level(), Thresholds::Level::Critical);
        QCOMPARE(tile(page, "requestsTile")->detail(),
                 u"4xx: 64 · 5xx: %1"_s.arg(
                     summary.value("status_counts").toObject().value("5xx").toInt()));
    }

    // Replicas sharing the store: the page shows the fleet, lists its replicas (hidden when
    // there is one) and narrows every stats request to the replica chosen.
    void replicaPickerNarrowsToOneReplica()
    {
        const QString store = m_dir.filePath("fleet.db");
        {
            MetricsDatabase database;
            QVERIFY2(database.open(store), qPrintable(database.errorString()));
            RequestEvent event{QDateTime::currentMSecsSinceEpoch(), "GET", u"/prcpt"_s, 200};
            QString error;
            QVERIFY2(RequestLogWriter(database.connection(), u"oregon-1"_s)
                         .write(QList<RequestEvent>(7, event), &error),
                     qPrintable(error));
        }
        ServerProcess paris;
        QVERIFY2(paris.start(store, {u"--replica-id"_s, u"paris-1"_s}), paris.output().constData());
        // The server's own requests, once logged, make paris-1 the second replica.
        QTRY_COMPARE_WITH_TIMEOUT(get(paris.port(), "/api/v1/stats/summary?from=now-1h")
                                      .json()[u"replicas"]
                                      .toArray()
                                      .size(),
                                  2, kRequestLogTimeoutMs);

        OperationsPage page;
        page.show();
        Exchanges exchanges(page);
        auto *picker = page.findChild<QComboBox *>("replicaPicker");
        QVERIFY(!picker->isVisible()); // no server yet: no fleet
        page.setServer(serverUrl(paris.port()));
        QTRY_VERIFY_WITH_TIMEOUT(picker->isVisible(), kRefreshTimeoutMs);
        QCOMPARE(picker->currentText(), u"Whole fleet"_s);
        const int oregon = picker->findData(u"oregon-1"_s);
        QVERIFY(oregon > 0);
        QVERIFY(picker->findData(u"paris-1"_s) > 0);
        QVERIFY2(picker->itemText(oregon).contains(QLocale().toString(7)),
                 qPrintable(picker->itemText(oregon)));

        exchanges.clear();
        picker->setCurrentIndex(oregon);
        Q_EMIT picker->activated(oregon);
        // Each read's latest answer is the narrowed one: a refresh sent before the switch may
        // still be answered after it, and the reads are answered in any order.
        for (const char *path : {"/api/v1/stats/summary", "/api/v1/stats/timeline",
                                 "/api/v1/stats/geography", "/api/v1/stats/users"})
            QTRY_COMPARE_WITH_TIMEOUT(
                QUrlQuery(exchanges.last(QLatin1String(path)).url).queryItemValue("replica"),
                u"oregon-1"_s, kRefreshTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(tile(page, "requestsTile")->value(), QLocale().toString(7),
                                  kRefreshTimeoutMs);
        // The fleet's list stays while one replica is shown.
        QVERIFY(picker->findData(u"paris-1"_s) > 0);
        QCOMPARE(paris.stop(), 0);
    }

    // The drop-off tab lists what the server took, rejected files with their errors, and says
    // whether the server watches the drop-off.
    void dropoffTabListsTheRuns()
    {
        const QString drop = m_dir.filePath("dropoff");
        QVERIFY(QDir().mkpath(drop));
        QFile fixture(fixturesDir()
                      + "/metrics/COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json");
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        const QByteArray cases = fixture.readAll();
        QFile good(drop + "/cases.json"), bad(drop + "/broken.json");
        QVERIFY(good.open(QIODevice::WriteOnly) && good.write(cases) == cases.size());
        QVERIFY(bad.open(QIODevice::WriteOnly) && bad.write("{\"parent_theme\": 1}") > 0);
        good.close();
        bad.close();
        ServerProcess server;
        QVERIFY2(server.start(m_dir.filePath("dropoff.db"), {"--dropoff", drop, "--dropoff-poll-ms",
                                                             "100", "--dropoff-settle-ms", "0"}),
                 server.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            get(server.port(), "/api/v1/ingest/runs").json()["runs"].toArray().size(), 2,
            kRefreshTimeoutMs);

        OperationsPage page;
        page.show();
        page.setServer(serverUrl(server.port()));
        auto *panel = page.findChild<DropoffPanel *>();
        QVERIFY(panel);
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, kRefreshTimeoutMs);
        const IngestRunModel &runs = *panel->model();
        QCOMPARE(runs.index(0, IngestRunModel::File).data().toString(), u"cases.json"_s);
        QCOMPARE(runs.index(0, IngestRunModel::Outcome).data().toString(), u"Loaded"_s);
        QCOMPARE(runs.index(0, IngestRunModel::Inserted).data().toString(), QLocale().toString(7));
        QCOMPARE(runs.index(1, IngestRunModel::Outcome).data().toString(), u"Rejected"_s);
        QVERIFY(runs.index(1, IngestRunModel::File)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"broken.json"_s));
        QVERIFY2(panel->statusText().contains(u"watched by this server"_s),
                 qPrintable(panel->statusText()));

        // Without the server, the tab says the answer is missing rather than keep stale rows.
        QCOMPARE(server.stop(), 0);
        QVERIFY(refreshAndWait(page, false));
        QCOMPARE(panel->model()->rowCount(), 0);
        QVERIFY(!panel->statusText().isEmpty());
    }

    // Presets send the server's relative times; a custom range sends the two instants.
    void rangePickerChangesTheRangeSent()
    {
        OperationsPage page;
        page.show();
        Exchanges exchanges(page);
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        page.setServer(serverUrl(m_open.port()));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QUrlQuery sent(exchanges.last("/api/v1/stats/summary").url);
        QCOMPARE(sent.queryItemValue("from"), u"now-1h"_s);
        QCOMPARE(sent.queryItemValue("to"), u"now"_s);

        // Keyboard, as a user would: two steps down from "Last hour" is "Last 24 hours".
        auto *preset = page.findChild<QComboBox *>("rangePreset");
        preset->setFocus();
        QTest::keyClick(preset, Qt::Key_Down);
        QTest::keyClick(preset, Qt::Key_Down);
        QCOMPARE(preset->currentText(), u"Last 24 hours"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            QUrlQuery(exchanges.last("/api/v1/stats/timeline").url).queryItemValue("from")
                == u"now-24h",
            kRefreshTimeoutMs);
        // The server read it as 24 hours, in hours: its timeline names the whole hours it
        // covers, and the picker shows them.
        const QJsonObject timeline = exchanges.last("/api/v1/stats/timeline").json;
        QCOMPARE(timeline.value("bucket").toString(), u"hour"_s);
        const QDateTime from =
            QDateTime::fromString(timeline.value("from").toString(), Qt::ISODate);
        const QDateTime to = QDateTime::fromString(timeline.value("to").toString(), Qt::ISODate);
        QVERIFY2(from.secsTo(to) == 24 * 3600LL || from.secsTo(to) == 25 * 3600LL,
                 qPrintable(QString::number(from.secsTo(to))));
        QCOMPARE(from.time().minute(), 0);
        auto *shown = page.findChild<QLabel *>("shownRange");
        QVERIFY(shown);
        QTRY_COMPARE_WITH_TIMEOUT(shown->text(),
                                  from.toLocalTime().toString(u"d MMM HH:mm"_s) + u" – "_s
                                      + to.toLocalTime().toString(u"d MMM HH:mm"_s),
                                  kRefreshTimeoutMs);

        // The last 15 minutes are drawn in minutes: 15 of them (16 across a minute's turn),
        // not the hour they fall in.
        preset->setCurrentIndex(preset->findText(u"Last 15 minutes"_s));
        Q_EMIT preset->activated(preset->currentIndex());
        QTRY_VERIFY_WITH_TIMEOUT(
            QUrlQuery(exchanges.last("/api/v1/stats/timeline").url).queryItemValue("bucket")
                == u"minute",
            kRefreshTimeoutMs);
        const QJsonObject minutes = exchanges.last("/api/v1/stats/timeline").json;
        const qint64 covered =
            QDateTime::fromString(minutes.value("from").toString(), Qt::ISODate)
                .secsTo(QDateTime::fromString(minutes.value("to").toString(), Qt::ISODate));
        QVERIFY2(covered == 15 * 60LL || covered == 16 * 60LL,
                 qPrintable(QString::number(covered)));
        QCOMPARE(minutes.value("buckets").toArray().size(), covered / 60);
        preset->setCurrentIndex(preset->findText(u"Last 24 hours"_s));
        Q_EMIT preset->activated(preset->currentIndex());

        QTest::keyClick(preset, Qt::Key_End);
        QCOMPARE(preset->currentText(), u"Custom range"_s);
        auto *customFrom = page.findChild<QDateTimeEdit *>("customFrom");
        auto *customTo = page.findChild<QDateTimeEdit *>("customTo");
        QVERIFY(customFrom->isVisible());
        const QDateTime start(QDate(2026, 11, 20), QTime(6, 0), Qt::UTC);
        const QDateTime end(QDate(2026, 11, 22), QTime(18, 30), Qt::UTC);
        customFrom->setDateTime(start);
        customTo->setDateTime(end);
        exchanges.clear();
        QTest::mouseClick(page.findChild<QToolButton *>("applyCustomRange"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!exchanges.last("/api/v1/stats/timeline").url.isEmpty(),
                                 kRefreshTimeoutMs);
        const StatsClient::Reply custom = exchanges.last("/api/v1/stats/timeline");
        sent = QUrlQuery(custom.url);
        QCOMPARE(sent.queryItemValue("from"), u"2026-11-20T06:00:00Z"_s);
        QCOMPARE(sent.queryItemValue("to"), u"2026-11-22T18:30:00Z"_s);
        // Covered in whole hours, the last one included.
        QCOMPARE(custom.json.value("from").toString(), u"2026-11-20T06:00:00Z"_s);
        QCOMPARE(custom.json.value("to").toString(), u"2026-11-22T19:00:00Z"_s);
    }

    // The timer refreshes a visible page; a hidden one waits, then catches up when shown.
    void autoRefreshOnlyWhileShown()
    {
        OperationsPage page;
        page.show();
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        page.setServer(serverUrl(m_open.port()));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        auto *bar = page.findChild<TimeRangeBar *>();
        auto *client = page.findChild<StatsClient *>();
        QSignalSpy ticks(bar, &TimeRangeBar::autoRefreshDue);
        auto *interval = page.findChild<QComboBox *>("refreshInterval");
        interval->setFocus();
        QTest::keyClick(interval, Qt::Key_Down); // Off -> 5 s
        QCOMPARE(interval->currentData().toInt(), 5);
        refreshed.clear();
        QVERIFY(refreshed.wait(kRefreshTimeoutMs)); // nobody asked: the timer did
        QVERIFY(refreshed.last().at(0).toBool());
        QVERIFY(!ticks.isEmpty());

        page.hide();
        ticks.clear();
        refreshed.clear();
        QVERIFY(ticks.wait(kRefreshTimeoutMs)); // a tick while hidden...
        QCOMPARE(client->pendingCount(), 0);    // ...sends nothing
        QCOMPARE(refreshed.size(), 0);
        page.show();
        // Caught up as it is shown, not at the next tick.
        QVERIFY(client->pendingCount() > 0);
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
    }

    // Subjects come from tokens: the watch's calls and the page's own (its admin token).
    void usersTableShowsSubjectsAndCounts()
    {
        const quint16 port = m_guarded.port();
        const QByteArray watch = token("watch-0042", "weather:read");
        const QByteArray admin = token("ops-admin", "isobar:admin");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(get(port, kLondon, watch).status, 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(get(port, kBadPosition, watch).status, 400);
        QTRY_VERIFY_WITH_TIMEOUT(statusCount(port, "4xx", admin) >= 2, kRequestLogTimeoutMs);
        // The admin's own polls are logged too, a flush later.
        QTRY_VERIFY_WITH_TIMEOUT(
            get(port, "/api/v1/stats/users?from=now-1h", admin).body.contains("\"ops-admin\""),
            kRequestLogTimeoutMs);

        OperationsPage page;
        page.show();
        Exchanges exchanges(page);
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        page.setServer(serverUrl(port), QString::fromLatin1(admin));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QVERIFY2(refreshed.last().at(0).toBool(), qPrintable(page.errorText()));

        const QJsonArray users =
            exchanges.last("/api/v1/stats/users").json.value("users").toArray();
        auto *view = page.findChild<QTableView *>("usersView");
        QAbstractItemModel *model = view->model();
        QCOMPARE(model->rowCount(), users.size());
        QHash<QString, std::pair<qint64, qint64>> shown;
        for (int row = 0; row < model->rowCount(); ++row) {
            shown.insert(
                model->index(row, UserActivityModel::Subject).data().toString(),
                {model->index(row, UserActivityModel::Requests).data(Qt::EditRole).toLongLong(),
                 model->index(row, UserActivityModel::Errors).data(Qt::EditRole).toLongLong()});
        }
        for (const auto &user : users) {
            const QJsonObject u = user.toObject();
            QCOMPARE(
                shown.value(u.value("subject").toString()),
                std::make_pair(u.value("requests").toInteger(), u.value("errors").toInteger()));
        }
        QCOMPARE(shown.value("watch-0042"), std::make_pair(qint64(5), qint64(2)));
        QVERIFY(shown.contains("ops-admin")); // the test's polls, at least

        // Sorting is by the numbers, not their text; the filter ignores case.
        view->sortByColumn(UserActivityModel::Requests, Qt::AscendingOrder);
        for (int row = 1; row < model->rowCount(); ++row)
            QVERIFY(
                model->index(row - 1, UserActivityModel::Requests).data(Qt::EditRole).toLongLong()
                <= model->index(row, UserActivityModel::Requests).data(Qt::EditRole).toLongLong());
        QTest::keyClicks(page.findChild<QLineEdit *>("usersFilter"), "WATCH");
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0, UserActivityModel::Subject).data().toString(), u"watch-0042"_s);
        const auto watchJson = std::find_if(users.begin(), users.end(), [](const QJsonValue &u) {
            return u.toObject().value("subject").toString() == u"watch-0042";
        });
        QVERIFY(watchJson != users.end());
        QCOMPARE(model->index(0, UserActivityModel::FirstSeen).data(Qt::EditRole).toDateTime(),
                 QDateTime::fromString(watchJson->toObject().value("first_seen").toString(),
                                       Qt::ISODate));
        QCOMPARE(model->index(0, UserActivityModel::LastSeen).data(Qt::EditRole).toDateTime(),
                 QDateTime::fromString(watchJson->toObject().value("last_seen").toString(),
                                       Qt::ISODate));
    }

    void failuresShowAnErrorState_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no token") << QString() << u"requires a bearer token (401)"_s;
        QTest::newRow("forged token") << u"forged"_s << u"refused the bearer token (401)"_s;
        QTest::newRow("no admin scope") << u"watch"_s << u"isobar:admin scope"_s;
        QTest::newRow("nobody listening") << u"closed"_s << u"Cannot reach"_s;
    }
    void failuresShowAnErrorState()
    {
        QFETCH(QString, who);
        QFETCH(QString, expected);
        QUrl url = serverUrl(m_guarded.port());
        QString bearer;
        if (who == u"forged")
            bearer = QString::fromLatin1(
                TokenSigner::unsignedToken(QJsonObject{{"iss", m_provider->issuer()},
                                                       {"aud", kAudience},
                                                       {"sub", "x"},
                                                       {"scope", "isobar:admin"}}));
        else if (who == u"watch")
            bearer = QString::fromLatin1(token("watch-0042", "weather:read"));
        std::optional<ReservedPort> closed; // refuses connections until the test ends
        if (who == u"closed") {
            closed.emplace(ReservedPort::Use::NobodyListens);
            url = serverUrl(closed->port());
        }

        OperationsPage page;
        page.show();
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        QSignalSpy messages(&page, &OperationsPage::statusMessage);
        page.setServer(url, bearer);
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QCOMPARE(refreshed.last().at(0).toBool(), false);
        auto *banner = page.findChild<QLabel *>("errorBanner");
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(expected), qPrintable(banner->text()));
        QCOMPARE(messages.size(), 1);
        for (const char *name : {"requestsTile", "successTile", "upstreamTile", "cacheTile"}) {
            QCOMPARE(tile(page, name)->value(), u"–"_s);
            QCOMPARE(tile(page, name)->level(), Thresholds::Level::None);
        }
        if (!bearer.isEmpty())
            QVERIFY(!banner->text().contains(bearer)); // the token is never shown

        // The same page recovers once it is given what it needs.
        page.setServer(serverUrl(m_guarded.port()),
                       QString::fromLatin1(token("ops-admin", "isobar:admin")));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QVERIFY2(refreshed.last().at(0).toBool(), qPrintable(page.errorText()));
        QVERIFY(!banner->isVisible());
        QVERIFY(page.errorText().isEmpty());
    }

    // A store that becomes unreadable under a running server is an error on the page, never
    // "no requests": every part that could not be read says so, and all come back with it.
    void anUnreadableStoreIsAnErrorNotAnEmptyRange()
    {
        const QString store = m_dir.filePath("unreadable.db");
        ServerProcess server;
        QVERIFY2(server.start(store), server.output().constData());
        OperationsPage page;
        page.resize(1440, 900);
        page.show();
        QSignalSpy refreshed(&page, &OperationsPage::refreshed);
        page.setServer(serverUrl(server.port()));
        QVERIFY(refreshed.wait(kRefreshTimeoutMs));
        QVERIFY2(refreshed.last().at(0).toBool(), qPrintable(page.errorText()));

        MetricsDatabase damaging;
        QVERIFY2(damaging.open(store), qPrintable(damaging.errorString()));
        QSqlQuery damage(damaging.connection());
        for (const char *table : {"rollup_endpoint", "rollup_subject", "rollup_endpoint_minute",
                                  "rollup_subject_minute"})
            QVERIFY2(damage.exec(u"ALTER TABLE %1 RENAME TO %1_gone"_s.arg(QLatin1String(table))),
                     qPrintable(damage.lastError().text()));
        QVERIFY(refreshAndWait(page, false));
        auto *banner = page.findChild<QLabel *>("errorBanner");
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(u"503"), qPrintable(banner->text()));
        const QString noData = u"No data: the last refresh failed"_s;
        for (const char *name : {"requestsTile", "successTile"})
            QCOMPARE(tile(page, name)->value(), u"–"_s);
        const auto charts = page.findChildren<OperationsChart *>();
        QVERIFY(charts.size() >= 3);
        for (OperationsChart *chart : charts)
            QVERIFY2(chart->emptyText() == noData, qPrintable(chart->accessibleName()));
        QCOMPARE(page.findChild<QLabel *>("usersNote")->text(), noData);
        QVERIFY(page.findChild<QLabel *>("shownRange")->text().isEmpty()); // no range shown

        for (const char *table : {"rollup_endpoint", "rollup_subject", "rollup_endpoint_minute",
                                  "rollup_subject_minute"})
            QVERIFY(damage.exec(u"ALTER TABLE %1_gone RENAME TO %1"_s.arg(QLatin1String(table))));
        QVERIFY2(refreshAndWait(page), qPrintable(page.errorText()));
        QVERIFY(!banner->isVisible());
        for (OperationsChart *chart : charts)
            QVERIFY(chart->emptyText() != noData);
        QCOMPARE(server.stop(), 0);
    }

    void stateRoundTripsWithoutTheToken()
    {
        OperationsPage page;
        page.resize(1440, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QString secret = QString::fromLatin1(token("ops-admin", "isobar:admin"));
        page.setServer(serverUrl(m_guarded.port()), secret);
        auto *preset = page.findChild<QComboBox *>("rangePreset");
        preset->setCurrentIndex(preset->findText("Last 7 days"));
        Q_EMIT preset->activated(preset->currentIndex());
        auto *interval = page.findChild<QComboBox *>("refreshInterval");
        interval->setCurrentIndex(interval->findData(30));
        Q_EMIT interval->activated(interval->currentIndex());
        page.findChild<QTableView *>("usersView")
            ->sortByColumn(UserActivityModel::LastSeen, Qt::AscendingOrder);
        auto *charts = page.findChild<QSplitter *>("chartsSplitter");
        charts->setSizes({700, 400, 300});
        const QList<int> chartSizes = charts->sizes();

        const QByteArray state = page.saveState();
        QVERIFY(!state.contains(secret.toUtf8()));
        QVERIFY(!state.contains(secret.left(20).toUtf8()));

        OperationsPage restored;
        restored.resize(1440, 900);
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QVERIFY(restored.restoreState(state));
        QCOMPARE(restored.findChild<QSplitter *>("chartsSplitter")->sizes(), chartSizes);
        QCOMPARE(restored.findChild<QComboBox *>("rangePreset")->currentText(), u"Last 7 days"_s);
        QCOMPARE(restored.findChild<QComboBox *>("refreshInterval")->currentData().toInt(), 30);
        QHeaderView *header = restored.findChild<QTableView *>("usersView")->horizontalHeader();
        QCOMPARE(header->sortIndicatorSection(), int(UserActivityModel::LastSeen));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);

        QVERIFY(!restored.restoreState(QByteArray("not a saved state")));
        QVERIFY(!restored.restoreState(state.left(state.size() / 2)));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_open.stop(), 0);
        QCOMPARE(m_guarded.stop(), 0);
    }
};

QTEST_MAIN(TestOperationsPage)
#include "TestOperationsPage.moc"
