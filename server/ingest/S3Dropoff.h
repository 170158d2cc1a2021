#pragma once

#include "DropoffSource.h"
#include "S3Bucket.h"

#include <QTemporaryDir>
#include <memory>

namespace isobar {

// A drop-off under an S3 prefix (Amazon S3 or any S3-compatible store). An object is visible only
// once its upload completed, so every listed .csv and .json object is complete; its ETag is its
// version. Objects are downloaded to a scratch folder to be read, and never deleted.
class S3Dropoff : public DropoffSource
{
public:
    // `cancel` stops a listing or a download at once (shutdown).
    S3Dropoff(S3Access access, S3Bucket::Limits limits, const std::atomic_bool *cancel);

    QString description() const override { return m_bucket.access().description(); }
    bool list(QList<DropoffFile> *files, QString *error) override;
    QString localCopy(const DropoffFile &file, qint64 maxBytes, QString *error) override;

private:
    S3Bucket m_bucket;
    // Where downloads are kept while they are read (under TMPDIR), made at the first one: a
    // folder drop-off never needs it, so a read-only root filesystem does not stop one.
    std::unique_ptr<QTemporaryDir> m_scratch;
};

} // namespace isobar
