#pragma once

#include <QSqlDatabase>
#include <QString>

namespace isobar {

// One open connection to the metrics store (a SQLite file in WAL mode).
// A connection belongs to the thread that opened it; readers on worker threads open their own.
class MetricsDatabase
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    MetricsDatabase() = default;
    ~MetricsDatabase();
    MetricsDatabase(const MetricsDatabase &) = delete;
    MetricsDatabase &operator=(const MetricsDatabase &) = delete;

    // Opens (creating if needed) and migrates the store. ReadOnly connections never migrate
    // and expect the schema to be current.
    bool open(const QString &path, Mode mode = Mode::ReadWrite);
    void close();

    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }
    QSqlDatabase &connection() { return m_db; }

    qint64 dataVersion();

    // BEGIN IMMEDIATE: a write transaction takes the write lock before it reads. A deferred
    // one that read first fails at once ("database is locked", no busy wait) when another
    // connection commits meanwhile, as the request log does every second.
    static bool beginWrite(QSqlDatabase &db, QString *error);

private:
    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_path;
    QString m_error;
};

} // namespace isobar
