#include "ChartStyle.h"
#include "DateAxis.h"

#include <QCategoryAxis>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

QStringList labels(const QList<DateAxis::Tick> &ticks)
{
    QStringList result;
    for (const DateAxis::Tick &tick : ticks)
        result << tick.label;
    return result;
}

QList<QDate> dates(const QList<DateAxis::Tick> &ticks)
{
    QList<QDate> result;
    for (const DateAxis::Tick &tick : ticks)
        result << tick.date;
    return result;
}

} // namespace

// Date ticks on calendar boundaries: what a reader of a chart expects to find under a gridline.
class TestDateAxis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aYearIsLabelledOnMonthStarts()
    {
        // 9 Mar 2023 to 8 Mar 2024 at 1200 px: every month, each on its first day, the year
        // on the first label and on January's, in British English as UKHSA writes them.
        const auto ticks = DateAxis::ticks(QDate(2023, 3, 9), QDate(2024, 3, 8), 1200);
        QCOMPARE(labels(ticks),
                 (QStringList{u"Apr 2023"_s, u"May"_s, u"Jun"_s, u"Jul"_s, u"Aug"_s, u"Sept"_s,
                              u"Oct"_s, u"Nov"_s, u"Dec"_s, u"Jan 2024"_s, u"Feb"_s, u"Mar"_s}));
        for (const QDate d : dates(ticks))
            QCOMPARE(d.day(), 1);
    }

    void narrowChartsSkipWholeMonths()
    {
        // The same year at 515 px holds 5 labels: every third month, from January's quarters.
        const auto ticks = DateAxis::ticks(QDate(2023, 3, 9), QDate(2024, 3, 8), 515);
        QCOMPARE(dates(ticks), (QList<QDate>{QDate(2023, 4, 1), QDate(2023, 7, 1),
                                             QDate(2023, 10, 1), QDate(2024, 1, 1)}));
        QCOMPARE(labels(ticks).constFirst(), u"Apr 2023"_s);
        QCOMPARE(labels(ticks).constLast(), u"Jan 2024"_s);
    }

    void weeksStartOnMonday()
    {
        const auto ticks = DateAxis::ticks(QDate(2024, 2, 14), QDate(2024, 3, 14), 600);
        QVERIFY(!ticks.isEmpty());
        for (const QDate d : dates(ticks))
            QCOMPARE(d.dayOfWeek(), 1);
        QCOMPARE(labels(ticks).constFirst(), u"19 Feb 2024"_s);
        QCOMPARE(labels(ticks)[1], u"26 Feb"_s);
    }

    void decadesAreLabelledByYear()
    {
        const auto ticks = DateAxis::ticks(QDate(2013, 4, 1), QDate(2024, 3, 31), 515);
        QVERIFY(ticks.size() <= 515 / 90);
        for (const DateAxis::Tick &tick : ticks) {
            QCOMPARE(tick.date.dayOfYear(), 1);
            QCOMPARE(tick.label, QString::number(tick.date.year()));
        }
    }

    void aLoneDayIsNamedInFullAndCentred()
    {
        const QDate day(2023, 4, 1);
        QCOMPARE(labels(DateAxis::ticks(day, day, 515)), QStringList{u"1 Apr 2023"_s});
        std::unique_ptr<QCategoryAxis> axis(DateAxis::create(day, day, 515));
        QCOMPARE(axis->categoriesLabels(), QStringList{u"1 Apr 2023"_s});
        QCOMPARE((axis->min() + axis->max()) / 2, ChartStyle::dateX(day));
    }
};

QTEST_MAIN(TestDateAxis)
#include "TestDateAxis.moc"
