// bench_generate_store: writes a synthetic metrics store of realistic shape for the API
// benchmark (bench/run-api.sh), by default 2,000 series x 5,000 days = 10 million points.
//
//   bench_generate_store --database FILE [--geographies N] [--days N] [--last-day YYYY-MM-DD]
//
// The schema comes from the project itself (MetricsDatabase runs the migrations), so the
// benchmark reads exactly the tables and indexes `isobar ingest` would have written. Points
// are produced inside SQLite (INSERT ... SELECT over a table of days, one statement per
// series): going through the CSV reader would measure ingestion again, and binding ten million
// rows one by one costs several times longer for the same file.
//
// Prints the series and point counts, the time taken and the file size, then one line
// `generated points=... seconds=...` for scripts.

#include "DateParsing.h"
#include "MetricsDatabase.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <cstdio>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// Four respiratory topics with five metrics each: 20 metrics, as in the dashboard's data.
struct TopicMetrics {
    const char *topic;
    const char *metrics[5];
};
constexpr TopicMetrics kTopics[] = {
    {"COVID-19",
     {"COVID-19_cases_casesByDay", "COVID-19_cases_rateRollingMean", "COVID-19_deaths_ONSByDay",
      "COVID-19_healthcare_admissionByDay", "COVID-19_testing_PCRcountByDay"}},
    {"Influenza",
     {"influenza_healthcare_admissionRateByDay", "influenza_healthcare_ICUHDUadmissionRateByDay",
      "influenza_testing_positivityByDay", "influenza_cases_countByDay",
      "influenza_deaths_countByDay"}},
    {"RSV",
     {"RSV_healthcare_admissionRateByDay", "RSV_testing_positivityByDay", "RSV_cases_countByDay",
      "RSV_deaths_countByDay", "RSV_healthcare_occupiedBedsByDay"}},
    {"hMPV",
     {"hMPV_testing_positivityByDay", "hMPV_cases_countByDay", "hMPV_healthcare_admissionByDay",
      "hMPV_deaths_countByDay", "hMPV_healthcare_occupiedBedsByDay"}},
};

const char *const kRegions[] = {"East Midlands", "East of England", "London",
                                "North East",    "North West",      "South East",
                                "South West",    "West Midlands",   "Yorkshire and Humber"};

QString metricGroup(const QString &metric)
{
    for (const char *group : {"cases", "deaths", "healthcare", "testing"}) {
        if (metric.contains(QLatin1String(group)))
            return QLatin1String(group);
    }
    return u"cases"_s;
}

struct Geography {
    QString type;
    QString name;
    QString code;
};

// England, its nine regions, then as many upper-tier local authorities as asked for.
QList<Geography> geographies(int count)
{
    QList<Geography> all{{u"Nation"_s, u"England"_s, u"E92000001"_s}};
    for (int i = 0; i < int(std::size(kRegions)) && all.size() < count; ++i)
        all.append({u"UKHSA Region"_s, QLatin1String(kRegions[i]),
                    u"E450000%1"_s.arg(i + 1, 2, 10, QLatin1Char('0'))});
    for (int i = 1; all.size() < count; ++i)
        all.append({u"Upper Tier Local Authority"_s,
                    u"Authority %1"_s.arg(i, 3, 10, QLatin1Char('0')),
                    u"E06%1"_s.arg(i, 6, 10, QLatin1Char('0'))});
    return all;
}

bool exec(QSqlQuery &query, const QString &sql = {})
{
    const bool ok = sql.isEmpty() ? query.exec() : query.exec(sql);
    if (!ok)
        std::fprintf(stderr, "bench_generate_store: %s\n  %s\n",
                     qPrintable(query.lastError().text()), qPrintable(query.lastQuery()));
    return ok;
}

