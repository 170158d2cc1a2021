// JSON pieces written by hand must be the bytes QJsonDocument writes: answers built both ways
// are compared, cached and hashed as bytes.
#include "http/JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <limits>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {

// What QJsonDocument writes for one value, without the array around it.
QByteArray asQtWritesIt(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

} // namespace

class TestJsonBytes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stringsAreEscapedAsQtEscapesThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("name") << u"COVID-19_cases_casesByDay"_s;
        QTest::newRow("spaces and punctuation") << u"Upper Tier Local Authority (2023) / 65+"_s;
        QTest::newRow("quote") << u"say \"when\""_s;
        QTest::newRow("backslash") << u"C:\\data"_s;
        QTest::newRow("newline and tab") << u"a\nb\tc\rd"_s;
        QTest::newRow("other controls") << QString(QChar(0x01)) + QChar(0x1f) + u"x"_s;
        QTest::newRow("delete") << QString(QChar(0x7f));
        QTest::newRow("accents") << u"Ynys Môn, Pays de la Loire: Saint-Étienne"_s;
        QTest::newRow("outside the BMP") << u"\U0001F321 temperature"_s;
        QTest::newRow("ASCII before non-ASCII") << u"plain then é"_s;
    }

    void stringsAreEscapedAsQtEscapesThem()
    {
        QFETCH(QString, text);
        QCOMPARE(JsonBytes::string(text), asQtWritesIt(text));
    }

    void numbersAreWrittenAsQtWritesThem_data()
    {
        QTest::addColumn<double>("value");
        QTest::newRow("zero") << 0.0;
        QTest::newRow("whole") << 42.0;
        QTest::newRow("negative whole") << -7.0;
        QTest::newRow("fraction") << 0.1 + 0.2;
        QTest::newRow("2^53") << 9007199254740992.0;
        QTest::newRow("past 2^53") << 18014398509481984.0;
        QTest::newRow("tiny") << 1.5e-300;
    }

    void numbersAreWrittenAsQtWritesThem()
    {
        QFETCH(double, value);
        QByteArray out;
        JsonBytes::appendNumber(out, value);
        QCOMPARE(out, asQtWritesIt(value));
    }

    void nonFiniteNumbersAreNull()
    {
        for (const double value :
             {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
              std::numeric_limits<double>::quiet_NaN()}) {
            QByteArray out;
            JsonBytes::appendNumber(out, value);
            QCOMPARE(out, QByteArray("null"));
        }
    }
};

QTEST_APPLESS_MAIN(TestJsonBytes)
#include "TestJsonBytes.moc"
