#pragma once

#include <QSqlDatabase>
#include <QString>

namespace isobar {

// Numbered schema migrations, applied in order at open, one sequence for both engines (written
// in SQLite's spelling, SqlDialect gives PostgreSQL's). SQLite keeps the number of the last one
// applied in PRAGMA user_version, PostgreSQL in the schema_version table, so every step runs
// exactly once per store. On PostgreSQL, replicas starting together take turns under an
// advisory lock: the version is read again once it is held, and the steps run in one transaction.
class SchemaMigrations
{
public:
    static int latestVersion();
    static int currentVersion(QSqlDatabase &db);
    // Brings `db` up to latestVersion() (or `targetVersion`), one transaction per step.
    // Refuses a database newer than this build knows.
    static bool migrate(QSqlDatabase &db, QString *error, int targetVersion = -1);
};

} // namespace isobar
