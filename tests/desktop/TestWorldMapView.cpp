// WorldMapView on the offscreen platform: cells from a known stats answer at the right pixels in
// the right colours, bins when zoomed out, zoom anchored under the pointer, keys, tooltips and
// the palette.
#include "map/CountColorScale.h"
#include "map/MapProjection.h"
#include "map/WorldMapView.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QToolTip>
#include <cmath>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// Four 1 km cells in central London, busiest first, as GET /api/v1/stats/geography answers.
constexpr char londonAnswer[] = R"({
  "from": "2026-11-25T10:00:00Z", "to": "2026-11-25T11:00:00Z",
  "cells": [
    {"latitude": 51.5027, "longitude": -0.1248,
     "bounds": {"south": 51.4982, "west": -0.132, "north": 51.5072, "east": -0.1176},
     "requests": 900, "cache": {"hit": 800, "miss": 90, "stale": 10}},
    {"latitude": 51.5117, "longitude": -0.0960,
     "bounds": {"south": 51.5072, "west": -0.1032, "north": 51.5162, "east": -0.0888},
     "requests": 100, "cache": {"hit": 60, "miss": 40, "stale": 0}},
    {"latitude": 51.4937, "longitude": -0.0672,
     "bounds": {"south": 51.4892, "west": -0.0744, "north": 51.4982, "east": -0.06},
     "requests": 10, "cache": {"hit": 0, "miss": 10, "stale": 0}},
    {"latitude": 51.5207, "longitude": -0.1536,
     "bounds": {"south": 51.5162, "west": -0.1608, "north": 51.5252, "east": -0.1464},
     "requests": 1, "cache": {"hit": 1, "miss": 0, "stale": 0}}
  ]})";
constexpr qint64 londonTotal = 1011;

QList<MapCell> londonCells()
{
    return MapCell::listFromStats(
        QJsonDocument::fromJson(londonAnswer).object().value(u"cells").toArray());
}

QColor pixel(WorldMapView &view, const QPoint &at)
{
    return view.viewport()->grab().toImage().pixelColor(at);
}

QPointF viewportPositionOf(const WorldMapView &view, double longitude, double latitude)
{
    return view.viewportTransform().map(MapProjection::toScene(longitude, latitude));
}

void wheel(WorldMapView &view, const QPointF &at, int eighths)
{
    QWheelEvent event(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, eighths),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &event);
}

} // namespace

class TestWorldMapView : public QObject
{
    Q_OBJECT

