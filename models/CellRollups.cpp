#include "CellRollups.h"

#include "RequestLogShared.h"
#include "StoreError.h"
#include "StoreStatement.h"

#include <QHash>
#include <QSqlError>
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Unsigned LEB128: 7 bits a byte, lowest first; a set high bit says another byte follows.
void appendVarint(QByteArray &out, quint64 value)
{
    while (value >= 0x80) {
        out.append(char(value | 0x80));
        value >>= 7;
    }
    out.append(char(value));
}

bool readVarint(const uchar *&in, const uchar *end, quint64 *value)
{
    quint64 result = 0;
    for (int shift = 0; shift < 64 && in != end; shift += 7) {
        const uchar byte = *in++;
        if (shift == 63 && byte > 1)
            return false; // more than 64 bits
        result |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return true;
        }
    }
    return false;
}

// Runs `statement` to its end, for statements that return nothing to read.
bool run(StoreStatement &statement, QString *error)
{
    if (statement.execute())
        return true;
    *error = statement.error();
    return false;
}

// A cell's counts while they are summed.
struct Counts {
    qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    void add(qint64 r, qint64 h, qint64 m, qint64 s)
    {
        requests += r;
        hits += h;
        misses += m;
        stale += s;
    }
    void add(const Counts &other) { add(other.requests, other.hits, other.misses, other.stale); }
};

// An unsealed row of rollup_cell: bounds and counts, keyed by position.
struct PositionedRow {
    CellBounds bounds;
    qint64 hour = 0;
    Counts counts;
    QByteArray replica;
};

// The rows of the hours in [first, end).
bool readRows(QSqlDatabase &db, qint64 first, qint64 end, std::vector<PositionedRow> *rows,
              QString *error)
{
    const auto select = StoreStatement::prepare(
        db, "SELECT hour, cell_lat, cell_lon, half_lat, half_lon, requests,"
            " hits, misses, stale, replica FROM rollup_cell WHERE hour >= ? AND hour < ?");
    select->bind(1, first);
    select->bind(2, end);
    while (select->next()) {
        PositionedRow row;
        row.hour = select->int64At(0);
        row.bounds = {select->doubleAt(1), select->doubleAt(2), select->doubleAt(3),
                      select->doubleAt(4)};
        row.counts = {select->int64At(5), select->int64At(6), select->int64At(7),
                      select->int64At(8)};
        row.replica = select->utf8At(9).toByteArray();
        rows->push_back(row);
    }
    *error = select->error();
    return error->isEmpty();
}

// The `cell` dictionary as folds use it. A known cell is updated and a new one inserted, rather
// than both upserted: PostgreSQL's upsert draws an id from the sequence even when the row
// exists, and the ids index the arrays reads sum into. (Folds run alone: nobody inserts the
// cell meanwhile.)
class CellDictionary
{
public:
    explicit CellDictionary(QSqlDatabase &db)
        : m_update(StoreStatement::prepare(
            db, "UPDATE cell SET half_lat = CASE WHEN half_lat < ? THEN ? ELSE half_lat END,"
                " half_lon = CASE WHEN half_lon < ? THEN ? ELSE half_lon END,"
                " last_hour = CASE WHEN last_hour < ? THEN ? ELSE last_hour END"
                " WHERE lat = ? AND lon = ? RETURNING id"))
        , m_insert(StoreStatement::prepare(
              db, "INSERT INTO cell (lat, lon, half_lat, half_lon, last_hour) VALUES (?,?,?,?,?)"
                  " RETURNING id"))
    {}

    // The id of `row`'s cell, its bounds widened and its last hour moved on, or a new one; -1
    // with `error` set on a failure.
    qint64 idOf(const PositionedRow &row, QString *error)
    {
        int at = 1;
        for (double value : {row.bounds.halfLatitude, row.bounds.halfLongitude}) {
            m_update->bind(at++, value);
            m_update->bind(at++, value);
        }
        m_update->bind(at++, row.hour);
        m_update->bind(at++, row.hour);
        m_update->bind(at++, row.bounds.latitude);
        m_update->bind(at++, row.bounds.longitude);
        qint64 id = -1;
        while (m_update->next())
            id = m_update->int64At(0);
        if (id >= 0 || !m_update->error().isEmpty()) {
            *error = m_update->error();
            return id;
        }
        m_insert->bind(1, row.bounds.latitude);
        m_insert->bind(2, row.bounds.longitude);
        m_insert->bind(3, row.bounds.halfLatitude);
        m_insert->bind(4, row.bounds.halfLongitude);
        m_insert->bind(5, row.hour);
        while (m_insert->next())
            id = m_insert->int64At(0);
        *error = m_insert->error();
        return id;
    }

private:
    std::unique_ptr<StoreStatement> m_update, m_insert;
};

