#include "weather/LengthUnits.h"

#include <QTest>

using namespace isobar;

class TestLengthUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void conversions_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<double>("metres");
        QTest::newRow("mm") << 1.1 << "mm" << 0.0011;
        QTest::newRow("cm") << 2.0 << "cm" << 0.02;
        QTest::newRow("m") << 427.0 << "m" << 427.0;
        QTest::newRow("km") << 9.7 << "km" << 9700.0;
        QTest::newRow("mi") << 6.0 << "mi" << 9656.064;
        QTest::newRow("in") << 0.04 << "in" << 0.001; // 0.001016 rounded to 4 decimals
        QTest::newRow("ft") << 1400.0 << "ft" << 426.72;
        QTest::newRow("case") << 1.0 << "KM" << 1000.0;
        QTest::newRow("rounding") << 0.123456 << "m" << 0.1235;
    }
    void conversions()
    {
        QFETCH(double, value);
        QFETCH(QString, unit);
        QFETCH(double, metres);
        const auto converted = toMetres(value, unit);
        QVERIFY(converted);
        QCOMPARE(*converted, metres);
    }

    void unknownUnitIsRefused()
    {
        QVERIFY(!toMetres(1, "furlong"));
        QVERIFY(!toMetres(qQNaN(), "m"));
    }
};

QTEST_GUILESS_MAIN(TestLengthUnits)
#include "TestLengthUnits.moc"
