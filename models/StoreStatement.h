#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QSqlDatabase>
#include <QString>
#include <memory>

namespace isobar {

// A statement run on the engine's own client library under a QSqlDatabase, for the request
// log's hot paths, where Qt SQL's per-value QVariant binding and UTF-16 text dominate the cost
// (the raw rows: 13 columns for every request served; the stats' scans of up to millions of
// roll-up rows). Everything else uses QSqlQuery. The SQL is written once for both engines, with
// `?` parameters; the statement must not outlive its connection.
class StoreStatement
{
public:
    // A SQLite statement (SqliteStatement) or a PostgreSQL one (PostgresqlStatement), as `db`
    // is. A statement that could not be prepared is not valid and says why in error().
    static std::unique_ptr<StoreStatement> prepare(QSqlDatabase &db, const QByteArray &sql);

    virtual ~StoreStatement() = default;
    StoreStatement(const StoreStatement &) = delete;
    StoreStatement &operator=(const StoreStatement &) = delete;

    virtual bool isValid() const = 0;
    QString error() const { return m_error; }

    // Parameters are 1-based, as in SQL.
    virtual void bind(int index, qint64 value) = 0;
    virtual void bind(int index, double value) = 0;
    virtual void bind(int index, const QByteArray &utf8) = 0; // copied
    // Not copied where the engine allows it: `utf8` must stay as it is until the next run.
    virtual void bindUnchanging(int index, const QByteArray &utf8) = 0;
    virtual void bindBlob(int index, QByteArrayView bytes) = 0; // kept until the next run
    virtual void bindNull(int index) = 0;
    // Runs the statement, then clears its bindings for the next row set.
    virtual bool execute() = 0;
    // Rows the last execute() inserted, updated or deleted.
    virtual qint64 changes() const = 0;
    // Steps to the next result row; false after the last one or on an error (error() says which;
    // a statement that could not be prepared is false at once). Once false, the statement is
    // ready to run again with its bindings cleared.
    virtual bool next() = 0;
    // The current row's columns, 0-based. Text and bytes are valid until the next step.
    virtual qint64 int64At(int column) const = 0;
    virtual double doubleAt(int column) const = 0;
    virtual QByteArrayView utf8At(int column) const = 0;
    virtual QByteArrayView blobAt(int column) const = 0;
    virtual bool isNullAt(int column) const = 0;

protected:
    StoreStatement() = default;
    QString m_error;
};

} // namespace isobar
