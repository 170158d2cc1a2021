#include "ChartsApi.h"

#include "ChartData.h"
#include "ChartPalette.h"
#include "ChartRequest.h"
#include "RenderQueue.h"
#include "api/QueryRunner.h"
#include "api/RequestParsing.h"
#include "api/ResponseCache.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// What a web client needs to redraw the chart itself: the series, their points and colours.
QJsonObject figure(const ChartRequest &request, const ChartDataset &data)
{
    QJsonArray series;
    for (qsizetype i = 0; i < request.plots.size() && i < data.plots.size(); ++i) {
        const ChartPlot &plot = request.plots[i];
        QJsonArray points;
        for (const ChartPoint &point : data.plots[i]) {
            QJsonObject entry{{u"date"_s, point.date.toString(Qt::ISODate)},
                              {u"value"_s, point.value},
                              {u"in_reporting_delay_period"_s, point.inReportingDelay}};
            // Bounds go out whenever the data have them, so a client can draw the band too.
            if (point.upper)
                entry.insert(u"upper_confidence"_s, *point.upper);
            if (point.lower)
                entry.insert(u"lower_confidence"_s, *point.lower);
            points.append(entry);
        }
        const QColor colour = plot.colour.value_or(ChartPalette::seriesColour(int(i)));
        series.append(
            QJsonObject{{u"label"_s, plot.label.isEmpty() ? u"Plot%1"_s.arg(i + 1) : plot.label},
                        {u"chart_type"_s, chartTypeName(plot.type)},
                        {u"metric"_s, plot.selection.metric},
                        {u"geography"_s, plot.selection.geography},
                        {u"colour"_s, colour.name()},
                        {u"line_type"_s, plot.dashed ? u"DASH"_s : u"SOLID"_s},
                        {u"points"_s, points}});
    }
    return QJsonObject{{u"width"_s, request.size.width()},
                       {u"height"_s, request.size.height()},
                       {u"x_axis_title"_s, request.xAxisTitle},
                       {u"y_axis_title"_s, request.yAxisTitle},
                       {u"series"_s, series}};
}

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

ChartsApi::ChartsApi(QueryRunner &runner, RenderQueue &renders, ResponseCache *cache, Today today)
    : m_runner(runner)
    , m_renders(renders)
    , m_cache(cache)
    , m_today(today ? std::move(today) : Today([] { return QDate::currentDate(); }))
{}

void ChartsApi::registerRoutes(Router &router)
{
    router.add("POST", u"/api/charts/v2"_s, u"A chart of metrics as PNG, JPEG or SVG"_s,
               [this](const HttpRequest &request, const RouteParams &) {
                   return chart(request, Version::V2);
               });
    router.add("POST", u"/api/charts/v3"_s,
               u"A chart as SVG in JSON, with its alt text and plotted data"_s,
               [this](const HttpRequest &request, const RouteParams &) {
                   return chart(request, Version::V3);
               });
}

QFuture<HttpResponse> ChartsApi::chart(const HttpRequest &request, Version version)
{
    QJsonObject body = parseJsonBody(request.body);
    if (version == Version::V3)
        body.insert(u"file_format"_s, u"svg"_s); // v3 answers SVG only
    const QDate today = m_today();
    ChartRequestError invalid;
    std::optional<ChartRequest> parsed = ChartRequest::parse(body, today, &invalid);
    if (!parsed)
        return readyResponse(HttpResponse::problem(400, invalid.detail, invalid.field));

    // The canonical body (QJsonObject keeps keys sorted) and today's date, for the defaults.
    const QByteArray key = (version == Version::V2 ? "charts/v2\n" : "charts/v3\n")
                           + today.toString(Qt::ISODate).toLatin1() + '\n'
                           + QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (m_cache) {
        if (auto hit = m_cache->find(key))
            return readyResponse(revalidated(request, std::move(*hit)));
    }
    const qint64 version0 = m_cache ? m_cache->dataVersion() : 0;

    const ChartRequest chartRequest = *parsed;
    // Read on the query pool, then drawn on the GUI thread; the draw's future is the answer.
    return m_runner.runThen([this, chartRequest, version, key, version0,
                             request](MetricsQuery &query) -> QFuture<HttpResponse> {
        ChartRequestError error;
        std::optional<ChartDataset> data = ChartData::load(query, chartRequest, &error);
        if (!data)
            return readyResponse(HttpResponse::problem(400, error.detail, error.field));
        std::optional<QFuture<RenderedChart>> drawn = m_renders.submit(chartRequest, *data);
        if (!drawn) {
            HttpResponse busy =
                HttpResponse::problem(503, u"too many charts waiting to be drawn; retry shortly"_s);
            busy.setHeader("Retry-After", "1");
            return readyResponse(busy);
        }
        return drawn->then([this, chartRequest, data = std::move(*data), version, key, version0,
                            request](const RenderedChart &chart) {
            HttpResponse response;
            if (version == Version::V2) {
                response = HttpResponse::bytes(chart.bytes, chartContentType(chartRequest.format));
            } else {
                const QDate newest = data.newestDate();
                response = HttpResponse::json(QJsonObject{
                    {u"last_updated"_s,
                     newest.isValid() ? QJsonValue(newest.toString(Qt::ISODate)) : QJsonValue()},
                    {u"chart"_s,
                     QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(chart.bytes)))},
                    {u"alt_text"_s, chart.altText},
                    {u"figure"_s, figure(chartRequest, data)},
                });
            }
            response = withEtag(std::move(response));
            if (m_cache)
                m_cache->insert(key, response, version0);
            return revalidated(request, std::move(response));
        });
    });
}

void ChartsApi::writePrometheus(PrometheusText &out) const
{
    out.single(prometheus::kChartRenders, "counter", "Charts drawn.", double(m_renders.rendered()));
    out.single(prometheus::kChartRenderQueueDepth, "gauge", "Charts waiting to be drawn.",
               m_renders.queued());
    const ResponseCache::Stats cached = m_cache ? m_cache->stats() : ResponseCache::Stats{};
    out.single(prometheus::kChartCacheHits, "counter",
               "Chart requests answered from rendered bytes.", double(cached.hits));
    out.single(prometheus::kChartCacheMisses, "counter", "Chart requests that had to be drawn.",
               double(cached.misses));
}

} // namespace isobar
