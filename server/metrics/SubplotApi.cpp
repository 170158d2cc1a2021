#include "SubplotApi.h"

#include "DrfFields.h"
#include "PointDownloads.h"
#include "UkhsaChartFields.h"
#include "UkhsaPlots.h"
#include "UkhsaWire.h"
#include "http/JsonBytes.h"

#include <QJsonArray>
#include <QSet>
#include <cmath>
#include <variant>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QStringList kFileFormats = {u"svg"_s, u"png"_s, u"jpg"_s, u"jpeg"_s, u"json"_s, u"csv"_s};

} // namespace

SubplotApi::Checked SubplotApi::read(const QJsonObject &body, int maxPlots)
{
    static const QStringList kChartDimensions = {u"theme"_s,    u"sub_theme"_s, u"age"_s,
                                                 u"sex"_s,      u"stratum"_s,   u"geography_type"_s,
                                                 u"geography"_s};
    static const QStringList kPlotDimensions = {u"age"_s, u"sex"_s, u"stratum"_s,
                                                u"geography_type"_s, u"geography"_s};
    SubplotApi::Request request;
    DrfFields::Reader fields(body);
    request.chart =
        UkhsaChartFields::read(body, fields, kFileFormats, UkhsaChartFields::Serializer::Subplot);
    request.fileFormat = request.chart.fileFormat;

    // What the chart names for every plot, then what each subplot names over it.
    QHash<QString, QString> chart;
    std::optional<QDate> from, to;
    if (const auto given = fields.nested(u"chart_parameters"_s, true)) {
        if (!given->isObject()) {
            fields.failWith(u"chart_parameters"_s, UkhsaWire::notAnObject(*given));
        } else {
            const QJsonObject parameters = given->toObject();
            DrfFields::Reader own(parameters);
            request.xAxis = own.text(u"x_axis"_s, {}).value_or(QString());
            own.text(u"y_axis"_s, {});
            for (const QString &name : kChartDimensions) {
                const bool themes = name == u"theme" || name == u"sub_theme";
                if (const auto value = own.text(name, {false, !themes, !themes}))
                    chart.insert(name, *value);
                if (name == u"sub_theme") { // declared after the themes, before the rest
                    from = own.date(u"date_from"_s);
                    to = own.date(u"date_to"_s);
                }
            }
            if (parameters.contains(u"metric_value_ranges")
                && !parameters.value(u"metric_value_ranges").isNull())
                DrfFields::eachItem(
                    own, u"metric_value_ranges"_s, parameters.value(u"metric_value_ranges"),
                    [&request](const QJsonObject &range, DrfFields::Reader &rangeFields) {
                        const auto start = DrfFields::decimal(range, u"start"_s, rangeFields);
                        const auto end = DrfFields::decimal(range, u"end"_s, rangeFields);
                        if (start && end)
                            request.valueRanges.append({*start, *end});
                    });
            if (!own.ok())
                fields.failWith(u"chart_parameters"_s, own.errors());
        }
    }

    struct SentPlot {
        PointSelection selection;
        QString value; // on the x axis
        QString colour;
    };
    QList<QList<SentPlot>> subplotPlots;
    qsizetype plotCount = 0;
    if (const auto subplots = fields.nested(u"subplots"_s, true)) {
        DrfFields::eachItem(
            fields, u"subplots"_s, *subplots,
            [&](const QJsonObject &subplot, DrfFields::Reader &own) {
                const auto title = own.text(u"subplot_title"_s, {});
                QHash<QString, QString> named;
                if (const auto given = own.nested(u"subplot_parameters"_s, true)) {
                    const QJsonObject parameters = given->toObject();
                    DrfFields::Reader parameterFields(parameters);
                    if (!given->isObject())
                        own.failWith(u"subplot_parameters"_s, UkhsaWire::notAnObject(*given));
                    for (const QString &name :
                         {u"metric"_s, u"topic"_s, u"stratum"_s, u"theme"_s, u"sub_theme"_s}) {
                        const bool required = name == u"metric" || name == u"topic";
                        const bool free = name == u"stratum";
                        if (!given->isObject())
                            break;
                        if (const auto value = parameterFields.text(name, {required, free, free}))
                            named.insert(name, *value);
                    }
                    // UKHSA's rule, once the fields are read: the themes named somewhere.
                    for (const QString &name : {u"theme"_s, u"sub_theme"_s}) {
                        if (given->isObject() && parameterFields.ok() && named.value(name).isEmpty()
                            && chart.value(name).isEmpty())
                            parameterFields.fail(
                                u"non_field_errors"_s,
                                u"'%1' must be specified at either "
                                "subplot_parameters or chart_parameters level"_s.arg(name));
                    }
                    if (!parameterFields.ok())
                        own.failWith(u"subplot_parameters"_s, parameterFields.errors());
                }
                QList<SentPlot> plots;
                if (const auto list = own.nested(u"plots"_s, true)) {
                    DrfFields::eachItem(
                        own, u"plots"_s, *list,
                        [&](const QJsonObject &plot, DrfFields::Reader &plotFields) {
                            plotFields.text(u"label"_s, {});
                            const auto colour = plotFields.text(u"line_colour"_s, {});
                            // The plot's own names; the chart's over them; the subplot's over
                            // all.
                            QHash<QString, QString> merged;
                            for (const QString &name : kPlotDimensions) {
                                if (const auto value = plotFields.text(name, {false}))
                                    merged.insert(name, *value);
                            }
                            merged.insert(chart);
                            merged.insert(named);
                            PointSelection selection;
                            for (auto field = merged.cbegin(); field != merged.cend(); ++field)
                                UkhsaPlots::setDimension(selection, field.key(), field.value());
                            selection.from = from;
                            selection.to = to;
                            plots.append({selection, merged.value(request.xAxis),
                                          colour.value_or(QString())});
                        });
                }
                plotCount += plots.size();
                request.subplotTitles << title.value_or(QString());
                subplotPlots << plots;
            });
    }
    if (fields.ok() && plotCount > maxPlots)
        fields.fail(u"subplots"_s, u"Ensure the subplots hold no more than %1 plots in all; they "
                                   "hold %2."_s.arg(maxPlots)
                                       .arg(plotCount));
    if (!fields.ok())
        return UkhsaWire::viewAnswer(HttpResponse::bytes(fields.errors(), "application/json", 400),
                                     "POST, OPTIONS");

    // UKHSA's grouping: each distinct x-axis value among the plots, first seen first, with the
    // first plot of each subplot that has it, named after its subplot.
    for (const auto &plots : std::as_const(subplotPlots)) {
        for (const SentPlot &plot : plots) {
            const QString &value = plot.value;
            if (value.isEmpty()
                || std::any_of(request.groups.begin(), request.groups.end(),
                               [&value](const auto &g) { return g.reference == value; }))
                continue;
            SubplotApi::Group group{value, {}};
            for (qsizetype i = 0; i < subplotPlots.size(); ++i) {
                for (const SentPlot &candidate : subplotPlots[i]) {
                    if (candidate.value == value) {
                        group.plots.append(
                            {request.subplotTitles[i], candidate.selection, candidate.colour});
                        break;
                    }
                }
            }
            request.groups.append(group);
        }
    }
    return request;
}

