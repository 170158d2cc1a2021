// MapCell::listFromStats on geography answers, and CellBins: the levels of aggregation the map
// draws when zoomed out.
#include "map/CellBins.h"
#include "map/MapCell.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace isobar;

namespace {

QJsonArray cellsOf(const char *answer)
{
    return QJsonDocument::fromJson(answer).object().value(u"cells").toArray();
}

// A cell of about 1 km (the server's default) centred on a position.
MapCell cellAt(double latitude, double longitude, qint64 requests)
{
    constexpr double halfLatitude = 0.0045, halfLongitude = 0.007;
    MapCell cell;
    cell.latitude = latitude;
    cell.longitude = longitude;
    cell.south = latitude - halfLatitude;
    cell.north = latitude + halfLatitude;
    cell.west = longitude - halfLongitude;
    cell.east = longitude + halfLongitude;
    cell.requests = requests;
    cell.hits = requests / 2;
    cell.misses = requests - requests / 2;
    return cell;
}

// Cells spread over the world with counts over four orders of magnitude.
QList<MapCell> worldCells()
{
    QList<MapCell> cells;
    for (int i = 0; i < 2000; ++i) {
        const double latitude = -60 + (i * 37 % 1200) / 10.0 + 0.0123;
        const double longitude = -179.9 + (i * 113 % 3598) / 10.0;
        cells << cellAt(latitude, longitude, 1 + (i * 7919) % 10000);
    }
    return cells;
}

} // namespace

