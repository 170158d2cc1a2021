#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace isobar {

// A weather request's position, as the cache cell it fell in: never finer (positions are
// personal data). Centre and half sizes in degrees.
struct CellBounds {
    double latitude = 0;
    double longitude = 0;
    double halfLatitude = 0;
    double halfLongitude = 0;
    bool operator==(const CellBounds &) const = default;
};

// One answered request, as ops see it.
struct RequestEvent {
    qint64 timeMs = 0;
    QByteArray method;
    QString route; // the route pattern, so /geographies/England and /Wales are one endpoint
    int status = 0;
    qint64 durationUs = 0;
    qint64 responseBytes = 0;
    QString subject; // the token's sub, when authenticated
    QString client;  // the peer address
    std::optional<CellBounds> cell;
    QByteArray cacheOutcome; // hit | miss | stale, for weather calls
};

// The latency histogram shared by the roll-ups and the Prometheus exposition: upper bounds in
// microseconds, plus one overflow bucket. 200 ms (the default objective) is a bound.
struct LatencyBuckets {
    static const QList<qint64> &upperBoundsUs();
    static int bucketOf(qint64 durationUs);
    // The q-quantile (0..1) of a histogram, interpolated inside its bucket, in microseconds.
    static double quantileUs(const QList<qint64> &counts, double q);
    // How many of the histogram's requests took longer than `thresholdUs` (interpolated).
    static double countAboveUs(const QList<qint64> &counts, qint64 thresholdUs);
};

// A cache cell's weather requests over a time range, as the geography stats report them.
struct CellCount {
    CellBounds cell;
    qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    bool operator==(const CellCount &) const = default;
};

// Writes batches of events: the raw rows and, in the same transaction, the roll-ups they add to:
// hourly ones, and day ones of endpoints and latency so that summaries over weeks read a row per
// day and key, not 24. One writer connection; the caller decides when (batches, a background
// thread).
class RequestLogWriter
{
public:
    explicit RequestLogWriter(QSqlDatabase &db);

    bool write(const QList<RequestEvent> &events, QString *error);
    // Deletes raw events before `rawBeforeMs` and roll-ups of the whole days before
    // `rollupBeforeMs` (hour and day roll-ups then always cover the same days), in small
    // transactions so other writers get their turn. Returns the rows deleted.
    qint64 expire(qint64 rawBeforeMs, qint64 rollupBeforeMs, QString *error);
    // Folds the per-cell and per-subject hours of each whole day before `beforeMs` (looking back
    // `lookbackDays`) into the day's first hour: one row per subject, one segment for all cells
    // (CellRollups). Those two roll-ups are the high-cardinality ones: a day of worldwide
    // traffic leaves ~24x fewer rows, so stats over weeks read days, not hours. Older data thus
    // has day resolution. Returns the rows and segments it folded; -1 with `error` when a day
    // could not be folded (that day is left as it was, the others are folded).
    qint64 compactDays(qint64 beforeMs, int lookbackDays, QString *error);
    // Seals the per-cell rows of the oldest `maxHours` hours before the one holding `beforeMs`
    // into packed segments (CellRollups), so geography over weeks reads a few dozen rows.
    // Returns the hours it took up (fewer than `maxHours`: all are); `error` names an hour that
    // could not be sealed.
    qint64 sealCellHours(qint64 beforeMs, int maxHours, QString *error);

private:
    QSqlDatabase &m_db;
};

// Reads the roll-ups for the stats API. Times in ms since the epoch; ranges are [from, to),
// widened to whole hours (the roll-ups' resolution). The whole days inside a range are read from
// the day roll-ups, its partial first and last days from the hours. Rows are streamed in primary
// key order and summed here: no sort in SQLite, no QVariant per value.
class RequestStats
{
public:
    struct Options {
        double noGoSuccessRatio = 0.8; // below this share of 2xx the service is a no-go
        qint64 objectiveUs = 200'000;  // the response-time objective per endpoint
    };

    RequestStats(QSqlDatabase &db, Options options);

    QJsonObject summary(qint64 fromMs, qint64 toMs);
    QJsonArray timeline(qint64 fromMs, qint64 toMs, int bucketHours, const QString &route);
    // The `limit` busiest cells, busiest first (then by latitude and longitude).
    QList<CellCount> busiestCells(qint64 fromMs, qint64 toMs, int limit);
    QJsonArray users(qint64 fromMs, qint64 toMs, int limit);

private:
    QSqlDatabase &m_db;
    Options m_options;
};

} // namespace isobar
