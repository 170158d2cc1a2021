#include "BarCharts.h"
#include "ChartBuilder.h"
#include "ChartPalette.h"
#include "ChartRenderer.h"
#include "ChartStyle.h"
#include "EnglandSeries.h"
#include "HeatmapChart.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "WaffleChart.h"

#include <QBuffer>
#include <QChart>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <cmath>

using namespace Qt::StringLiterals;
using isobar::test::englandSeries;

using namespace isobar;

namespace {

const QDate kFirst(2024, 3, 1);

QList<ChartPoint> daily(const std::shared_ptr<const SeriesDescription> &s,
                        const QList<double> &values)
{
    QList<ChartPoint> points;
    for (int i = 0; i < values.size(); ++i)
        points.append(ChartPoint{s, kFirst.addDays(i), values[i], false, {}, {}});
    return points;
}

ChartRequest request(ChartType type, int plots = 1, QSize size = {600, 300})
{
    ChartRequest r;
    r.size = size;
    for (int i = 0; i < plots; ++i) {
        ChartPlot p;
        p.type = type;
        p.smooth = false; // straight segments, which the pixel checks follow
        p.selection.topic = u"COVID-19"_s;
        p.selection.metric = u"COVID-19_cases_casesByDay"_s;
        p.selection.from = kFirst;
        p.selection.to = kFirst.addDays(60);
        r.plots.append(p);
    }
    return r;
}

QChart *chartIn(QGraphicsScene &scene)
{
    for (QGraphicsItem *item : scene.items()) {
        if (auto *chart = dynamic_cast<QChart *>(item))
            return chart;
    }
    return nullptr;
}

QColor pixel(const QImage &image, QPointF at)
{
    return image.pixelColor(at.toPoint());
}

QString describe(QColor c)
{
    return u"rgb(%1,%2,%3)"_s.arg(c.red()).arg(c.green()).arg(c.blue());
}

#define COMPARE_COLOUR(actual, expected)                                                           \
    QVERIFY2((actual).rgb() == (expected).rgb(),                                                   \
             qPrintable(describe(actual) + u" != " + describe(expected)))

// Texts of the SVG's <text> elements, failing on malformed XML.
QStringList svgTexts(const QByteArray &svg, QSize *size = nullptr)
{
    QXmlStreamReader xml(svg);
    QStringList texts;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"svg" && size)
            *size = QSize(xml.attributes().value(QLatin1String("width")).toInt(),
                          xml.attributes().value(QLatin1String("height")).toInt());
        if (xml.isStartElement() && xml.name() == u"text")
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (xml.hasError())
        qWarning() << "SVG is not well-formed:" << xml.errorString() << "at line"
                   << xml.lineNumber();
    return xml.hasError() ? QStringList{u"<malformed>"_s} : texts;
}

} // namespace

