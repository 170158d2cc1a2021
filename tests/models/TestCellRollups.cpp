#include "CellRollups.h"
#include "MetricsDatabase.h"
#include "RequestLogWriter.h"
#include "RequestStats.h"
#include "TestStores.h"
#include "TestSupport.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;
using isobar::test::scalar;

namespace {

constexpr qint64 kHour = 3'600'000;
constexpr qint64 kDay = 24 * kHour;
const qint64 kT0 = 1'764'028'800'000; // 2025-11-25T00:00:00Z, a day's first hour
const qint64 kHour0 = kT0 / kHour;
constexpr int kAll = 1'000'000; // hours per seal: no limit

RequestEvent weatherCall(qint64 timeMs, double latitude, const QByteArray &outcome)
{
    RequestEvent e;
    e.timeMs = timeMs;
    e.method = "GET";
    e.route = u"/prcpt"_s;
    e.status = 200;
    e.durationUs = 900;
    e.client = u"127.0.0.1"_s;
    e.cell = CellBounds{latitude, 2.35, 0.0045, 0.0068};
    e.cacheOutcome = outcome;
    return e;
}

} // namespace

class TestCellRollups : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    std::unique_ptr<MetricsDatabase> m_db;
    int m_file = 0;

    QSqlDatabase &db() { return m_db->connection(); }

    // Three days of calls from 40 cells, some busier than others, every outcome.
    QList<RequestEvent> threeDays(int count, quint32 seed)
    {
        QRandomGenerator random(seed);
        static const QByteArray outcomes[] = {"hit", "miss", "stale"};
        QList<RequestEvent> events;
        for (int i = 0; i < count; ++i) {
            const int cell = int(random.bounded(40) * random.bounded(40) / 40); // skewed
            events << weatherCall(kT0 + random.bounded(3 * kDay), 48.0 + 0.009 * cell,
                                  outcomes[random.bounded(3)]);
        }
        return events;
    }

    // A one-hour segment of the given bytes, as a broken store might hold.
    void insertSegment(qint64 hour, const char *hex)
    {
        QSqlQuery query(db());
        query.prepare(u"INSERT INTO cell_segment (hour, hours, counts) VALUES (?, 1, ?)"_s);
        query.addBindValue(hour);
        query.addBindValue(QByteArray::fromHex(hex));
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }

    void write(const QList<RequestEvent> &events)
    {
        QString error;
        RequestLogWriter writer(db());
        QVERIFY2(writer.write(events, &error), qPrintable(error));
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        const QString store = m_stores.fresh(u"cells%1"_s.arg(++m_file));
        QVERIFY2(m_db->open(store), qPrintable(m_stores.errorString() + m_db->errorString()));
    }

    void packedBytesAreIdStepsAndCountsAsVarints()
    {
        const QByteArray bytes = CellRollups::pack({{7, 2, 1, 1, 0}, {300, 5, 0, 0, 5}});
        // 7 | 2 1 1 0 | 293 = 0xa5 0x02 | 5 0 0 5
        QCOMPARE(bytes.toHex(), QByteArray("0702010100a50205000005"));
        std::vector<CellRollups::Tally> back;
        QVERIFY(CellRollups::unpack(bytes, &back));
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back[1].cell, quint64(300));
        QCOMPARE(back[1].stale, quint64(5));
        const quint64 big = quint64(1) << 40; // counts are not capped at 32 bits
        QVERIFY(CellRollups::unpack(CellRollups::pack({{1, big, big, 0, 0}}), &back));
        QCOMPARE(back.back().requests, big);

        const size_t before = back.size();
        QVERIFY(!CellRollups::unpack(bytes.chopped(1), &back)); // cut short
        QVERIFY(!CellRollups::unpack(QByteArray::fromHex("0701010000"
                                                         "0001010000"),
                                     &back));
        QVERIFY(!CellRollups::unpack(QByteArray::fromHex("ffffffffffffffffffffff"), &back));
        QCOMPARE(back.size(), before); // nothing appended from a broken segment
    }

    void sealingChangesNoAnswer_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<int>("limit");
        QTest::addRow("one hour") << kT0 + 5 * kHour << kT0 + 6 * kHour << 1000;
        QTest::addRow("hours across midnight") << kT0 + 20 * kHour << kT0 + 27 * kHour << 1000;
        QTest::addRow("three days") << kT0 << kT0 + 3 * kDay << 1000;
        QTest::addRow("three days, busiest 5") << kT0 << kT0 + 3 * kDay << 5;
        QTest::addRow("three days, busiest 1") << kT0 << kT0 + 3 * kDay << 1;
        QTest::addRow("before any traffic") << kT0 - kDay << kT0 << 1000;
    }

    void sealingChangesNoAnswer()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(int, limit);
        write(threeDays(5000, 11));
        RequestStats stats(db(), {});
        const QList<CellCount> rows = stats.busiestCells(from, to, limit);

        // All hours but the last day's last one are sealed; that one stays rows.
        RequestLogWriter writer(db());
        QString error;
        QVERIFY(writer.sealCellHours(kT0 + 3 * kDay - kHour, kAll, &error) > 0);
        QCOMPARE(stats.busiestCells(from, to, limit), rows);
        QCOMPARE(
            scalar(db(), u"SELECT count(*) FROM rollup_cell WHERE hour < %1"_s.arg(kHour0 + 71)),
            0);
        QVERIFY(scalar(db(), u"SELECT count(*) FROM rollup_cell WHERE hour = %1"_s.arg(kHour0 + 71))
                > 0);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell_segment"), 71);
        QCOMPARE(scalar(db(), "SELECT max(hours) FROM cell_segment"), 1);

        // Then days folded, as the recorder leaves them: still the same answers (a range's
        // sealed day counts when its first hour is inside, as folded rows did before).
        QVERIFY(writer.compactDays(kT0 + 2 * kDay + kHour, 7, &error) > 0);
        if (from % kDay == 0 && to % kDay == 0)
            QCOMPARE(stats.busiestCells(from, to, limit), rows);
        QCOMPARE(
            scalar(db(), u"SELECT count(*) FROM cell_segment WHERE hour < %1"_s.arg(kHour0 + 48)),
            2);
        QCOMPARE(writer.compactDays(kT0 + 2 * kDay + kHour, 7, &error), 0); // nothing to fold
    }

    void sealingTakesTheOldestHoursFirst()
    {
        write({weatherCall(kT0 + 10, 48.0, "hit"), weatherCall(kT0 + kHour, 48.0, "hit"),
               weatherCall(kT0 + 2 * kHour, 48.0, "hit"),
               weatherCall(kT0 + 3 * kHour, 48.0, "hit")});
        RequestLogWriter writer(db());
        QString error;
        const auto segmentHours = [&] {
            return scalar(db(), u"SELECT sum(CAST(1 AS BIGINT) << CAST(hour - %1 AS INTEGER))"
                                " FROM cell_segment"_s.arg(kHour0));
        };
        // Two at a time, oldest first; the hour that is not over yet is left alone.
        QCOMPARE(writer.sealCellHours(kT0 + 3 * kHour, 2, &error), 2);
        QCOMPARE(segmentHours(), qint64(0b0011));
        QCOMPARE(writer.sealCellHours(kT0 + 3 * kHour, 2, &error), 1); // fewer: all sealed
        QCOMPARE(segmentHours(), qint64(0b0111));
        QCOMPARE(writer.sealCellHours(kT0 + 3 * kHour, 2, &error), 0);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM rollup_cell"), qint64(1));
    }

    void theDictionaryNamesEachCellOnce()
    {
        const QList<RequestEvent> events = threeDays(3000, 5);
        write(events);
        RequestLogWriter writer(db());
        QString error;
        QVERIFY(writer.sealCellHours(kT0 + 3 * kDay, kAll, &error) > 0);
        QHash<std::pair<double, double>, qint64> lastHours; // each cell's last hour asked for
        for (const RequestEvent &e : events) {
            if (e.cell) {
                qint64 &last = lastHours[{e.cell->latitude, e.cell->longitude}];
                last = std::max(last, e.timeMs / kHour);
            }
        }
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell"), qint64(lastHours.size()));
        QSqlQuery cells(db());
        QVERIFY(cells.exec(u"SELECT lat, lon, last_hour FROM cell"_s));
        while (cells.next())
            QCOMPARE(cells.value(2).toLongLong(),
                     lastHours.value({cells.value(0).toDouble(), cells.value(1).toDouble()}, -1));
    }

    void aLateEventJoinsItsSealedHour()
    {
        write({weatherCall(kT0 + 10, 48.0, "miss"), weatherCall(kT0 + 20, 48.0, "hit")});
        RequestLogWriter writer(db());
        QString error;
        QCOMPARE(writer.sealCellHours(kT0 + kHour, kAll, &error), 1);
        // An event of that hour written after it was sealed: counted at once, as a row...
        write({weatherCall(kT0 + 30, 48.0, "stale")});
        RequestStats stats(db(), {});
        QList<CellCount> cells = stats.busiestCells(kT0, kT0 + kHour, 10);
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells[0].requests, 3);
        QCOMPARE(cells[0].stale, 1);
        // ...then sealed into the same segment.
        QCOMPARE(writer.sealCellHours(kT0 + kHour, kAll, &error), 1);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell_segment"), 1);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM rollup_cell"), 0);
        QCOMPARE(stats.busiestCells(kT0, kT0 + kHour, 10), cells);
    }

    void aDaySegmentKeepsItsSpanWhenALateHourJoins()
    {
        write({weatherCall(kT0 + 5 * kHour, 48.0, "hit")});
        RequestLogWriter writer(db());
        QString error;
        QVERIFY(writer.compactDays(kT0 + 2 * kDay, 7, &error) > 0);
        QCOMPARE(scalar(db(), "SELECT hours FROM cell_segment"), 24);
        write({weatherCall(kT0 + 1, 48.0, "miss")}); // the day's first hour, late
        QVERIFY(writer.sealCellHours(kT0 + 2 * kDay, kAll, &error) > 0);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell_segment"), 1);
        QCOMPARE(scalar(db(), "SELECT hours FROM cell_segment"), 24);
        const QList<CellCount> cells = RequestStats(db(), {}).busiestCells(kT0, kT0 + kDay, 10);
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells[0].requests, 2);
    }

    void expiryDeletesOnlyWhatIsOlder()
    {
        // Paris is asked for on both days, Lyon only on the first.
        write({weatherCall(kT0 + kHour, 48.8, "hit"), weatherCall(kT0 + kHour, 45.7, "miss"),
               weatherCall(kT0 + kDay + kHour, 48.8, "miss")});
        RequestLogWriter writer(db());
        QString error;
        QVERIFY(writer.sealCellHours(kT0 + 2 * kDay, kAll, &error) > 0);
        RequestStats stats(db(), {});
        const QList<CellCount> secondDay = stats.busiestCells(kT0 + kDay, kT0 + 2 * kDay, 10);

        QVERIFY(writer.expire(kT0, kT0 + kDay, &error) > 0);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell_segment"), 1);
        QCOMPARE(scalar(db(), "SELECT count(*) FROM cell"), 1); // Lyon is forgotten
        QCOMPARE(scalar(db(), "SELECT lat = 48.8 FROM cell"), 1);
        QCOMPARE(stats.busiestCells(kT0 + kDay, kT0 + 2 * kDay, 10), secondDay);
        QVERIFY(stats.busiestCells(kT0, kT0 + kDay, 10).isEmpty());
    }

    void aBrokenSegmentIsReportedAndLeftOut()
    {
        // Paris sealed at hour 0 (cell id 1); hour 1 holds a segment whose first cell, id 1 with
        // 2 requests, is followed by a varint cut short.
        write({weatherCall(kT0 + 10, 48.8, "hit")});
        RequestLogWriter writer(db());
        QString error;
        QCOMPARE(writer.sealCellHours(kT0 + kHour, kAll, &error), 1);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        insertSegment(kHour0 + 1, "010201000080");
        // Reads leave the whole segment out, not the part before the break, and say so.
        QString problem;
        const QList<CellCount> cells =
            CellRollups(db()).busiest(kHour0, kHour0 + 1, 10, {}, &problem);
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells[0].requests, qint64(1));
        QVERIFY2(problem.contains(u"broken"), qPrintable(problem));

        // Sealing refuses to fold it (the hour's rows stay, still counted) and goes on with the
        // next hour.
        write({weatherCall(kT0 + kHour + 10, 48.8, "miss"),
               weatherCall(kT0 + 2 * kHour + 10, 48.8, "miss")});
        QCOMPARE(writer.sealCellHours(kT0 + 3 * kHour, kAll, &error), 2);
        QVERIFY2(error.contains(QString::number(kHour0 + 1)), qPrintable(error));
        QCOMPARE(
            scalar(db(), u"SELECT count(*) FROM rollup_cell WHERE hour = %1"_s.arg(kHour0 + 1)),
            qint64(1));
        QCOMPARE(
            scalar(db(), u"SELECT count(*) FROM cell_segment WHERE hour = %1"_s.arg(kHour0 + 2)),
            qint64(1));
        QCOMPARE(RequestStats(db(), {}).busiestCells(kT0, kT0 + 3 * kHour, 10).value(0).requests,
                 qint64(3)); // hour 0's segment, hour 1's row, hour 2's segment
    }

    void aDayThatCannotBeFoldedHoldsUpNoOther()
    {
        // Day 0 holds a broken segment at its first hour and a row; day 1 is sound.
        insertSegment(kHour0, "0180");
        write({weatherCall(kT0 + 5 * kHour, 48.8, "hit"),
               weatherCall(kT0 + kDay + 5 * kHour, 48.8, "miss")});
        RequestLogWriter writer(db());
        QString error;
        QCOMPARE(writer.compactDays(kT0 + 3 * kDay, 7, &error), qint64(-1));
        QVERIFY2(error.contains(QString::number(kHour0)), qPrintable(error));
        // Day 0 as it was; day 1 folded into one segment spanning the day.
        QCOMPARE(
            scalar(db(), u"SELECT count(*) FROM rollup_cell WHERE hour = %1"_s.arg(kHour0 + 5)),
            qint64(1));
        QCOMPARE(scalar(db(), u"SELECT hours FROM cell_segment WHERE hour = %1"_s.arg(kHour0 + 24)),
                 qint64(24));
        QCOMPARE(scalar(db(), "SELECT count(*) FROM rollup_cell"), qint64(1));
    }

    void tiesAtTheCutGoByPosition()
    {
        // Six cells with 2 requests each and one with 3; the limit cuts through the twos. Every
        // other one is sealed, the rest only in rows of the hour not over yet.
        QList<RequestEvent> events;
        for (int i = 0; i < 6; ++i) {
            const qint64 at = i % 2 ? kT0 + 10 : kT0 + kHour + 10;
            events << weatherCall(at, 50.0 - 0.009 * i, "hit")
                   << weatherCall(at + 1, 50.0 - 0.009 * i, "miss");
        }
        events << weatherCall(kT0 + 10, 40.0, "hit") << weatherCall(kT0 + 11, 40.0, "hit")
               << weatherCall(kT0 + kHour + 12, 40.0, "hit");
        write(events);
        RequestLogWriter writer(db());
        QString error;
        QCOMPARE(writer.sealCellHours(kT0 + kHour, kAll, &error), 1);
        const QList<CellCount> cells = RequestStats(db(), {}).busiestCells(kT0, kT0 + 2 * kHour, 4);
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells[0].cell.latitude, 40.0); // busiest
        QCOMPARE(cells[0].requests, qint64(3));
        // Then the three southernmost of the twos: 49.955 (sealed), 49.964 (a row), 49.973
        // (sealed).
        QCOMPARE(cells[1].cell.latitude, 50.0 - 0.009 * 5);
        QCOMPARE(cells[2].cell.latitude, 50.0 - 0.009 * 4);
        QCOMPARE(cells[3].cell.latitude, 50.0 - 0.009 * 3);
        for (int i = 1; i < 4; ++i)
            QCOMPARE(cells[i].requests, qint64(2));
    }

    void aDayWithTrafficInItsFirstHourOnlySpansTheDay()
    {
        write({weatherCall(kT0 + 10, 48.0, "hit")});
        RequestLogWriter writer(db());
        QString error;
        QCOMPARE(writer.sealCellHours(kT0 + kHour, kAll, &error), 1);
        QCOMPARE(scalar(db(), "SELECT hours FROM cell_segment"), qint64(1));
        QCOMPARE(writer.compactDays(kT0 + 2 * kDay, 7, &error), qint64(0)); // nothing to fold
        QCOMPARE(scalar(db(), "SELECT hours FROM cell_segment"), qint64(24));
    }
};

QTEST_GUILESS_MAIN(TestCellRollups)
#include "TestCellRollups.moc"
