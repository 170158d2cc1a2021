#include "SchemaMigrations.h"

#include "AdvisoryLocks.h"
#include "Durations.h"
#include "LatencyBuckets.h"
#include "MetricsDatabase.h"
#include "SqlDialect.h"
#include "StatusClass.h"

#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

struct Migration {
    int version;
    const char *purpose;
    QStringList statements;
};

// The names in column definitions ("hour INTEGER NOT NULL, route TEXT NOT NULL": "hour, route").
QString columnNames(const char *definitions)
{
    QStringList names;
    for (const QString &definition : QString::fromLatin1(definitions).split(u','))
        names << definition.trimmed().section(u' ', 0, 0);
    return names.join(u", ");
}

// The statements that rebuild a roll-up table with a `replica` column ('' for the rows stored
// before) at the end of its key: SQLite cannot change a primary key in place. The key columns
// come first: SQLite 3.40's integrity_check misreads NOT NULL columns placed before a key
// column of a WITHOUT ROWID table.
QStringList withReplicaInKey(const char *table, const char *keyColumns, const char *valueColumns)
{
    const QString name = QLatin1String(table);
    const QString keys = columnNames(keyColumns);
    return {
        u"CREATE TABLE %1_new (%2, replica TEXT NOT NULL DEFAULT '', %3,"
        " PRIMARY KEY (%4, replica)) WITHOUT ROWID"_s.arg(name, QLatin1String(keyColumns),
                                                          QLatin1String(valueColumns), keys),
        u"INSERT INTO %1_new SELECT %2, '', %3 FROM %1"_s.arg(name, keys,
                                                              columnNames(valueColumns)),
        u"DROP TABLE %1"_s.arg(name),
        u"ALTER TABLE %1_new RENAME TO %1"_s.arg(name),
    };
}

// The latency bucket of a `duration_us` column, as LatencyBuckets::bucketOf computes it.
QString latencyBucketSql()
{
    QString sql = u"CASE"_s;
    const QList<qint64> &bounds = LatencyBuckets::upperBoundsUs();
    for (qsizetype bucket = 0; bucket < bounds.size(); ++bucket)
        sql += u" WHEN duration_us <= %1 THEN %2"_s.arg(bounds[bucket]).arg(bucket);
    return sql + u" ELSE %1 END"_s.arg(bounds.size());
}

