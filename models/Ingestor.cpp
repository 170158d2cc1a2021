#include "Ingestor.h"

#include "MetricsWriter.h"
#include "RespiratoryCsvReader.h"
#include "UkhsaJsonReader.h"

#include <QBuffer>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

bool isIngestible(const QString &path)
{
    return path.endsWith(u".json", Qt::CaseInsensitive)
           || path.endsWith(u".csv", Qt::CaseInsensitive);
}

} // namespace

Ingestor::Ingestor(QSqlDatabase &db)
    : m_db(db)
{}

QStringList Ingestor::expandPaths(const QStringList &paths, QStringList *missing)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList found;
            QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (isIngestible(file))
                    found << file;
            }
            found.sort();
            files << found;
        } else if (info.isFile()) {
            files << path;
        } else {
            missing->append(path);
        }
    }
    return files;
}

IngestReport Ingestor::ingest(const QStringList &paths)
{
    QElapsedTimer timer;
    timer.start();
    IngestReport report;
    report.dryRun = m_dryRun;

    QStringList missing;
    const QStringList files = expandPaths(paths, &missing);
    for (const QString &path : std::as_const(missing))
        report.files << FileReport{path, false, {u"%1: no such file or folder"_s.arg(path)}, {}};

    IngestProgress progress;
    progress.filesTotal = int(files.size());
    for (const QString &file : files)
        progress.bytesTotal += QFileInfo(file).size();

    for (const QString &file : files) {
        if (m_cancel && m_cancel->load()) {
            report.files << FileReport{file, false, {u"%1: cancelled"_s.arg(file)}, {}};
            continue;
        }
        const qint64 bytesBefore = progress.bytesDone;
        report.files << ingestFile(file, file, QFileInfo(file).lastModified().toSecsSinceEpoch(),
                                   progress);
        progress.bytesDone = bytesBefore + QFileInfo(file).size();
        progress.rowsDone += report.files.constLast().counts.records();
        ++progress.filesDone;
        if (m_progress)
            m_progress(progress);
    }
    report.elapsedMs = timer.elapsed();
    return report;
}

FileReport Ingestor::inTransaction(const QString &name, const ReadInto &read)
{
    FileReport report{name, false, {}, {}};
    MetricsWriter writer(m_db);
    QString error;
    if (!writer.begin(&error)) {
        report.errors << u"%1: %2"_s.arg(name, error);
        report.storeFailed = true;
        return report;
    }
    ValidationErrors errors;
    read(writer, errors);
    if (errors.isEmpty() && !writer.writePendingPoints(&error)) {
        errors.add(u"%1: %2"_s.arg(name, error));
        report.storeFailed = true;
    }
    report.counts = writer.counts();
    if (!errors.isEmpty() || m_dryRun) {
        writer.rollback();
        report.errors = errors.messages();
        report.ok = errors.isEmpty();
        return report;
    }
    if (m_beforeCommit)
        error = m_beforeCommit(report);
    if (!error.isEmpty()) {
        writer.rollback();
        report.errors << error;
        report.storeFailed = true;
        return report;
    }
    report.ok = writer.commit(&error);
    if (!report.ok) {
        report.errors << u"%1: %2"_s.arg(name, error);
        report.storeFailed = true;
    }
    return report;
}

FileReport Ingestor::ingestFile(const QString &path, const QString &name, qint64 refreshDate)
{
    IngestProgress progress;
    progress.filesTotal = 1;
    progress.bytesTotal = QFileInfo(path).size();
    return ingestFile(path, name, refreshDate, progress);
}

FileReport Ingestor::ingestFile(const QString &path, const QString &name, qint64 refreshDate,
                                IngestProgress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return FileReport{name, false, {u"%1: %2"_s.arg(name, file.errorString())}, {}};
    if (!name.endsWith(u".csv", Qt::CaseInsensitive)) {
        // A JSON file is read whole: one too large to be read is refused before it is.
        const QString tooLarge = name.endsWith(u".json", Qt::CaseInsensitive)
                                     ? UkhsaJsonReader::sizeError(file.size(), name)
                                     : QString();
        if (!tooLarge.isEmpty())
            return FileReport{name, false, {tooLarge}, {}};
        return ingestContent(file.readAll(), name, refreshDate);
    }

    const qint64 startBytes = progress.bytesDone;
    return inTransaction(name, [&](MetricsWriter &writer, ValidationErrors &errors) {
        RespiratoryCsvReader::read(file, name, refreshDate, writer, errors, [&](qint64 bytesRead) {
            if (m_cancel && m_cancel->load())
                errors.add(u"%1: cancelled"_s.arg(name));
            if (m_progress) {
                IngestProgress now = progress;
                now.bytesDone = startBytes + bytesRead;
                now.rowsDone = progress.rowsDone + writer.counts().records();
                m_progress(now);
            }
        });
    });
}

FileReport Ingestor::ingestContent(const QByteArray &content, const QString &name,
                                   qint64 refreshDate)
{
    return inTransaction(name, [&](MetricsWriter &writer, ValidationErrors &errors) {
        if (name.endsWith(u".csv", Qt::CaseInsensitive)) {
            QBuffer buffer;
            buffer.setData(content);
            buffer.open(QIODevice::ReadOnly);
            RespiratoryCsvReader::read(buffer, name, refreshDate, writer, errors);
        } else if (name.endsWith(u".json", Qt::CaseInsensitive)) {
            UkhsaJsonReader::read(content, name, writer, errors);
        } else {
            errors.add(u"%1: not a .json or .csv file"_s.arg(name));
        }
    });
}

} // namespace isobar
