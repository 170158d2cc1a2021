#include "SeenDays.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace isobar;

class TestSeenDays : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // MetricsWriter inserts a point the fast way only when add() says its day is new: that must
    // never be said of a day added before, in whatever order the days come.
    void neverTakesAnAddedDayForNew_data()
    {
        QTest::addColumn<QList<qint64>>("days");
        QList<qint64> descending, weekly, shuffled, jumps;
        for (qint64 d = 20'000; d > 19'000; --d)
            descending << d;
        for (qint64 d = 19'000; d < 21'000; d += 7)
            weekly << d;
        QRandomGenerator random(17);
        for (int i = 0; i < 5'000; ++i)
            shuffled << random.bounded(-500, 500);
        // UKHSA's order: a run of days back, then a year earlier, then on where the run stopped.
        jumps << 19'000 << 18'999 << 18'998 << 18'634 << 18'633 << 18'997 << 18'996 << 18'632;
        QTest::newRow("a run of days, latest first") << descending;
        QTest::newRow("weekly") << weekly;
        QTest::newRow("random, with repeats") << shuffled;
        QTest::newRow("a jump back and forth") << jumps + jumps;
    }
    void neverTakesAnAddedDayForNew()
    {
        QFETCH(QList<qint64>, days);
        SeenDays seen;
        QSet<qint64> added;
        for (const qint64 day : days) {
            const bool isNew = seen.add(day);
            QVERIFY2(!isNew || !added.contains(day), qPrintable(QString::number(day)));
            added.insert(day);
        }
        for (const qint64 day : std::as_const(added))
            QVERIFY(!seen.add(day));
    }

    // The usual files: every day of a run, and each after a jump, is known to be new.
    void runsOfDaysAreNew()
    {
        SeenDays seen;
        for (qint64 d = 20'000; d > 19'000; --d)
            QVERIFY(seen.add(d));
        for (qint64 d = 18'000; d > 17'000; d -= 7)
            QVERIFY(seen.add(d));
        QVERIFY(seen.add(20'001));
        QVERIFY(!seen.add(19'500));
    }
};

QTEST_GUILESS_MAIN(TestSeenDays)
#include "TestSeenDays.moc"
