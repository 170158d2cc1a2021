// Chart render benchmark: ChartBuilder::build + ChartRenderer::render per chart type, format
// and size, on the data file chart_render_matplotlib.py writes (the reference draws the same
// points). The dataset is built in memory once per chart type, as ChartData::load would hand it
// over; only what the render queue does per job is timed.
//
//   bench_chart_render --data FILE --out TSV [--runs 50] [--warmup 3] [--types a,b]
//                      [--save DIR]
//
// Output rows (TSV, and a line per row on stderr): type, format, width, height, runs, p50, p99,
// mean (ms), bytes of the last render. For PNG also the p50 of build + renderImage (what stays
// on the GUI thread) and of encodeImage alone, since a server encodes on a worker
// (docs/CHARTS.md).

#include "ChartBuilder.h"
#include "ChartPalette.h"
#include "ChartRenderer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

struct Options {
    QString data;
    QString out;
    int runs = 50;
    int warmup = 3;
    QStringList types;
    QString save; // the last render of each chart goes here, to compare with the reference's
};

const QList<ChartType> kTypes = {
    ChartType::SimpleLine,
    ChartType::LineWithShadedSection,
    ChartType::LineMultiColoured,
    ChartType::LineSingleSimplified,
    ChartType::Bar,
    ChartType::StackedBar,
    ChartType::Waffle,
    ChartType::Heatmap,
};
const QList<QSize> kSizes = {{515, 220}, {1200, 600}};
const QList<ChartFormat> kFormats = {ChartFormat::Png, ChartFormat::Svg};

// One SeriesDescription per (metric, age), shared by its points as MetricsQuery shares them.
std::shared_ptr<const SeriesDescription> seriesFor(const QString &metric, const QString &age)
{
    static QHash<QString, std::shared_ptr<const SeriesDescription>> cache;
    const QString key = metric + u'\x1f' + age;
    auto found = cache.constFind(key);
    if (found != cache.constEnd())
        return *found;
    SeriesDescription d;
    d.topic = u"COVID-19"_s;
    d.metric = metric;
    d.geography = u"England"_s;
    d.geographyType = u"Nation"_s;
    d.age = age;
    d.sex = u"all"_s;
    d.stratum = u"default"_s;
    d.frequency = metric.contains(u"rateRollingMean"_s) ? u"weekly"_s : u"daily"_s;
    auto series = std::make_shared<const SeriesDescription>(d);
    cache.insert(key, series);
    return series;
}

struct Chart {
    ChartRequest request;
    ChartDataset data;
};

// The request a page would send for this chart and the points ChartData::load would return.
Chart chartFrom(ChartType type, const QJsonArray &plots)
{
    Chart chart;
    if (type == ChartType::Bar)
        chart.request.xAxis = ChartAxis::Age;
    chart.request.categoryAxis = ChartAxis::Age;
    for (const auto &value : plots) {
        const QJsonObject p = value.toObject();
        const QJsonArray dates = p[u"dates"].toArray();
        const QJsonArray values = p[u"values"].toArray();
        const QJsonArray categories = p[u"categories"].toArray();
        const QJsonArray delay = p[u"delay"].toArray();
        const QString metric = p[u"metric"].toString();

        ChartPlot plot;
        plot.type = type;
        plot.selection.topic = u"COVID-19"_s;
        plot.selection.metric = metric;
        plot.label = p[u"label"].toString();
        if (p.contains(u"colour"))
            plot.colour = ChartPalette::colour(p[u"colour"].toString());
        plot.dashed = p[u"dashed"].toBool();

        QList<ChartPoint> points;
        points.reserve(values.size());
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QString age = categories.isEmpty() ? u"all"_s : categories[i].toString();
            points.append(ChartPoint{seriesFor(metric, age),
                                     QDate::fromString(dates[i].toString(), Qt::ISODate),
                                     values[i].toDouble(),
                                     !delay.isEmpty() && delay[i].toBool(),
                                     {},
                                     {}});
        }
        if (!points.isEmpty()) {
            plot.selection.from = points.constFirst().date;
            plot.selection.to = points.constLast().date;
        }
        chart.request.plots.append(plot);
        chart.data.plots.append(points);
    }
    return chart;
}

// Nearest rank, as the matplotlib side computes it.
double percentile(QList<double> sorted, double q)
{
    const qsizetype k =
        std::clamp<qsizetype>(qsizetype(std::ceil(q * sorted.size())) - 1, 0, sorted.size() - 1);
    return sorted[k];
}

