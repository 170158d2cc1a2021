// Values as Python's float repr writes them, which UKHSA's answers carry.
#include "metrics/UkhsaWire.h"

#include <QTest>
#include <limits>

using namespace isobar;

class TestUkhsaWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void floatsAreWrittenAsPythonWritesThem_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("python"); // repr(value) in CPython 3
        QTest::newRow("zero") << 0.0 << QByteArray("0.0");
        QTest::newRow("negative zero") << -0.0 << QByteArray("-0.0");
        QTest::newRow("whole") << 100.0 << QByteArray("100.0");
        QTest::newRow("negative whole") << -3.0 << QByteArray("-3.0");
        QTest::newRow("fraction") << 1.25 << QByteArray("1.25");
        QTest::newRow("sum") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
        QTest::newRow("mixed") << 12345.678 << QByteArray("12345.678");
        QTest::newRow("smallest positional") << 0.0001 << QByteArray("0.0001");
        QTest::newRow("small") << 0.001234 << QByteArray("0.001234");
        QTest::newRow("first scientific") << 0.00001 << QByteArray("1e-05");
        QTest::newRow("small scientific") << 1.23e-5 << QByteArray("1.23e-05");
        QTest::newRow("tiny") << 1.5e-300 << QByteArray("1.5e-300");
        QTest::newRow("largest positional")
            << 9999999999999998.0 << QByteArray("9999999999999998.0");
        QTest::newRow("first large scientific") << 1e16 << QByteArray("1e+16");
        QTest::newRow("large") << 2.5e20 << QByteArray("2.5e+20");
        QTest::newRow("negative large") << -1.75e100 << QByteArray("-1.75e+100");
        QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << QByteArray("null");
    }

    void floatsAreWrittenAsPythonWritesThem()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, python);
        QByteArray out = "[";
        UkhsaWire::appendPythonFloat(out, value);
        QCOMPARE(out, "[" + python);
    }

    void storedDecimalsKeepFourPlaces_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("python");
        QTest::newRow("rounded up") << 2.11695981 << QByteArray("2.117");
        QTest::newRow("rounded down") << 0.12344 << QByteArray("0.1234");
        QTest::newRow("fifth place up") << 1.00005001 << QByteArray("1.0001");
        QTest::newRow("below a ten-thousandth") << -0.00004 << QByteArray("-0.0");
        QTest::newRow("whole") << 6276.0 << QByteArray("6276.0");
        QTest::newRow("largest finite")
            << std::numeric_limits<double>::max() << QByteArray("1.7976931348623157e+308");
    }

    void storedDecimalsKeepFourPlaces()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, python);
        QByteArray out;
        UkhsaWire::appendStoredDecimal(out, value);
        QCOMPARE(out, python);
    }
};

QTEST_GUILESS_MAIN(TestUkhsaWire)
#include "TestUkhsaWire.moc"
