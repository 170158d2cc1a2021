// Log events as a log shipper reads them (--log-format json) and the ops board's audience
// families: logfmt values quoted only when needed and read back whole, numbers as numbers,
// plain text kept as a message; positions counted by 10-degree area, callers by hour, bounded.

#include "monitoring/AudienceCounters.h"
#include "monitoring/LogFormat.h"
#include "monitoring/PrometheusText.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace isobar;

class TestLogFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesAreQuotedOnlyWhenNeeded()
    {
        QCOMPARE(logformat::value(u"/api/v1/themes"), u"/api/v1/themes"_s);
        QCOMPARE(logformat::value(u"two words"), u"\"two words\""_s);
        QCOMPARE(logformat::value(u"say \"hi\" \\o/"), u"\"say \\\"hi\\\" \\\\o/\""_s);
        QCOMPARE(logformat::value(u"a=b"), u"\"a=b\""_s);
        QCOMPARE(logformat::value(u""), u"\"\""_s);
    }

    void fieldsReadBackWhatValueWrote()
    {
        const QString nasty = u"say \"hi\" \\o/ x=1"_s;
        const QString message =
            u"event=request user="_s + logformat::value(nasty) + u" status=200"_s;
        const QJsonObject fields = logformat::fields(message);
        QCOMPARE(fields[u"event"].toString(), u"request"_s);
        QCOMPARE(fields[u"user"].toString(), nasty);
        QCOMPARE(fields[u"status"].toInt(), 200);
    }

    void fieldsKeepUnquotedTextWhole()
    {
        const QJsonObject fields =
            logformat::fields(u"event=store_connection_lost error=could not connect: refused"_s);
        QCOMPARE(fields[u"error"].toString(), u"could not connect: refused"_s);
        QVERIFY(logformat::fields(u"QStandardPaths: something happened"_s).isEmpty());
    }

    void onlyPlainDecimalsBecomeNumbers()
    {
        const QJsonObject fields =
            logformat::fields(u"a=12 b=-0.5 c=1e4 d=007 e=1e473b8a f=12345678901234567890"_s);
        QCOMPARE(fields[u"a"].toDouble(), 12.0);
        QCOMPARE(fields[u"b"].toDouble(), -0.5);
        for (const char *key : {"c", "d", "e", "f"})
            QVERIFY2(fields[QLatin1String(key)].isString(), key);
    }

    void jsonLineHasTheEventsContext()
    {
        const QDateTime at(QDate(2026, 12, 5), QTime(16, 8, 34, 688), Qt::UTC);
        QJsonObject event =
            QJsonDocument::fromJson(logformat::jsonLine(QtWarningMsg, "isobar.redis",
                                                        u"event=redis_down"_s, u"us-west-3"_s, at))
                .object();
        QCOMPARE(event[u"time"].toString(), u"2026-12-05T16:08:34.688Z"_s);
        QCOMPARE(event[u"level"].toString(), u"warning"_s);
        QCOMPARE(event[u"category"].toString(), u"isobar.redis"_s);
        QCOMPARE(event[u"replica"].toString(), u"us-west-3"_s);
        QCOMPARE(event[u"event"].toString(), u"redis_down"_s);
        const QByteArray plain =
            logformat::jsonLine(QtCriticalMsg, nullptr, u"it broke\nbadly"_s, u"r"_s, at);
        QVERIFY(!plain.contains('\n'));
        event = QJsonDocument::fromJson(plain).object();
        QCOMPARE(event[u"message"].toString(), u"it broke\nbadly"_s);
        QCOMPARE(event[u"level"].toString(), u"error"_s);
        QCOMPARE(event[u"category"].toString(), u"default"_s);
    }

    void positionsAreCountedByTenDegreeArea()
    {
        AudienceCounters counters;
        counters.countPosition(48.85, 2.35);    // Paris
        counters.countPosition(45.76, 4.83);    // Lyon, the same area
        counters.countPosition(37.77, -122.42); // San Francisco
        counters.countPosition(-90.0, 180.0);   // the edges stay in the last area
        PrometheusText out;
        counters.writePrometheus(out, 0);
        const QByteArray text = out.text();
        QVERIFY2(text.contains(
                     "isobar_weather_requests_by_area_total{latitude=\"45\",longitude=\"5\"} 2\n"),
                 text.constData());
        QVERIFY(text.contains(
            "isobar_weather_requests_by_area_total{latitude=\"35\",longitude=\"-125\"} 1\n"));
        QVERIFY(text.contains(
            "isobar_weather_requests_by_area_total{latitude=\"-85\",longitude=\"175\"} 1\n"));
    }

    void callersAreThisHoursTopTen()
    {
        constexpr qint64 kHour = 3'600'000;
        AudienceCounters counters;
        counters.countCaller(u"last-hour"_s, 5 * kHour - 1);
        for (int caller = 0; caller < 12; ++caller) {
            for (int i = 0; i <= caller; ++i)
                counters.countCaller(u"watch-%1"_s.arg(caller), 5 * kHour + i);
        }
        PrometheusText out;
        counters.writePrometheus(out, 5 * kHour + 100);
        const QByteArray text = out.text();
        QCOMPARE(text.count("isobar_top_caller_requests{"), 10);
        QVERIFY(text.contains("isobar_top_caller_requests{caller=\"watch-11\"} 12\n"));
        QVERIFY(text.contains("isobar_top_caller_requests{caller=\"watch-2\"} 3\n"));
        QVERIFY(!text.contains("watch-1\"") && !text.contains("last-hour"));
        PrometheusText later;
        counters.writePrometheus(later, 6 * kHour);
        QCOMPARE(later.text().count("isobar_top_caller_requests{"), 0);
    }

    void callersBeyondTheLimitAreCountedTogether()
    {
        AudienceCounters counters;
        for (int caller = 0; caller < AudienceCounters::kMaxCallers + 5; ++caller)
            counters.countCaller(QString::number(caller), 0);
        counters.countCaller(u"0"_s, 0);
        PrometheusText out;
        counters.writePrometheus(out, 0);
        QVERIFY2(out.text().contains("isobar_top_caller_requests{caller=\"(others)\"} 5\n"),
                 out.text().constData());
        QVERIFY(out.text().contains("isobar_top_caller_requests{caller=\"0\"} 2\n"));
    }
};

QTEST_GUILESS_MAIN(TestLogFormat)
#include "TestLogFormat.moc"