// One segment holding `tallies` and `rows` summed per cell; null with `error` set on a failure.
QByteArray foldedSegment(CellDictionary &dictionary, const std::vector<CellRollups::Tally> &tallies,
                         const std::vector<PositionedRow> &rows, QString *error)
{
    QHash<quint64, Counts> sums;
    for (const CellRollups::Tally &tally : tallies)
        sums[tally.cell].add(tally.requests, tally.hits, tally.misses, tally.stale);
    // Each row's cell gets its id; the dictionary keeps the widest bounds and the last hour
    // seen, which is what expiry goes by.
    for (const PositionedRow &row : rows) {
        const qint64 id = dictionary.idOf(row, error);
        if (id < 0)
            return {};
        sums[quint64(id)].add(row.counts);
    }
    std::vector<CellRollups::Tally> folded;
    folded.reserve(size_t(sums.size()));
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        folded.push_back(CellRollups::Tally{it.key(), quint64(it->requests), quint64(it->hits),
                                            quint64(it->misses), quint64(it->stale)});
    std::sort(folded.begin(), folded.end(),
              [](const auto &a, const auto &b) { return a.cell < b.cell; });
    QByteArray bytes = CellRollups::pack(folded);
    if (bytes.isNull())
        bytes = QByteArray(""); // an empty segment is still one
    return bytes;
}

CellCount cellCount(const CellBounds &bounds, const Counts &counts)
{
    return CellCount{bounds, counts.requests, counts.hits, counts.misses, counts.stale};
}

// What CellRollups::busiest sums over a range: sealed cells in an array indexed by id, cells
// seen only in unsealed rows by position.
struct RangeSums {
    qint64 minId = 1, maxId = 0;
    std::vector<Counts> byId;            // empty when the range has no segment
    QHash<qint64, CellBounds> rowBounds; // the widest half sizes in unsealed rows, by id
    QHash<std::pair<double, double>, std::pair<CellBounds, Counts>> newCells;
    QString problem; // a broken segment or a cell missing from the dictionary: left out

    QByteArray replica; // empty: every replica's

    bool addSegments(QSqlDatabase &db, qint64 firstHour, qint64 lastHour, QString *error);
    bool addUnsealedRows(QSqlDatabase &db, qint64 firstHour, qint64 lastHour, QString *error);
    QList<CellCount> busiest(QSqlDatabase &db, int limit);
};

bool RangeSums::addSegments(QSqlDatabase &db, qint64 firstHour, qint64 lastHour, QString *error)
{
    // The dictionary's id span bounds the array. (Two subqueries: SQLite answers a lone min() or
    // max() from the B-tree's ends, both in one from a scan.)
    const auto span = StoreStatement::prepare(db, "SELECT coalesce((SELECT min(id) FROM cell), 1),"
                                                  " coalesce((SELECT max(id) FROM cell), 0)");
    while (span->next()) {
        minId = span->int64At(0);
        maxId = span->int64At(1);
    }
    const auto select = StoreStatement::prepare(
        db, QByteArray("SELECT counts FROM cell_segment WHERE hour BETWEEN ? AND ?")
                + (replica.isEmpty() ? "" : " AND replica = ?"));
    select->bind(1, firstHour);
    select->bind(2, lastHour);
    if (!replica.isEmpty())
        select->bind(3, replica);
    std::vector<CellRollups::Tally> tallies;
    while (span->error().isEmpty() && select->next()) {
        if (byId.empty()) // sized at the first segment: a range of unsealed rows needs none
            byId.resize(size_t(maxId - minId + 1));
        // A broken segment is left out whole and reported; the rest still answers.
        tallies.clear();
        if (!CellRollups::unpack(select->blobAt(0), &tallies))
            problem = u"a cell segment is broken: a cell cut short or out of order"_s;
        for (const CellRollups::Tally &tally : tallies) {
            if (qint64(tally.cell) >= minId && qint64(tally.cell) <= maxId)
                byId[size_t(tally.cell - minId)].add(tally.requests, tally.hits, tally.misses,
                                                     tally.stale);
        }
    }
    *error = !span->error().isEmpty() ? span->error() : select->error();
    return error->isEmpty();
}

