// Ingestion files on arbitrary bytes, through the Ingestor as `isobar ingest` and the upload
// route take them: UKHSA JSON (models/UkhsaJsonReader) when built with ISOBAR_FUZZ_FORMAT
// "json", the respiratory CSV (models/RespiratoryCsvReader) with "csv". A dry run: the reader
// validates and writes into the store, the transaction is rolled back, and the store must be
// what it was.
#include "FuzzSupport.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"

#include <QSqlQuery>
#include <cstdlib>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {
MetricsDatabase &store()
{
    static QTemporaryDir dir;
    static MetricsDatabase *database = [] {
        auto *opened = new MetricsDatabase; // never destroyed (FuzzSupport.h)
        if (!opened->open(fuzz::sampleStore(dir, 4)))
            abort();
        return opened;
    }();
    return *database;
}

qint64 pointCount(QSqlDatabase &db)
{
    QSqlQuery query(u"SELECT COUNT(*) FROM point"_s, db);
    return query.next() ? query.value(0).toLongLong() : -1;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QSqlDatabase &db = store().connection();
    static const qint64 before = pointCount(db);
    Ingestor ingestor(db);
    ingestor.setDryRun(true);
    // Files named OFF-SENS_* hold non-public data: an input starting with '#' is read as one.
    QByteArray content = fuzz::bytes(data, size);
    const bool offSensitive = content.startsWith('#');
    if (offSensitive)
        content.remove(0, 1);
    const QString name =
        (offSensitive ? u"OFF-SENS_fuzz."_s : u"fuzz."_s) + QStringLiteral(ISOBAR_FUZZ_FORMAT);
    ingestor.ingestContent(content, name, 1'700'000'000'000);
    if (pointCount(db) != before)
        abort();
    return 0;
}