// Append only: a released migration never changes, a new one gets the next number. (A table of
// statements, not logic: its length is the schema's.)
// NOLINTNEXTLINE(readability-function-size)
const QList<Migration> &migrations()
{
    static const QList<Migration> all = {
        {1,
         "metrics dimensions and facts",
         {
             "CREATE TABLE theme (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
             // One statement over three lines, not a missing comma:
             // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
             "CREATE TABLE sub_theme (id INTEGER PRIMARY KEY,"
             " theme_id INTEGER NOT NULL REFERENCES theme(id), name TEXT NOT NULL,"
             " UNIQUE (theme_id, name))",
             "CREATE TABLE topic (id INTEGER PRIMARY KEY,"
             " sub_theme_id INTEGER NOT NULL REFERENCES sub_theme(id), name TEXT NOT NULL,"
             " UNIQUE (sub_theme_id, name))",
             // kind: 0 time series, 1 headline. A metric has one kind across all its files.
             "CREATE TABLE metric (id INTEGER PRIMARY KEY,"
             " topic_id INTEGER NOT NULL REFERENCES topic(id), name TEXT NOT NULL,"
             " metric_group TEXT NOT NULL, kind INTEGER NOT NULL, UNIQUE (topic_id, name))",
             "CREATE INDEX metric_by_name ON metric(name)",
             "CREATE TABLE geography (id INTEGER PRIMARY KEY, geography_type TEXT NOT NULL,"
             " name TEXT NOT NULL, code TEXT NOT NULL DEFAULT '', UNIQUE (geography_type, name))",
             "CREATE INDEX geography_by_name ON geography(name)",
             "CREATE TABLE series (id INTEGER PRIMARY KEY,"
             " metric_id INTEGER NOT NULL REFERENCES metric(id),"
             " geography_id INTEGER NOT NULL REFERENCES geography(id),"
             " stratum TEXT NOT NULL, age TEXT NOT NULL, sex TEXT NOT NULL,"
             " frequency TEXT NOT NULL DEFAULT '',"
             // Set once any public point arrives: the public API lists only such series.
             " has_public INTEGER NOT NULL DEFAULT 0,"
             " UNIQUE (metric_id, geography_id, stratum, age, sex))",
             "CREATE INDEX series_by_geography ON series(geography_id)",
             // Clustered on (series, day): one series over a date range is one range scan.
             "CREATE TABLE point (series_id INTEGER NOT NULL, day INTEGER NOT NULL,"
             " epiweek INTEGER NOT NULL, value REAL NOT NULL, embargo INTEGER,"
             " is_public INTEGER NOT NULL, in_reporting_delay INTEGER NOT NULL DEFAULT 0,"
             " refresh INTEGER NOT NULL, PRIMARY KEY (series_id, day)) WITHOUT ROWID",
             "CREATE TABLE headline (series_id INTEGER NOT NULL, period_end INTEGER NOT NULL,"
             " period_start INTEGER NOT NULL, value REAL NOT NULL, upper_confidence REAL,"
             " lower_confidence REAL, embargo INTEGER, is_public INTEGER NOT NULL,"
             " refresh INTEGER NOT NULL, PRIMARY KEY (series_id, period_end)) WITHOUT ROWID",
             // data_version grows with every ingest that changed something; caches key on it.
             "CREATE TABLE store_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
             "INSERT INTO store_state VALUES ('data_version', 0)",
         }},
        {2,
         "weather location keys by grid cell",
         {
             // Location keys never change upstream: a restart must not pay for them again.
             "CREATE TABLE weather_location (cell_size REAL NOT NULL, cell_row INTEGER NOT NULL,"
             " cell_column INTEGER NOT NULL, location_key TEXT NOT NULL, name TEXT NOT NULL,"
             " country TEXT NOT NULL, time_zone TEXT NOT NULL, latitude REAL, longitude REAL,"
             " fetched_at INTEGER NOT NULL,"
             " PRIMARY KEY (cell_size, cell_row, cell_column)) WITHOUT ROWID",
         }},
        {3,
         "request log and its hourly roll-ups",
         {
             // Raw events are kept for days; the roll-ups (one row per hour and key) for
             // months, so stats over weeks read thousands of rows, not millions. (One statement
             // over four lines, not a missing comma.)
             // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
             "CREATE TABLE request_event (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
             " method TEXT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL,"
             " duration_us INTEGER NOT NULL, bytes INTEGER NOT NULL, subject TEXT, client TEXT,"
             " cell_lat REAL, cell_lon REAL, cell_half_lat REAL, cell_half_lon REAL, cache TEXT)",
             "CREATE INDEX request_event_time ON request_event (time_ms)",
             "CREATE TABLE rollup_endpoint (hour INTEGER NOT NULL, route TEXT NOT NULL,"
             " method TEXT NOT NULL, status INTEGER NOT NULL, requests INTEGER NOT NULL,"
             " duration_us INTEGER NOT NULL, bytes INTEGER NOT NULL,"
             " PRIMARY KEY (hour, route, method, status)) WITHOUT ROWID",
             "CREATE TABLE rollup_latency (hour INTEGER NOT NULL, route TEXT NOT NULL,"
             " bucket INTEGER NOT NULL, requests INTEGER NOT NULL,"
             " PRIMARY KEY (hour, route, bucket)) WITHOUT ROWID",
             "CREATE TABLE rollup_cell (hour INTEGER NOT NULL, cell_lat REAL NOT NULL,"
             " cell_lon REAL NOT NULL, half_lat REAL NOT NULL, half_lon REAL NOT NULL,"
             " requests INTEGER NOT NULL, hits INTEGER NOT NULL, misses INTEGER NOT NULL,"
             " stale INTEGER NOT NULL, PRIMARY KEY (hour, cell_lat, cell_lon)) WITHOUT ROWID",
             "CREATE TABLE rollup_subject (hour INTEGER NOT NULL, subject TEXT NOT NULL,"
             " requests INTEGER NOT NULL, errors INTEGER NOT NULL, first_ms INTEGER NOT NULL,"
             " last_ms INTEGER NOT NULL, PRIMARY KEY (hour, subject)) WITHOUT ROWID",
         }},
        {4,
         "confidence bounds of time-series points",
         {
             // Nullable and without a default: existing rows are not rewritten, and a point
             // without bounds stores two NULLs in its record header (a byte each).
             "ALTER TABLE point ADD COLUMN upper_confidence REAL",
             "ALTER TABLE point ADD COLUMN lower_confidence REAL",
         }},
        {5,
         "day roll-ups of endpoints and latency",
         {
             // Summaries over weeks read a row per day and key instead of 24; the hourly rows
             // stay for hourly timelines. Filled by the writer with the hours, and here from the
             // hours already stored.
             "CREATE TABLE rollup_endpoint_day (day INTEGER NOT NULL, route TEXT NOT NULL,"
             " method TEXT NOT NULL, status INTEGER NOT NULL, requests INTEGER NOT NULL,"
             " duration_us INTEGER NOT NULL, bytes INTEGER NOT NULL,"
             " PRIMARY KEY (day, route, method, status)) WITHOUT ROWID",
             "CREATE TABLE rollup_latency_day (day INTEGER NOT NULL, route TEXT NOT NULL,"
             " bucket INTEGER NOT NULL, requests INTEGER NOT NULL,"
             " PRIMARY KEY (day, route, bucket)) WITHOUT ROWID",
             "INSERT INTO rollup_endpoint_day SELECT hour / 24, route, method, status,"
             " sum(requests), sum(duration_us), sum(bytes) FROM rollup_endpoint GROUP BY 1, 2, 3, "
             "4",
             "INSERT INTO rollup_latency_day SELECT hour / 24, route, bucket, sum(requests)"
             " FROM rollup_latency GROUP BY 1, 2, 3",
         }},
        {6,
         "sealed cell roll-ups: a cell dictionary and packed segments",
         {
             // Past hours of rollup_cell move here (models/CellRollups): a cell is an integer
             // id, an hour's or a day's counts one BLOB. Existing rows are sealed by the next
             // maintenance pass, so nothing is converted here.
             "CREATE TABLE cell (id INTEGER PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL,"
             " half_lat REAL NOT NULL, half_lon REAL NOT NULL, last_hour INTEGER NOT NULL)",
             "CREATE UNIQUE INDEX cell_position ON cell (lat, lon)",
             "CREATE TABLE cell_segment (hour INTEGER PRIMARY KEY, hours INTEGER NOT NULL,"
             " counts BLOB NOT NULL)",
         }},
        {7, "the replica that served each request",
         // Replicas on one PostgreSQL store share the request log; stats can be narrowed to one
         // (?replica=). Each replica upserts its own roll-up rows and seals its own segments.
         QStringList{"ALTER TABLE request_event ADD COLUMN replica TEXT"}
             + withReplicaInKey("rollup_endpoint",
                                "hour INTEGER NOT NULL, route TEXT NOT NULL,"
                                " method TEXT NOT NULL, status INTEGER NOT NULL",
                                "requests INTEGER NOT NULL, duration_us INTEGER NOT NULL,"
                                " bytes INTEGER NOT NULL")
             + withReplicaInKey("rollup_latency",
                                "hour INTEGER NOT NULL, route TEXT NOT NULL,"
                                " bucket INTEGER NOT NULL",
                                "requests INTEGER NOT NULL")
             + withReplicaInKey("rollup_cell",
                                "hour INTEGER NOT NULL, cell_lat REAL NOT NULL,"
                                " cell_lon REAL NOT NULL",
                                "half_lat REAL NOT NULL, half_lon REAL NOT NULL,"
                                " requests INTEGER NOT NULL, hits INTEGER NOT NULL,"
                                " misses INTEGER NOT NULL, stale INTEGER NOT NULL")
             + withReplicaInKey("rollup_subject", "hour INTEGER NOT NULL, subject TEXT NOT NULL",
                                "requests INTEGER NOT NULL, errors INTEGER NOT NULL,"
                                " first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL")
             + withReplicaInKey("rollup_endpoint_day",
                                "day INTEGER NOT NULL, route TEXT NOT NULL,"
                                " method TEXT NOT NULL, status INTEGER NOT NULL",
                                "requests INTEGER NOT NULL, duration_us INTEGER NOT NULL,"
                                " bytes INTEGER NOT NULL")
             + withReplicaInKey("rollup_latency_day",
                                "day INTEGER NOT NULL, route TEXT NOT NULL,"
                                " bucket INTEGER NOT NULL",
                                "requests INTEGER NOT NULL")
             + withReplicaInKey("cell_segment", "hour INTEGER NOT NULL",
                                "hours INTEGER NOT NULL, counts BLOB NOT NULL")},
        {8,
         "the outcome of each file taken from the drop-off",
         // One row per version of a file (a replaced file is a new version). A loaded file's row
         // commits with its data, so the unique key is what makes a pickup once-only.
         {"CREATE TABLE ingest_run (id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
          " file TEXT NOT NULL, version TEXT NOT NULL, bytes INTEGER NOT NULL,"
          " outcome TEXT NOT NULL, started_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL,"
          " replica TEXT NOT NULL, inserted INTEGER NOT NULL, updated INTEGER NOT NULL,"
          " unchanged INTEGER NOT NULL, skipped INTEGER NOT NULL, errors TEXT NOT NULL,"
          " UNIQUE (source, file, version))"}},
        {9,
         "the times of day of headline periods",
         // Weather-health alerts start and end at a time of day, and an alert is live until its
         // end to the second. UTC seconds; NULL in rows stored before, which began and ended at
         // London midnight of their dates.
         {"ALTER TABLE headline ADD COLUMN period_start_at INTEGER",
          "ALTER TABLE headline ADD COLUMN period_end_at INTEGER"}},
        {10,
         "the rate-limited requests of each caller",
         // The 429s apart from the other errors: a caller over its limit is not failing. Rows
         // stored before count none.
         {"ALTER TABLE rollup_subject ADD COLUMN limited INTEGER NOT NULL DEFAULT 0"}},
        {11,
         "minute roll-ups in place of a row per request",
         // A row per request made capture cost a fifth of the watch path's time; what short
         // ranges read (endpoints, latency, callers) is kept per minute instead, as long as
         // single events were. The events stored before are summed into their minutes.
         // (Statements over several lines, not missing commas.)
         // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
         {"CREATE TABLE rollup_endpoint_minute (minute INTEGER NOT NULL, route TEXT NOT NULL,"
          " method TEXT NOT NULL, status INTEGER NOT NULL, replica TEXT NOT NULL,"
          " requests INTEGER NOT NULL, duration_us INTEGER NOT NULL, bytes INTEGER NOT NULL,"
          " PRIMARY KEY (minute, route, method, status, replica)) WITHOUT ROWID",
          "CREATE TABLE rollup_latency_minute (minute INTEGER NOT NULL, route TEXT NOT NULL,"
          " bucket INTEGER NOT NULL, replica TEXT NOT NULL, requests INTEGER NOT NULL,"
          " PRIMARY KEY (minute, route, bucket, replica)) WITHOUT ROWID",
          "CREATE TABLE rollup_subject_minute (minute INTEGER NOT NULL, subject TEXT NOT NULL,"
          " replica TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,"
          " limited INTEGER NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,"
          " PRIMARY KEY (minute, subject, replica)) WITHOUT ROWID",
          u"INSERT INTO rollup_endpoint_minute SELECT time_ms / %1, route, method, status,"
          " COALESCE(replica, ''), count(*), sum(duration_us), sum(bytes) FROM request_event"
          " GROUP BY 1, 2, 3, 4, 5"_s.arg(kMinuteMs),
          u"INSERT INTO rollup_latency_minute SELECT time_ms / %1, route, %2,"
          " COALESCE(replica, ''), count(*) FROM request_event GROUP BY 1, 2, 3, 4"_s.arg(
              QString::number(kMinuteMs), latencyBucketSql()),
          u"INSERT INTO rollup_subject_minute SELECT time_ms / %1, subject, COALESCE(replica, ''),"
          " count(*), sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END),"
          " sum(CASE WHEN status = %2 THEN 1 ELSE 0 END), min(time_ms), max(time_ms)"
          " FROM request_event WHERE subject IS NOT NULL GROUP BY 1, 2, 3"_s.arg(kMinuteMs)
              .arg(kTooManyRequests),
          "DROP TABLE request_event"}},
    };
    return all;
}

} // namespace