bool RangeSums::addUnsealedRows(QSqlDatabase &db, qint64 firstHour, qint64 lastHour, QString *error)
{
    // Rows not sealed yet (the current hour, late events), each added to its cell's id when the
    // cell has one; a cell first seen in them stands alone with the rows' bounds. Without a
    // segment in the range (the last hour or so) no row needs its id.
    const bool byIds = !byId.empty();
    const auto select = StoreStatement::prepare(
        db, QByteArray("SELECT ") + (byIds ? "c.id" : "0")
                + ", r.cell_lat, r.cell_lon, r.half_lat, r.half_lon, r.requests, r.hits,"
                  " r.misses, r.stale FROM rollup_cell r"
                + (byIds ? " LEFT JOIN cell c ON c.lat = r.cell_lat AND c.lon = r.cell_lon" : "")
                + " WHERE r.hour BETWEEN ? AND ?"
                + (replica.isEmpty() ? "" : " AND r.replica = ?"));
    select->bind(1, firstHour);
    select->bind(2, lastHour);
    if (!replica.isEmpty())
        select->bind(3, replica);
    while (select->next()) {
        const qint64 id = select->int64At(0); // 0 for NULL: ids start at 1
        const CellBounds bounds{select->doubleAt(1), select->doubleAt(2), select->doubleAt(3),
                                select->doubleAt(4)};
        const Counts counts{select->int64At(5), select->int64At(6), select->int64At(7),
                            select->int64At(8)};
        CellBounds *widest = nullptr;
        if (id >= minId && id <= maxId && byIds) {
            byId[size_t(id - minId)].add(counts);
            widest = &rowBounds[id];
        } else {
            auto &[cell, sum] = newCells[{bounds.latitude, bounds.longitude}];
            cell.latitude = bounds.latitude;
            cell.longitude = bounds.longitude;
            sum.add(counts);
            widest = &cell;
        }
        widest->halfLatitude = std::max(widest->halfLatitude, bounds.halfLatitude);
        widest->halfLongitude = std::max(widest->halfLongitude, bounds.halfLongitude);
    }
    *error = select->error();
    return error->isEmpty();
}

QList<CellCount> RangeSums::busiest(QSqlDatabase &db, int limit)
{
    // Ranked by requests alone first, in 16 bytes a cell: only those at least as busy as the
    // limit-th busiest can make the cut (ties are then broken by position), so only their
    // bounds are read.
    struct Ranked {
        qint64 requests;
        qint64 id; // 0: a new cell, `newCells` has it
    };
    std::vector<Ranked> ranked;
    for (size_t i = 0; i < byId.size(); ++i) {
        if (byId[i].requests > 0)
            ranked.push_back({byId[i].requests, minId + qint64(i)});
    }
    for (const auto &[cell, sum] : std::as_const(newCells))
        ranked.push_back({sum.requests, 0});
    qint64 threshold = 0;
    if (ranked.size() > size_t(limit)) {
        std::nth_element(ranked.begin(), ranked.begin() + (limit - 1), ranked.end(),
                         [](const Ranked &a, const Ranked &b) { return a.requests > b.requests; });
        threshold = ranked[size_t(limit - 1)].requests;
    }
    QList<CellCount> cells;
    for (const auto &[cell, sum] : std::as_const(newCells)) {
        if (sum.requests >= threshold)
            cells << cellCount(cell, sum);
    }
    const auto bounds =
        StoreStatement::prepare(db, "SELECT lat, lon, half_lat, half_lon FROM cell WHERE id = ?");
    for (const Ranked &r : ranked) {
        if (r.id == 0 || r.requests < threshold)
            continue;
        bounds->bind(1, r.id);
        std::optional<CellBounds> found;
        while (bounds->next())
            found = CellBounds{bounds->doubleAt(0), bounds->doubleAt(1), bounds->doubleAt(2),
                               bounds->doubleAt(3)};
        if (!bounds->error().isEmpty())
            throw StoreError(bounds->error());
        if (!found) { // a cell without a position is left out, never shown at (0, 0)
            if (problem.isEmpty())
                problem = u"cell %1 is missing from the dictionary"_s.arg(r.id);
            continue;
        }
        // One centre has one size unless --weather-cell-size changed: the widest is shown.
        const CellBounds fromRows = rowBounds.value(r.id);
        found->halfLatitude = std::max(found->halfLatitude, fromRows.halfLatitude);
        found->halfLongitude = std::max(found->halfLongitude, fromRows.halfLongitude);
        cells << cellCount(*found, byId[size_t(r.id - minId)]);
    }
    const auto busier = [](const CellCount &a, const CellCount &b) {
        return std::tuple(b.requests, a.cell.latitude, a.cell.longitude)
               < std::tuple(a.requests, b.cell.latitude, b.cell.longitude);
    };
    const qsizetype kept = std::min<qsizetype>(limit, cells.size());
    std::partial_sort(cells.begin(), cells.begin() + kept, cells.end(), busier);
    cells.resize(kept);
    return cells;
}

} // namespace