class TestWorldMapCells : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesGeographyAnswer()
    {
        // The shape RequestStats::geography writes, as GET /api/v1/stats/geography answers it.
        const QList<MapCell> cells = MapCell::listFromStats(cellsOf(R"({
            "from": "2026-11-25T10:00:00Z", "to": "2026-11-25T11:00:00Z",
            "cells": [
              {"latitude": 51.5027, "longitude": -0.1248,
               "bounds": {"south": 51.4982, "west": -0.132, "north": 51.5072, "east": -0.1176},
               "requests": 900, "cache": {"hit": 800, "miss": 90, "stale": 10}},
              {"latitude": -33.8688, "longitude": 151.2093,
               "bounds": {"south": -33.8733, "west": 151.2039, "north": -33.8643, "east": 151.2147},
               "requests": 3, "cache": {"hit": 0, "miss": 3, "stale": 0}}
            ]})"));
        QCOMPARE(cells.size(), 2);
        const MapCell &london = cells.at(0);
        QCOMPARE(london.latitude, 51.5027);
        QCOMPARE(london.longitude, -0.1248);
        QCOMPARE(london.south, 51.4982);
        QCOMPARE(london.west, -0.132);
        QCOMPARE(london.north, 51.5072);
        QCOMPARE(london.east, -0.1176);
        QCOMPARE(london.requests, 900);
        QCOMPARE(london.hits, 800);
        QCOMPARE(london.misses, 90);
        QCOMPARE(london.stale, 10);
        QCOMPARE(cells.at(1).south, -33.8733);
        QCOMPARE(cells.at(1).misses, 3);
    }

    void skipsMalformedEntries_data()
    {
        QTest::addColumn<QByteArray>("entry");
        QTest::newRow("not an object") << QByteArray(R"("51.5,-0.12")");
        QTest::newRow("no bounds")
            << QByteArray(R"({"latitude": 51.5, "longitude": 0, "requests": 5})");
        QTest::newRow("bounds not numbers") << QByteArray(
            R"({"bounds": {"south": "51", "west": 0, "north": 52, "east": 1}, "requests": 5})");
        QTest::newRow("a bound missing")
            << QByteArray(R"({"bounds": {"south": 51, "west": 0, "north": 52}, "requests": 5})");
        QTest::newRow("no requests")
            << QByteArray(R"({"bounds": {"south": 51, "west": 0, "north": 52, "east": 1}})");
        QTest::newRow("zero requests") << QByteArray(
            R"({"bounds": {"south": 51, "west": 0, "north": 52, "east": 1}, "requests": 0})");
        QTest::newRow("south of north") << QByteArray(
            R"({"bounds": {"south": 52, "west": 0, "north": 51, "east": 1}, "requests": 5})");
        QTest::newRow("past the pole") << QByteArray(
            R"({"bounds": {"south": 89, "west": 0, "north": 91, "east": 1}, "requests": 5})");
        QTest::newRow("past the antimeridian") << QByteArray(
            R"({"bounds": {"south": 0, "west": 179, "north": 1, "east": 181}, "requests": 5})");
    }

    void skipsMalformedEntries()
    {
        QFETCH(QByteArray, entry);
        const QByteArray answer = R"({"cells": [)" + entry + R"(,
            {"bounds": {"south": 10, "west": 20, "north": 10.01, "east": 20.01}, "requests": 7}]})";
        const QList<MapCell> cells = MapCell::listFromStats(cellsOf(answer.constData()));
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells.at(0).requests, 7);
        // Without a centre in the entry, the centre of its bounds.
        QCOMPARE(cells.at(0).latitude, 10.005);
        QCOMPARE(cells.at(0).longitude, 20.005);
    }

    void clampsRoundingErrorsAtTheEdges()
    {
        const QList<MapCell> cells = MapCell::listFromStats(cellsOf(R"({"cells": [
            {"bounds": {"south": 89.991, "west": -180.0000000001, "north": 90.0000000002,
                        "east": 180.0000000001}, "requests": 2}]})"));
        QCOMPARE(cells.size(), 1);
        QCOMPARE(cells.at(0).west, -180.0);
        QCOMPARE(cells.at(0).east, 180.0);
        QCOMPARE(cells.at(0).north, 90.0);
    }

    void everyLevelSumsToTheTotal()
    {
        const QList<MapCell> cells = worldCells();
        qint64 total = 0, hits = 0;
        for (const MapCell &cell : cells)
            total += cell.requests, hits += cell.hits;
        const CellBins bins(cells);
        QCOMPARE(bins.totalRequests(), total);
        QVERIFY(bins.levelCount() > 5);
        QCOMPARE(bins.bins(0).size(), cells.size());
        qsizetype previousCount = cells.size();
        for (int level = 0; level < bins.levelCount(); ++level) {
            qint64 requests = 0, binHits = 0, cellCount = 0, maximum = 0;
            for (const CellBin &bin : bins.bins(level)) {
                requests += bin.area.requests;
                binHits += bin.area.hits;
                cellCount += bin.cells;
                maximum = std::max(maximum, bin.area.requests);
            }
            QCOMPARE(requests, total);
            QCOMPARE(binHits, hits);
            QCOMPARE(cellCount, cells.size());
            QCOMPARE(bins.maximumRequests(level), maximum);
            QVERIFY(bins.bins(level).size() <= previousCount);
            previousCount = bins.bins(level).size();
        }
        // The coarsest level: 128° squares, three columns by two rows over latitudes -60 to 60.
        QCOMPARE(bins.unitDegrees(bins.levelCount() - 1), 128.0);
        QCOMPARE(bins.bins(bins.levelCount() - 1).size(), 6);
    }

    void binsAreNeverFinerThanACell()
    {
        const CellBins bins(worldCells());
        QCOMPARE(bins.unitDegrees(0), 0.009); // the shorter side of a cell
        for (int level = 1; level < bins.levelCount(); ++level) {
            // The first grid is the power of two at or above twice the tallest cell.
            QCOMPARE(bins.unitDegrees(level),
                     level == 1 ? 0.03125 : 2 * bins.unitDegrees(level - 1));
            // Each bin holds the centres of its cells: its bounds are a grid square.
            for (const CellBin &bin : bins.bins(level)) {
                QVERIFY(bin.area.east - bin.area.west <= bins.unitDegrees(level) + 1e-9);
                QVERIFY(bin.area.north - bin.area.south <= bins.unitDegrees(level) + 1e-9);
            }
        }
        for (const MapCell &cell : worldCells()) {
            for (int level = 1; level < bins.levelCount(); ++level) {
                const CellBin *bin = bins.binAt(level, cell.longitude, cell.latitude);
                QVERIFY(bin);
                QVERIFY(bin->cells >= 1);
            }
        }
    }

    void levelForZoom()
    {
        const CellBins bins(worldCells());
        // 1 km cells are 0.009° tall: 8 pixels need about 890 pixels per degree.
        QCOMPARE(bins.levelFor(1000, 8), 0);
        const int level = bins.levelFor(4, 8); // the whole world on 1440 pixels
        QVERIFY(level > 0);
        QVERIFY(bins.unitDegrees(level) * 4 >= 8);
        QVERIFY(bins.unitDegrees(level - 1) * 4 < 8);
        QCOMPARE(bins.levelFor(1e-6, 8), bins.levelCount() - 1);
    }

    void findsTheCellAtAPosition()
    {
        const QList<MapCell> cells = {cellAt(51.5027, -0.1248, 900), cellAt(51.5117, -0.0978, 100)};
        const CellBins bins(cells);
        const CellBin *london = bins.binAt(0, -0.1248, 51.5027);
        QVERIFY(london);
        QCOMPARE(london->area.requests, 900);
        QCOMPARE(bins.binAt(0, -0.1210, 51.5060)->area.requests, 900); // near a corner
        QVERIFY(!bins.binAt(0, -0.1100, 51.5027));                     // between the two cells
        const auto [first, last] = bins.binsBetweenLongitudes(0, -0.2, -0.11);
        QCOMPARE(last - first, 1);
        QCOMPARE(bins.bins(0).at(first).area.requests, 900);
    }

    void noCells()
    {
        const CellBins bins;
        QCOMPARE(bins.levelCount(), 1);
        QCOMPARE(bins.totalRequests(), 0);
        QCOMPARE(bins.maximumRequests(bins.levelFor(4, 8)), 0);
        QVERIFY(bins.bounds().isNull());
        QVERIFY(!bins.binAt(0, 0, 0));
    }
};

QTEST_GUILESS_MAIN(TestWorldMapCells)
#include "TestWorldMapCells.moc"
