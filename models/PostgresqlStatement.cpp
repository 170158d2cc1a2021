#include "PostgresqlStatement.h"

#include <QLocale>
#include <QSqlDriver>
#include <QVariant>
#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace isobar {

PostgresqlStatement::PostgresqlStatement(QSqlDatabase &db, const QByteArray &sql)
    : m_connection(connectionOf(db))
    , m_sql(numberedParameters(sql))
{
    if (!m_connection)
        m_error = u"not an open PostgreSQL connection"_s;
}

pg_conn *PostgresqlStatement::connectionOf(QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // QPSQL hands out the PGconn under its struct's name.
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 || !handle.data())
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

bool PostgresqlStatement::inTransaction(QSqlDatabase &db)
{
    PGconn *connection = connectionOf(db);
    return connection && PQtransactionStatus(connection) != PQTRANS_IDLE;
}

PostgresqlStatement::~PostgresqlStatement()
{
    finish();
}

QByteArray PostgresqlStatement::numberedParameters(const QByteArray &sql)
{
    QByteArray numbered;
    numbered.reserve(sql.size() + 16);
    int next = 0;
    char quote = 0; // inside '...' or "...": `?` is text there
    for (const char c : sql) {
        if (quote) {
            quote = c == quote ? 0 : quote;
            numbered += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            numbered += c;
        } else if (c == '?') {
            numbered += '$' + QByteArray::number(++next);
        } else {
            numbered += c;
        }
    }
    return numbered;
}

PostgresqlStatement::Parameter &PostgresqlStatement::parameter(int index)
{
    if (size_t(index) > m_parameters.size())
        m_parameters.resize(size_t(index));
    return m_parameters[size_t(index - 1)];
}

void PostgresqlStatement::bind(int index, qint64 value)
{
    parameter(index) = {QByteArray::number(value), false, false};
}

void PostgresqlStatement::bind(int index, double value)
{
    // Shortest text that reads back as the same double.
    parameter(index) = {QByteArray::number(value, 'g', QLocale::FloatingPointShortest), false,
                        false};
}

void PostgresqlStatement::bind(int index, const QByteArray &utf8)
{
    parameter(index) = {utf8, false, false};
}

void PostgresqlStatement::bindUnchanging(int index, const QByteArray &utf8)
{
    bind(index, utf8); // shared, not copied, either way
}

void PostgresqlStatement::bindBlob(int index, QByteArrayView bytes)
{
    parameter(index) = {bytes.toByteArray(), false, true};
}

void PostgresqlStatement::bindNull(int index)
{
    parameter(index) = {};
}

bool PostgresqlStatement::run()
{
    finish();
    m_error.clear();
    if (!m_connection)
        return false;
    std::vector<const char *> values;
    std::vector<int> lengths, formats;
    for (const Parameter &p : m_parameters) {
        values.push_back(p.isNull ? nullptr : p.value.constData());
        lengths.push_back(int(p.value.size()));
        formats.push_back(p.isBinary ? 1 : 0);
    }
    m_result = PQexecParams(m_connection, m_sql.constData(), int(m_parameters.size()), nullptr,
                            values.data(), lengths.data(), formats.data(), 0);
    m_parameters.clear();
    const ExecStatusType status = PQresultStatus(m_result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        m_changes = QByteArrayView(PQcmdTuples(m_result)).toLongLong();
        return true;
    }
    m_error =
        QString::fromUtf8(m_result ? PQresultErrorMessage(m_result) : PQerrorMessage(m_connection))
            .trimmed();
    finish();
    return false;
}

void PostgresqlStatement::finish()
{
    PQclear(m_result);
    m_result = nullptr;
    m_row = -1;
}

bool PostgresqlStatement::execute()
{
    const bool ran = run();
    finish();
    return ran;
}

bool PostgresqlStatement::next()
{
    if (!m_result && !run())
        return false;
    if (++m_row < PQntuples(m_result))
        return true;
    finish();
    return false;
}

qint64 PostgresqlStatement::int64At(int column) const
{
    return utf8At(column).toLongLong(); // NULL reads "": 0, as in SQLite
}

double PostgresqlStatement::doubleAt(int column) const
{
    return utf8At(column).toDouble(); // C locale, whatever the process's
}

QByteArrayView PostgresqlStatement::utf8At(int column) const
{
    return QByteArrayView(PQgetvalue(m_result, m_row, column),
                          PQgetlength(m_result, m_row, column));
}

bool PostgresqlStatement::isNullAt(int column) const
{
    return PQgetisnull(m_result, m_row, column) != 0;
}

QByteArrayView PostgresqlStatement::blobAt(int column) const
{
    // bytea comes as text, in the form the session's bytea_output names (QPSQL asks for
    // "escape"); libpq reads either.
    size_t length = 0;
    unsigned char *bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char *>(PQgetvalue(m_result, m_row, column)), &length);
    m_blob =
        bytes ? QByteArray(reinterpret_cast<const char *>(bytes), qsizetype(length)) : QByteArray();
    PQfreemem(bytes);
    return m_blob;
}

} // namespace isobar
