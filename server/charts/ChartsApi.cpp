#include "ChartsApi.h"

#include "ChartData.h"
#include "ChartPalette.h"
#include "ChartRequest.h"
#include "PlotlyFigure.h"
#include "RenderQueue.h"
#include "api/QueryRunner.h"
#include "api/RequestParsing.h"
#include "api/ResponseCache.h"
#include "api/Today.h"
#include "http/JsonBytes.h"
#include "metrics/DrfFields.h"
#include "metrics/DualCategoryApi.h"
#include "metrics/SubplotApi.h"
#include "metrics/UkhsaPlots.h"
#include "metrics/UkhsaWire.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

HttpResponse withEtag(HttpResponse response)
{
    const QByteArray digest =
        QCryptographicHash::hash(response.body, QCryptographicHash::Sha256).toHex().left(32);
    response.setHeader("ETag", '"' + digest + '"');
    response.setHeader("Cache-Control", "public, max-age=300");
    return response;
}

// 304 when the client already holds these exact bytes.
HttpResponse revalidated(const HttpRequest &request, HttpResponse response)
{
    const QByteArray etag = response.header("ETag");
    if (etag.isEmpty() || request.header("if-none-match") != etag)
        return response;
    HttpResponse notModified;
    notModified.status = 304;
    notModified.setHeader("ETag", etag);
    notModified.notes = response.notes;
    return notModified;
}

} // namespace

namespace {

// charts/v2 and v3: ChartBody's reading, then the plots' points.
std::variant<ChartsApi::Prepared, HttpResponse> singleCategory(MetricsQuery &store,
                                                               const QJsonObject &body,
                                                               ChartBody::Version version,
                                                               QDate today)
{
    std::variant<ChartBody::Chart, HttpResponse> read =
        ChartBody::read(store, body, version, today);
    if (auto *answer = std::get_if<HttpResponse>(&read))
        return std::move(*answer);
    ChartBody::Chart &chart = std::get<ChartBody::Chart>(read);
    ChartRequestError error;
    std::optional<ChartDataset> data = ChartData::load(store, chart.request, &error);
    if (!data)
        return UkhsaWire::errorMessage(error.detail, "POST, OPTIONS");
    return ChartsApi::Prepared{std::move(chart.request), std::move(*data), chart.fileFormat,
                               version == ChartBody::Version::V2};
}

// charts/dual-category/v1: stacked bars, a bar set per segment; a time series by date, a
// headline metric by the primary values (a plot per primary value and segment, merged).
std::variant<ChartsApi::Prepared, HttpResponse> dualCategory(MetricsQuery &store,
                                                             const QJsonObject &body, QDate today,
                                                             const ChartsApi::Limits &limits)
{
    std::variant<DualCategoryApi::Request, HttpResponse> read =
        DualCategoryApi::read(store, body, DualCategoryApi::Route::Chart, today, limits.maxPlots);
    if (auto *answer = std::get_if<HttpResponse>(&read))
        return std::move(*answer);
    const DualCategoryApi::Request &dual = std::get<DualCategoryApi::Request>(read);
    ChartsApi::Prepared chart{ChartBody::chartOf(dual.chart), {}, dual.chart.fileFormat, false};
    chart.data.headline = dual.headline;
    QHash<QString, qsizetype> segmentPlot; // label -> index
    for (int i = 0; i < dual.plots.size(); ++i) {
        const DualCategoryApi::Plot &plot = dual.plots[i];
        QList<ChartPoint> points;
        if (dual.headline) {
            if (const auto latest = UkhsaPlots::latestHeadline(store, plot.selection))
                points.append(ChartPoint::of(*latest));
        } else {
            auto found = UkhsaPlots::readPoints(store, plot.selection, i, limits.maxRowsPerRequest);
            if (auto *refused = std::get_if<HttpResponse>(&found))
                return std::move(*refused);
            for (const PublicPoint &p : std::get<0>(found))
                points.append(ChartPoint::of(p));
        }
        if (!segmentPlot.contains(plot.label)) {
            segmentPlot.insert(plot.label, chart.request.plots.size());
            ChartPlot segment;
            segment.type = ChartType::StackedBar;
            segment.label = plot.label;
            segment.colour = ChartPalette::colour(plot.colour);
            segment.selection = plot.selection;
            chart.request.plots.append(segment);
            chart.data.plots.append(QList<ChartPoint>());
        }
        chart.data.plots[segmentPlot.value(plot.label)].append(points);
    }
    return chart;
}

// charts/subplot/v1: a column per subplot, a bar per plot (its newest value inside the value
// ranges), the plots grouped across subplots by their value on the x axis (a geography).
std::variant<ChartsApi::Prepared, HttpResponse>
subplots(MetricsQuery &store, const QJsonObject &body, const ChartsApi::Limits &limits)
{
    std::variant<SubplotApi::Request, HttpResponse> read = SubplotApi::read(body, limits.maxPlots);
    if (auto *answer = std::get_if<HttpResponse>(&read))
        return std::move(*answer);
    const SubplotApi::Request &subplot = std::get<SubplotApi::Request>(read);
    ChartsApi::Prepared chart{ChartBody::chartOf(subplot.chart), {}, subplot.fileFormat, false};
    ChartRequest &request = chart.request;
    request.xAxis = ChartAxis::Subplot;
    request.subplotTitles = subplot.subplotTitles;
    request.targetThreshold = subplot.chart.targetThreshold;
    request.targetThresholdLabel = subplot.chart.targetThresholdLabel;
    int index = 0;
    for (const SubplotApi::Group &group : subplot.groups) {
        ChartPlot bars;
        bars.type = ChartType::Bar;
        bars.label = group.reference;
        // A name UKHSA does not know is drawn in its first colour.
        bars.colour = ChartPalette::colour(group.plots.value(0).colour)
                          .value_or(*ChartPalette::colour(ChartPalette::names().constFirst()));
        QList<ChartPoint> points;
        for (const SubplotApi::GroupPlot &plot : group.plots) {
            auto found = SubplotApi::points(store, subplot, plot.selection, index++,
                                            limits.maxRowsPerRequest);
            if (auto *refused = std::get_if<HttpResponse>(&found))
                return std::move(*refused);
            const QList<PublicPoint> &all = std::get<0>(found);
            if (all.isEmpty())
                continue;
            points.append(ChartPoint::of(all.constLast(), plot.subplotTitle));
        }
        request.plots.append(bars);
        chart.data.plots.append(points);
    }
    return chart;
}

} // namespace