class TestChartRendering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fontIsDejaVu() { QCOMPARE(ChartStyle::font(12).family(), u"DejaVu Sans"_s); }

    void waffleOf45PercentFills45Cells()
    {
        ChartRequest r = request(ChartType::Waffle, 1, {300, 300});
        ChartDataset data{{daily(englandSeries(u"vaccine_uptake"_s), {45})}};
        auto scene = ChartBuilder::build(r, data);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        int filled = 0, empty = 0;
        for (int i = 0; i < 100; ++i) {
            const QColor c = pixel(image, WaffleChart::cellRect(r, i).center());
            if (c.rgb() == ChartPalette::seriesColour(0).rgb())
                ++filled;
            else if (c.rgb() == WaffleChart::emptyCellColour().rgb())
                ++empty;
        }
        QCOMPARE(filled, 45);
        QCOMPARE(empty, 55);
    }

    void waffleLayersSmallerPercentagesOverLarger()
    {
        ChartRequest r = request(ChartType::Waffle, 3, {400, 300});
        ChartDataset data{{daily(englandSeries(u"a"_s), {60}), daily(englandSeries(u"b"_s), {30}),
                           daily(englandSeries(u"c"_s), {10})}};
        auto scene = ChartBuilder::build(r, data);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        QList<int> counts(4, 0);
        for (int i = 0; i < 100; ++i) {
            const QRgb c = pixel(image, WaffleChart::cellRect(r, i).center()).rgb();
            for (int plot = 0; plot < 3; ++plot)
                counts[plot] += c == ChartPalette::seriesColour(plot).rgb();
            counts[3] += c == WaffleChart::emptyCellColour().rgb();
        }
        QCOMPARE(counts, QList<int>({30, 20, 10, 40}));
    }

    void shadedSectionColoursTheRecentPoints_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("recent");
        QTest::addColumn<QColor>("shade");
        QTest::newRow("cases up: bad")
            << u"COVID-19_cases_casesByDay"_s << 200.0 << ChartPalette::badShade();
        QTest::newRow("cases down: good")
            << u"COVID-19_cases_casesByDay"_s << 50.0 << ChartPalette::goodShade();
        QTest::newRow("vaccination up: good")
            << u"COVID-19_vaccinations_uptakeByDay"_s << 200.0 << ChartPalette::goodShade();
        QTest::newRow("unknown metric: neutral")
            << u"COVID-19_something_byDay"_s << 200.0 << ChartPalette::neutralShade();
    }

    void shadedSectionColoursTheRecentPoints()
    {
        QFETCH(QString, metric);
        QFETCH(double, recent);
        QFETCH(QColor, shade);
        QList<double> values(23, 100.0);
        for (int i = 0; i < 7; ++i)
            values << recent;
        ChartRequest r = request(ChartType::LineWithShadedSection);
        ChartDataset data{{daily(englandSeries(metric), values)}};
        auto scene = ChartBuilder::build(r, data);
        QChart *chart = chartIn(*scene);
        QVERIFY(chart);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto at = [&](int index, double value) {
            return chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(index)), value));
        };
        // Inside the last 7 points' area (points 23..29), low enough to be under the line.
        COMPARE_COLOUR(pixel(image, (at(25, 20) + at(26, 20)) / 2), shade);
        COMPARE_COLOUR(pixel(image, (at(28, 20) + at(29, 20)) / 2), shade);
        // Left of the section: the neutral shade.
        COMPARE_COLOUR(pixel(image, (at(5, 20) + at(6, 20)) / 2), ChartPalette::neutralShade());
        COMPARE_COLOUR(pixel(image, (at(19, 20) + at(20, 20)) / 2), ChartPalette::neutralShade());
    }

    void weeklyDataShadesOnlyTheLastWeek()
    {
        const auto weekly = englandSeries(u"COVID-19_deaths_ONSByWeek"_s, u"weekly"_s);
        QList<ChartPoint> points;
        for (int i = 0; i < 10; ++i)
            points.append(ChartPoint{
                weekly, kFirst.addDays(qint64(7) * i), i == 9 ? 300.0 : 100.0, false, {}, {}});
        ChartRequest r = request(ChartType::LineWithShadedSection);
        ChartDataset data{{points}};
        auto scene = ChartBuilder::build(r, data);
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto at = [&](int week, double value) {
            return chart->mapToPosition(
                QPointF(ChartStyle::dateX(kFirst.addDays(qint64(7) * week)), value));
        };
        COMPARE_COLOUR(pixel(image, (at(8, 20) + at(9, 20)) / 2), ChartPalette::badShade());
        COMPARE_COLOUR(pixel(image, (at(7, 20) + at(8, 20)) / 2), ChartPalette::neutralShade());
    }

    void reportingDelayPeriodIsShaded()
    {
        QList<ChartPoint> points =
            daily(englandSeries(u"COVID-19_cases_casesByDay"_s), QList<double>(30, 100.0));
        for (int i = 25; i < 30; ++i)
            points[i].inReportingDelay = true;
        ChartRequest r = request(ChartType::LineWithShadedSection);
        r.yMinimum = 0;
        r.yMaximum = 200;
        auto scene = ChartBuilder::build(r, ChartDataset{{points}});
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        // Above the line, where only the background (or the band) is.
        const qreal y = chart->mapToPosition(QPointF(0, 165)).y();
        const qreal inside =
            chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(27)), 0)).x();
        const qreal before =
            chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(10)), 0)).x();
        const QColor band = pixel(image, QPointF(inside, y));
        const QColor plain = pixel(image, QPointF(before, y));
        QVERIFY2(band.rgb() != plain.rgb(), qPrintable(describe(band) + u" == " + describe(plain)));
        QVERIFY2(band.red() < 240 && qAbs(band.red() - band.blue()) < 10,
                 qPrintable(describe(band)));
    }

    void multiColouredLinesUseColourAndDash()
    {
        ChartRequest r = request(ChartType::LineMultiColoured, 2);
        r.plots[0].colour = ChartPalette::colour(u"COLOUR_4_ORANGE"_s);
        r.plots[1].colour = ChartPalette::colour(u"COLOUR_2_TURQUOISE"_s);
        r.plots[1].dashed = true;
        ChartDataset data{{daily(englandSeries(u"a"_s), QList<double>(20, 100)),
                           daily(englandSeries(u"b"_s), QList<double>(20, 50))}};
        auto scene = ChartBuilder::build(r, data);
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto runOf = [&](double value, const QColor &colour) {
            const int y = qRound(chart->mapToPosition(QPointF(0, value)).y());
            const int left =
                qRound(chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(2)), 0)).x());
            const int right =
                qRound(chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(17)), 0)).x());
            int hits = 0;
            for (int x = left; x <= right; ++x) {
                bool found = false;
                for (int dy = -1; dy <= 1 && !found; ++dy)
                    found = image.pixelColor(x, y + dy).rgb() == colour.rgb();
                hits += found;
            }
            return double(hits) / (right - left + 1);
        };
        QVERIFY2(runOf(100, QColor(244, 106, 37)) > 0.95, "a solid orange line");
        const double dashed = runOf(50, QColor(40, 161, 151));
        QVERIFY2(dashed > 0.3 && dashed < 0.9, qPrintable(QString::number(dashed)));
    }

    void confidenceBandOnlyWhenAskedAndBounded()
    {
        QList<ChartPoint> points = daily(englandSeries(u"a"_s), QList<double>(20, 100));
        for (ChartPoint &p : points) {
            p.upper = 140;
            p.lower = 60;
        }
        ChartRequest r = request(ChartType::LineMultiColoured);
        r.plots[0].colour = ChartPalette::colour(u"COLOUR_1_DARK_BLUE"_s);
        auto sample = [&](bool asked) {
            r.confidenceIntervals = asked;
            auto scene = ChartBuilder::build(r, ChartDataset{{points}});
            QChart *chart = chartIn(*scene);
            const QImage image = ChartRenderer::renderImage(*scene, r.size);
            return pixel(image,
                         chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(10)), 123)));
        };
        const QColor without = sample(false);
        const QColor with = sample(true);
        QVERIFY2(with.rgb() != without.rgb(), qPrintable(describe(with)));
        QVERIFY2(with.blue() > with.red(), qPrintable(describe(with))); // dark blue, lightened
    }

    void confidenceBandFromIngestedBounds()
    {
        // From a UKHSA file through the store to pixels: the bounds survive ingestion and
        // ChartData::load, and the band fills exactly the space between them.
        QJsonArray records;
        for (int i = 0; i < 20; ++i)
            records.append(QJsonObject{{u"epiweek"_s, 10},
                                       {u"date"_s, kFirst.addDays(i).toString(Qt::ISODate)},
                                       {u"metric_value"_s, 100},
                                       {u"upper_confidence"_s, 140},
                                       {u"lower_confidence"_s, 60},
                                       {u"embargo"_s, QJsonValue()},
                                       {u"is_public"_s, true}});
        QJsonObject file = isobar::test::englandFile(u"COVID-19_cases_rateRollingMean"_s, records);
        file[u"refresh_date"_s] = u"2024-04-01 10:00:00"_s;
        QTemporaryDir dir;
        MetricsDatabase store;
        QVERIFY2(store.open(dir.filePath(u"store.db"_s)), qPrintable(store.errorString()));
        const FileReport report = Ingestor(store.connection())
                                      .ingestContent(QJsonDocument(file).toJson(), u"f.json"_s, 0);
        QVERIFY2(report.ok, qPrintable(report.errors.join(u'\n')));

        ChartRequest r = request(ChartType::LineMultiColoured);
        r.plots[0].selection.metric = u"COVID-19_cases_rateRollingMean"_s;
        r.plots[0].selection.to = kFirst.addDays(30);
        r.plots[0].colour = ChartPalette::colour(u"COLOUR_1_DARK_BLUE"_s);
        r.yMinimum = 0;
        r.yMaximum = 200;
        r.confidenceIntervals = true;
        ChartRequestError error;
        MetricsQuery query(store.connection());
        const auto data = ChartData::load(query, r, &error);
        QVERIFY2(data, qPrintable(error.detail));
        QCOMPARE(data->plots[0].size(), 20);
        QCOMPARE(data->plots[0][3].upper.value_or(-1), 140.0);
        QCOMPARE(data->plots[0][3].lower.value_or(-1), 60.0);

        auto scene = ChartBuilder::build(r, *data);
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto at = [&](double day, double value) {
            return pixel(image, chart->mapToPosition(
                                    QPointF(ChartStyle::dateX(kFirst) + day * 86400000.0, value)));
        };
        // The plot colour at 60/255 over white, away from grid lines (every 50) and the line.
        const QColor band(199, 211, 221);
        for (double day : {2.2, 10.3, 17.2}) {
            for (double value : {70.0, 110.0, 130.0}) {
                const QColor c = at(day, value);
                QVERIFY2(qAbs(c.red() - band.red()) <= 3 && qAbs(c.green() - band.green()) <= 3
                             && qAbs(c.blue() - band.blue()) <= 3,
                         qPrintable(describe(c)));
            }
            COMPARE_COLOUR(at(day, 165), QColor(Qt::white)); // above the upper bound
            COMPARE_COLOUR(at(day, 35), QColor(Qt::white));  // below the lower bound
        }
    }

    void filledLinesLookTheSameDrawnForSvgOrRaster_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("simple_line") << int(ChartType::SimpleLine);
        QTest::newRow("line_with_shaded_section") << int(ChartType::LineWithShadedSection);
    }

    void filledLinesLookTheSameDrawnForSvgOrRaster()
    {
        // A raster gets its areas in pieces with a separate outline, SVG one outlined polygon
        // each (docs/CHARTS.md, "Raster speed"): the pictures must agree, and the SVG stay small.
        QFETCH(int, type);
        QList<double> values;
        for (int i = 0; i < 365; ++i)
            values << 1000 + 600 * std::sin(i / 30.0) + (i % 7 < 2 ? -400 : 0);
        ChartRequest r = request(ChartType(type), 1, {1200, 600});
        const ChartDataset data{{daily(englandSeries(u"COVID-19_cases_casesByDay"_s), values)}};
        r.format = ChartFormat::Png;
        const QImage raster = ChartRenderer::renderImage(*ChartBuilder::build(r, data), r.size);
        r.format = ChartFormat::Svg;
        auto svgScene = ChartBuilder::build(r, data);
        const QImage vector = ChartRenderer::renderImage(*svgScene, r.size);
        int differing = 0;
        for (int y = 0; y < r.size.height(); ++y) {
            for (int x = 0; x < r.size.width(); ++x) {
                const QColor a = raster.pixelColor(x, y), b = vector.pixelColor(x, y);
                differing += std::max({qAbs(a.red() - b.red()), qAbs(a.green() - b.green()),
                                       qAbs(a.blue() - b.blue())})
                             > 64;
            }
        }
        // Only where antialiased edges fall a little differently: under 1% of the pixels.
        QVERIFY2(differing < r.size.width() * r.size.height() / 100,
                 qPrintable(QString::number(differing)));
        const QByteArray svg = ChartRenderer::render(*svgScene, r.size, ChartFormat::Svg);
        const qsizetype shapes = svg.count("<path") + svg.count("<polyline") + svg.count("<line");
        QVERIFY2(shapes < 60, qPrintable(QString::number(shapes)));
    }

    void simpleLineIsFilledToZero()
    {
        ChartRequest r = request(ChartType::SimpleLine, 1, {200, 60});
        auto scene = ChartBuilder::build(
            r, ChartDataset{{daily(englandSeries(u"a"_s), QList<double>(10, 100))}});
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        const QPointF under =
            chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(5)), 30));
        const QPointF above =
            chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(5)), 100));
        COMPARE_COLOUR(pixel(image, under), ChartPalette::lineFill());
        // A sparkline has no axes: the plot fills the image.
        QCOMPARE(chart->plotArea(), QRectF(0, 0, 200, 60));
        QVERIFY(above.y() < under.y());
    }

    void valueAxesHaveRoundTicksAndSeparators()
    {
        ChartRequest r = request(ChartType::LineWithShadedSection);
        auto scene = ChartBuilder::build(
            r, ChartDataset{{daily(englandSeries(u"a"_s), QList<double>(14, 123456))}});
        auto *y = qobject_cast<QValueAxis *>(chartIn(*scene)->axes(Qt::Vertical).value(0));
        QCOMPARE(y->min(), 0.0);
        QCOMPARE(y->labelFormat(), u"%.0f"_s); // shown as "150,000", not "1.5e+05"
        QVERIFY(chartIn(*scene)->localizeNumbers());
        // A range the request fixes (UKHSA's y_axis_minimum/maximum) keeps it, with round
        // steps from zero inside it.
        r.yMinimum = 0;
        r.yMaximum = 173;
        scene = ChartBuilder::build(
            r, ChartDataset{{daily(englandSeries(u"a"_s), QList<double>(14, 100))}});
        y = qobject_cast<QValueAxis *>(chartIn(*scene)->axes(Qt::Vertical).value(0));
        QCOMPARE(y->max(), 173.0);
        QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(y->tickAnchor(), 0.0);
        QCOMPARE(y->tickInterval(), 50.0);
        QCOMPARE(ChartStyle::niceCeiling(0.3), 0.5);
        QCOMPARE(ChartStyle::niceCeiling(2.2), 2.5);
        QCOMPARE(ChartStyle::niceCeiling(7000), 10000.0);
    }

    void aLonePointIsAMarkerInTheMiddle()
    {
        // A yearly metric in a one-year period: one point, which a line or area cannot draw.
        ChartRequest r = request(ChartType::LineWithShadedSection);
        const QList<ChartPoint> one = daily(englandSeries(u"a"_s), {40});
        auto scene = ChartBuilder::build(r, ChartDataset{{one}});
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        const QPointF at = chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst), 40));
        COMPARE_COLOUR(pixel(image, at), ChartPalette::trendNeutral());
        QVERIFY(std::abs(at.x() - chart->plotArea().center().x()) < 2);
    }

    void singleSimplifiedLabelsFirstAndLast()
    {
        QList<double> values(7, 100.0);
        values << QList<double>(7, 150.0);
        values.last() = 175;
        ChartRequest r = request(ChartType::LineSingleSimplified);
        ChartDataset data{{daily(englandSeries(u"COVID-19_cases_casesByDay"_s), values)}};
        auto scene = ChartBuilder::build(r, data);
        const QStringList texts = svgTexts(ChartRenderer::render(*scene, r.size, ChartFormat::Svg));
        QVERIFY2(texts.contains(u"100"_s) && texts.contains(u"175"_s),
                 qPrintable(texts.join(u'|')));
        // Rising cases: the line is in the negative trend colour.
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        const QPointF onLine =
            chart->mapToPosition(QPointF(ChartStyle::dateX(kFirst.addDays(9)), 150));
        bool found = false;
        for (int dy = -1; dy <= 1; ++dy)
            found = found
                    || image.pixelColor(onLine.toPoint() + QPoint(0, dy)).rgb()
                           == ChartPalette::trendNegative().rgb();
        QVERIFY(found);
    }

    void barsByAgeSortByAge()
    {
        ChartRequest r = request(ChartType::Bar);
        r.xAxis = ChartAxis::Age;
        r.plots[0].colour = ChartPalette::colour(u"COLOUR_3_DARK_PINK"_s);
        QList<ChartPoint> points;
        const QStringList ages = {u"90+"_s, u"10-14"_s, u"5-9"_s, u"65-74"_s};
        const QList<double> values = {40, 10, 5, 30};
        for (int i = 0; i < ages.size(); ++i)
            points.append(ChartPoint{
                englandSeries(u"cases"_s, u"daily"_s, ages[i]), kFirst, values[i], false, {}, {}});
        const ChartDataset data{{points}};
        const BarCharts::BarTable table = BarCharts::barTable(r, data);
        QCOMPARE(table.categories, QStringList({u"5-9"_s, u"10-14"_s, u"65-74"_s, u"90+"_s}));
        QCOMPARE(table.values[0][3].value_or(-1), 40.0);

        auto scene = ChartBuilder::build(r, data);
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        const QRectF area = chart->plotArea();
        const QColor pink(128, 22, 80);
        auto barTop = [&](int category) {
            const int x = qRound(area.left() + (category + 0.5) * area.width() / 4);
            int y = int(area.bottom()) - 2;
            while (y > area.top() && image.pixelColor(x, y).rgb() == pink.rgb())
                --y;
            return area.bottom() - y;
        };
        // Heights follow the sorted order: 5, 10, 30, 40.
        QVERIFY(barTop(0) < barTop(1));
        QVERIFY(barTop(1) < barTop(2));
        QVERIFY(barTop(2) < barTop(3));
        QVERIFY(barTop(0) > 2);
    }

    void barLabelsAreWholeOrNotDrawn_data()
    {
        QTest::addColumn<int>("bands");
        QTest::addColumn<bool>("drawn");
        QTest::newRow("8 bands: across") << 8 << true;
        QTest::newRow("19 bands: turned upwards") << 19 << true;
        QTest::newRow("60 bands: too narrow for any") << 60 << false;
    }

    void barLabelsAreWholeOrNotDrawn()
    {
        // At the default 515x220 QtCharts would elide "00-04" in a 24 px slot to "0…".
        QFETCH(int, bands);
        QFETCH(bool, drawn);
        ChartRequest r = request(ChartType::Bar, 1, {515, 220});
        r.xAxis = ChartAxis::Age;
        QList<ChartPoint> points;
        QStringList names;
        for (int i = 0; i < bands; ++i) {
            names << u"%1-%2"_s.arg(5 * i, 2, 10, QLatin1Char('0'))
                         .arg(5 * i + 4, 2, 10, QLatin1Char('0'));
            points.append(ChartPoint{englandSeries(u"cases"_s, u"daily"_s, names.last()),
                                     kFirst,
                                     10.0 + i,
                                     false,
                                     {},
                                     {}});
        }
        auto scene = ChartBuilder::build(r, ChartDataset{{points}});
        const QStringList texts = svgTexts(ChartRenderer::render(*scene, r.size, ChartFormat::Svg));
        for (const QString &text : texts)
            QVERIFY2(!text.contains(u'\u2026') && !text.contains(u"..."), qPrintable(text));
        for (const QString &name : std::as_const(names))
            QVERIFY2(texts.contains(name) == drawn, qPrintable(name + u": " + texts.join(u'|')));
    }

    void stackedBarsStackPlots()
    {
        ChartRequest r = request(ChartType::StackedBar, 2);
        r.plots[0].colour = ChartPalette::colour(u"COLOUR_1_DARK_BLUE"_s);
        r.plots[1].colour = ChartPalette::colour(u"COLOUR_4_ORANGE"_s);
        ChartDataset data{{daily(englandSeries(u"a"_s), {100, 100, 100}),
                           daily(englandSeries(u"b"_s), {100, 100, 100})}};
        auto scene = ChartBuilder::build(r, data);
        QChart *chart = chartIn(*scene);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        const QRectF area = chart->plotArea();
        const qreal x = area.left() + area.width() / 6; // the first date's bar
        const qreal y50 = chart->mapToPosition(QPointF(0, 50), chart->series().constFirst()).y();
        const qreal y150 = chart->mapToPosition(QPointF(0, 150), chart->series().constFirst()).y();
        COMPARE_COLOUR(pixel(image, QPointF(x, y50)), QColor(18, 67, 109));
        COMPARE_COLOUR(pixel(image, QPointF(x, y150)), QColor(244, 106, 37));
    }

    void heatmapCellsFollowTheScale()
    {
        ChartRequest r = request(ChartType::Heatmap, 1, {500, 240});
        r.categoryAxis = ChartAxis::Age;
        QList<ChartPoint> points;
        const QStringList ages = {u"65+"_s, u"0-4"_s, u"5-14"_s};
        for (int day = 0; day < 4; ++day) {
            for (int a = 0; a < ages.size(); ++a) {
                if (day == 2 && a == 1)
                    continue; // one missing cell: 0-4 on the third day
                points.append(ChartPoint{englandSeries(u"rate"_s, u"daily"_s, ages[a]),
                                         kFirst.addDays(day),
                                         double(day * 10 + a),
                                         false,
                                         {},
                                         {}});
            }
        }
        const ChartDataset data{{points}};
        const HeatmapChart::Grid grid = HeatmapChart::grid(r, data);
        QCOMPARE(grid.categories, QStringList({u"0-4"_s, u"5-14"_s, u"65+"_s}));
        QCOMPARE(grid.minimum, 0.0);
        QCOMPARE(grid.maximum, 32.0);
        auto scene = ChartBuilder::build(r, data);
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto cell = [&](int column, int row) {
            return pixel(image, HeatmapChart::cellRect(r, grid, column, row).center());
        };
        // Rows 0-4, 5-14, 65+ hold values day * 10 + 1, + 2 and + 0.
        COMPARE_COLOUR(cell(0, 2), HeatmapChart::scaleColour(0)); // 65+ day 0: 0, the minimum
        COMPARE_COLOUR(cell(3, 1), HeatmapChart::scaleColour(1)); // 5-14 day 3: 32, the maximum
        COMPARE_COLOUR(cell(1, 1), HeatmapChart::colourFor(grid, 12)); // 5-14 day 1
        COMPARE_COLOUR(cell(2, 0), HeatmapChart::emptyCellColour());   // 0-4 day 2: missing
        QVERIFY(HeatmapChart::scaleColour(0.5).lightness()
                < HeatmapChart::scaleColour(0).lightness());
        QVERIFY(HeatmapChart::scaleColour(0.5).lightness()
                > HeatmapChart::scaleColour(1).lightness());
    }

    void sizeAndFormatAsRequested_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QSize>("size");
        const QList<ChartType> types = {ChartType::SimpleLine,
                                        ChartType::LineWithShadedSection,
                                        ChartType::LineMultiColoured,
                                        ChartType::LineSingleSimplified,
                                        ChartType::Bar,
                                        ChartType::StackedBar,
                                        ChartType::Waffle,
                                        ChartType::Heatmap};
        for (ChartType type : types) {
            for (QSize size : {QSize(515, 220), QSize(1200, 600), QSize(50, 50)})
                QTest::addRow("%s %dx%d", qPrintable(chartTypeName(type)), size.width(),
                              size.height())
                    << int(type) << size;
        }
    }

    void sizeAndFormatAsRequested()
    {
        QFETCH(int, type);
        QFETCH(QSize, size);
        ChartRequest r = request(ChartType(type), 1, size);
        r.xAxisTitle = u"Date of specimen"_s;
        r.yAxisTitle = u"Cases per day"_s;
        ChartDataset data{{daily(englandSeries(u"COVID-19_cases_casesByDay"_s),
                                 {40, 30, 20, 35, 25, 30, 10, 12, 14, 16, 18, 20, 22, 24, 26})}};
        auto scene = ChartBuilder::build(r, data);
        for (ChartFormat format : {ChartFormat::Png, ChartFormat::Jpeg}) {
            QByteArray bytes = ChartRenderer::render(*scene, size, format);
            QBuffer buffer(&bytes);
            QImageReader reader(&buffer);
            QCOMPARE(reader.format(),
                     format == ChartFormat::Png ? QByteArray("png") : QByteArray("jpeg"));
            const QImage image = reader.read();
            QCOMPARE(image.size(), size);
            // Something was drawn: not a single flat colour.
            QImage small = image.convertToFormat(QImage::Format_RGB32);
            bool varied = false;
            for (int y = 0; y < small.height() && !varied; y += 2)
                for (int x = 0; x < small.width() && !varied; x += 2)
                    varied = small.pixel(x, y) != small.pixel(0, 0);
            QVERIFY(varied);
        }
        QSize svgSize;
        const QStringList texts =
            svgTexts(ChartRenderer::render(*scene, size, ChartFormat::Svg), &svgSize);
        QVERIFY(!texts.contains(u"<malformed>"_s));
        QCOMPARE(svgSize, size);
        // Every chart but the sparkline shows the axis titles where there is room for them.
        if (ChartType(type) != ChartType::SimpleLine && size.width() >= 515) {
            QVERIFY2(texts.contains(r.xAxisTitle), qPrintable(texts.join(u'|')));
            // The simplified line has no value axis: its two labelled ends carry the values.
            if (ChartType(type) != ChartType::LineSingleSimplified)
                QVERIFY2(texts.contains(r.yAxisTitle), qPrintable(texts.join(u'|')));
        }
    }

    void waffleAndHeatmapDrawAxisTitlesBesideTheCells_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("waffle") << int(ChartType::Waffle);
        QTest::newRow("heatmap") << int(ChartType::Heatmap);
    }

    void waffleAndHeatmapDrawAxisTitlesBesideTheCells()
    {
        QFETCH(int, type);
        ChartRequest r = request(ChartType(type), 1, {515, 220});
        r.xAxisTitle = u"Week ending"_s;
        r.yAxisTitle = u"Age band"_s;
        QList<ChartPoint> points;
        for (const QString &age : {u"00-04"_s, u"05-09"_s})
            points << daily(englandSeries(u"rate"_s, u"daily"_s, age), {40, 30, 20});
        const ChartDataset data{{points}};
        auto scene = ChartBuilder::build(r, data);
        const QStringList texts = svgTexts(ChartRenderer::render(*scene, r.size, ChartFormat::Svg));
        QVERIFY2(texts.contains(r.xAxisTitle) && texts.contains(r.yAxisTitle),
                 qPrintable(texts.join(u'|')));

        // In the raster: the titles are drawn where the layout left room, never over a cell.
        QRectF cells;
        if (ChartType(type) == ChartType::Waffle) {
            for (int i = 0; i < 100; ++i)
                cells |= WaffleChart::cellRect(r, i);
        } else {
            const HeatmapChart::Grid grid = HeatmapChart::grid(r, data);
            cells = HeatmapChart::cellRect(r, grid, 0, 0)
                    | HeatmapChart::cellRect(r, grid, int(grid.dates.size()) - 1,
                                             int(grid.categories.size()) - 1);
        }
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        auto inked = [&](const QRect &region) {
            int dark = 0;
            for (int y = std::max(0, region.top());
                 y <= std::min(r.size.height() - 1, region.bottom()); ++y)
                for (int x = std::max(0, region.left());
                     x <= std::min(r.size.width() - 1, region.right()); ++x)
                    dark += qGray(image.pixel(x, y)) < 128;
            return dark;
        };
        // The y title reads up the left edge, the x title sits under everything else.
        QVERIFY(inked(QRect(0, int(cells.top()), 18, int(cells.height()))) > 20);
        QVERIFY(inked(QRect(int(cells.left()), r.size.height() - 18, int(cells.width()), 14)) > 20);
        // With titles or without, every cell keeps its own colour in the middle.
        ChartRequest untitled = r;
        untitled.xAxisTitle.clear();
        untitled.yAxisTitle.clear();
        if (ChartType(type) == ChartType::Waffle) {
            QCOMPARE(pixel(image, WaffleChart::cellRect(r, 0).center()).rgb(),
                     ChartPalette::seriesColour(0).rgb());
            QVERIFY(WaffleChart::cellRect(r, 0) != WaffleChart::cellRect(untitled, 0));
        }
    }

    void smallChartsLeaveTheAxisTitlesOut()
    {
        for (ChartType type : {ChartType::Waffle, ChartType::Heatmap}) {
            ChartRequest r = request(type, 1, {100, 100});
            r.xAxisTitle = u"Week ending"_s;
            r.yAxisTitle = u"Age band"_s;
            auto scene = ChartBuilder::build(r, ChartDataset{{daily(englandSeries(u"a"_s), {45})}});
            const QStringList texts =
                svgTexts(ChartRenderer::render(*scene, r.size, ChartFormat::Svg));
            QVERIFY2(!texts.contains(r.xAxisTitle) && !texts.contains(r.yAxisTitle),
                     qPrintable(texts.join(u'|')));
        }
    }

    void encodingWorksOffTheGuiThread()
    {
        ChartRequest r = request(ChartType::Waffle, 1, {300, 200});
        auto scene = ChartBuilder::build(r, ChartDataset{{daily(englandSeries(u"a"_s), {45})}});
        const QImage image = ChartRenderer::renderImage(*scene, r.size);
        QByteArray png;
        std::unique_ptr<QThread> worker(
            QThread::create([&] { png = ChartRenderer::encodeImage(image, ChartFormat::Png); }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QCOMPARE(QImage::fromData(png, "PNG").convertToFormat(image.format()), image);
        QCOMPARE(png, ChartRenderer::render(*scene, r.size, ChartFormat::Png));
    }

    void noDataSaysSo()
    {
        for (ChartType type :
             {ChartType::LineMultiColoured, ChartType::Waffle, ChartType::Heatmap}) {
            ChartRequest r = request(type);
            auto scene = ChartBuilder::build(r, ChartDataset{{{}}});
            const QStringList texts =
                svgTexts(ChartRenderer::render(*scene, r.size, ChartFormat::Svg));
            QCOMPARE(texts, QStringList{u"No data"_s});
            QCOMPARE(ChartRenderer::renderImage(*scene, r.size).size(), r.size);
        }
    }
};

QTEST_MAIN(TestChartRendering)
#include "TestChartRendering.moc"
