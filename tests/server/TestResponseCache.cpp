#include "TestSupport.h"
#include "api/ResponseCache.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace isobar;

namespace {
HttpResponse body(const QByteArray &text)
{
    return HttpResponse::bytes(text, "text/plain");
}
} // namespace

class TestResponseCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void leastRecentlyUsedGoesFirst()
    {
        ResponseCache cache({2, 1 << 20});
        cache.setDataVersion(1);
        cache.insert("a", body("A"), 1);
        cache.insert("b", body("B"), 1);
        QVERIFY(cache.find("a")); // a is now the most recent
        cache.insert("c", body("C"), 1);
        QVERIFY(cache.find("a"));
        QVERIFY(!cache.find("b"));
        QCOMPARE(cache.find("c")->body, QByteArray("C"));
        QCOMPARE(cache.stats().evictions, 1);
        QCOMPARE(cache.stats().entries, 2);
    }

    void byteLimitHolds()
    {
        ResponseCache cache({100, 2000});
        cache.setDataVersion(1);
        for (int i = 0; i < 10; ++i)
            cache.insert(QByteArray::number(i), body(QByteArray(500, 'x')), 1);
        QVERIFY(cache.stats().bytes <= 2000);
        QVERIFY(cache.find("9"));
        QVERIFY(!cache.find("0"));
        cache.insert("huge", body(QByteArray(5000, 'x')), 1); // never fits: not kept
        QVERIFY(!cache.find("huge"));
    }

    void newDataVersionDropsEverything()
    {
        ResponseCache cache({10, 1 << 20});
        cache.setDataVersion(1);
        cache.insert("a", body("A"), 1);
        cache.setDataVersion(1);
        QVERIFY(cache.find("a"));
        cache.setDataVersion(2);
        QVERIFY(!cache.find("a"));
        QCOMPARE(cache.stats().bytes, 0);
        // An answer started before the change is not kept after it.
        cache.insert("late", body("old data"), 1);
        QVERIFY(!cache.find("late"));
    }

    void anIngestReachesTheRunningServer()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("live.db");
        const QString csvPath = dir.filePath("cases.csv");
        // The file's modification time is its refresh date: set, not waited for.
        const QDateTime firstRefresh = QDateTime::currentDateTimeUtc().addDays(-1);
        auto writeCsv = [&](const QByteArray &value, const QDateTime &modified) {
            QFile csv(csvPath);
            QVERIFY(csv.open(QIODevice::WriteOnly));
            csv.write("parent_theme,child_theme,topic,geography_type,geography,metric_name,stratum,"
                      "sex,period,year,epiweek,date,metric_value\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,new_cases_daily,"
                      "default,all,daily,2023,10,8/3/2023,"
                      + value + "\n");
            QVERIFY(csv.flush());
            QVERIFY(csv.setFileTime(modified, QFileDevice::FileModificationTime));
        };
        writeCsv("100", firstRefresh);
        QCOMPARE(test::runIngest(db, {csvPath}), 0);
        test::ServerProcess server;
        QVERIFY2(server.start(db), server.output().constData());
        const QByteArray target = "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                                  "respiratory/topics/COVID-19/geography_types/Nation/geographies/"
                                  "England/metrics/new_cases_daily";
        auto value = [&] {
            const auto reply = test::HttpClient::request(server.port(), "GET", target);
            return reply.json()["results"].toArray().at(0)["metric_value"].toDouble();
        };
        QCOMPARE(value(), 100.0);
        QCOMPARE(value(), 100.0); // now from the cache

        // A corrected file (newer modification time) ingested by another process.
        writeCsv("250", firstRefresh.addSecs(3600));
        QCOMPARE(test::runIngest(db, {csvPath}), 0);
        // The server polls the store's data version about every second.
        QTRY_COMPARE_WITH_TIMEOUT(value(), 250.0, 30000);
    }
};

QTEST_GUILESS_MAIN(TestResponseCache)
#include "TestResponseCache.moc"
