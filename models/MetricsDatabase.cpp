#include "MetricsDatabase.h"

#include "PostgresqlStatement.h"
#include "SchemaMigrations.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>
#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"isobar-metrics-%1"_s.arg(counter.fetchAndAddRelaxed(1));
}
} // namespace

MetricsDatabase::~MetricsDatabase()
{
    close();
}

bool MetricsDatabase::open(const QString &location, Mode mode, int schemaVersion)
{
    close();
    m_path = location;
    const std::optional<StoreLocation> parsed = StoreLocation::parse(location, &m_error);
    if (!parsed)
        return false;
    m_location = *parsed;
    m_connectionName = nextConnectionName();
    if (!(m_location.isPostgresql() ? openPostgresql(mode) : openSqlite(mode))
        || !checkSchema(mode, schemaVersion)) {
        close();
        return false;
    }
    return true;
}

bool MetricsDatabase::openSqlite(Mode mode)
{
    const QString &path = m_location.sqlitePath;
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(path);
    const QString busyTimeout = u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kBusyTimeoutMs);
    m_db.setConnectOptions(mode == Mode::ReadOnly ? u"QSQLITE_OPEN_READONLY;"_s + busyTimeout
                                                  : busyTimeout);
    if (!m_db.open()) {
        m_error = u"cannot open %1: %2"_s.arg(path, m_db.lastError().text());
        return false;
    }
    QSqlQuery pragma(m_db);
    // WAL lets readers run beside the single writer; NORMAL sync is durable at each commit
    // boundary under WAL except on power loss, which loses at most the last transaction.
    const QStringList pragmas =
        mode == Mode::ReadOnly
            ? QStringList{u"PRAGMA query_only = ON"_s, u"PRAGMA cache_size = -32768"_s}
            : QStringList{u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s,
                          u"PRAGMA foreign_keys = ON"_s, u"PRAGMA cache_size = -65536"_s};
    for (const QString &sql : pragmas) {
        if (!pragma.exec(sql)) {
            m_error = u"cannot configure %1: %2"_s.arg(path, pragma.lastError().text());
            return false;
        }
    }
    return true;
}

bool MetricsDatabase::openPostgresql(Mode mode)
{
    m_db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    if (!m_db.isValid()) {
        m_error = u"PostgreSQL support is not installed (Qt's QPSQL driver, Debian "
                  "package libqt6sql6-psql)"_s;
        return false;
    }
    // Unset fields are left to libpq, which reads PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSFILE.
    if (!m_location.host.isEmpty())
        m_db.setHostName(m_location.host);
    if (m_location.port > 0)
        m_db.setPort(m_location.port);
    if (!m_location.user.isEmpty())
        m_db.setUserName(m_location.user);
    if (!m_location.databaseName.isEmpty())
        m_db.setDatabaseName(m_location.databaseName);
    m_db.setConnectOptions(m_location.options.join(u';'));
    if (!m_db.open()) {
        m_error = u"cannot open %1: %2"_s.arg(m_location.displayName(), m_db.lastError().text());
        return false;
    }
    if (mode == Mode::ReadOnly) {
        QSqlQuery readOnly(m_db);
        if (!readOnly.exec(u"SET default_transaction_read_only = on"_s)) {
            m_error = u"cannot configure %1: %2"_s.arg(m_location.displayName(),
                                                       readOnly.lastError().text());
            return false;
        }
    }
    return true;
}

bool MetricsDatabase::checkSchema(Mode mode, int schemaVersion)
{
    const QString where = m_location.displayName();
    if (mode == Mode::ReadWrite) {
        if (!SchemaMigrations::migrate(m_db, &m_error, schemaVersion)) {
            m_error = u"%1: %2"_s.arg(where, m_error);
            return false;
        }
    } else if (schemaVersion != 0
               && SchemaMigrations::currentVersion(m_db) != SchemaMigrations::latestVersion()) {
        m_error = u"%1: schema version %2, expected %3"_s.arg(where)
                      .arg(SchemaMigrations::currentVersion(m_db))
                      .arg(SchemaMigrations::latestVersion());
        return false;
    }
    return true;
}

void MetricsDatabase::close()
{
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool MetricsDatabase::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

bool MetricsDatabase::isPostgresql(const QSqlDatabase &db)
{
    return db.driverName() == u"QPSQL";
}

bool MetricsDatabase::beginWrite(QSqlDatabase &db, QString *error)
{
    QSqlQuery begin(db);
    if (begin.exec(isPostgresql(db) ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s))
        return true;
    *error = begin.lastError().text();
    return false;
}

bool MetricsDatabase::isConnectionLost()
{
    if (!isPostgresql())
        return false;
    pg_conn *connection = PostgresqlStatement::connectionOf(m_db);
    return !connection || PQstatus(connection) == CONNECTION_BAD;
}

qint64 MetricsDatabase::dataVersion()
{
    QSqlQuery query(m_db);
    if (query.exec(QLatin1String(kDataVersionQuery)) && query.next())
        return query.value(0).toLongLong();
    return -1;
}

} // namespace isobar
