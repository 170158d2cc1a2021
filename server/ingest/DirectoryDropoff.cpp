#include "DirectoryDropoff.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString versionOf(qint64 bytes, qint64 modifiedMs)
{
    return u"%1 bytes, modified %2"_s.arg(bytes).arg(
        QDateTime::fromMSecsSinceEpoch(modifiedMs, Qt::UTC).toString(Qt::ISODateWithMs));
}

bool isDataFile(const QString &name)
{
    return name.endsWith(u".csv"_s, Qt::CaseInsensitive)
           || name.endsWith(u".json"_s, Qt::CaseInsensitive);
}

bool isHidden(const QString &relativePath)
{
    return relativePath.startsWith(u'.') || relativePath.contains(u"/."_s);
}

} // namespace

DirectoryDropoff::DirectoryDropoff(const QString &folder, qint64 settleMs, Clock clock)
    : m_folder(QDir(folder).absolutePath())
    , m_settleMs(settleMs)
    , m_clock(clock ? std::move(clock) : [] { return QDateTime::currentMSecsSinceEpoch(); })
{}

bool DirectoryDropoff::list(QList<DropoffFile> *files, QString *error)
{
    files->clear();
    const QFileInfo folder(m_folder);
    if (!folder.isDir() || !folder.isReadable()) {
        *error = u"the drop-off folder %1 %2"_s.arg(
            m_folder, folder.exists() ? u"cannot be read"_s : u"does not exist"_s);
        return false;
    }
    const qint64 now = m_clock();
    const QDir root(m_folder);
    QHash<QString, Seen> seen;
    QDirIterator it(m_folder, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QString name = root.relativeFilePath(it.filePath());
        if (isHidden(name) || !isDataFile(name))
            continue;
        const QFileInfo info = it.fileInfo();
        const qint64 modifiedMs = info.lastModified().toMSecsSinceEpoch();
        Seen current{info.size(), modifiedMs, now};
        const auto before = m_seen.constFind(name);
        if (before != m_seen.cend() && before->bytes == current.bytes
            && before->modifiedMs == current.modifiedMs)
            current.unchangedSinceMs = before->unchangedSinceMs;
        seen.insert(name, current);
        if (now - current.unchangedSinceMs >= m_settleMs && now - modifiedMs >= m_settleMs)
            *files << DropoffFile{name, versionOf(current.bytes, modifiedMs), current.bytes,
                                  modifiedMs};
    }
    m_seen = std::move(seen); // forgets files that went away
    std::sort(files->begin(), files->end(),
              [](const DropoffFile &a, const DropoffFile &b) { return a.name < b.name; });
    return true;
}

QString DirectoryDropoff::localCopy(const DropoffFile &file, qint64, QString *error)
{
    QString path = QDir(m_folder).filePath(file.name);
    const QFileInfo info(path);
    if (!info.isFile()) {
        *error = u"%1 went away before it was read"_s.arg(file.name);
        return {};
    }
    if (versionOf(info.size(), info.lastModified().toMSecsSinceEpoch()) != file.version) {
        *error =
            u"%1 changed since it was listed; it is read once it settles again"_s.arg(file.name);
        return {};
    }
    return path;
}

} // namespace isobar
