#pragma once

#include "IngestReport.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace isobar {

// What became of one file taken from a drop-off (a folder or an S3 prefix), as the store keeps
// it (table ingest_run) and GET /api/v1/ingest/runs lists it. A loaded file's row is written in
// the same transaction as its data; a rejected file changed nothing and stays where it was
// dropped, its row saying why.
struct IngestRun {
    enum class Outcome { Loaded, Rejected };

    qint64 id = 0;
    QString source;  // the drop-off as configured: a folder, s3://bucket/prefix
    QString file;    // the file's name within the drop-off
    QString version; // what tells a replaced file from the one seen before (an ETag, size and time)
    qint64 bytes = 0;
    Outcome outcome = Outcome::Rejected;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    QString replica; // who took it
    WriteCounts counts;
    QStringList errors;

    static QString outcomeName(Outcome outcome);
    static std::optional<Outcome> outcomeNamed(const QString &name);
};

} // namespace isobar
