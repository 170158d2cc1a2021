#include "PostgresqlCopy.h"

#include "PostgresqlStatement.h"

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace isobar {

bool PostgresqlCopy::copyIn(QSqlDatabase &db, const QByteArray &copySql, const QByteArray &rows,
                            QString *error)
{
    PGconn *connection = PostgresqlStatement::connectionOf(db);
    if (!connection) {
        *error = u"COPY needs a PostgreSQL connection"_s;
        return false;
    }
    PGresult *started = PQexec(connection, copySql.constData());
    const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
    if (!copying)
        *error = QString::fromUtf8(PQresultErrorMessage(started)).trimmed();
    PQclear(started);
    if (!copying)
        return false;
    bool ok = PQputCopyData(connection, rows.constData(), int(rows.size())) == 1
              && PQputCopyEnd(connection, nullptr) == 1;
    if (!ok)
        *error = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
    // The COPY's outcome, and nothing left pending on the connection for Qt's next statement.
    while (PGresult *result = PQgetResult(connection)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && ok) {
            ok = false;
            *error = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        }
        PQclear(result);
    }
    return ok;
}

} // namespace isobar