    std::unique_ptr<WorldMapView> m_view;

private Q_SLOTS:
    void init()
    {
        m_view = std::make_unique<WorldMapView>();
        // Counts and coordinates in the tooltips follow the widget's locale.
        m_view->setLocale(QLocale(QLocale::English, QLocale::UnitedKingdom));
        m_view->resize(800, 600);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void placesCellsAtTheirPixels()
    {
        m_view->setCells(londonCells());
        m_view->fitToData();
        QCOMPARE(m_view->aggregationLevel(), 0); // a few kilometres fill the view: server cells
        QCOMPARE(m_view->legendMaximum(), 900);
        const CountColorScale scale(m_view->palette());
        const QImage image = m_view->viewport()->grab().toImage();
        for (const MapCell &cell : londonCells()) {
            const QPoint at =
                m_view->mapFromScene(MapProjection::toScene(cell.longitude, cell.latitude));
            QVERIFY2(m_view->viewport()->rect().contains(at),
                     qPrintable(QString::number(cell.requests)));
            QCOMPARE(image.pixelColor(at), scale.color(cell.requests, 900));
        }
        // Between two cells' squares there is no cell colour.
        const QPoint between = m_view->mapFromScene(MapProjection::toScene(-0.1104, 51.5027));
        for (int step = 0; step < CountColorScale::stepCount; ++step)
            QVERIFY(image.pixelColor(between) != scale.color(step));
        // The busiest cell fills its cell; the quietest is smaller but still several pixels.
        const double pixelsPerDegree = m_view->pixelsPerDegree();
        QVERIFY(0.009 * pixelsPerDegree * 0.4 >= 3);
    }

    void zoomingOutAggregatesIntoBins()
    {
        m_view->setCells(londonCells());
        m_view->fitToData();
        const int cellLevel = m_view->aggregationLevel();
        for (int i = 0; i < 40; ++i)
            m_view->zoomOut();
        QVERIFY(m_view->aggregationLevel() > cellLevel);
        const QList<CellBin> bins = m_view->displayedBins();
        qint64 requests = 0;
        int cells = 0;
        for (const CellBin &bin : bins)
            requests += bin.area.requests, cells += bin.cells;
        QCOMPARE(requests, londonTotal);
        QCOMPARE(cells, 4);
        // All of London in one bin at world scale: the legend's top is the sum, and the bin's
        // square, in the top colour, sits around its centre.
        QCOMPARE(bins.size(), 1);
        QCOMPARE(m_view->legendMaximum(), londonTotal);
        const QPointF centre =
            viewportPositionOf(*m_view, bins.at(0).area.longitude, bins.at(0).area.latitude);
        QCOMPARE(pixel(*m_view, centre.toPoint()),
                 CountColorScale(m_view->palette()).color(CountColorScale::stepCount - 1));
        // Zooming back in splits the bins again, down to the cells and no further.
        for (int i = 0; i < 60; ++i)
            m_view->zoomIn();
        QCOMPARE(m_view->aggregationLevel(), 0);
        QCOMPARE(m_view->pixelsPerDegree(), WorldMapView::maximumPixelsPerDegree);
        QCOMPARE(m_view->displayedBins().size(), 4);
    }

    void wheelZoomKeepsThePointUnderThePointer()
    {
        m_view->setCells(londonCells());
        m_view->fitToData();
        m_view->zoomOut();
        m_view->zoomOut();
        for (const QPointF at : {QPointF(200, 150), QPointF(611, 437)}) {
            for (const int eighths : {120, 240, -120, -360}) {
                const QPointF scenePoint = m_view->viewportTransform().inverted().map(at);
                const double before = m_view->pixelsPerDegree();
                wheel(*m_view, at, eighths);
                QVERIFY(std::abs(m_view->pixelsPerDegree() / before - std::exp2(eighths / 480.0))
                        < 1e-9);
                const QPointF after = m_view->viewportTransform().map(scenePoint);
                QVERIFY2(QLineF(after, at).length() <= 0.75,
                         qPrintable(u"%1,%2"_s.arg(after.x()).arg(after.y())));
            }
        }
    }

    void zoomIsBounded()
    {
        for (int i = 0; i < 100; ++i)
            wheel(*m_view, QPointF(400, 300), -120);
        QCOMPARE(m_view->pixelsPerDegree(), std::min(800 / 360.0, 600 / 180.0));
        for (int i = 0; i < 100; ++i)
            wheel(*m_view, QPointF(400, 300), 120);
        QCOMPARE(m_view->pixelsPerDegree(), WorldMapView::maximumPixelsPerDegree);
    }

    void keyboardZoomsAndPans()
    {
        m_view->setCells(londonCells());
        m_view->fitToData();
        const double fitted = m_view->pixelsPerDegree();
        m_view->zoomOut();
        const double zoom = m_view->pixelsPerDegree();
        QTest::keyClick(m_view.get(), Qt::Key_Plus);
        QCOMPARE(m_view->pixelsPerDegree(), zoom * 1.5);
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QCOMPARE(m_view->pixelsPerDegree(), zoom);
        const QPointF centre = QRectF(m_view->viewport()->rect()).center();
        const QPointF before = m_view->viewportTransform().inverted().map(centre);
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QTest::keyClick(m_view.get(), Qt::Key_Up);
        const QPointF after = m_view->viewportTransform().inverted().map(centre);
        QVERIFY(after.x() > before.x());             // looking further east
        QVERIFY(after.y() < before.y());             // and further north
        QTest::keyClick(m_view.get(), Qt::Key_Home); // back to the data
        QCOMPARE(m_view->pixelsPerDegree(), fitted);
    }

    void tooltipWithBoundsAndCounts()
    {
        m_view->setCells(londonCells());
        m_view->fitToData();
        const QPoint busiest = m_view->mapFromScene(MapProjection::toScene(-0.1248, 51.5027));
        const QString expected = u"Cell 51.4982°N to 51.5072°N, 0.1320°W to 0.1176°W\n"
                                 "Requests: 900\n"
                                 "Cache: 800 hits, 90 misses, 10 stale"_s;
        QCOMPARE(m_view->toolTipAt(busiest), expected);
        // What a user sees: the tooltip event shows the same text.
        QHelpEvent help(QEvent::ToolTip, busiest, m_view->viewport()->mapToGlobal(busiest));
        QApplication::sendEvent(m_view->viewport(), &help);
        QTRY_COMPARE(QToolTip::text(), expected);
        // Nothing where no cell is.
        QCOMPARE(m_view->toolTipAt(m_view->mapFromScene(MapProjection::toScene(-0.1104, 51.4937))),
                 QString());
        // Zoomed out: the bin, its bounds and the sum of its cells.
        for (int i = 0; i < 40; ++i)
            m_view->zoomOut();
        const CellBin bin = m_view->displayedBins().constFirst();
        const QString binText = m_view->toolTipAt(
            viewportPositionOf(*m_view, bin.area.longitude, bin.area.latitude).toPoint());
        QVERIFY2(binText.startsWith(u"4 cells in "_s), qPrintable(binText));
        QVERIFY2(binText.endsWith(u"\nRequests: 1,011\nCache: 861 hits, 140 misses, 10 stale"_s),
                 qPrintable(binText));
    }

    void fitToDataWithoutCellsShowsTheWorld()
    {
        m_view->setCells({});
        m_view->fitToData();
        const QRectF viewport = QRectF(m_view->viewport()->rect()).adjusted(-1, -1, 1, 1);
        const QPointF northWest = viewportPositionOf(*m_view, -180, 90);
        const QPointF southEast = viewportPositionOf(*m_view, 180, -90);
        QVERIFY(viewport.contains(northWest));
        QVERIFY(viewport.contains(southEast));
        QCOMPARE(southEast.x() - northWest.x(), 800.0); // the world fills the width
        QCOMPARE(m_view->legendMaximum(), 0);
        QCOMPARE(m_view->toolTipAt(QPoint(400, 300)), QString());
    }

    void followsTheDataUntilTheUserMovesTheMap()
    {
        m_view->setCells(londonCells());
        QVERIFY(m_view->pixelsPerDegree() > 100); // fitted without being asked
        m_view->resize(1000, 700);
        QVERIFY(m_view->viewport()->rect().contains(
            m_view->mapFromScene(MapProjection::toScene(-0.1536, 51.5207))));
        wheel(*m_view, QPointF(100, 100), -480);
        const double zoom = m_view->pixelsPerDegree();
        m_view->setCells(londonCells().mid(0, 2));
        QCOMPARE(m_view->pixelsPerDegree(), zoom); // the user's view stays
        m_view->fitToData();
        QVERIFY(m_view->pixelsPerDegree() > zoom);
    }

    void outlinesAndPaletteChanges()
    {
        // Parsed on another thread: a loaded machine may take a while.
        QTRY_VERIFY_WITH_TIMEOUT(m_view->hasOutlines(), 30000);
        m_view->fitToData(); // the whole world
        const QPoint sahara = viewportPositionOf(*m_view, 20, 22).toPoint();
        const QPoint atlantic = viewportPositionOf(*m_view, -30, 0).toPoint();
        QCOMPARE(pixel(*m_view, atlantic), m_view->palette().color(QPalette::Base));
        const QColor land = pixel(*m_view, sahara);
        QVERIFY(land != m_view->palette().color(QPalette::Base));

        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
        dark.setColor(QPalette::WindowText, Qt::white);
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
        dark.setColor(QPalette::Text, Qt::white);
        m_view->setPalette(dark);
        QCOMPARE(pixel(*m_view, atlantic), QColor(0x18, 0x18, 0x18));
        QVERIFY(pixel(*m_view, sahara) != land);
        QVERIFY(pixel(*m_view, sahara).lightness() < 128);

        // Cells take the dark theme's ramp, whose busiest end is the brightest.
        m_view->setCells(londonCells());
        m_view->fitToData();
        const QPoint busiest = m_view->mapFromScene(MapProjection::toScene(-0.1248, 51.5027));
        const QColor top = CountColorScale(dark).color(CountColorScale::stepCount - 1);
        QCOMPARE(pixel(*m_view, busiest), top);
        QVERIFY(top != CountColorScale(QPalette()).color(CountColorScale::stepCount - 1));
        QVERIFY(top.lightness() > CountColorScale(dark).color(0).lightness());
    }
};

QTEST_MAIN(TestWorldMapView)
#include "TestWorldMapView.moc"
