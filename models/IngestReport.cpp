#include "IngestReport.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace isobar {

WriteCounts &WriteCounts::operator+=(const WriteCounts &other)
{
    inserted += other.inserted;
    updated += other.updated;
    unchanged += other.unchanged;
    skipped += other.skipped;
    return *this;
}

void ValidationErrors::add(const QString &message)
{
    if (m_kept.size() < kMaxKept)
        m_kept << message;
    ++m_total;
}

QStringList ValidationErrors::messages() const
{
    QStringList all = m_kept;
    if (m_total > m_kept.size())
        all << u"... and %1 more"_s.arg(m_total - m_kept.size());
    return all;
}

int IngestReport::filesOk() const
{
    return int(std::count_if(files.begin(), files.end(), [](const FileReport &f) { return f.ok; }));
}

int IngestReport::filesFailed() const
{
    return int(files.size()) - filesOk();
}

WriteCounts IngestReport::totals() const
{
    WriteCounts sum;
    for (const FileReport &file : files) {
        if (file.ok)
            sum += file.counts;
    }
    return sum;
}

double IngestReport::rowsPerSecond() const
{
    qint64 rows = 0;
    for (const FileReport &file : files)
        rows += file.counts.records();
    return elapsedMs > 0 ? rows * 1000.0 / elapsedMs : 0.0;
}

QString IngestReport::summary() const
{
    const WriteCounts sum = totals();
    QString text;
    for (const FileReport &file : files) {
        if (file.ok)
            continue;
        text += u"FAILED %1\n"_s.arg(file.path);
        for (const QString &error : file.errors)
            text += u"  %1\n"_s.arg(error);
    }
    text +=
        u"%1files: %2 ok, %3 failed\n"_s.arg(dryRun ? u"dry run (nothing stored): "_s : QString())
            .arg(filesOk())
            .arg(filesFailed());
    text += u"points: %1 inserted, %2 updated, %3 unchanged, %4 skipped\n"_s.arg(sum.inserted)
                .arg(sum.updated)
                .arg(sum.unchanged)
                .arg(sum.skipped);
    text += u"elapsed: %1 s, %2 rows/s\n"_s.arg(elapsedMs / 1000.0, 0, 'f', 2)
                .arg(qRound64(rowsPerSecond()));
    return text;
}

QJsonObject IngestReport::toJson() const
{
    QJsonArray fileArray;
    for (const FileReport &file : files) {
        fileArray.append(QJsonObject{
            {u"file"_s, file.path},
            {u"ok"_s, file.ok},
            {u"errors"_s, QJsonArray::fromStringList(file.errors)},
            {u"inserted"_s, file.counts.inserted},
            {u"updated"_s, file.counts.updated},
            {u"unchanged"_s, file.counts.unchanged},
            {u"skipped"_s, file.counts.skipped},
        });
    }
    const WriteCounts sum = totals();
    return QJsonObject{
        {u"dry_run"_s, dryRun},
        {u"files_ok"_s, filesOk()},
        {u"files_failed"_s, filesFailed()},
        {u"inserted"_s, sum.inserted},
        {u"updated"_s, sum.updated},
        {u"unchanged"_s, sum.unchanged},
        {u"skipped"_s, sum.skipped},
        {u"elapsed_ms"_s, elapsedMs},
        {u"files"_s, fileArray},
    };
}

} // namespace isobar
