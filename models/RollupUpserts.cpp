#include "RollupUpserts.h"

#include "StoreStatement.h"

#include <type_traits>

namespace isobar {

RollupUpserts::RollupUpserts(QSqlDatabase &db)
    : m_db(db)
{}

RollupUpserts::~RollupUpserts() = default;

StoreStatement &RollupUpserts::statement(const Table &table, int rows)
{
    const QByteArray key = table.name + '/' + QByteArray::number(rows);
    std::shared_ptr<StoreStatement> &prepared = m_statements[key];
    if (!prepared) {
        QByteArray row = "(?";
        for (int column = 1; column < table.columnCount(); ++column)
            row += ",?";
        row += ')';
        QByteArray sql = "INSERT INTO " + table.name + " (" + table.columns + ") VALUES " + row;
        for (int i = 1; i < rows; ++i)
            sql += ',' + row;
        sql += " ON CONFLICT (" + table.columns.split(',').mid(0, table.keyColumns).join(',')
               + ") DO UPDATE SET " + table.update;
        prepared = StoreStatement::prepare(m_db, sql);
    }
    return *prepared;
}

bool RollupUpserts::upsert(const Table &table, const QList<Value> &values, QString *error)
{
    const int columns = table.columnCount();
    const qsizetype rows = values.size() / columns;
    for (qsizetype first = 0; first < rows;) {
        // Full statements, then the rest a row at a time: two statements a table, not one per
        // remainder.
        const int chunk = rows - first >= kRowsPerStatement ? kRowsPerStatement : 1;
        StoreStatement &upsert = statement(table, chunk);
        if (!upsert.isValid()) {
            *error = upsert.error();
            return false;
        }
        const qsizetype from = first * columns;
        for (qsizetype at = from; at < from + qsizetype(chunk) * columns; ++at) {
            const int parameter = int(at - from + 1);
            std::visit(
                [&](const auto &value) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, QByteArray>)
                        upsert.bindUnchanging(parameter, value); // `values` outlives the run
                    else
                        upsert.bind(parameter, value);
                },
                values[at]);
        }
        if (!upsert.execute()) {
            *error = upsert.error();
            return false;
        }
        first += chunk;
    }
    return true;
}

} // namespace isobar
