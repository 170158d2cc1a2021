#include "IngestReport.h"

#include <QJsonArray>

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
        all << QStringLiteral("... and %1 more").arg(m_total - m_kept.size());
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
        text += QStringLiteral("FAILED %1\n").arg(file.path);
        for (const QString &error : file.errors)
            text += QStringLiteral("  %1\n").arg(error);
    }
    text += QStringLiteral("%1files: %2 ok, %3 failed\n")
                .arg(dryRun ? QStringLiteral("dry run (nothing stored): ") : QString())
                .arg(filesOk())
                .arg(filesFailed());
    text += QStringLiteral("points: %1 inserted, %2 updated, %3 unchanged, %4 skipped\n")
                .arg(sum.inserted)
                .arg(sum.updated)
                .arg(sum.unchanged)
                .arg(sum.skipped);
    text += QStringLiteral("elapsed: %1 s, %2 rows/s\n")
                .arg(elapsedMs / 1000.0, 0, 'f', 2)
                .arg(qRound64(rowsPerSecond()));
    return text;
}

QJsonObject IngestReport::toJson() const
{
    QJsonArray fileArray;
    for (const FileReport &file : files) {
        fileArray.append(QJsonObject{
            {QStringLiteral("file"), file.path},
            {QStringLiteral("ok"), file.ok},
            {QStringLiteral("errors"), QJsonArray::fromStringList(file.errors)},
            {QStringLiteral("inserted"), file.counts.inserted},
            {QStringLiteral("updated"), file.counts.updated},
            {QStringLiteral("unchanged"), file.counts.unchanged},
            {QStringLiteral("skipped"), file.counts.skipped},
        });
    }
    const WriteCounts sum = totals();
    return QJsonObject{
        {QStringLiteral("dry_run"), dryRun},
        {QStringLiteral("files_ok"), filesOk()},
        {QStringLiteral("files_failed"), filesFailed()},
        {QStringLiteral("inserted"), sum.inserted},
        {QStringLiteral("updated"), sum.updated},
        {QStringLiteral("unchanged"), sum.unchanged},
        {QStringLiteral("skipped"), sum.skipped},
        {QStringLiteral("elapsed_ms"), elapsedMs},
        {QStringLiteral("files"), fileArray},
    };
}

} // namespace isobar
