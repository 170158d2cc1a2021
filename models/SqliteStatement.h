#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace isobar {

// A prepared statement on the SQLite handle under a QSqlDatabase, for the few hot paths where
// Qt SQL's per-value QVariant binding and UTF-16 text dominate the cost (the request log's raw
// rows: 13 columns for every request served; the stats' scans of up to millions of roll-up
// rows). Everything else uses QSqlQuery. The statement is finalized with this object, which must
// not outlive the connection.
class SqliteStatement
{
public:
    // `db` must be a QSQLITE connection (isValid() is false otherwise, with error()).
    SqliteStatement(QSqlDatabase &db, const QByteArray &sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_statement != nullptr; }
    QString error() const { return m_error; }

    // Parameters are 1-based, as in SQLite.
    void bind(int index, qint64 value);
    void bind(int index, double value);
    void bind(int index, const QByteArray &utf8);   // copied: the array may go after the call
    void bindBlob(int index, QByteArrayView bytes); // not copied: keep it until the next step
    void bindNull(int index);
    // Runs the statement, then resets it and clears its bindings for the next row set.
    bool execute();
    // Rows the connection's last finished INSERT, UPDATE or DELETE changed: this statement's,
    // right after its execute().
    qint64 changes() const;
    // Steps to the next result row; false after the last one or on an error (error() says which;
    // a statement that could not be prepared is false at once).
    // Once false, the statement is reset with its bindings cleared, ready to run again.
    bool next();
    // The current row's columns, 0-based as in SQLite. The text is valid until the next step.
    qint64 int64At(int column) const;
    double doubleAt(int column) const;
    QByteArrayView utf8At(int column) const;
    QByteArrayView blobAt(int column) const; // valid until the next step

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

} // namespace isobar
