#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace isobar {

// Where the store lives, as `--database` names it: a SQLite file (a path, or a `sqlite:` URL)
// or a PostgreSQL database (a `postgresql://` or `postgres://` URL). Fields a PostgreSQL URL
// leaves out come from libpq's environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...). A password
// never comes from the URL, which ends up in process listings and logs: libpq reads it from
// PGPASSFILE or the URL's `passfile` parameter (a mounted secret in the .pgpass format).
struct StoreLocation {
    enum class Engine { Sqlite, Postgresql };

    Engine engine = Engine::Sqlite;
    QString sqlitePath;
    // PostgreSQL; empty (port: -1) means "libpq's default or environment".
    QString host;
    int port = -1;
    QString databaseName;
    QString user;
    // key=value pairs for libpq (sslmode, connect_timeout, passfile, ...), checked.
    QStringList options;

    // nullopt with `error` naming what is wrong (a password in the URL, an unknown parameter).
    static std::optional<StoreLocation> parse(const QString &text, QString *error);
    // libpq's parameters this accepts in a URL's query, in the order the README lists them.
    static const QStringList &postgresqlParameters();
    // For logs and /health: the engine and where, never a secret.
    QString displayName() const;
    bool isPostgresql() const { return engine == Engine::Postgresql; }
};

} // namespace isobar