QByteArray CellRollups::pack(const std::vector<Tally> &sortedByCell)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(sortedByCell.size()) * 8);
    quint64 previous = 0;
    for (const Tally &tally : sortedByCell) {
        appendVarint(bytes, tally.cell - previous);
        previous = tally.cell;
        for (quint64 count : {tally.requests, tally.hits, tally.misses, tally.stale})
            appendVarint(bytes, count);
    }
    return bytes;
}

bool CellRollups::unpack(QByteArrayView bytes, std::vector<Tally> *out)
{
    const size_t before = out->size();
    const auto *in = reinterpret_cast<const uchar *>(bytes.data());
    const uchar *end = in + bytes.size();
    Tally tally;
    while (in != end) {
        quint64 step = 0;
        // Each id is above the one before: a step of 0 is as broken as a cut-short varint.
        if (!readVarint(in, end, &step) || step == 0 || !readVarint(in, end, &tally.requests)
            || !readVarint(in, end, &tally.hits) || !readVarint(in, end, &tally.misses)
            || !readVarint(in, end, &tally.stale)) {
            out->resize(before);
            return false;
        }
        tally.cell += step;
        out->push_back(tally);
    }
    return true;
}

CellRollups::CellRollups(QSqlDatabase &db)
    : m_db(db)
{}

qint64 CellRollups::sealHoursBefore(qint64 beforeHour, int maxHours, QString *error)
{
    QList<qint64> hours;
    {
        const auto select = StoreStatement::prepare(
            m_db, "SELECT DISTINCT hour FROM rollup_cell WHERE hour < ? ORDER BY hour LIMIT ?");
        select->bind(1, beforeHour);
        select->bind(2, qint64(maxHours));
        while (select->next())
            hours << select->int64At(0);
        if (!select->error().isEmpty()) {
            *error = select->error();
            return -1;
        }
    }
    for (qint64 hour : hours) {
        // One transaction per hour: the writer's next batch never waits for a long one. An
        // hour that cannot be sealed keeps its rows (still counted) and the others are sealed.
        QString hourError;
        if (requestlog::beginWrite(m_db, requestlog::Writers::Exclusive, &hourError)) {
            if (fold(hour, 1, &hourError) < 0)
                m_db.rollback();
            else
                requestlog::commit(m_db, &hourError);
        }
        if (error->isEmpty() && !hourError.isEmpty())
            *error = hourError;
    }
    return hours.size();
}

