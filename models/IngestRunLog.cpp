#include "IngestRunLog.h"

#include "StoreError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QString kColumns = u"id, source, file, version, bytes, outcome, started_ms, finished_ms,"
                         " replica, inserted, updated, unchanged, skipped, errors"_s;

QString errorsText(const QStringList &errors)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(errors)).toJson(QJsonDocument::Compact));
}

QStringList errorsFromText(const QString &text)
{
    QStringList errors;
    for (const auto &error : QJsonDocument::fromJson(text.toUtf8()).array())
        errors << error.toString();
    return errors;
}

IngestRun runAt(const QSqlQuery &row)
{
    IngestRun run;
    run.id = row.value(0).toLongLong();
    run.source = row.value(1).toString();
    run.file = row.value(2).toString();
    run.version = row.value(3).toString();
    run.bytes = row.value(4).toLongLong();
    run.outcome =
        IngestRun::outcomeNamed(row.value(5).toString()).value_or(IngestRun::Outcome::Rejected);
    run.startedMs = row.value(6).toLongLong();
    run.finishedMs = row.value(7).toLongLong();
    run.replica = row.value(8).toString();
    run.counts.inserted = row.value(9).toLongLong();
    run.counts.updated = row.value(10).toLongLong();
    run.counts.unchanged = row.value(11).toLongLong();
    run.counts.skipped = row.value(12).toLongLong();
    run.errors = errorsFromText(row.value(13).toString());
    return run;
}

} // namespace

IngestRunLog::IngestRunLog(QSqlDatabase &db)
    : m_db(db)
{}

IngestRunLog::Added IngestRunLog::add(const IngestRun &run, QString *error)
{
    QSqlQuery insert(m_db);
    insert.prepare(u"INSERT INTO ingest_run (source, file, version, bytes, outcome, started_ms,"
                   " finished_ms, replica, inserted, updated, unchanged, skipped, errors)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (source, file, version) DO NOTHING"_s);
    for (const QVariant &value :
         {QVariant(run.source), QVariant(run.file), QVariant(run.version), QVariant(run.bytes),
          QVariant(IngestRun::outcomeName(run.outcome)), QVariant(run.startedMs),
          QVariant(run.finishedMs), QVariant(run.replica), QVariant(run.counts.inserted),
          QVariant(run.counts.updated), QVariant(run.counts.unchanged),
          QVariant(run.counts.skipped), QVariant(errorsText(run.errors))})
        insert.addBindValue(value);
    if (!insert.exec()) {
        *error = insert.lastError().text();
        return Added::Failed;
    }
    return insert.numRowsAffected() > 0 ? Added::Yes : Added::AlreadyRecorded;
}

QString IngestRunLog::key(const QString &file, const QString &version)
{
    return file + u'\n' + version;
}

QSet<QString> IngestRunLog::recordedVersions(const QString &source, QString *error)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT file, version FROM ingest_run WHERE source = ?"_s);
    query.addBindValue(source);
    QSet<QString> versions;
    if (!query.exec()) {
        *error = query.lastError().text();
        return versions;
    }
    while (query.next())
        versions.insert(key(query.value(0).toString(), query.value(1).toString()));
    return versions;
}

QList<IngestRun> IngestRunLog::list(const Filter &filter)
{
    QString sql = u"SELECT %1 FROM ingest_run WHERE 1 = 1"_s.arg(kColumns);
    QVariantList values;
    if (filter.outcome) {
        sql += u" AND outcome = ?"_s;
        values << IngestRun::outcomeName(*filter.outcome);
    }
    if (filter.beforeId > 0) {
        sql += u" AND id < ?"_s;
        values << filter.beforeId;
    }
    sql += u" ORDER BY id DESC LIMIT ?"_s;
    values << filter.limit;

    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    if (!query.exec())
        throw StoreError(query.lastError().text());
    QList<IngestRun> runs;
    while (query.next())
        runs << runAt(query);
    if (query.lastError().isValid())
        throw StoreError(query.lastError().text());
    return runs;
}

} // namespace isobar
