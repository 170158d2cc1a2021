#include "PlotSelection.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QDate kToday(2026, 12, 4);

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestPlotSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aCompleteEntry()
    {
        FieldProblem problem;
        const auto selection = readPlotSelection(
            object(R"({"topic": " COVID-19 ", "metric": "COVID-19_cases_casesByDay",
                       "geography_type": "Nation", "geography": "England", "age": "all",
                       "sex": "f", "stratum": "default",
                       "date_from": "2024-01-01", "date_to": "2024-03-31"})"),
            u"plots[0]."_s, kToday, &problem);
        QVERIFY(selection);
        QCOMPARE(selection->topic, u"COVID-19"); // trimmed
        QCOMPARE(selection->geographyType, u"Nation");
        QCOMPARE(selection->sex, u"f");
        QCOMPARE(*selection->from, QDate(2024, 1, 1));
        QCOMPARE(*selection->to, QDate(2024, 3, 31));
    }

    void datesDefaultToAYearToToday()
    {
        const auto selection =
            readPlotSelection(object(R"({"topic": "t", "metric": "m"})"), {}, kToday, nullptr);
        QVERIFY(selection);
        QCOMPARE(*selection->from, QDate(2025, 12, 1));
        QCOMPARE(*selection->to, kToday);
    }

    void theFirstProblemIsNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("detail");
        QTest::addRow("no topic") << QByteArray(R"({"metric": "m"})") << "plots[3].topic"
                                  << "'topic' is required";
        QTest::addRow("no metric")
            << QByteArray(R"({"topic": "t", "metric": "  "})") << "plots[3].metric"
            << "'metric' is required";
        QTest::addRow("a number for a name")
            << QByteArray(R"({"topic": 7, "metric": "m"})") << "plots[3].topic"
            << "must be a string";
        QTest::addRow("a day that is not")
            << QByteArray(R"({"topic": "t", "metric": "m", "date_from": "2024-02-30"})")
            << "plots[3].date_from"
            << "'2024-02-30' is not a YYYY-MM-DD date";
        QTest::addRow("backwards")
            << QByteArray(R"({"topic": "t", "metric": "m", "date_from": "2024-05-01",
                              "date_to": "2024-04-30"})")
            << "plots[3].date_to"
            << "date_to (2024-04-30) is before date_from (2024-05-01)";
        QTest::addRow("two problems, the first wins")
            << QByteArray(R"({"metric": "m", "age": false})") << "plots[3].topic"
            << "'topic' is required";
    }

    void theFirstProblemIsNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QFETCH(QString, detail);
        FieldProblem problem;
        QVERIFY(!readPlotSelection(QJsonDocument::fromJson(json).object(), u"plots[3]."_s, kToday,
                                   &problem));
        QCOMPARE(problem.field, field);
        QCOMPARE(problem.detail, detail);
    }
};

QTEST_GUILESS_MAIN(TestPlotSelection)
#include "TestPlotSelection.moc"
