#pragma once

#include <QString>

namespace isobar {

// Where SQLite and PostgreSQL spell the same schema differently, in one place, so the migration
// sequence is written once (in SQLite's spelling, which released stores already carry).
namespace SqlDialect {

// A CREATE or ALTER statement of ours as PostgreSQL takes it: 64-bit integers (SQLite's INTEGER
// is 64-bit, PostgreSQL's 32), double precision reals (PostgreSQL's REAL is 32-bit), BYTEA for
// BLOB, an identity for `id INTEGER PRIMARY KEY` (SQLite's rowid alias), no WITHOUT ROWID
// (PostgreSQL tables are heaps; the primary key is an index either way).
QString postgresqlDefinition(const QString &sqliteDefinition);

} // namespace SqlDialect

} // namespace isobar
