#include "RequestLogShared.h"

#include "AdvisoryLocks.h"
#include "MetricsDatabase.h"

using namespace Qt::StringLiterals;

namespace isobar::requestlog {

namespace {

QByteArray picked(const char *table, const char *column, const char *comparison)
{
    const QByteArray stored = QByteArray(table) + '.' + column;
    const QByteArray incoming = QByteArray("excluded.") + column;
    return QByteArray(column) + " = CASE WHEN " + incoming + ' ' + comparison + ' ' + stored
           + " THEN " + incoming + " ELSE " + stored + " END";
}

} // namespace

QByteArray added(const char *table, const char *column)
{
    return QByteArray(column) + " = " + table + '.' + column + " + excluded." + column;
}

QByteArray larger(const char *table, const char *column)
{
    return picked(table, column, ">");
}

QByteArray smaller(const char *table, const char *column)
{
    return picked(table, column, "<");
}

bool beginWrite(QSqlDatabase &db, Writers writers, QString *error)
{
    if (!MetricsDatabase::beginWrite(db, error))
        return false;
    if (!MetricsDatabase::isPostgresql(db))
        return true;
    QSqlQuery lock(db);
    const QString function =
        writers == Writers::Shared ? u"pg_advisory_xact_lock_shared"_s : u"pg_advisory_xact_lock"_s;
    if (lock.exec(u"SELECT %1(%2)"_s.arg(function).arg(advisorylock::kRequestLogWrite)))
        return true;
    *error = lock.lastError().text();
    db.rollback();
    return false;
}

bool commit(QSqlDatabase &db, QString *error)
{
    if (db.commit())
        return true;
    *error = db.lastError().text();
    db.rollback();
    return false;
}

} // namespace isobar::requestlog
