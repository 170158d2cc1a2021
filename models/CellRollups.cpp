#include "CellRollups.h"

#include "SqliteStatement.h"

#include <QHash>
#include <QSqlError>
#include <QtEndian>
#include <algorithm>
#include <limits>
#include <tuple>

namespace isobar {

namespace {

constexpr qsizetype kTallyBytes = 5 * sizeof(quint32);

quint32 saturated(qint64 count)
{
    return quint32(std::clamp<qint64>(count, 0, std::numeric_limits<quint32>::max()));
}

// Runs `statement` to its end, for statements that return nothing to read.
bool run(SqliteStatement &statement, QString *error)
{
    if (statement.isValid() && statement.execute())
        return true;
    *error = statement.error();
    return false;
}

// A cell's counts while they are summed: wider than a tally, so sums cannot wrap.
struct Counts {
    qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    void add(qint64 r, qint64 h, qint64 m, qint64 s)
    {
        requests += r;
        hits += h;
        misses += m;
        stale += s;
    }
};

// An unsealed row of rollup_cell: bounds and counts, keyed by position.
struct PositionedRow {
    CellBounds bounds;
    qint64 hour = 0;
    Counts counts;
};

bool readRows(QSqlDatabase &db, const QByteArray &where, qint64 first, qint64 last,
              std::vector<PositionedRow> *rows, QString *error)
{
    SqliteStatement select(db, "SELECT hour, cell_lat, cell_lon, half_lat, half_lon, requests,"
                               " hits, misses, stale FROM rollup_cell WHERE "
                                   + where);
    if (!select.isValid()) {
        *error = select.error();
        return false;
    }
    select.bind(1, first);
    select.bind(2, last);
    while (select.next()) {
        PositionedRow row;
        row.hour = select.int64At(0);
        row.bounds = {select.doubleAt(1), select.doubleAt(2), select.doubleAt(3),
                      select.doubleAt(4)};
        row.counts.add(select.int64At(5), select.int64At(6), select.int64At(7), select.int64At(8));
        rows->push_back(row);
    }
    *error = select.error();
    return error->isEmpty();
}

} // namespace

QByteArray CellRollups::pack(const std::vector<Tally> &sortedByCell)
{
    QByteArray bytes(qsizetype(sortedByCell.size()) * kTallyBytes, Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(bytes.data());
    for (const Tally &tally : sortedByCell) {
        for (quint32 value : {tally.cell, tally.requests, tally.hits, tally.misses, tally.stale}) {
            qToLittleEndian(value, out);
            out += sizeof(quint32);
        }
    }
    return bytes;
}

bool CellRollups::unpack(QByteArrayView bytes, std::vector<Tally> *out)
{
    if (bytes.size() % kTallyBytes != 0)
        return false;
    const auto *in = reinterpret_cast<const uchar *>(bytes.data());
    out->reserve(out->size() + size_t(bytes.size() / kTallyBytes));
    for (qsizetype at = 0; at < bytes.size(); at += kTallyBytes) {
        auto word = [&](int i) { return qFromLittleEndian<quint32>(in + at + i * 4); };
        out->push_back(Tally{word(0), word(1), word(2), word(3), word(4)});
    }
    return true;
}

CellRollups::CellRollups(QSqlDatabase &db)
    : m_db(db)
{}

qint64 CellRollups::sealHoursBefore(qint64 beforeHour, QString *error)
{
    QList<qint64> hours;
    {
        SqliteStatement select(m_db, "SELECT DISTINCT hour FROM rollup_cell WHERE hour < ?");
        if (!select.isValid()) {
            *error = select.error();
            return -1;
        }
        select.bind(1, beforeHour);
        while (select.next())
            hours << select.int64At(0);
        if (!select.error().isEmpty()) {
            *error = select.error();
            return -1;
        }
    }
    qint64 sealed = 0;
    for (qint64 hour : hours) {
        // One transaction per hour: the writer's next batch never waits for a long one.
        if (!m_db.transaction()) {
            *error = m_db.lastError().text();
            return -1;
        }
        const qint64 folded = fold(hour, 1, error);
        if (folded < 0 || !m_db.commit()) {
            if (folded >= 0)
                *error = m_db.lastError().text();
            m_db.rollback();
            return -1;
        }
        sealed += folded;
    }
    return sealed;
}

qint64 CellRollups::fold(qint64 firstHour, int hours, QString *error)
{
    // A day segment already at `firstHour` keeps its span when a late hour joins it.
    qint64 span = hours;
    qint64 segments = 0;
    bool oneAtFirst = false;
    std::vector<Tally> tallies;
    {
        SqliteStatement select(
            m_db, "SELECT hour, hours, counts FROM cell_segment WHERE hour >= ? AND hour < ?");
        if (!select.isValid()) {
            *error = select.error();
            return -1;
        }
        select.bind(1, firstHour);
        select.bind(2, firstHour + hours);
        while (select.next()) {
            ++segments;
            if (select.int64At(0) == firstHour) {
                span = std::max(span, select.int64At(1));
                oneAtFirst = true;
            }
            if (!unpack(select.blobAt(2), &tallies)) {
                *error = QStringLiteral("cell_segment at hour %1 is not a whole number of cells")
                             .arg(select.int64At(0));
                return -1;
            }
        }
        if (!select.error().isEmpty()) {
            *error = select.error();
            return -1;
        }
    }
    std::vector<PositionedRow> rows;
    if (!readRows(m_db, "hour >= ?1 AND hour < ?2", firstHour, firstHour + hours, &rows, error))
        return -1;
    if (rows.empty() && (segments == 0 || (segments == 1 && oneAtFirst)))
        return 0; // nothing here, or already one segment

    QHash<quint32, Counts> sums;
    for (const Tally &tally : tallies)
        sums[tally.cell].add(tally.requests, tally.hits, tally.misses, tally.stale);
    // Each row's cell gets its id; the dictionary keeps the widest bounds and the last hour
    // seen, which is what expiry goes by.
    SqliteStatement upsert(
        m_db, "INSERT INTO cell (lat, lon, half_lat, half_lon, last_hour) VALUES (?,?,?,?,?)"
              " ON CONFLICT (lat, lon) DO UPDATE SET half_lat = max(half_lat, excluded.half_lat),"
              " half_lon = max(half_lon, excluded.half_lon),"
              " last_hour = max(last_hour, excluded.last_hour) RETURNING id");
    if (!upsert.isValid()) {
        *error = upsert.error();
        return -1;
    }
    for (const PositionedRow &row : rows) {
        upsert.bind(1, row.bounds.latitude);
        upsert.bind(2, row.bounds.longitude);
        upsert.bind(3, row.bounds.halfLatitude);
        upsert.bind(4, row.bounds.halfLongitude);
        upsert.bind(5, row.hour);
        qint64 id = -1;
        while (upsert.next())
            id = upsert.int64At(0);
        if (id < 0 || id > std::numeric_limits<quint32>::max()) {
            *error = id < 0 ? upsert.error() : QStringLiteral("cell ids exhausted");
            return -1;
        }
        sums[quint32(id)].add(row.counts.requests, row.counts.hits, row.counts.misses,
                              row.counts.stale);
    }

    std::vector<Tally> folded;
    folded.reserve(size_t(sums.size()));
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        folded.push_back(Tally{it.key(), saturated(it->requests), saturated(it->hits),
                               saturated(it->misses), saturated(it->stale)});
    std::sort(folded.begin(), folded.end(),
              [](const Tally &a, const Tally &b) { return a.cell < b.cell; });
    const QByteArray bytes = pack(folded);

    SqliteStatement deleteRows(m_db, "DELETE FROM rollup_cell WHERE hour >= ? AND hour < ?");
    SqliteStatement deleteSegments(m_db, "DELETE FROM cell_segment WHERE hour >= ? AND hour < ?");
    for (SqliteStatement *statement : {&deleteRows, &deleteSegments}) {
        statement->bind(1, firstHour);
        statement->bind(2, firstHour + hours);
        if (!run(*statement, error))
            return -1;
    }
    SqliteStatement insert(m_db, "INSERT INTO cell_segment (hour, hours, counts) VALUES (?,?,?)");
    insert.bind(1, firstHour);
    insert.bind(2, span);
    insert.bindBlob(3, bytes);
    if (!run(insert, error))
        return -1;
    return qint64(rows.size()) + segments;
}

qint64 CellRollups::expire(qint64 beforeHour, QString *error)
{
    // Every segment that names a cell starts no later than the cell's last hour, so the cells
    // deleted here are named by no segment that stays.
    qint64 deleted = 0;
    for (const char *sql :
         {"DELETE FROM cell_segment WHERE hour < ?", "DELETE FROM cell WHERE last_hour < ?"}) {
        SqliteStatement statement(m_db, sql);
        statement.bind(1, beforeHour);
        if (!run(statement, error))
            return -1;
        deleted += statement.changes();
    }
    return deleted;
}

QList<CellCount> CellRollups::busiest(qint64 firstHour, qint64 lastHour, int limit, QString *error)
{
    if (limit <= 0)
        return {};
    // The dictionary's id span bounds the array the segments are summed into.
    qint64 minId = 1, maxId = 0;
    {
        SqliteStatement span(m_db, "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM cell");
        if (!span.isValid()) {
            *error = span.error();
            return {};
        }
        while (span.next()) {
            minId = span.int64At(0);
            maxId = span.int64At(1);
        }
    }
    std::vector<Counts> byId(size_t(maxId - minId + 1));
    QString broken;
    {
        SqliteStatement select(m_db, "SELECT counts FROM cell_segment WHERE hour BETWEEN ? AND ?");
        if (!select.isValid()) {
            *error = select.error();
            return {};
        }
        select.bind(1, firstHour);
        select.bind(2, lastHour);
        std::vector<Tally> tallies;
        while (select.next()) {
            tallies.clear();
            // A broken segment is left out and reported; the rest still answers.
            if (!unpack(select.blobAt(0), &tallies))
                broken = QStringLiteral("a cell segment is not a whole number of cells");
            for (const Tally &tally : tallies) {
                if (tally.cell >= minId && tally.cell <= maxId)
                    byId[size_t(tally.cell - minId)].add(tally.requests, tally.hits, tally.misses,
                                                         tally.stale);
            }
        }
        if (!select.error().isEmpty())
            *error = select.error();
    }

    // Rows not sealed yet: the current hour, and events that arrived late. Each is added to its
    // cell's id when the cell has one; a cell first seen in them stands alone.
    std::vector<PositionedRow> rows;
    if (!readRows(m_db, "hour BETWEEN ?1 AND ?2", firstHour, lastHour, &rows, error))
        return {};
    QHash<std::pair<double, double>, CellCount> unsealed;
    for (const PositionedRow &row : rows) {
        CellCount &cell = unsealed[{row.bounds.latitude, row.bounds.longitude}];
        cell.cell.latitude = row.bounds.latitude;
        cell.cell.longitude = row.bounds.longitude;
        cell.cell.halfLatitude = std::max(cell.cell.halfLatitude, row.bounds.halfLatitude);
        cell.cell.halfLongitude = std::max(cell.cell.halfLongitude, row.bounds.halfLongitude);
        cell.requests += row.counts.requests;
        cell.hits += row.counts.hits;
        cell.misses += row.counts.misses;
        cell.stale += row.counts.stale;
    }
    struct Candidate {
        CellCount count;
        qint64 id = -1; // -1: only in unsealed rows, bounds known
    };
    std::vector<Candidate> candidates;
    QHash<qint64, CellBounds> rowBounds; // of unsealed rows whose cell has an id
    SqliteStatement findId(m_db, "SELECT id FROM cell WHERE lat = ? AND lon = ?");
    for (const CellCount &cell : std::as_const(unsealed)) {
        findId.bind(1, cell.cell.latitude);
        findId.bind(2, cell.cell.longitude);
        qint64 id = -1;
        while (findId.next())
            id = findId.int64At(0);
        if (id >= minId && id <= maxId) {
            byId[size_t(id - minId)].add(cell.requests, cell.hits, cell.misses, cell.stale);
            rowBounds.insert(id, cell.cell);
        } else {
            candidates.push_back({cell, -1});
        }
    }
    for (size_t i = 0; i < byId.size(); ++i) {
        const Counts &counts = byId[i];
        if (counts.requests > 0 || counts.hits > 0 || counts.misses > 0 || counts.stale > 0) {
            Candidate candidate;
            candidate.id = minId + qint64(i);
            candidate.count.requests = counts.requests;
            candidate.count.hits = counts.hits;
            candidate.count.misses = counts.misses;
            candidate.count.stale = counts.stale;
            candidates.push_back(candidate);
        }
    }

    // Only cells that can still make the cut need their bounds: those at least as busy as the
    // limit-th busiest (ties are broken by position).
    if (candidates.size() > size_t(limit)) {
        const auto busierFirst = [](const Candidate &a, const Candidate &b) {
            return a.count.requests > b.count.requests;
        };
        std::nth_element(candidates.begin(), candidates.begin() + (limit - 1), candidates.end(),
                         busierFirst);
        const qint64 threshold = candidates[size_t(limit - 1)].count.requests;
        candidates.erase(std::partition(candidates.begin(), candidates.end(),
                                        [threshold](const Candidate &c) {
                                            return c.count.requests >= threshold;
                                        }),
                         candidates.end());
    }
    SqliteStatement bounds(m_db, "SELECT lat, lon, half_lat, half_lon FROM cell WHERE id = ?");
    for (Candidate &candidate : candidates) {
        if (candidate.id < 0)
            continue;
        bounds.bind(1, candidate.id);
        while (bounds.next()) {
            CellBounds &cell = candidate.count.cell;
            cell = {bounds.doubleAt(0), bounds.doubleAt(1), bounds.doubleAt(2), bounds.doubleAt(3)};
            const CellBounds fromRows = rowBounds.value(candidate.id, cell);
            cell.halfLatitude = std::max(cell.halfLatitude, fromRows.halfLatitude);
            cell.halfLongitude = std::max(cell.halfLongitude, fromRows.halfLongitude);
        }
    }
    const auto busier = [](const Candidate &a, const Candidate &b) {
        return std::tuple(b.count.requests, a.count.cell.latitude, a.count.cell.longitude)
               < std::tuple(a.count.requests, b.count.cell.latitude, b.count.cell.longitude);
    };
    const size_t kept = std::min(size_t(limit), candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + qsizetype(kept), candidates.end(),
                      busier);
    QList<CellCount> cells;
    cells.reserve(qsizetype(kept));
    for (size_t i = 0; i < kept; ++i)
        cells << candidates[i].count;
    if (error->isEmpty())
        *error = broken;
    return cells;
}

} // namespace isobar
