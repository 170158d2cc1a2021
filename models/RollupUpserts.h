#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <memory>
#include <variant>

namespace isobar {

class StoreStatement;

// Adds rows to the request log's roll-up tables, many rows a statement, their values bound
// straight to the engine (StoreStatement) through statements prepared once per connection.
// Through Qt SQL, binding each value as a QVariant and preparing every statement again for each
// batch were most of what a batch of worldwide traffic cost: thousands of callers and cells a
// minute make thousands of rows. Must not outlive the connection.
class RollupUpserts
{
public:
    using Value = std::variant<qint64, double, QByteArray>; // texts in UTF-8

    // A roll-up table: its `columns` (comma-separated) of which the first `keyColumns` are the
    // primary key, and how a stored row takes in a conflicting one (the SET clause).
    struct Table {
        QByteArray name;
        QByteArray columns;
        int keyColumns;
        QByteArray update;
        int columnCount() const { return int(columns.count(',')) + 1; }
    };

    explicit RollupUpserts(QSqlDatabase &db);
    ~RollupUpserts();
    RollupUpserts(const RollupUpserts &) = delete;
    RollupUpserts &operator=(const RollupUpserts &) = delete;

    QSqlDatabase &database() const { return m_db; }

    // Upserts `values`, row after row (table.columnCount() each), in the caller's transaction and
    // in the order given: rows in key order make two writers wait for each other rather than
    // deadlock. False with `error` set on a failure.
    bool upsert(const Table &table, const QList<Value> &values, QString *error);

private:
    static constexpr int kRowsPerStatement = 32;

    // The statement for `rows` rows of `table`, prepared on first use.
    StoreStatement &statement(const Table &table, int rows);

    QSqlDatabase &m_db;
    QHash<QByteArray, std::shared_ptr<StoreStatement>> m_statements; // by table and rows
};

} // namespace isobar
