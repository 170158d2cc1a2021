#pragma once

#include "IngestReport.h"

#include <QByteArray>
#include <QString>

namespace isobar {

class MetricsWriter;

// Reads one UKHSA data-dashboard ingestion file: a series header with either `time_series`
// (dated points) or `data` (headline records). Files named OFF-SENS_* hold non-public data
// and every record's is_public must say so; other files hold public data only.
class UkhsaJsonReader
{
public:
    // Validates every record and writes the valid ones; any error is added to `errors`
    // (the caller then rolls the file back).
    static void read(const QByteArray &content, const QString &fileName, MetricsWriter &writer,
                     ValidationErrors &errors);
    // The error of a file too large to be read (over kMaxJsonFileBytes), or an empty string:
    // checked before a file on disk is read into memory.
    static QString sizeError(qint64 bytes, const QString &fileName);
};

} // namespace isobar