bool parse(const QStringList &args, Options *options)
{
    // Each option is followed by its value.
    for (qsizetype i = 1; i < args.size(); i += 2) {
        const QString &a = args[i];
        const QString next = i + 1 < args.size() ? args[i + 1] : QString();
        if (a == u"--data")
            options->data = next;
        else if (a == u"--out")
            options->out = next;
        else if (a == u"--runs")
            options->runs = next.toInt();
        else if (a == u"--warmup")
            options->warmup = next.toInt();
        else if (a == u"--save")
            options->save = next;
        else if (a == u"--types")
            options->types = next.split(u',', Qt::SkipEmptyParts);
        else
            return false;
    }
    return !options->data.isEmpty() && !options->out.isEmpty() && options->runs > 0;
}

} // namespace

int main(int argc, char **argv)
{
    // The render queue's environment: a QApplication on the offscreen platform, as serve uses.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Options options;
    if (!parse(app.arguments(), &options)) {
        std::fprintf(stderr, "usage: bench_chart_render --data FILE --out TSV [--runs N] "
                             "[--warmup N] [--types a,b] [--save DIR]\n");
        return 2;
    }
    QFile file(options.data);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(options.data));
        return 1;
    }
    const QJsonObject charts =
        QJsonDocument::fromJson(file.readAll()).object()[u"charts"].toObject();
    QFile out(options.out);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(options.out));
        return 1;
    }

    for (QSize size : kSizes) {
        for (ChartFormat format : kFormats) {
            for (ChartType type : kTypes) {
                const QString name = chartTypeName(type);
                if (!options.types.isEmpty() && !options.types.contains(name))
                    continue;
                Chart chart = chartFrom(type, charts[name].toArray());
                chart.request.size = size;
                chart.request.format = format;

                QByteArray bytes;
                for (int i = 0; i < options.warmup; ++i)
                    bytes = ChartRenderer::render(*ChartBuilder::build(chart.request, chart.data),
                                                  size, format);
                QList<double> total, paint, encode;
                QElapsedTimer timer;
                for (int i = 0; i < options.runs; ++i) {
                    timer.start();
                    auto scene = ChartBuilder::build(chart.request, chart.data);
                    double painted = 0, encoded = 0;
                    if (format == ChartFormat::Svg) {
                        bytes = ChartRenderer::render(*scene, size, format);
                    } else {
                        // render() is renderImage + encodeImage; timing the halves apart shows
                        // what stays on the GUI thread once encoding moves to a worker.
                        const QImage image = ChartRenderer::renderImage(*scene, size);
                        painted = timer.nsecsElapsed() / 1e6;
                        bytes = ChartRenderer::encodeImage(image, format);
                        encoded = timer.nsecsElapsed() / 1e6;
                    }
                    scene.reset(); // destroying the scene is part of every job's cost
                    total.append(timer.nsecsElapsed() / 1e6);
                    if (format != ChartFormat::Svg) {
                        paint.append(painted);
                        encode.append(encoded - painted);
                    }
                }
                std::sort(total.begin(), total.end());
                std::sort(paint.begin(), paint.end());
                std::sort(encode.begin(), encode.end());
                double mean = 0;
                for (double t : total)
                    mean += t;
                mean /= total.size();
                const QString row =
                    u"%1\t%2\t%3\t%4\t%5\t%6\t%7\t%8\t%9\t%10\t%11\n"_s
                        .arg(name, chartFormatName(format))
                        .arg(size.width())
                        .arg(size.height())
                        .arg(options.runs)
                        .arg(percentile(total, 0.5), 0, 'f', 3)
                        .arg(percentile(total, 0.99), 0, 'f', 3)
                        .arg(mean, 0, 'f', 3)
                        .arg(bytes.size())
                        .arg(paint.isEmpty() ? QString()
                                             : QString::number(percentile(paint, 0.5), 'f', 3),
                             encode.isEmpty() ? QString()
                                              : QString::number(percentile(encode, 0.5), 'f', 3));
                out.write(row.toUtf8());
                if (!options.save.isEmpty()) {
                    QFile image(u"%1/isobar-%2-%3x%4.%5"_s.arg(options.save, name)
                                    .arg(size.width())
                                    .arg(size.height())
                                    .arg(chartFormatName(format)));
                    if (image.open(QIODevice::WriteOnly))
                        image.write(bytes);
                }
                out.flush();
                std::fprintf(stderr, "isobar %-26s %s %dx%d: p50 %.2f ms\n", qPrintable(name),
                             qPrintable(chartFormatName(format)), size.width(), size.height(),
                             percentile(total, 0.5));
            }
        }
    }
    return 0;
}
