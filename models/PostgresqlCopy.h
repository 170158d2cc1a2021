#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace isobar {

// COPY ... FROM STDIN through libpq, on the PGconn under a QPSQL connection: PostgreSQL's bulk
// path. QPSQL sends a prepared statement's values written out in an EXECUTE, which the server
// parses again for every row; COPY streams rows in a compact text form instead. The connection
// must have no QSqlQuery result still streaming.
namespace PostgresqlCopy {

// One field of a row in COPY's text format, and the markers between them.
inline constexpr char kNull[] = "\\N";
inline constexpr char kFieldSeparator = '\t';
inline constexpr char kRowEnd = '\n';

// Runs `copySql` (COPY table (columns) FROM STDIN) and sends `rows`: fields separated by tabs,
// NULL as \N, one row per line (numbers only need no escaping). False with the server's error.
bool copyIn(QSqlDatabase &db, const QByteArray &copySql, const QByteArray &rows, QString *error);

} // namespace PostgresqlCopy

} // namespace isobar
