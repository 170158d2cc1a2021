#pragma once

#include "StoreStatement.h"

#include <optional>
#include <vector>

struct pg_conn;
struct pg_result;

namespace isobar {

// A StoreStatement run through libpq on the PGconn under a QPSQL connection. Parameters travel
// as text (bytes as binary), results come back as text and are read in place; a query's whole
// result is fetched at its first next(), which suits the request log's bounded scans. The
// connection must have no QSqlQuery result still streaming.
class PostgresqlStatement final : public StoreStatement
{
public:
    // `db` must be a QPSQL connection (isValid() is false otherwise, with error()).
    PostgresqlStatement(QSqlDatabase &db, const QByteArray &sql);
    ~PostgresqlStatement() override;

    // The PGconn under a QPSQL connection; null for any other.
    static pg_conn *connectionOf(QSqlDatabase &db);
    // True when `db` is a PostgreSQL connection inside a transaction block.
    static bool inTransaction(QSqlDatabase &db);
    // SQL's `?` parameters as PostgreSQL's `$1`, `$2`, ...; quoted text is left alone.
    static QByteArray numberedParameters(const QByteArray &sql);

    bool isValid() const override { return m_connection != nullptr; }
    void bind(int index, qint64 value) override;
    void bind(int index, double value) override;
    void bind(int index, const QByteArray &utf8) override;
    void bindUnchanging(int index, const QByteArray &utf8) override;
    void bindBlob(int index, QByteArrayView bytes) override;
    void bindNull(int index) override;
    bool execute() override;
    qint64 changes() const override { return m_changes; }
    bool next() override;
    qint64 int64At(int column) const override;
    double doubleAt(int column) const override;
    QByteArrayView utf8At(int column) const override;
    QByteArrayView blobAt(int column) const override;
    bool isNullAt(int column) const override;

private:
    struct Parameter {
        QByteArray value;
        bool isNull = true;
        bool isBinary = false;
    };
    Parameter &parameter(int index);
    // Sends the statement with its parameters; false with error() set when PostgreSQL refused.
    bool run();
    void finish();

    pg_conn *m_connection = nullptr;
    QByteArray m_sql;
    std::vector<Parameter> m_parameters;
    pg_result *m_result = nullptr;
    int m_row = -1;
    qint64 m_changes = 0;
    mutable QByteArray m_blob; // blobAt()'s bytes, decoded from bytea's text form
};

} // namespace isobar
