#include "PostgresqlTestDatabase.h"

#include "StoreLocation.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar::test {

namespace {

QString nextName()
{
    static QAtomicInteger<int> counter;
    return u"isobar_test_%1_%2"_s.arg(::getpid()).arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

bool PostgresqlTestDatabase::requested()
{
    return qEnvironmentVariable("ISOBAR_TEST_STORE") == u"postgresql";
}

PostgresqlTestDatabase::PostgresqlTestDatabase()
{
    const QString urlFile = qEnvironmentVariable("ISOBAR_TEST_POSTGRESQL");
    QFile file(urlFile);
    if (urlFile.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        m_error = u"no PostgreSQL for tests: ISOBAR_TEST_POSTGRESQL ('%1') names no "
                  "readable URL file (run the suite through ctest, whose "
                  "postgresql fixture starts one)"_s.arg(urlFile);
        return;
    }
    m_serverUrl = QString::fromUtf8(file.readAll()).trimmed();
    m_name = nextName();
    if (!administer(u"CREATE DATABASE %1"_s.arg(m_name)))
        return;
    QUrl url(m_serverUrl);
    url.setPath(u'/' + m_name);
    m_url = url.toString();
}

PostgresqlTestDatabase::~PostgresqlTestDatabase()
{
    // WITH (FORCE): connections a failed test left open must not keep the database alive.
    if (isValid())
        administer(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_name));
}

bool PostgresqlTestDatabase::setReachable(bool reachable)
{
    const QString allow =
        u"ALTER DATABASE %1 ALLOW_CONNECTIONS %2"_s.arg(m_name, reachable ? u"true"_s : u"false"_s);
    return administer(allow)
           && (reachable
               || administer(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = '%1'"_s.arg(m_name)));
}

bool PostgresqlTestDatabase::administer(const QString &sql)
{
    // The URL as --database reads it, but opened bare: the maintenance database is not a store
    // to migrate.
    const std::optional<StoreLocation> server = StoreLocation::parse(m_serverUrl, &m_error);
    if (!server)
        return false;
    const QString connection = u"admin-"_s + m_name;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
        db.setHostName(server->host);
        db.setPort(server->port);
        db.setUserName(server->user);
        db.setDatabaseName(server->databaseName);
        if (!db.open()) {
            m_error = u"cannot reach the test PostgreSQL at %1: %2"_s.arg(m_serverUrl,
                                                                          db.lastError().text());
        } else {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                m_error = u"%1: %2"_s.arg(sql, query.lastError().text());
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace isobar::test
