#include "DateParsing.h"

#include <QTest>

using namespace isobar;

class TestDateParsing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isoDate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDate>("expected");
        QTest::newRow("plain") << "2023-03-08" << QDate(2023, 3, 8);
        QTest::newRow("leap day") << "2024-02-29" << QDate(2024, 2, 29);
        QTest::newRow("no leap day") << "2023-02-29" << QDate();
        QTest::newRow("month 13") << "2023-13-01" << QDate();
        QTest::newRow("d/m/Y is not ISO") << "8/3/2023" << QDate();
        QTest::newRow("trailing text") << "2023-03-08x" << QDate();
        QTest::newRow("letters") << "2023-0a-08" << QDate();
        QTest::newRow("empty") << "" << QDate();
    }
    void isoDate()
    {
        QFETCH(QString, text);
        QFETCH(QDate, expected);
        QCOMPARE(parseIsoDate(text).value_or(QDate()), expected);
    }

    void ukTimestampIsLondonTime()
    {
        // 17:30 in November is GMT, in July BST (UTC+1).
        QCOMPARE(*parseUkTimestamp(u"2023-11-16 17:30:00"),
                 QDateTime(QDate(2023, 11, 16), QTime(17, 30), Qt::UTC).toSecsSinceEpoch());
        QCOMPARE(*parseUkTimestamp(u"2023-07-16 17:30:00"),
                 QDateTime(QDate(2023, 7, 16), QTime(16, 30), Qt::UTC).toSecsSinceEpoch());
        QCOMPARE(*parseUkTimestamp(u"2023-11-09"),
                 QDateTime(QDate(2023, 11, 9), QTime(0, 0), Qt::UTC).toSecsSinceEpoch());
        QVERIFY(!parseUkTimestamp(u"2023-11-16 25:00:00"));
        QVERIFY(!parseUkTimestamp(u"2023-11-16 17:30:00 extra"));
    }

    void isoDateBytesAreQtsIsoDate()
    {
        // Every day of the years a store holds, and the edges of what QDate can write.
        for (QDate day(1, 1, 1); day.isValid() && day <= QDate(9999, 12, 31);
             day = day.year() == 3      ? QDate(1899, 1, 1)
                   : day.year() == 2101 ? QDate(9998, 1, 1)
                                        : day.addDays(1)) {
            QCOMPARE(isoDateBytes(day), day.toString(Qt::ISODate).toLatin1());
            const auto [year, month, dayOfMonth] = civilDate(day);
            QCOMPARE(QDate(year, month, dayOfMonth), day);
        }
        QCOMPARE(isoDateBytes(QDate()), QByteArray());
        QCOMPARE(isoDateBytes(QDate(-5, 1, 1)), QDate(-5, 1, 1).toString(Qt::ISODate).toLatin1());
        QByteArray out = "\"date\":\"";
        appendIsoDate(out, QDate(2023, 3, 8));
        QCOMPARE(out, QByteArray("\"date\":\"2023-03-08"));
    }

    void dayNumbersRoundTrip()
    {
        QCOMPARE(toDayNumber(QDate(1970, 1, 1)), 0);
        QCOMPARE(toDayNumber(QDate(1970, 1, 2)), 1);
        QCOMPARE(fromDayNumber(toDayNumber(QDate(2023, 3, 8))), QDate(2023, 3, 8));
    }
};

QTEST_GUILESS_MAIN(TestDateParsing)
#include "TestDateParsing.moc"