qint64 CellRollups::fold(qint64 firstHour, int hours, QString *error)
{
    // Each replica's rows and segments are folded into a segment of its own.
    struct ReplicaSpan {
        qint64 segments = 0;
        bool oneAtFirst = false;
        qint64 spanAtFirst = 0; // a day segment already at `firstHour` keeps its span
        std::vector<Tally> tallies;
        std::vector<PositionedRow> rows;
    };
    std::map<QByteArray, ReplicaSpan> replicas;
    {
        const auto select =
            StoreStatement::prepare(m_db, "SELECT hour, hours, counts, replica FROM cell_segment"
                                          " WHERE hour >= ? AND hour < ?");
        select->bind(1, firstHour);
        select->bind(2, firstHour + hours);
        while (select->next()) {
            ReplicaSpan &replica = replicas[select->utf8At(3).toByteArray()];
            ++replica.segments;
            if (select->int64At(0) == firstHour) {
                replica.spanAtFirst = select->int64At(1);
                replica.oneAtFirst = true;
            }
            if (!unpack(select->blobAt(2), &replica.tallies)) {
                *error =
                    u"cell_segment at hour %1 is broken: a cell cut short or out of order"_s.arg(
                        select->int64At(0));
                return -1;
            }
        }
        if (!select->error().isEmpty()) {
            *error = select->error();
            return -1;
        }
    }
    std::vector<PositionedRow> rows;
    if (!readRows(m_db, firstHour, firstHour + hours, &rows, error))
        return -1;
    for (PositionedRow &row : rows)
        replicas[row.replica].rows.push_back(std::move(row));
    const auto spanOf = [hours](const ReplicaSpan &replica) {
        return std::max<qint64>(hours, replica.spanAtFirst);
    };
    if (std::all_of(replicas.cbegin(), replicas.cend(), [](const auto &entry) {
            return entry.second.rows.empty() && entry.second.segments == 1
                   && entry.second.oneAtFirst;
        })) {
        // Already one segment each; a day whose only hour was its first now says it spans the
        // day.
        const auto widen = StoreStatement::prepare(
            m_db, "UPDATE cell_segment SET hours = ? WHERE hour = ? AND replica = ?");
        for (const auto &[name, replica] : replicas) {
            if (replica.spanAtFirst == spanOf(replica))
                continue;
            widen->bind(1, spanOf(replica));
            widen->bind(2, firstHour);
            widen->bind(3, name);
            if (!run(*widen, error))
                return -1;
        }
        return 0;
    }

    const auto deleteRows =
        StoreStatement::prepare(m_db, "DELETE FROM rollup_cell WHERE hour >= ? AND hour < ?");
    const auto deleteSegments =
        StoreStatement::prepare(m_db, "DELETE FROM cell_segment WHERE hour >= ? AND hour < ?");
    for (StoreStatement *statement : {deleteRows.get(), deleteSegments.get()}) {
        statement->bind(1, firstHour);
        statement->bind(2, firstHour + hours);
        if (!run(*statement, error))
            return -1;
    }
    CellDictionary dictionary(m_db);
    const auto insert = StoreStatement::prepare(
        m_db, "INSERT INTO cell_segment (hour, hours, counts, replica) VALUES (?,?,?,?)");
    qint64 replaced = 0;
    for (const auto &[name, replica] : replicas) {
        const QByteArray bytes = foldedSegment(dictionary, replica.tallies, replica.rows, error);
        if (bytes.isNull())
            return -1;
        insert->bind(1, firstHour);
        insert->bind(2, spanOf(replica));
        insert->bindBlob(3, bytes);
        insert->bind(4, name);
        if (!run(*insert, error))
            return -1;
        replaced += qint64(replica.rows.size()) + replica.segments;
    }
    return replaced;
}

qint64 CellRollups::expire(qint64 beforeHour, QString *error)
{
    // Every segment that names a cell starts no later than the cell's last hour, so the cells
    // deleted here are named by no segment that stays.
    qint64 deleted = 0;
    for (const char *sql :
         {"DELETE FROM cell_segment WHERE hour < ?", "DELETE FROM cell WHERE last_hour < ?"}) {
        const auto statement = StoreStatement::prepare(m_db, sql);
        statement->bind(1, beforeHour);
        if (!run(*statement, error))
            return -1;
        deleted += statement->changes();
    }
    return deleted;
}

QList<CellCount> CellRollups::busiest(qint64 firstHour, qint64 lastHour, int limit,
                                      const QByteArray &replica, QString *problem)
{
    if (limit <= 0)
        return {};
    RangeSums sums;
    sums.replica = replica;
    QString error;
    if (!sums.addSegments(m_db, firstHour, lastHour, &error)
        || !sums.addUnsealedRows(m_db, firstHour, lastHour, &error))
        throw StoreError(error);
    QList<CellCount> cells = sums.busiest(m_db, limit);
    *problem = sums.problem;
    return cells;
}

} // namespace isobar
