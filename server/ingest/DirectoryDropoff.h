#pragma once

#include "DropoffSource.h"

#include <QHash>
#include <functional>

namespace isobar {

// A drop-off folder (a local disk, a shared volume), read recursively. A file is listed once it
// is complete: its size and modification time unchanged for `settleMs` across listings, and
// modified at least that long ago. Hidden files and folders are never listed, so a writer that
// writes under a hidden or other name (`.x.csv`, `x.csv.part`) and renames when done is picked
// up at once after the rename plus the settling time. Files are read where they are and never
// moved or deleted: the store remembers which versions were taken.
class DirectoryDropoff : public DropoffSource
{
public:
    using Clock = std::function<qint64()>; // ms since the epoch
    DirectoryDropoff(const QString &folder, qint64 settleMs, Clock clock = {});

    QString description() const override { return m_folder; }
    bool list(QList<DropoffFile> *files, QString *error) override;
    QString localCopy(const DropoffFile &file, qint64 maxBytes, QString *error) override;

private:
    struct Seen {
        qint64 bytes = 0;
        qint64 modifiedMs = 0;
        qint64 unchangedSinceMs = 0;
    };
    QString m_folder;
    qint64 m_settleMs;
    Clock m_clock;
    QHash<QString, Seen> m_seen;
};

} // namespace isobar
