#include "StoreStatement.h"

#include "MetricsDatabase.h"
#include "PostgresqlStatement.h"
#include "SqliteStatement.h"

namespace isobar {

std::unique_ptr<StoreStatement> StoreStatement::prepare(QSqlDatabase &db, const QByteArray &sql)
{
    if (MetricsDatabase::isPostgresql(db))
        return std::make_unique<PostgresqlStatement>(db, sql);
    return std::make_unique<SqliteStatement>(db, sql);
}

} // namespace isobar