SubplotApi::SubplotApi(QueryRunner &runner, Limits limits, ResponseCache *cache)
    : m_runner(runner)
    , m_limits(limits)
    , m_cache(cache)
{}

void SubplotApi::registerRoutes(Router &router)
{
    router.add("POST", u"/api/tables/subplot/v1"_s,
               u"Subplots as a table: a row per x-axis value, a value per subplot"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return answer(r, true);
               }));
    router.add("POST", u"/api/downloads/subplot/v1"_s,
               u"The points of subplots as JSON (a list per x-axis value) or CSV"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return answer(r, false);
               }));
    for (const QString &path : {u"/api/tables/subplot/v1"_s, u"/api/downloads/subplot/v1"_s})
        UkhsaWire::refuseMethodsAsDrf(router, path, "POST, OPTIONS");
}

QFuture<HttpResponse> SubplotApi::answer(const HttpRequest &request, bool table) const
{
    HttpResponse refused;
    const auto body = UkhsaPlots::parseBody(request.body, &refused);
    if (!body)
        return readyResponse(std::move(refused));
    Checked checked = read(*body, m_limits.maxPlots);
    if (auto *answer = std::get_if<HttpResponse>(&checked))
        return readyResponse(std::move(*answer));
    return m_runner.run(
        [this, table, request = std::get<Request>(std::move(checked))](MetricsQuery &store) {
            return table ? this->table(store, request) : download(store, request);
        });
}