// Themes, topics, metrics, geographies and one series per metric and place, with ids in order;
// the number of series, or -1 when the store refused a row.
qint64 writeSeries(QSqlDatabase &db, const QList<Geography> &places)
{
    QSqlQuery query(db);
    if (!exec(query, u"INSERT INTO theme (id, name) VALUES (1, 'infectious_disease')"_s)
        || !exec(query,
                 u"INSERT INTO sub_theme (id, theme_id, name) VALUES (1, 1, 'respiratory')"_s))
        return -1;
    QSqlQuery insertGeography(db);
    insertGeography.prepare(
        u"INSERT INTO geography (id, geography_type, name, code) VALUES (?, ?, ?, ?)"_s);
    for (int g = 0; g < places.size(); ++g) {
        insertGeography.bindValue(0, g + 1);
        insertGeography.bindValue(1, places[g].type);
        insertGeography.bindValue(2, places[g].name);
        insertGeography.bindValue(3, places[g].code);
        if (!exec(insertGeography))
            return -1;
    }
    QSqlQuery insertTopic(db), insertMetric(db), insertSeries(db);
    insertTopic.prepare(u"INSERT INTO topic (id, sub_theme_id, name) VALUES (?, 1, ?)"_s);
    insertMetric.prepare(
        u"INSERT INTO metric (id, topic_id, name, metric_group, kind) VALUES (?, ?, ?, ?, 0)"_s);
    insertSeries.prepare(
        u"INSERT INTO series (id, metric_id, geography_id, stratum, age, sex,"
        " frequency, has_public) VALUES (?, ?, ?, 'default', 'all', 'all', 'daily', 1)"_s);
    int metricId = 0;
    qint64 seriesCount = 0;
    for (int t = 0; t < int(std::size(kTopics)); ++t) {
        insertTopic.bindValue(0, t + 1);
        insertTopic.bindValue(1, QLatin1String(kTopics[t].topic));
        if (!exec(insertTopic))
            return -1;
        for (const char *name : kTopics[t].metrics) {
            ++metricId;
            insertMetric.bindValue(0, metricId);
            insertMetric.bindValue(1, t + 1);
            insertMetric.bindValue(2, QLatin1String(name));
            insertMetric.bindValue(3, metricGroup(QLatin1String(name)));
            if (!exec(insertMetric))
                return -1;
            for (int g = 0; g < places.size(); ++g) {
                insertSeries.bindValue(0, ++seriesCount);
                insertSeries.bindValue(1, metricId);
                insertSeries.bindValue(2, g + 1);
                if (!exec(insertSeries))
                    return -1;
            }
        }
    }
    return seriesCount;
}

// A temporary table of the days every series covers, with their epiweeks, to insert from.
bool writeDays(QSqlDatabase &db, qint64 firstDayNumber, int days)
{
    QSqlQuery query(db);
    if (!exec(query, u"CREATE TEMP TABLE bench_day (day INTEGER PRIMARY KEY,"
                     " epiweek INTEGER NOT NULL)"_s))
        return false;
    QSqlQuery insertDay(db);
    insertDay.prepare(u"INSERT INTO bench_day VALUES (?, ?)"_s);
    for (int d = 0; d < days; ++d) {
        const QDate date = fromDayNumber(firstDayNumber + d);
        insertDay.bindValue(0, firstDayNumber + d);
        insertDay.bindValue(1, date.weekNumber());
        if (!exec(insertDay))
            return false;
    }
    return true;
}

