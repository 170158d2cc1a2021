#pragma once

#include "StoreStatement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace isobar {

// A StoreStatement prepared once on the sqlite3 handle under a QSQLITE connection, stepped row
// by row without copies.
class SqliteStatement final : public StoreStatement
{
public:
    // `db` must be a QSQLITE connection (isValid() is false otherwise, with error()).
    SqliteStatement(QSqlDatabase &db, const QByteArray &sql);
    ~SqliteStatement() override;

    bool isValid() const override { return m_statement != nullptr; }
    void bind(int index, qint64 value) override;
    void bind(int index, double value) override;
    void bind(int index, const QByteArray &utf8) override;
    void bindUnchanging(int index, const QByteArray &utf8) override;
    void bindBlob(int index, QByteArrayView bytes) override;
    void bindNull(int index) override;
    bool execute() override;
    // The connection's last finished INSERT, UPDATE or DELETE: this statement's right after its
    // execute().
    qint64 changes() const override;
    bool next() override;
    qint64 int64At(int column) const override;
    double doubleAt(int column) const override;
    QByteArrayView utf8At(int column) const override;
    QByteArrayView blobAt(int column) const override;
    bool isNullAt(int column) const override;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace isobar