std::variant<QList<PublicPoint>, HttpResponse> SubplotApi::points(MetricsQuery &store,
                                                                  const Request &request,
                                                                  const PointSelection &selection,
                                                                  int index, int maxRows)
{
    auto read = UkhsaPlots::readPoints(store, selection, index, maxRows);
    if (request.valueRanges.isEmpty() || std::holds_alternative<HttpResponse>(read))
        return read;
    QList<PublicPoint> &all = std::get<0>(read);
    all.removeIf([&request](const PublicPoint &point) {
        return std::none_of(request.valueRanges.begin(), request.valueRanges.end(),
                            [&point](const auto &range) {
                                return point.value >= range.first && point.value <= range.second;
                            });
    });
    return read;
}

HttpResponse SubplotApi::table(MetricsQuery &store, const Request &request) const
{
    QByteArrayList rows;
    int index = 0;
    for (const Group &group : request.groups) {
        // UKHSA reads each plot's points in x-axis order, so the newest date's value is the
        // one a name keeps; the row keeps the in-delay flag of the last value read.
        QHash<QString, double> values;
        bool inReportingDelay = false;
        QByteArray reference;
        for (const GroupPlot &plot : group.plots) {
            auto read = points(store, request, plot.selection, index++, m_limits.maxRowsPerRequest);
            if (auto *refusedRead = std::get_if<HttpResponse>(&read))
                return *refusedRead;
            const QList<PublicPoint> &found = std::get<0>(read);
            if (found.isEmpty())
                continue;
            const PublicPoint &last = found.constLast();
            values.insert(plot.subplotTitle, last.value);
            inReportingDelay = last.inReportingDelay;
            if (reference.isNull())
                reference = UkhsaPlots::axisKey(request.xAxis, *last.series, last.date, last.value);
        }
        // A group without data is named by its plots' value as sent.
        if (reference.isNull())
            reference = group.reference.toUtf8();
        QByteArrayList cells;
        for (const QString &title : request.subplotTitles) {
            const auto value = values.constFind(title);
            cells << "{\"label\":" + JsonBytes::string(title) + ",\"value\":"
                         + (value == values.constEnd()
                                ? QByteArray("null,\"in_reporting_delay_period\":false}")
                                : '"' + PointDownloads::fourDecimals(*value)
                                      + (inReportingDelay
                                             ? "\",\"in_reporting_delay_period\":true}"
                                             : "\",\"in_reporting_delay_period\":false}"));
        }
        rows << "{\"reference\":" + JsonBytes::string(QString::fromUtf8(reference))
                    + ",\"values\":[" + cells.join(',') + "]}";
    }
    return UkhsaWire::viewAnswer(
        HttpResponse::bytes('[' + rows.join(',') + ']', "application/json"), "POST, OPTIONS");
}

HttpResponse SubplotApi::download(MetricsQuery &store, const Request &request) const
{
    // Each group's points once each, newest first; groups without data are left out.
    QList<QList<PublicPoint>> groups;
    int index = 0;
    for (const Group &group : request.groups) {
        UkhsaPlots::MergedPoints merged;
        for (const GroupPlot &plot : group.plots) {
            auto read = points(store, request, plot.selection, index++, m_limits.maxRowsPerRequest);
            if (auto *refusedRead = std::get_if<HttpResponse>(&read))
                return *refusedRead;
            merged.add(std::get<0>(std::move(read)));
        }
        QList<PublicPoint> all = merged.newestFirst();
        if (!all.isEmpty())
            groups.append(std::move(all));
    }
    const bool csv = request.fileFormat == u"csv";
    QByteArray bytes;
    if (csv) {
        QList<PublicPoint> all;
        for (const QList<PublicPoint> &group : std::as_const(groups))
            all += group;
        bytes = PointDownloads::csv(all);
    } else {
        QByteArrayList lists;
        for (const QList<PublicPoint> &group : std::as_const(groups))
            lists << PointDownloads::json(group);
        bytes = '[' + lists.join(',') + ']';
    }
    HttpResponse response = UkhsaWire::viewAnswer(
        HttpResponse::bytes(std::move(bytes), csv ? "text/csv" : "application/json"),
        "POST, OPTIONS");
    response.setHeader("Content-Disposition", csv ? "attachment; filename=\"charts-download.csv\""
                                                  : "attachment; filename=chart_download.json");
    return response;
}

} // namespace isobar
