#include "TestSupport.h"
#include "api/ResponseCache.h"
#include "api/Today.h"
#include "http/BodyFile.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <thread>
#include <unistd.h>

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

    void largeBodiesAreKeptInBoundedBodyFiles()
    {
        // A large answer is also kept in a file the kernel sends from; its pages count against
        // the byte bound as well, and past maxBodyFiles the least recently used answers with one
        // keep their bytes only.
        ResponseCache::Limits limits{100, 1 << 20};
        limits.bodyFileMinBytes = 1000;
        limits.maxBodyFiles = 2;
        ResponseCache cache(limits);
        cache.setDataVersion(1);
        cache.insert("small", body(QByteArray(999, 's')), 1);
        QVERIFY(!cache.find("small")->bodyFile);
        QByteArray large(4000, Qt::Uninitialized);
        for (qsizetype i = 0; i < large.size(); ++i)
            large[i] = char(i % 251);
        cache.insert("a", body(large), 1);
        const auto a = cache.find("a");
        QVERIFY(a && a->bodyFile);
        QCOMPARE(a->body, large);
        QCOMPARE(a->bodyFile->size(), large.size());
        QByteArray inFile(large.size(), Qt::Uninitialized);
        QCOMPARE(::pread(a->bodyFile->descriptor(), inFile.data(), size_t(inFile.size()), 0),
                 ssize_t(large.size()));
        QCOMPARE(inFile, large);
        const qint64 before = cache.stats().bytes;
        cache.insert("b", body(large), 1);
        QCOMPARE(cache.stats().bytes - before, 1 + 2 * large.size() + 256);
        QCOMPARE(cache.stats().bodyFiles, 2);
        QVERIFY(cache.find("a")); // b is now the least recently used
        const qint64 beforeC = cache.stats().bytes;
        cache.insert("c", body(large), 1);
        QCOMPARE(cache.stats().bodyFiles, 2);
        QCOMPARE(cache.stats().bytes - beforeC, 1 + large.size() + 256);
        QCOMPARE(cache.find("b")->bodyFile, nullptr);
        QCOMPARE(cache.find("b")->body, large);
        QVERIFY(cache.find("a")->bodyFile && cache.find("c")->bodyFile && cache.find("small"));
        cache.setDataVersion(2);
        QCOMPARE(cache.stats().bodyFiles, 0);
    }

    void todayIsTheLocalDate()
    {
        // The cache key's date (and default date ranges) follow the local calendar: in these two
        // zones, 25 hours apart, at least one has another date than UTC at any time of day.
        const QByteArray zone = qgetenv("TZ");
        for (const char *name : {"Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
            qputenv("TZ", name);
            QDate today, expected;
            // A new thread: each keeps its own date until its next midnight.
            std::thread([&] {
                today = localToday();
                expected = QDate::currentDate();
            }).join();
            QCOMPARE(today, expected);
        }
        if (zone.isNull())
            qunsetenv("TZ");
        else
            qputenv("TZ", zone);
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
