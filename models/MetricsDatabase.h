#pragma once

#include "StoreLocation.h"

#include <QSqlDatabase>
#include <QString>

namespace isobar {

// One open connection to the metrics store: a SQLite file in WAL mode, or a PostgreSQL database
// (StoreLocation says which). A connection belongs to the thread that opened it; readers on
// worker threads open their own.
class MetricsDatabase
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    MetricsDatabase() = default;
    ~MetricsDatabase();
    MetricsDatabase(const MetricsDatabase &) = delete;
    MetricsDatabase &operator=(const MetricsDatabase &) = delete;

    // Opens (a SQLite file is created if needed) and migrates the store, up to `schemaVersion`
    // when one is given: tests make the stores of earlier releases with it. ReadOnly connections
    // never migrate and expect the schema to be current. With 0, either mode takes the store as
    // it finds it, to look at it. `location` is what --database takes.
    bool open(const QString &location, Mode mode = Mode::ReadWrite, int schemaVersion = -1);
    void close();

    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString path() const { return m_path; } // as given to open()
    bool isPostgresql() const { return m_location.isPostgresql(); }
    QSqlDatabase &connection() { return m_db; }

    // The store's own counter, raised by every ingest that changed something: what caches of
    // metrics (answers, series names) key on.
    qint64 dataVersion();
    static constexpr const char *kDataVersionQuery =
        "SELECT value FROM store_state WHERE key = 'data_version'";
    // The PostgreSQL notification a commit that changed metrics sends (MetricsWriter), so that
    // replicas drop cached answers at once rather than at their next poll of dataVersion().
    static constexpr const char *kDataChangedChannel = "isobar_data_changed";
    // How long a SQLite connection waits for another's write lock before giving up (an
    // `isobar ingest` beside a running server holds it for a whole file).
    static constexpr int kBusyTimeoutMs = 5000;
    // True when the PostgreSQL server went away under this connection: it must be opened again.
    // (A SQLite file has no connection to lose.)
    bool isConnectionLost();

    // Begins a write transaction. On SQLite, BEGIN IMMEDIATE: it takes the write lock before it
    // reads. A deferred one that read first fails at once ("database is locked", no busy wait)
    // when another connection commits meanwhile, as the request log does every second.
    // PostgreSQL's row locks need nothing more than BEGIN.
    static bool beginWrite(QSqlDatabase &db, QString *error);
    static bool isPostgresql(const QSqlDatabase &db);

private:
    bool openSqlite(Mode mode);
    bool openPostgresql(Mode mode);
    bool checkSchema(Mode mode, int schemaVersion);

    StoreLocation m_location;
    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_path;
    QString m_error;
};

} // namespace isobar
