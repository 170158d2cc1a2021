#include "EnglandSeries.h"
#include "MetricsDatabase.h"
#include "MetricsWriter.h"
#include "TestStores.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

SeriesKey englandCases()
{
    return test::englandKey(u"new_cases_daily"_s);
}

TimeSeriesPoint point(QDate date, double value, qint64 refresh)
{
    TimeSeriesPoint p;
    p.date = date;
    p.epiweek = 10;
    p.value = value;
    p.refreshDate = refresh;
    return p;
}

} // namespace

class TestMetricsWriter : public QObject
{
    Q_OBJECT
private:
    test::TestStores m_stores;
    std::unique_ptr<MetricsDatabase> m_db;

    WriteCounts write(const QList<TimeSeriesPoint> &points, const SeriesKey &key = englandCases())
    {
        MetricsWriter writer(m_db->connection());
        QString error;
        [&] {
            QVERIFY(writer.begin(&error));
            const auto id = writer.seriesId(key, &error);
            QVERIFY2(id, qPrintable(error));
            for (const auto &p : points)
                QVERIFY2(writer.addPoint(*id, p, &error), qPrintable(error));
            QVERIFY2(writer.commit(&error), qPrintable(error));
        }();
        return writer.counts();
    }
    double storedValue(QDate date)
    {
        QSqlQuery q(m_db->connection());
        q.prepare("SELECT value FROM point WHERE day = ?");
        q.addBindValue(date.toJulianDay() - 2440588);
        return q.exec() && q.next() ? q.value(0).toDouble() : -1;
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<MetricsDatabase>();
        const QString store = m_stores.fresh(u"store"_s);
        QVERIFY2(!store.isEmpty(), qPrintable(m_stores.errorString()));
        QVERIFY2(m_db->open(store), qPrintable(m_db->errorString()));
    }

    void newerRefreshReplacesOnlyThatValue()
    {
        const QDate d1(2023, 3, 8), d2(2023, 3, 9);
        WriteCounts c = write({point(d1, 10, 100), point(d2, 20, 100)});
        QCOMPARE(c.inserted, 2);
        QCOMPARE(m_db->dataVersion(), 1);

        c = write({point(d1, 10, 100), point(d2, 20, 100)});
        QCOMPARE(c.unchanged, 2);
        QCOMPARE(c.inserted + c.updated, 0);
        QCOMPARE(m_db->dataVersion(), 1); // nothing changed, caches stay valid

        c = write({point(d1, 10, 100), point(d2, 25, 200)});
        QCOMPARE(c.updated, 1);
        QCOMPARE(c.unchanged, 1);
        QCOMPARE(storedValue(d1), 10.0);
        QCOMPARE(storedValue(d2), 25.0);
        QCOMPARE(m_db->dataVersion(), 2);

        c = write({point(d2, 99, 150)}); // an older correction never wins
        QCOMPARE(c.unchanged, 1);
        QCOMPARE(storedValue(d2), 25.0);
    }

