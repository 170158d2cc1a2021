// UKHSA's bulk download (bulkdownloads/v1) over a real socket (see MetricsApiFixture.h): a ZIP
// of a folder per topic and a file per metric with national data, each file what downloads/v2
// answers for that metric in every nation; UKHSA's headers and errors
// (metrics/api/views/downloads/bulk_downloads.py and its test).

#include "MetricsApiFixture.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>
#include <zip.h>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestBulkDownloadsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start(); }
    void cleanupTestCase() { m_api.stop(); }

    void archive_data();
    void archive();
    void refusals_data();
    void refusals();

private:
    MetricsApiServer m_api;
};

namespace {

// The archive's files, by name, in the archive's order.
QList<std::pair<QString, QByteArray>> unzip(const QByteArray &bytes)
{
    QList<std::pair<QString, QByteArray>> files;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source =
        zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &error);
    zip_t *archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!archive) {
        zip_source_free(source);
        zip_error_fini(&error);
        return files;
    }
    for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
        zip_stat_t stat;
        zip_stat_index(archive, zip_uint64_t(i), 0, &stat);
        QByteArray content(qsizetype(stat.size), '\0');
        zip_file_t *file = zip_fopen_index(archive, zip_uint64_t(i), 0);
        zip_fread(file, content.data(), stat.size);
        zip_fclose(file);
        files.append({QString::fromUtf8(stat.name), content});
    }
    zip_close(archive);
    zip_error_fini(&error);
    return files;
}

// What downloads/v2 answers for a metric's whole English series.
QByteArray download(const MetricsApiServer &api, const QByteArray &topic, const QByteArray &metric,
                    const QByteArray &format)
{
    return api
        .post("/api/downloads/v2",
              "{\"file_format\":\"" + format + "\",\"plots\":[{\"topic\":\"" + topic
                  + "\",\"metric\":\"" + metric
                  + "\",\"geography_type\":\"Nation\",\"date_from\":\"2000-01-01\","
                    "\"date_to\":\"2099-12-31\"}]}")
        .body;
}

} // namespace

void TestBulkDownloadsApi::archive_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::newRow("csv") << QByteArray("csv");
    QTest::newRow("json") << QByteArray("json");
}

void TestBulkDownloadsApi::archive()
{
    QFETCH(QByteArray, format);
    const HttpReply reply = m_api.get("/api/bulkdownloads/v1?file_format=" + format);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/zip"));
    // Named after the day in London; a run across midnight may see either day.
    const QByteArray disposition = reply.header("content-disposition");
    const QDateTime now = QDateTime::currentDateTime().toTimeZone(QTimeZone("Europe/London"));
    QVERIFY2(disposition
                     == "attachment; filename=ukhsa_data_dashboard_downloads_"
                            + now.date().toString(Qt::ISODate).toLatin1() + ".zip"
                 || disposition
                        == "attachment; filename=ukhsa_data_dashboard_downloads_"
                               + now.addSecs(-60).date().toString(Qt::ISODate).toLatin1() + ".zip",
             disposition.constData());

    // Topics and metrics in name order; folders and files named as UKHSA names them. Headline
    // metrics, and metrics without a nation (East Devon's deaths), are no chart of a nation.
    const auto files = unzip(reply.body);
    QStringList names;
    for (const auto &file : files)
        names << file.first;
    const QString extension = u'.' + QString::fromLatin1(format);
    QCOMPARE(names,
             QStringList({u"covid19/covid19_cases_casesbyday"_s + extension,
                          u"covid19/covid19_cases_raterollingmean"_s + extension,
                          u"influenza/weekly_hospital_admissions_rate_by_age"_s + extension}));
    QCOMPARE(files[0].second, download(m_api, "COVID-19", "COVID-19_cases_casesByDay", format));
    QCOMPARE(files[2].second,
             download(m_api, "Influenza", "weekly_hospital_admissions_rate_by_age", format));
}

void TestBulkDownloadsApi::refusals_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no format") << QByteArray("/api/bulkdownloads/v1") << 400
                               << QByteArray("{\"file_format\":[\"This field is required.\"]}");
    QTest::newRow("not a format")
        << QByteArray("/api/bulkdownloads/v1?file_format=xml") << 400
        << QByteArray("{\"file_format\":[\"\\\"xml\\\" is not a valid choice.\"]}");
}

void TestBulkDownloadsApi::refusals()
{
    m_api.compareGet();
}

QTEST_GUILESS_MAIN(TestBulkDownloadsApi)
#include "TestBulkDownloadsApi.moc"
