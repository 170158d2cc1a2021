#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace isobar {

// What one file's transaction did to the store.
struct WriteCounts {
    qint64 inserted = 0;
    qint64 updated = 0;   // a newer refresh_date replaced a stored value
    qint64 unchanged = 0; // already stored with the same or a newer refresh_date
    qint64 skipped = 0;   // records without a value (CSV "NA", JSON null)

    qint64 records() const { return inserted + updated + unchanged + skipped; }
    WriteCounts &operator+=(const WriteCounts &other);
};

// Validation messages of one file, capped so a broken million-row file stays readable.
class ValidationErrors
{
public:
    static constexpr int kMaxKept = 20;

    void add(const QString &message);
    bool isEmpty() const { return m_total == 0; }
    int total() const { return m_total; }
    // The kept messages, plus "... and N more" when some were dropped.
    QStringList messages() const;

private:
    QStringList m_kept;
    int m_total = 0;
};

struct FileReport {
    QString path;
    bool ok = false;
    QStringList errors;
    WriteCounts counts;
    // The store refused the file's transaction (busy, gone, full), not its content: the same
    // file may load later.
    bool storeFailed = false;
};

struct IngestReport {
    QList<FileReport> files;
    qint64 elapsedMs = 0;
    bool dryRun = false;

    int filesOk() const;
    int filesFailed() const;
    WriteCounts totals() const; // over the files that loaded
    double rowsPerSecond() const;
    QString summary() const;    // the human summary printed by `isobar ingest`
    QJsonObject toJson() const; // the same, for the upload API
};

} // namespace isobar
