#pragma once

#include <QString>

namespace isobar::test {

// A database of its own on the test run's PostgreSQL server (the `postgresql` ctest fixture:
// tests/support/postgres-server.sh, whose URL file ISOBAR_TEST_POSTGRESQL names): created empty
// for one suite, dropped with this object, so suites running side by side never meet.
class PostgresqlTestDatabase
{
public:
    PostgresqlTestDatabase();
    ~PostgresqlTestDatabase();
    PostgresqlTestDatabase(const PostgresqlTestDatabase &) = delete;
    PostgresqlTestDatabase &operator=(const PostgresqlTestDatabase &) = delete;

    // False when there is no server to use; errorString() says why.
    bool isValid() const { return !m_url.isEmpty(); }
    QString errorString() const { return m_error; }
    // postgresql://isobar@127.0.0.1:PORT/NAME, as --database takes it.
    QString url() const { return m_url; }

    // An outage of this database as its clients see it: false ends every connection to it and
    // refuses new ones; true lets them in again. False with errorString() when it could not.
    bool setReachable(bool reachable);

    // True when this run asked for PostgreSQL (the suites' second run, ISOBAR_TEST_STORE).
    static bool requested();

private:
    bool administer(const QString &sql);

    QString m_serverUrl; // the server's maintenance database
    QString m_name;
    QString m_url;
    QString m_error;
};

} // namespace isobar::test