ChartsApi::ChartsApi(QueryRunner &runner, RenderQueue &renders, ResponseCache *cache, Limits limits,
                     Today today)
    : m_runner(runner)
    , m_renders(renders)
    , m_cache(cache)
    , m_limits(limits)
    , m_today(today ? std::move(today) : Today(localToday))
{}

void ChartsApi::registerRoutes(Router &router)
{
    using ChartBody::Version;
    struct ChartRoute {
        QString path;
        QString summary;
        Prepare prepare;
        std::optional<bool> image; // unset: as ?preview= says
    };
    const QList<ChartRoute> routes = {
        {u"/api/charts/v2"_s, u"A chart of metrics as PNG, JPEG or SVG"_s,
         [](MetricsQuery &store, const QJsonObject &body, QDate today) {
             return singleCategory(store, body, Version::V2, today);
         },
         true},
        {u"/api/charts/v3"_s, u"A chart as SVG in JSON, with its alt text and Plotly figure"_s,
         [](MetricsQuery &store, const QJsonObject &body, QDate today) {
             return singleCategory(store, body, Version::V3, today);
         },
         false},
        {u"/api/charts/dual-category/v1"_s,
         u"A series split by a second category as stacked bars: JSON as charts v3, the image "
         "with ?preview=true"_s,
         [this](MetricsQuery &store, const QJsonObject &body, QDate today) {
             return dualCategory(store, body, today, m_limits);
         },
         std::nullopt},
        {u"/api/charts/subplot/v1"_s,
         u"Subplots as grouped bars, a column per subplot: JSON as charts v3, the image with "
         "?preview=true"_s,
         [this](MetricsQuery &store, const QJsonObject &body, QDate) {
             return subplots(store, body, m_limits);
         },
         std::nullopt},
    };
    for (const ChartRoute &route : routes) {
        router.add("POST", route.path, route.summary,
                   [this, route](const HttpRequest &request, const RouteParams &) {
                       return serve(request, route.path.toLatin1(), route.prepare, route.image);
                   });
        UkhsaWire::refuseMethodsAsDrf(router, route.path, "POST, OPTIONS");
    }
}

