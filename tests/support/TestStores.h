#pragma once

#include "PostgresqlTestDatabase.h"

#include <QTemporaryDir>
#include <list>

namespace isobar::test {

// Where a suite keeps its stores: SQLite files in a temporary folder, or, in the suite's
// PostgreSQL run (ISOBAR_TEST_STORE=postgresql, registered with add_unit_test(... STORES)),
// fresh databases on the run's PostgreSQL server. The suite's code is the same for both.
class TestStores
{
public:
    // A new, empty store, as --database takes it; empty with errorString() when there is none.
    QString fresh(const QString &name);
    bool onPostgresql() const { return PostgresqlTestDatabase::requested(); }
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_dir;
    std::list<PostgresqlTestDatabase> m_databases; // dropped with the suite
    QString m_error;
};

} // namespace isobar::test