    // Points go in batches (500 rows a statement on SQLite, a COPY of 10,000 on PostgreSQL):
    // across several batches, new points, confidence bounds and corrections within one file are
    // all counted and stored as one at a time would be.
    void largeFilesSpanManyBatches()
    {
        constexpr int kPoints = 25'000;
        const QDate first(1950, 1, 1);
        QList<TimeSeriesPoint> points;
        for (int i = 0; i < kPoints; ++i) {
            TimeSeriesPoint p = point(first.addDays(i), i, 100);
            if (i % 3 == 0)
                p.embargo = 1'700'000'000 + i;
            if (i % 7 == 0) {
                p.upperConfidence = i + 0.25;
                p.lowerConfidence = i - 0.125;
            }
            points << p;
        }
        WriteCounts c = write(points);
        QCOMPARE(c.inserted, kPoints);
        QCOMPARE(c.updated + c.unchanged, 0);
        QCOMPARE(storedValue(first.addDays(12'345)), 12'345.0);

        // Every tenth value corrected under a newer refresh date, the rest sent again.
        for (int i = 0; i < kPoints; ++i) {
            points[i].refreshDate = 200;
            if (i % 10 == 0)
                points[i].value = -i - 0.5;
        }
        c = write(points);
        QCOMPARE(c.inserted, 0);
        QCOMPARE(c.updated, kPoints / 10);
        QCOMPARE(c.unchanged, kPoints - kPoints / 10);
        QCOMPARE(storedValue(first.addDays(12'340)), -12'340.5);
        QCOMPARE(storedValue(first.addDays(12'341)), 12'341.0);
        QSqlQuery bounds(m_db->connection());
        QVERIFY(bounds.exec("SELECT COUNT(*), SUM(upper_confidence - lower_confidence),"
                            " COUNT(embargo) FROM point"));
        QVERIFY(bounds.next());
        QCOMPARE(bounds.value(0).toInt(), kPoints);
        const int withBounds = (kPoints + 6) / 7; // every seventh point, each 0.375 wide
        QCOMPARE(bounds.value(1).toDouble(), 0.375 * withBounds);
        QCOMPARE(bounds.value(2).toInt(), (kPoints + 2) / 3);
    }

    // A new series' points go straight into the table on PostgreSQL; a day given twice in one
    // file must still end as the newer of the two, counted as an insert and an update.
    void aDayTwiceInOneFileOfANewSeries()
    {
        const QDate day(2023, 3, 8);
        const WriteCounts c =
            write({point(day, 10, 100), point(day.addDays(1), 11, 100), point(day, 20, 200)});
        QCOMPARE(c.inserted, 2);
        QCOMPARE(c.updated, 1);
        QCOMPARE(storedValue(day), 20.0);
        QCOMPARE(storedValue(day.addDays(1)), 11.0);
    }

    // SQLite gives a new series the highest id plus one: a series removed by hand passes its id,
    // and the points left under it, to the next, whose points then are not all new.
    void pointsLeftUnderAReusedSeriesId()
    {
        if (m_db->isPostgresql())
            QSKIP("PostgreSQL never gives an id twice");
        write({point(QDate(2023, 1, 1), 1, 1), point(QDate(2023, 1, 2), 2, 1)});
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("DELETE FROM series"));
        const WriteCounts c =
            write({point(QDate(2023, 1, 1), 1, 1), point(QDate(2023, 1, 3), 3, 1)});
        QCOMPARE(c.inserted, 1);
        QCOMPARE(c.unchanged, 1);
        QVERIFY(q.exec("SELECT COUNT(*), MAX(series_id) FROM point") && q.next());
        QCOMPARE(q.value(0).toInt(), 3);
        QCOMPARE(q.value(1).toInt(), 1);
    }

    void rollbackLeavesNothing()
    {
        MetricsWriter writer(m_db->connection());
        QString error;
        QVERIFY(writer.begin(&error));
        const auto id = writer.seriesId(englandCases(), &error);
        QVERIFY(writer.addPoint(*id, point(QDate(2023, 1, 1), 1, 1), &error));
        writer.rollback();
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT (SELECT COUNT(*) FROM point) + (SELECT COUNT(*) FROM series)"
                       " + (SELECT COUNT(*) FROM theme)")
                && q.next());
        QCOMPARE(q.value(0).toInt(), 0);

        // The same writer must not reuse ids that died with the transaction.
        QVERIFY(writer.begin(&error));
        const auto again = writer.seriesId(englandCases(), &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(writer.addPoint(*again, point(QDate(2023, 1, 1), 1, 1), &error));
        QVERIFY2(writer.commit(&error), qPrintable(error));
        QVERIFY(q.exec("SELECT COUNT(*) FROM point p JOIN series s ON s.id = p.series_id")
                && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void geographyCodeConflictIsAnError()
    {
        write({point(QDate(2023, 1, 1), 1, 1)});
        SeriesKey other = englandCases();
        other.geographyCode = "E92000002";
        MetricsWriter writer(m_db->connection());
        QString error;
        QVERIFY(writer.begin(&error));
        QVERIFY(!writer.seriesId(other, &error));
        QVERIFY2(error.contains("stored with code E92000001, not E92000002"), qPrintable(error));
        writer.rollback();
    }

    void missingCodeIsFilledLater()
    {
        SeriesKey fromCsv = englandCases();
        fromCsv.geographyCode.clear();
        write({point(QDate(2023, 1, 1), 1, 1)}, fromCsv);
        write({point(QDate(2023, 1, 2), 1, 1)});
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT COUNT(*), MAX(code) FROM geography") && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QCOMPARE(q.value(1).toString(), u"E92000001"_s);
    }

    void publicFlagMarksSeries()
    {
        TimeSeriesPoint hidden = point(QDate(2023, 1, 1), 1, 1);
        hidden.isPublic = false;
        write({hidden});
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec("SELECT has_public FROM series") && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        write({point(QDate(2023, 1, 2), 1, 1)});
        QVERIFY(q.exec("SELECT has_public FROM series") && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestMetricsWriter)
#include "TestMetricsWriter.moc"