// Points in primary-key order, so every insert appends to the clustered B-tree. Values follow a
// yearly wave scaled per series, with some noise; the last week is in the reporting delay, as
// fresh data is.
bool writePoints(QSqlDatabase &db, qint64 seriesCount, QDate lastDay)
{
    const qint64 refresh = QDateTime(lastDay, QTime(12, 0), Qt::UTC).toSecsSinceEpoch();
    QSqlQuery insertPoints(db);
    insertPoints.prepare(
        u"INSERT INTO point (series_id, day, epiweek, value, embargo, is_public,"
        " in_reporting_delay, refresh)"
        " SELECT :series, day, epiweek,"
        " round((:scale * (1.5 + ((day % 365) - 182) * ((day % 365) - 182) / 33124.0))"
        " + abs(random() % 1000) / 100.0, 2),"
        " NULL, 1, day > :delayFrom, :refresh FROM bench_day ORDER BY day"_s);
    constexpr int kSeriesPerTransaction = 100;
    for (qint64 series = 1; series <= seriesCount; ++series) {
        if ((series - 1) % kSeriesPerTransaction == 0)
            db.transaction();
        insertPoints.bindValue(u":series"_s, series);
        insertPoints.bindValue(u":scale"_s, 10 + (series * 7919) % 5000);
        insertPoints.bindValue(u":delayFrom"_s, toDayNumber(lastDay) - 7);
        insertPoints.bindValue(u":refresh"_s, refresh);
        if (!exec(insertPoints))
            return false;
        if (series % kSeriesPerTransaction == 0 || series == seriesCount) {
            if (!db.commit()) {
                std::fprintf(stderr, "bench_generate_store: %s\n",
                             qPrintable(db.lastError().text()));
                return false;
            }
            std::fprintf(stderr, "\r%lld/%lld series", series, seriesCount);
        }
    }
    std::fprintf(stderr, "\n");
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Writes a synthetic metrics store: 20 metrics x N geographies x D days."_s);
    parser.addHelpOption();
    const QCommandLineOption databaseOption(u"database"_s, u"Store to create (must not exist)."_s,
                                            u"file"_s);
    const QCommandLineOption geographyOption(
        u"geographies"_s, u"Geographies (series = 20 x this)."_s, u"n"_s, u"100"_s);
    const QCommandLineOption daysOption(u"days"_s, u"Days per series."_s, u"n"_s, u"5000"_s);
    const QCommandLineOption lastDayOption(u"last-day"_s, u"Newest day of every series."_s,
                                           u"date"_s, u"2024-12-31"_s);
    parser.addOptions({databaseOption, geographyOption, daysOption, lastDayOption});
    parser.process(app);

    const QString path = parser.value(databaseOption);
    const int geographyCount = parser.value(geographyOption).toInt();
    const int days = parser.value(daysOption).toInt();
    const QDate lastDay = QDate::fromString(parser.value(lastDayOption), Qt::ISODate);
    if (path.isEmpty() || geographyCount < 1 || days < 1 || !lastDay.isValid())
        parser.showHelp(2);
    if (QFile::exists(path)) {
        std::fprintf(stderr, "bench_generate_store: %s exists; remove it first\n",
                     qPrintable(path));
        return 2;
    }

    QElapsedTimer timer;
    timer.start();
    MetricsDatabase database;
    if (!database.open(path)) {
        std::fprintf(stderr, "bench_generate_store: %s\n", qPrintable(database.errorString()));
        return 1;
    }
    QSqlDatabase &db = database.connection();
    QSqlQuery query(db);
    // A benchmark store is rebuilt on any failure, so durability during generation buys
    // nothing; the server later opens it with the normal settings.
    if (!exec(query, u"PRAGMA synchronous = OFF"_s))
        return 1;

    const qint64 firstDayNumber = toDayNumber(lastDay) - days + 1;
    // Dimensions, series and days: small, one transaction.
    db.transaction();
    const QList<Geography> places = geographies(geographyCount);
    const qint64 seriesCount = writeSeries(db, places);
    if (seriesCount < 0 || !writeDays(db, firstDayNumber, days))
        return 1;
    db.commit();
    if (!writePoints(db, seriesCount, lastDay)
        || !exec(query, u"UPDATE store_state SET value = 1 WHERE key = 'data_version'"_s)
        || !exec(query, u"PRAGMA wal_checkpoint(TRUNCATE)"_s))
        return 1;
    query.finish();
    database.close();

    const qint64 points = seriesCount * days;
    const double seconds = timer.elapsed() / 1000.0;
    std::printf("store: %s\n", qPrintable(path));
    std::printf("series: %lld (%lld metrics x %lld geographies), days: %d (%s .. %s)\n",
                seriesCount, seriesCount / qint64(places.size()), qint64(places.size()), days,
                qPrintable(fromDayNumber(firstDayNumber).toString(Qt::ISODate)),
                qPrintable(lastDay.toString(Qt::ISODate)));
    std::printf("points: %lld in %.1f s (%.0f points/s), file %.0f MiB\n", points, seconds,
                points / seconds, QFileInfo(path).size() / 1048576.0);
    std::printf("generated points=%lld seconds=%.1f\n", points, seconds);
    return 0;
}
