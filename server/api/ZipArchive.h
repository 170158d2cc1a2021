#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace isobar {

// A ZIP archive built in memory (libzip), files deflated, for answers that bundle files.
class ZipArchive
{
public:
    // Adds a file at `path` (folders are made by the '/' in it; no entry is written for them).
    void add(const QString &path, QByteArray content);
    // The archive's bytes; an archive of no files is the valid empty one. nullopt and `*error`
    // if libzip fails.
    std::optional<QByteArray> bytes(QString *error) const;

private:
    QList<std::pair<QString, QByteArray>> m_files;
};

} // namespace isobar
