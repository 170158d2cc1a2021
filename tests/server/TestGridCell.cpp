#include "weather/GridCell.h"

#include <QTest>
#include <QtMath>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {
double groundWidthMetres(const GridCell &cell)
{
    return (cell.east - cell.west) * 111'320.0 * std::cos(qDegreesToRadians(cell.centreLatitude));
}
} // namespace

class TestGridCell : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cellsStayAboutTheSameSizeOnTheGround_data()
    {
        QTest::addColumn<double>("latitude");
        QTest::newRow("equator") << 0.0;
        QTest::newRow("London") << 51.5;
        QTest::newRow("Oslo") << 59.9;
        QTest::newRow("Tromsø") << 69.6;
        QTest::newRow("Sydney") << -33.9;
    }
    void cellsStayAboutTheSameSizeOnTheGround()
    {
        QFETCH(double, latitude);
        const GridCell cell = GridCell::locate(latitude, 10.0, 1000);
        QVERIFY2(groundWidthMetres(cell) > 990 && groundWidthMetres(cell) < 1100,
                 qPrintable(QString::number(groundWidthMetres(cell))));
        QCOMPARE(qRound((cell.north - cell.south) * 111'320.0), 1000);
        QVERIFY(cell.south <= latitude && latitude < cell.north);
        QVERIFY(cell.west <= 10.0 && 10.0 < cell.east);
    }

    void everyPositionInACellGetsTheSameCell()
    {
        const GridCell cell = GridCell::locate(48.8566, 2.3522, 1000);
        QCOMPARE(GridCell::locate(cell.centreLatitude, cell.centreLongitude, 1000), cell);
        QCOMPARE(GridCell::locate(cell.south + 1e-7, cell.west + 1e-7, 1000), cell);
        QCOMPARE(GridCell::locate(cell.north - 1e-7, cell.east - 1e-7, 1000), cell);
        QVERIFY(!(GridCell::locate(cell.north + 1e-7, cell.centreLongitude, 1000) == cell));
        QVERIFY(!(GridCell::locate(cell.centreLatitude, cell.east + 1e-7, 1000) == cell));
        QVERIFY(!(GridCell::locate(48.8566, 2.3522, 2000) == cell)); // the size is part of the cell
    }

    void antimeridian()
    {
        const GridCell east = GridCell::locate(-17.7, 180.0, 1000);
        const GridCell west = GridCell::locate(-17.7, -180.0, 1000);
        QCOMPARE(east, west); // one meridian, one cell
        const GridCell justWest = GridCell::locate(-17.7, 179.99999, 1000);
        QCOMPARE(justWest.column, justWest.columnsInRow - 1);
        QCOMPARE(east.column, 0);
        QVERIFY(justWest.east <= 180.0 + 1e-9);
    }

    void poles()
    {
        for (double latitude : {90.0, -90.0, 89.99999, -89.99999}) {
            const GridCell a = GridCell::locate(latitude, 0.0, 1000);
            const GridCell b = GridCell::locate(latitude, 179.0, 1000);
            QVERIFY(a.columnsInRow >= 1);
            QVERIFY(a.north <= 90.0 && a.south >= -90.0);
            QVERIFY(a.centreLatitude >= -90.0 && a.centreLatitude <= 90.0);
            QVERIFY(a.column >= 0 && a.column < a.columnsInRow);
            QVERIFY(std::isfinite(a.centreLongitude));
            // Rows at the pole are a handful of cells wide at most: no degenerate slivers.
            QVERIFY2(a.columnsInRow <= 8, qPrintable(QString::number(a.columnsInRow)));
            QCOMPARE(a.row, b.row);
        }
        QCOMPARE(GridCell::locate(90.0, 0, 1000).row, GridCell::locate(89.9999, 0, 1000).row);
    }

    void idIsStable()
    {
        QCOMPARE(GridCell::locate(0.0001, 0.0001, 1000).id(),
                 u"r%1c%2@1000"_s.arg(GridCell::locate(0.0001, 0.0001, 1000).row)
                     .arg(GridCell::locate(0.0001, 0.0001, 1000).column));
    }
};

QTEST_GUILESS_MAIN(TestGridCell)
#include "TestGridCell.moc"