// `image`: whether the route answers the image; unset: as its ?preview= says (UKHSA's
// BooleanField, false by default).
Eventual<HttpResponse> ChartsApi::serve(const HttpRequest &request, const QByteArray &route,
                                        Prepare prepare, std::optional<bool> image)
{
    if (!image) {
        const QJsonObject query{
            {u"preview"_s, UkhsaWire::lastValue(UkhsaWire::queryItems(request), u"preview"_s)
                               .value_or(u"false"_s)}};
        DrfFields::Reader fields(query);
        image = DrfFields::boolean(query, fields, u"preview"_s, false);
        if (!fields.ok())
            return UkhsaWire::viewAnswer(
                HttpResponse::bytes(fields.errors(), "application/json", 400), "POST, OPTIONS");
    }
    HttpResponse invalid;
    const std::optional<QJsonObject> body = UkhsaPlots::parseBody(request.body, &invalid);
    if (!body)
        return invalid;
    const QDate today = m_today();
    // The canonical body (QJsonObject keeps keys sorted) and today's date, for the defaults.
    const QByteArray key = route + (*image ? "\nimage\n" : "\njson\n")
                           + today.toString(Qt::ISODate).toLatin1() + '\n'
                           + QJsonDocument(*body).toJson(QJsonDocument::Compact);
    // The same chart asked for again while it is drawn waits for that drawing: a page's charts
    // are asked for by all its visitors at once, and each drawing queued would hold the others.
    return cachedAnswer(m_cache, m_drawings, key,
                        [&] { return draw(*body, today, prepare, *image); })
        .then(
            [request](HttpResponse response) { return revalidated(request, std::move(response)); });
}

QFuture<HttpResponse> ChartsApi::draw(const QJsonObject &body, QDate today, const Prepare &prepare,
                                      bool image)
{
    // Checked and read on the query pool (the store knows the names), then drawn on the GUI
    // thread; the draw's future is the answer.
    return m_runner.runThen([this, body, today, prepare,
                             image](MetricsQuery &store) -> QueryRunner::NextStep {
        const auto now = [](const HttpResponse &answer) {
            return [answer] { return readyResponse(answer); };
        };
        std::variant<Prepared, HttpResponse> prepared = prepare(store, body, today);
        if (auto *answer = std::get_if<HttpResponse>(&prepared))
            return now(*answer);
        Prepared chart = std::move(std::get<Prepared>(prepared));
        chart.image = image;
        if (!image) // UKHSA's JSON carries the SVG, whatever the file format
            chart.request.format = ChartFormat::Svg;
        else if (!QStringList{u"svg"_s, u"png"_s, u"jpg"_s, u"jpeg"_s}.contains(chart.fileFormat))
            return now(UkhsaWire::viewAnswer(
                UkhsaWire::fieldErrors(
                    {{u"file_format"_s, DrfFields::notAChoice(chart.fileFormat)}}),
                "POST, OPTIONS"));
        if (chart.data.isEmpty())
            return now(UkhsaPlots::noData());
        // Queued to be drawn from the calling thread, where the drawing's answer arrives.
        return [this, chart = std::move(chart)]() -> QFuture<HttpResponse> {
            std::optional<QFuture<RenderedChart>> drawn =
                m_renders.submit(chart.request, chart.data);
            if (!drawn) {
                HttpResponse busy = HttpResponse::problem(
                    503, u"too many charts waiting to be drawn; retry shortly"_s);
                busy.setHeader("Retry-After", "1");
                return readyResponse(busy);
            }
            return drawn->then(QtFuture::Launch::Sync, [chart](const RenderedChart &rendered) {
                return withEtag(answer(chart, rendered));
            });
        };
    });
}

// The image, typed image/<file_format> as UKHSA types it ("image/svg", "image/jpg"), or UKHSA's
// JSON, keys in its order, the SVG percent-encoded as Python's quote_plus() encodes it.
HttpResponse ChartsApi::answer(const Prepared &chart, const RenderedChart &rendered)
{
    if (chart.image)
        return HttpResponse::bytes(rendered.bytes, "image/" + chart.fileFormat.toLatin1());
    const QDate newest = chart.data.newestDate();
    const QByteArray encoded = rendered.bytes.toPercentEncoding(" ").replace(' ', '+');
    QByteArray json =
        "{\"last_updated\":"
        + JsonBytes::string(newest.isValid() ? newest.toString(Qt::ISODate) : QString())
        + ",\"chart\":\"" + encoded + "\",\"alt_text\":" + JsonBytes::string(rendered.altText)
        + ",\"figure\":"
        + QJsonDocument(PlotlyFigure::build(chart.request, chart.data))
              .toJson(QJsonDocument::Compact)
        + '}';
    return UkhsaWire::viewAnswer(HttpResponse::bytes(json, "application/json"), "POST, OPTIONS");
}

void ChartsApi::writePrometheus(PrometheusText &out) const
{
    out.single(prometheus::kChartRenders, "counter", "Charts drawn.", double(m_renders.rendered()));
    out.single(prometheus::kChartRenderQueueDepth, "gauge",
               "Charts waiting, being drawn or being compressed.", m_renders.queued());
}

} // namespace isobar