int SchemaMigrations::latestVersion()
{
    return migrations().constLast().version;
}

int SchemaMigrations::currentVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!MetricsDatabase::isPostgresql(db)) {
        if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
            return -1;
        return query.value(0).toInt();
    }
    // A fresh database has no version table yet: that is version 0, not an error (and a failed
    // SELECT would abort the transaction it runs in).
    if (!query.exec(u"SELECT to_regclass('schema_version') IS NOT NULL"_s) || !query.next())
        return -1;
    if (!query.value(0).toBool())
        return 0;
    if (!query.exec(u"SELECT version FROM schema_version"_s) || !query.next())
        return -1;
    return query.value(0).toInt();
}

namespace {

bool execAll(QSqlQuery &query, const QStringList &statements, const Migration &migration,
             QString *error)
{
    for (const QString &sql : statements) {
        if (!query.exec(sql)) {
            *error = u"migration %1 (%2) failed: %3"_s.arg(migration.version)
                         .arg(QLatin1String(migration.purpose), query.lastError().text());
            return false;
        }
    }
    return true;
}

bool commit(QSqlDatabase &db, QString *error)
{
    if (db.commit())
        return true;
    *error = db.lastError().text();
    return false;
}

bool refuseNewer(int current, QSqlDatabase &db, QString *error)
{
    if (current < 0) {
        *error = u"cannot read the schema version: %1"_s.arg(db.lastError().text());
        return true;
    }
    if (current > SchemaMigrations::latestVersion()) {
        *error = u"database schema version %1 is newer than this build supports "
                 "(%2); upgrade Isobar"_s.arg(current)
                     .arg(SchemaMigrations::latestVersion());
        return true;
    }
    return false;
}

bool migrateSqlite(QSqlDatabase &db, QString *error, int current, int targetVersion)
{
    // All pending steps in one transaction, as on PostgreSQL: a failed or killed upgrade leaves
    // the version the store had, which the release before still opens, never one in between.
    if (!MetricsDatabase::beginWrite(db, error))
        return false;
    QSqlQuery query(db);
    for (const Migration &migration : migrations()) {
        if (migration.version <= current || migration.version > targetVersion)
            continue;
        QStringList statements = migration.statements;
        statements << u"PRAGMA user_version = %1"_s.arg(migration.version);
        if (!execAll(query, statements, migration, error)) {
            db.rollback();
            return false;
        }
    }
    return commit(db, error);
}

bool migratePostgresql(QSqlDatabase &db, QString *error, int targetVersion)
{
    // The lock first, in no transaction: one begun before it was granted keeps a stale view of
    // the catalogue and would not see the schema another replica has just committed.
    QSqlQuery query(db);
    if (!query.exec(u"SELECT pg_advisory_lock(%1)"_s.arg(advisorylock::kMigration))) {
        *error = query.lastError().text();
        return false;
    }
    const auto unlock = qScopeGuard([&db] {
        QSqlQuery(db).exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(advisorylock::kMigration));
    });
    if (!MetricsDatabase::beginWrite(db, error))
        return false;
    auto fail = [&](const QString &why) {
        *error = why;
        db.rollback();
        return false;
    };
    const int current = SchemaMigrations::currentVersion(db); // another replica may have gone on
    if (refuseNewer(current, db, error)) {
        db.rollback();
        return false;
    }
    if (current == 0
        && (!query.exec(u"CREATE TABLE schema_version (version INTEGER NOT NULL)"_s)
            || !query.exec(u"INSERT INTO schema_version VALUES (0)"_s)))
        return fail(query.lastError().text());
    for (const Migration &migration : migrations()) {
        if (migration.version <= current || migration.version > targetVersion)
            continue;
        QStringList statements;
        for (const QString &sql : migration.statements)
            statements << SqlDialect::postgresqlDefinition(sql);
        statements << u"UPDATE schema_version SET version = %1"_s.arg(migration.version);
        if (!execAll(query, statements, migration, error))
            return fail(*error);
    }
    return commit(db, error);
}

} // namespace

bool SchemaMigrations::migrate(QSqlDatabase &db, QString *error, int targetVersion)
{
    if (targetVersion < 0)
        targetVersion = latestVersion();
    const int current = currentVersion(db);
    if (refuseNewer(current, db, error))
        return false;
    if (current >= targetVersion)
        return true;
    return MetricsDatabase::isPostgresql(db) ? migratePostgresql(db, error, targetVersion)
                                             : migrateSqlite(db, error, current, targetVersion);
}

} // namespace isobar
