#include "TrendDirection.h"

#include <QTest>

using namespace isobar;

class TestTrendDirection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void colour_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("change");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<QString>("colour");
        QTest::newRow("cases up is bad") << "COVID-19_headline_cases_7DayChange" << 12.0 << "up"
                                         << "red";
        QTest::newRow("cases down is good") << "new_cases_daily" << -3.0 << "down"
                                            << "green";
        QTest::newRow("deaths up") << "COVID-19_headline_ONSdeaths_7DayChange" << 1.0 << "up"
                                   << "red";
        QTest::newRow("admissions down")
            << "COVID-19_headline_7DayAdmissionsPercentChange" << -17.7 << "down"
            << "green";
        QTest::newRow("occupied beds up") << "covid_occupied_beds" << 5.0 << "up"
                                          << "red";
        QTest::newRow("positivity up") << "weekly_positivity" << 0.5 << "up"
                                       << "red";
        QTest::newRow("tests up is good") << "COVID-19_headline_tests_7DayChange" << 10.0 << "up"
                                          << "green";
        QTest::newRow("tests down is bad")
            << "COVID-19_headline_tests_7DayChange" << -10.0 << "down"
            << "red";
        QTest::newRow("vaccination up") << "vaccinations_percentage_uptake_autumn22" << 2.0 << "up"
                                        << "green";
        QTest::newRow("no change") << "new_cases_daily" << 0.0 << "neutral"
                                   << "neutral";
        QTest::newRow("unknown metric") << "matrixNumber" << 4.0 << "up"
                                        << "neutral";
    }
    void colour()
    {
        QFETCH(QString, metric);
        QFETCH(double, change);
        QFETCH(QString, direction);
        QFETCH(QString, colour);
        const TrendDirection d = trendDirection(change);
        QCOMPARE(directionName(d), direction);
        QCOMPARE(trendColour(d, trendPolarity(metric)), colour);
    }
};

QTEST_GUILESS_MAIN(TestTrendDirection)
#include "TestTrendDirection.moc"
