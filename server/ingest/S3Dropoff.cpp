#include "S3Dropoff.h"

#include <QFile>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace isobar {

S3Dropoff::S3Dropoff(S3Access access, S3Bucket::Limits limits, const std::atomic_bool *cancel)
    : m_bucket(std::move(access), limits, cancel)
{}

bool S3Dropoff::list(QList<DropoffFile> *files, QString *error)
{
    files->clear();
    QList<S3Bucket::Object> objects;
    if (!m_bucket.list(&objects, error))
        return false;
    const QString &prefix = m_bucket.access().prefix;
    for (const S3Bucket::Object &object : std::as_const(objects)) {
        const QString name = object.key.mid(prefix.size());
        if (!name.endsWith(u".csv"_s, Qt::CaseInsensitive)
            && !name.endsWith(u".json"_s, Qt::CaseInsensitive))
            continue;
        *files << DropoffFile{name, object.etag, object.bytes, object.lastModifiedMs};
    }
    return true;
}

QString S3Dropoff::localCopy(const DropoffFile &file, qint64 maxBytes, QString *error)
{
    if (!m_scratch || !m_scratch->isValid()) {
        m_scratch = std::make_unique<QTemporaryDir>();
        if (!m_scratch->isValid()) {
            *error = u"no scratch folder for downloads: "_s + m_scratch->errorString();
            return {};
        }
    }
    // The reader goes by the name's extension, which the copy keeps.
    QString path = m_scratch->filePath(
        u"download"_s
        + (file.name.endsWith(u".csv"_s, Qt::CaseInsensitive) ? u".csv"_s : u".json"_s));
    QFile copy(path);
    if (!copy.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write %1: %2"_s.arg(path, copy.errorString());
        return {};
    }
    if (!m_bucket.download(m_bucket.access().prefix + file.name, copy, maxBytes, error))
        return {};
    if (!copy.flush()) {
        *error = u"cannot write %1: %2"_s.arg(path, copy.errorString());
        return {};
    }
    return path;
}

} // namespace isobar
