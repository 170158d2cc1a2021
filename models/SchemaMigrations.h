#pragma once

#include <QSqlDatabase>
#include <QString>

namespace isobar {

// Numbered schema migrations, applied in order at open; PRAGMA user_version holds the
// number of the last one applied, so every step runs exactly once per database file.
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
