#pragma once

#include <QSqlDatabase>
#include <QString>

namespace isobar {

// Numbered schema migrations, applied in order at open, one sequence for both engines (written
// in SQLite's spelling, SqlDialect gives PostgreSQL's). SQLite keeps the number of the last one
// applied in PRAGMA user_version, PostgreSQL in the schema_version table, so every step runs
// exactly once per store. The pending steps run in one transaction, so a store is only ever at a
// version some release left it at. On PostgreSQL, replicas starting together take turns under an
// advisory lock: the version is read again once it is held.
class SchemaMigrations
{
public:
    static int latestVersion();
    static int currentVersion(QSqlDatabase &db);
    // Brings `db` up to latestVersion() (or `targetVersion`) in one transaction.
    // Refuses a database newer than this build knows.
    static bool migrate(QSqlDatabase &db, QString *error, int targetVersion = -1);
};

} // namespace isobar
