#include "StoreCheckCommand.h"

#include "MetricsDatabase.h"
#include "SchemaMigrations.h"
#include "config/ServerSettings.h"

#include <QCommandLineParser>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace isobar {

int runStoreCheckCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Check the metrics store without changing it: SQLite's integrity check, and the "
        "schema version. Exit code 0 when sound, 1 when not, 2 when it cannot be opened."_s);
    parser.addHelpOption();
    ServerSettings::addOptions(parser, {"database"});
    parser.process(arguments);

    QTextStream err(stderr);
    QTextStream out(stdout);
    ServerConfig config;
    if (const QString error =
            ServerSettings::apply(config, SettingSources::commandLine(parser), {"database"});
        !error.isEmpty()) {
        err << "isobar check-store: " << error << '\n';
        return 2;
    }
    MetricsDatabase store;
    // Read-only and as found: a check never creates, migrates or repairs what it looks at.
    if (!store.open(config.databasePath, MetricsDatabase::Mode::ReadOnly, 0)) {
        err << "isobar check-store: " << store.errorString() << '\n';
        return 2;
    }
    const int version = SchemaMigrations::currentVersion(store.connection());
    const int latest = SchemaMigrations::latestVersion();
    if (version < 0) {
        err << "isobar check-store: " << store.path()
            << ": cannot read the schema version: " << store.connection().lastError().text()
            << '\n';
        return 1;
    }
    out << store.path() << ": schema version " << version
        << (version == latest  ? u" (current)"_s
            : version < latest ? u" (the next serve or ingest migrates it to %1)"_s.arg(latest)
                               : u" (newer than this build's %1)"_s.arg(latest))
        << '\n';
    if (store.isPostgresql()) {
        out << "pages: PostgreSQL checks its own (data checksums, amcheck)\n";
        return 0;
    }
    // Rows of "ok", or one row per problem found (at most 100).
    QSqlQuery check(store.connection());
    if (!check.exec(u"PRAGMA integrity_check"_s)) {
        err << "isobar check-store: " << store.path()
            << ": the integrity check failed: " << check.lastError().text() << '\n';
        return 1;
    }
    QStringList problems;
    while (check.next()) {
        if (const QString row = check.value(0).toString(); row != u"ok")
            problems << row;
    }
    if (problems.isEmpty()) {
        out << "integrity: ok\n";
        return 0;
    }
    out << "integrity: damaged\n" << problems.join(u'\n') << '\n';
    return 1;
}

} // namespace isobar
