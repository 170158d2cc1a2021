#pragma once

#include <QList>
#include <QString>

namespace isobar {

// A file waiting in a drop-off, complete (a file still being written is not listed).
struct DropoffFile {
    QString name;    // within the drop-off, '/' between folders: what the runs show
    QString version; // changes when the file is replaced: an ETag, or size and modification time
    qint64 bytes = 0;
    qint64 modifiedMs = 0; // stands in for the CSV's missing refresh date, as for `isobar ingest`
};

// Where the data team drops files: a folder (DirectoryDropoff) or an S3 prefix (S3Dropoff).
// Used from the drop-off's own thread only; calls may block (bounded by their deadlines).
class DropoffSource
{
public:
    virtual ~DropoffSource() = default;

    // The drop-off as shown in /health and the runs, without any credential.
    virtual QString description() const = 0;
    // The complete .csv and .json files, in name order.
    virtual bool list(QList<DropoffFile> *files, QString *error) = 0;
    // A local path with the file's bytes, valid until the next call: the file itself, or a
    // copy. Refused beyond `maxBytes`.
    virtual QString localCopy(const DropoffFile &file, qint64 maxBytes, QString *error) = 0;
};

} // namespace isobar
