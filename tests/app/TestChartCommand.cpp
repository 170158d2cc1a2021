#include "TestSupport.h"

#include <QFile>
#include <QImageReader>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

using namespace isobar;

// `isobar chart` end to end: fixture files through `isobar ingest`, then the command.
class TestChartCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database;

    QString writeRequest(const QByteArray &json)
    {
        static int count = 0;
        QString path = m_dir.filePath(u"request%1.json"_s.arg(++count));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
            return {};
        return path;
    }

    int chart(const QString &request, const QString &out, QByteArray *stdoutText,
              QByteArray *stderrText)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        process.setProcessEnvironment(environment);
        process.start(QString::fromUtf8(ISOBAR_BINARY),
                      {u"chart"_s, u"--database"_s, m_database, u"--out"_s, out, request});
        if (!process.waitForFinished(60000))
            return -1;
        *stdoutText = process.readAllStandardOutput();
        *stderrText = process.readAllStandardError();
        return process.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_database = m_dir.filePath(u"store.db"_s);
        QByteArray output;
        QCOMPARE(test::runIngest(m_database, {test::fixturesDir() + u"/metrics"_s}, &output), 0);
    }

    void rendersPngAtTheRequestedSize()
    {
        const QString request = writeRequest(
            R"({"chart_width": 640, "chart_height": 320, "plots": [{"topic": "COVID-19",
                "metric": "COVID-19_cases_casesByDay", "chart_type": "line_with_shaded_section",
                "date_from": "2022-12-01", "date_to": "2023-02-01"}]})");
        const QString out = m_dir.filePath(u"cases.png"_s);
        QByteArray text, errors;
        QCOMPARE(chart(request, out, &text, &errors), 0);
        QImageReader reader(out);
        QCOMPARE(reader.format(), QByteArray("png"));
        QCOMPARE(reader.size(), QSize(640, 320));
        // The alt text names the metric, its place and the newest point (4 January 2023).
        QVERIFY2(text.contains("COVID-19_cases_casesByDay") && text.contains("England")
                     && text.contains("4 January 2023"),
                 text.constData());
    }

    void rendersWellFormedSvgWithTitles()
    {
        const QString request = writeRequest(
            R"({"x_axis": "age", "x_axis_title": "Age band", "y_axis_title": "Rate",
                "plots": [{"topic": "COVID-19", "metric": "COVID-19_cases_rateRollingMean",
                "sex": "all", "chart_type": "bar", "date_from": "2022-12-01"}]})");
        const QString out = m_dir.filePath(u"ages.svg"_s);
        QByteArray text, errors;
        QCOMPARE(chart(request, out, &text, &errors), 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList texts;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"text")
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(texts.contains(u"Age band"_s) && texts.contains(u"Rate"_s),
                 qPrintable(texts.join(u'|')));
        // Both bands of the fixture, in age order.
        QVERIFY(texts.indexOf(u"85-89"_s) >= 0);
        QVERIFY(texts.indexOf(u"85-89"_s) < texts.indexOf(u"90+"_s));
    }

    // The command reads the body as POST /api/charts/v2 does and prints its answer.
    void badRequestExitsTwoWithUkhsasError_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("stderrText");
        QTest::newRow("unknown chart type")
            << QByteArray(R"({"plots": [{"topic": "COVID-19", "metric": "COVID-19_cases_casesByDay",
                             "chart_type": "pie"}]})")
            << QByteArray("isobar chart: {\"plots\":[{\"chart_type\":[\"\\\"pie\\\" is not a valid "
                          "choice.\"]}]}\n");
        // An Influenza metric asked for under COVID-19: the store tells.
        QTest::newRow("metric of another topic")
            << QByteArray(R"({"plots": [{"topic": "COVID-19", "chart_type": "bar",
                             "metric": "weekly_hospital_admissions_rate_by_age"}]})")
            << QByteArray("isobar chart: {\"error_message\":\"Invalid plot parameter, Please "
                          "check the date range (date_from and date_to) and the topic property "
                          "provided. \"}\n");
    }
    void badRequestExitsTwoWithUkhsasError()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, stderrText);
        QByteArray text, errors;
        QCOMPARE(chart(writeRequest(request), m_dir.filePath(u"bad.png"_s), &text, &errors), 2);
        QCOMPARE(errors, stderrText);
        QVERIFY(!QFile::exists(m_dir.filePath(u"bad.png"_s)));
    }

    void noDataExitsTwoWithUkhsasMessage()
    {
        const QString request = writeRequest(
            R"({"plots": [{"topic": "COVID-19", "metric": "COVID-19_cases_casesByDay",
                "chart_type": "line_multi_coloured", "date_from": "2020-01-01",
                "date_to": "2020-02-01"}]})");
        const QString out = m_dir.filePath(u"empty.svg"_s);
        QByteArray text, errors;
        QCOMPARE(chart(request, out, &text, &errors), 2);
        QCOMPARE(errors, QByteArray("isobar chart: {\"error_message\":\"No data was found for the "
                                    "plot(s) requested, please review the request parameters of "
                                    "each plot provided.\"}\n"));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestChartCommand)
#include "TestChartCommand.moc"
