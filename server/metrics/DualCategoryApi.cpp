#include "DualCategoryApi.h"

#include "ChartPalette.h"
#include "DrfFields.h"
#include "PointDownloads.h"
#include "UkhsaChartFields.h"
#include "UkhsaPlots.h"
#include "UkhsaWire.h"
#include "api/Today.h"
#include "http/JsonBytes.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <cmath>
#include <functional>
#include <variant>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QStringList kChartFormats = {u"svg"_s, u"png"_s, u"jpg"_s, u"jpeg"_s};
const QStringList kDownloadFormats = {u"json"_s, u"csv"_s};
const QStringList kChartTypes = {u"bar"_s, u"line_multi_coloured"_s, u"line_single_simplified"_s,
                                 u"stacked_bar"_s, u"pyramid"_s};
// UKHSA's metric groups, found in a metric's name ("headline" first); a name holding none
// fails UKHSA's serializer (a 500).
const QStringList kTimeseriesGroups = {
    u"cases"_s,     u"deaths"_s, u"healthcare"_s, u"testing"_s,  u"vaccinations"_s,
    u"syndromic"_s, u"counts"_s, u"prevention"_s, u"coverage"_s, u"consumption"_s};
// What a segment may split a series by: the fields a record names.
const QStringList kCategories = {
    u"age"_s, u"sex"_s, u"stratum"_s, u"geography"_s, u"geography_type"_s, u"metric"_s};

// DRF's ChoiceField over the names the store holds (PlotSerializer's topic and metric).
std::optional<QString> storeChoice(const QJsonObject &object, DrfFields::Reader &fields,
                                   const QString &name,
                                   const std::function<bool(const QString &)> &known)
{
    const QJsonValue given = object.value(name);
    if (given.isUndefined() || given.isNull()) {
        fields.fail(name, given.isNull() ? DrfFields::kNotNull : DrfFields::kRequired);
        return std::nullopt;
    }
    const QString text = DrfFields::choiceText(given);
    if (!given.isString() || !known(text)) {
        fields.fail(name, DrfFields::notAChoice(text));
        return std::nullopt;
    }
    return text;
}

struct StaticFields {
    PointSelection selection;
    QString dateFrom, dateTo; // as sent, for UKHSA's plot rules
};

// PlotSerializer, as static_fields.
std::optional<StaticFields> staticFields(MetricsQuery &store, DrfFields::Reader &owner,
                                         const QJsonValue &given)
{
    if (!given.isObject()) {
        owner.failWith(u"static_fields"_s, UkhsaWire::notAnObject(given));
        return std::nullopt;
    }
    const QJsonObject object = given.toObject();
    DrfFields::Reader fields(object);
    StaticFields result;
    PointSelection &s = result.selection;
    s.topic = storeChoice(object, fields, u"topic"_s, [&store](const QString &topic) {
                  return store.topicExists(topic);
              }).value_or(QString());
    s.metric = storeChoice(object, fields, u"metric"_s, [&store](const QString &metric) {
                   return store.metricInfo({}, metric).has_value();
               }).value_or(QString());
    for (const QString &name :
         {u"stratum"_s, u"age"_s, u"geography"_s, u"geography_type"_s, u"sex"_s}) {
        UkhsaPlots::setDimension(s, name,
                                 fields.text(name, {false, true, true}).value_or(QString()));
    }
    for (const QString &name : {u"date_from"_s, u"date_to"_s}) {
        const QJsonValue date = object.value(name);
        if (date.isUndefined() || date.isNull())
            continue;
        const bool from = name == u"date_from";
        (from ? s.from : s.to) = fields.date(name);
        (from ? result.dateFrom : result.dateTo) = (from ? s.from : s.to)->toString(Qt::ISODate);
    }
    if (!fields.ok()) {
        owner.failWith(u"static_fields"_s, fields.errors());
        return std::nullopt;
    }
    return result;
}

// DRF's ListField of CharFields: its items' errors keyed by their index.
QStringList textList(DrfFields::Reader &owner, const QString &name, const QJsonValue &given)
{
    if (!given.isArray()) {
        owner.fail(name, UkhsaWire::notAList(given));
        return {};
    }
    QStringList values;
    UkhsaWire::ErrorFields itemErrors;
    const QJsonArray items = given.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject holder{{u"item"_s, items[i]}};
        DrfFields::Reader item(holder);
        const auto value = item.text(u"item"_s, {});
        if (!item.ok())
            itemErrors.append({QString::number(i), item.errorsOf(u"item"_s)});
        values << value.value_or(QString());
    }
    if (!itemErrors.isEmpty())
        owner.failWith(name, UkhsaWire::errorObject(itemErrors));
    return values;
}

struct Segment {
    QString value;
    QString label;
    QString colour;
};

using Checked = std::variant<DualCategoryApi::Request, HttpResponse>;

HttpResponse fieldsAnswer(const QByteArray &errors)
{
    return UkhsaWire::viewAnswer(HttpResponse::bytes(errors, "application/json", 400),
                                 "POST, OPTIONS");
}

HttpResponse fieldAnswer(const QString &name, const QString &message)
{
    return fieldsAnswer(UkhsaWire::errorObject({{name, UkhsaWire::errorMessages(message)}}));
}

} // namespace

// The serializers' fields in their order: the tables' and the chart's (a chart's fields first)
// or the downloads'.
Checked DualCategoryApi::read(MetricsQuery &store, const QJsonObject &body, Route route,
                              QDate today, int maxPlots)
{
    static const QStringList chartTypes = {u"stacked_bar"_s}; // UKHSA's chart draws these only
    DualCategoryApi::Request request;
    DrfFields::Reader fields(body);
    std::optional<QString> xAxis;
    if (route != Route::Download) {
        request.chart = UkhsaChartFields::read(body, fields, kChartFormats);
        xAxis = request.chart.xAxis;
        DrfFields::choice(body, fields, u"chart_type"_s,
                          route == Route::Chart ? chartTypes : kChartTypes, route == Route::Chart,
                          false);
    } else {
        request.fileFormat =
            DrfFields::choice(body, fields, u"file_format"_s, kDownloadFormats, true, false)
                .value_or(QString());
        xAxis = DrfFields::choice(body, fields, u"x_axis"_s, UkhsaChartFields::axes(), false, true);
        DrfFields::choice(body, fields, u"y_axis"_s, UkhsaChartFields::axes(), false, true);
        fields.text(u"chart_type"_s, {false});
    }
    QStringList primaryValues;
    if (const auto given = fields.nested(u"primary_field_values"_s, false))
        primaryValues = textList(fields, u"primary_field_values"_s, *given);
    request.secondaryCategory = fields.text(u"secondary_category"_s, {}).value_or(QString());
    std::optional<StaticFields> statics;
    if (const auto given = fields.nested(u"static_fields"_s, true))
        statics = staticFields(store, fields, *given);
    QList<Segment> segments;
    if (const auto given = fields.nested(u"segments"_s, true)) {
        DrfFields::eachItem(
            fields, u"segments"_s, *given,
            [&segments](const QJsonObject &segment, DrfFields::Reader &own) {
                const auto value = own.text(u"secondary_field_value"_s, {});
                const auto colour = DrfFields::choice(segment, own, u"colour"_s,
                                                      ChartPalette::names(), false, false);
                const auto label = own.text(u"label"_s, {false, false, true});
                segments.append({value.value_or(QString()), label.value_or(QString()),
                                 colour.value_or(QString())});
            });
    }
    if (!fields.ok())
        return fieldsAnswer(fields.errors());

    // UKHSA's rules over the fields: which kind of metric, then what each kind takes.
    const QString &metric = statics->selection.metric;
    request.headline = metric.contains(u"headline");
    if (!request.headline
        && std::none_of(kTimeseriesGroups.begin(), kTimeseriesGroups.end(),
                        [&metric](const QString &group) { return metric.contains(group); }))
        return fieldsAnswer(UkhsaWire::errorObject(
            {{u"static_fields"_s,
              UkhsaWire::errorObject(
                  {{u"metric"_s, UkhsaWire::errorMessages(
                                     u"\"%1\" names none of UKHSA's metric groups: headline, %2."_s
                                         .arg(metric, kTimeseriesGroups.join(u", "_s)))}})}}));
    request.xAxis = xAxis.value_or(QString());
    if (request.xAxis.isEmpty())
        request.xAxis = u"date"_s;
    if (!request.headline && !primaryValues.isEmpty())
        return fieldAnswer(u"primary_field_values"_s,
                           u"This field should not be provided for timeseries data."_s);
    if (!request.headline && request.xAxis != u"date")
        return fieldAnswer(u"x_axis"_s,
                           u"This field should be set to 'date' for timeseries data."_s);
    if (request.headline && primaryValues.isEmpty())
        return fieldAnswer(u"primary_field_values"_s,
                           u"This field is required for headline data."_s);
    // Where UKHSA fails (a 500), Isobar names the field.
    if (request.headline && request.xAxis == u"date")
        return fieldAnswer(u"x_axis"_s, u"Headline data needs an x_axis other than date: one of "
                                        "stratum, age, metric, geography, sex."_s);
    if (!kCategories.contains(request.secondaryCategory))
        return fieldAnswer(u"secondary_category"_s,
                           u"\"%1\" is not a field a segment can set: one of %2."_s.arg(
                               request.secondaryCategory, kCategories.join(u", "_s)));
    if (segments.isEmpty())
        return fieldAnswer(u"segments"_s, u"This list may not be empty."_s);
    const qsizetype plotCount = segments.size() * (request.headline ? primaryValues.size() : 1);
    if (plotCount > maxPlots)
        return fieldAnswer(u"segments"_s,
                           u"Ensure the primary values and segments make no more than %1 plots; "
                           "they make %2."_s.arg(maxPlots)
                               .arg(plotCount));

    if (auto broken = UkhsaPlots::breaksPlotRules(store, statics->selection, statics->dateFrom,
                                                  statics->dateTo))
        return *broken;
    UkhsaPlots::defaultDates(statics->selection, today);
    // A plot per segment, for each primary value of a headline metric on the x axis.
    const QStringList primaries = request.headline ? primaryValues : QStringList{QString()};
    for (const QString &primary : primaries) {
        for (const Segment &segment : std::as_const(segments)) {
            DualCategoryApi::Plot plot{segment.label.isEmpty() ? segment.value : segment.label,
                                       segment.colour, statics->selection};
            if (request.headline)
                UkhsaPlots::setDimension(plot.selection, request.xAxis, primary);
            UkhsaPlots::setDimension(plot.selection, request.secondaryCategory, segment.value);
            request.plots.append(plot);
        }
    }
    for (const Segment &segment : std::as_const(segments))
        request.segmentValues << segment.value;
    return request;
}

DualCategoryApi::DualCategoryApi(QueryRunner &runner, Limits limits, ResponseCache *cache)
    : m_runner(runner)
    , m_limits(limits)
    , m_cache(cache)
{}

void DualCategoryApi::registerRoutes(Router &router)
{
    router.add("POST", u"/api/tables/dual-category/v1"_s,
               u"A series split by a second category as a table: a row per x-axis value, a "
               "value per segment"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return answer(r, true);
               }));
    router.add("POST", u"/api/downloads/dual-category/v1"_s,
               u"A series split by a second category as JSON or CSV: a column per segment"_s,
               cachedRoute(m_cache, [this](const HttpRequest &r, const RouteParams &) {
                   return answer(r, false);
               }));
    for (const QString &path :
         {u"/api/tables/dual-category/v1"_s, u"/api/downloads/dual-category/v1"_s})
        UkhsaWire::refuseMethodsAsDrf(router, path, "POST, OPTIONS");
}

QFuture<HttpResponse> DualCategoryApi::answer(const HttpRequest &request, bool table) const
{
    HttpResponse refused;
    const auto body = UkhsaPlots::parseBody(request.body, &refused);
    if (!body)
        return readyResponse(std::move(refused));
    return m_runner.run([this, table, body = *body](MetricsQuery &store) -> HttpResponse {
        Checked checked = read(store, body, table ? Route::Table : Route::Download, localToday(),
                               m_limits.maxPlots);
        if (auto *answer = std::get_if<HttpResponse>(&checked))
            return *answer;
        const Request &request = std::get<Request>(checked);
        return table ? this->table(store, request) : download(store, request);
    });
}

HttpResponse DualCategoryApi::table(MetricsQuery &store, const Request &request) const
{
    struct Cell {
        double value = 0;
        bool inReportingDelay = false;
    };
    UkhsaPlots::TableRows<QHash<QString, Cell>> rows(request.xAxis == u"date");
    QStringList labels; // of the plots with data, each once
    for (int i = 0; i < request.plots.size(); ++i) {
        const Plot &plot = request.plots[i];
        QList<std::pair<QByteArray, Cell>> found;
        if (request.headline) {
            if (const auto headline = UkhsaPlots::latestHeadline(store, plot.selection))
                found.append(
                    {UkhsaPlots::axisKey(request.xAxis, *headline->series, {}, headline->value),
                     {headline->value, false}});
        } else {
            auto read =
                UkhsaPlots::readPoints(store, plot.selection, i, m_limits.maxRowsPerRequest);
            if (auto *refused = std::get_if<HttpResponse>(&read))
                return *refused;
            for (const PublicPoint &point : std::get<0>(read))
                found.append(
                    {UkhsaPlots::axisKey(request.xAxis, *point.series, point.date, point.value),
                     {point.value, point.inReportingDelay}});
        }
        if (found.isEmpty())
            continue;
        if (!labels.contains(plot.label))
            labels << plot.label;
        for (const auto &[key, cell] : std::as_const(found))
            rows[key].insert(plot.label, cell);
    }
    if (rows.isEmpty())
        return UkhsaPlots::noData();
    QByteArrayList out;
    for (const QByteArray &key : rows.keys()) {
        const QHash<QString, Cell> &row = rows.at(key);
        QByteArrayList cells;
        for (const QString &label : std::as_const(labels)) {
            const auto cell = row.constFind(label);
            const bool found = cell != row.constEnd();
            cells << "{\"label\":" + JsonBytes::string(label) + ",\"value\":"
                         + (found ? '"' + PointDownloads::fourDecimals(cell->value) + '"'
                                  : QByteArray("null"))
                         + (found && cell->inReportingDelay
                                ? ",\"in_reporting_delay_period\":true}"
                                : ",\"in_reporting_delay_period\":false}");
        }
        out << "{\"reference\":" + JsonBytes::string(QString::fromUtf8(key)) + ",\"values\":["
                   + cells.join(',') + "]}";
    }
    return UkhsaWire::viewAnswer(HttpResponse::bytes('[' + out.join(',') + ']', "application/json"),
                                 "POST, OPTIONS");
}

HttpResponse DualCategoryApi::download(MetricsQuery &store, const Request &request) const
{
    // The plots' records merged: a time series' points once each, newest first; a headline's
    // latest record per plot.
    QList<QList<PointDownloads::Field>> records;
    if (request.headline) {
        for (const Plot &plot : request.plots) {
            if (const auto headline = UkhsaPlots::latestHeadline(store, plot.selection))
                records << PointDownloads::record(*headline);
        }
    } else {
        UkhsaPlots::MergedPoints merged;
        for (int i = 0; i < request.plots.size(); ++i) {
            if (auto refused =
                    merged.read(store, request.plots[i].selection, i, m_limits.maxRowsPerRequest))
                return *refused;
        }
        for (const PublicPoint &point : merged.newestFirst())
            records << PointDownloads::record(point);
    }
    if (records.isEmpty())
        return UkhsaPlots::noData();

    // UKHSA's pivot: a row per x-axis value, first seen first, holding the first record's
    // fields (the x axis' first) but its value and category, then a field per category value.
    const QByteArray xAxis = request.xAxis.toLatin1();
    const QByteArray category = request.secondaryCategory.toLatin1();
    auto find = [](auto &fields, const QByteArray &name) {
        return std::find_if(fields.begin(), fields.end(),
                            [&name](const PointDownloads::Field &f) { return f.name == name; });
    };
    QList<QList<PointDownloads::Field>> rows;
    QHash<QString, qsizetype> rowOf;
    for (const QList<PointDownloads::Field> &record : std::as_const(records)) {
        const PointDownloads::Field &x = *find(record, xAxis);
        auto at = rowOf.constFind(x.text);
        if (at == rowOf.constEnd()) {
            QList<PointDownloads::Field> row{x};
            for (const PointDownloads::Field &field : record) {
                if (field.name != "metric_value" && field.name != category && field.name != xAxis)
                    row << field;
            }
            at = rowOf.insert(x.text, rows.size());
            rows << row;
        }
        QList<PointDownloads::Field> &row = rows[*at];
        PointDownloads::Field value = *find(record, "metric_value");
        value.name = find(record, category)->text.toUtf8();
        if (auto existing = find(row, value.name); existing != row.end())
            *existing = value;
        else
            row << value;
    }

    const bool csv = request.fileFormat == u"csv";
    QByteArray bytes;
    if (csv) {
        // UKHSA's columns: the metadata but the category, the x axis, a column per segment.
        QByteArrayList columns =
            request.headline
                ? QByteArrayList{"theme",          "sub_theme",    "topic",
                                 "geography_type", "geography",    "metric",
                                 "stratum",        "period_start", "period_end"}
                : QByteArrayList{
                    "theme",  "sub_theme", "topic", "geography_type", "geography",
                    "metric", "stratum",   "sex",   "year",           "in_reporting_delay_period"};
        columns.removeAll(category);
        if (!columns.contains(xAxis))
            columns << xAxis;
        for (const QString &value : request.segmentValues)
            columns << value.toUtf8();
        QByteArrayList header;
        for (const QByteArray &column : std::as_const(columns))
            header << PointDownloads::csvField(QString::fromUtf8(column));
        bytes = header.join(',') + "\r\n";
        for (const QList<PointDownloads::Field> &row : std::as_const(rows)) {
            QByteArrayList cells;
            for (const QByteArray &column : std::as_const(columns)) {
                const auto field = find(row, column);
                cells << (field == row.end() ? QByteArray()
                                             : PointDownloads::csvField(field->text));
            }
            bytes += cells.join(',') + "\r\n";
        }
    } else {
        QByteArrayList objects;
        for (const QList<PointDownloads::Field> &row : std::as_const(rows)) {
            QByteArrayList members;
            for (const PointDownloads::Field &field : row)
                members << JsonBytes::string(QString::fromUtf8(field.name)) + ':' + field.json;
            objects << '{' + members.join(',') + '}';
        }
        bytes = '[' + objects.join(',') + ']';
    }
    HttpResponse response = UkhsaWire::viewAnswer(
        HttpResponse::bytes(std::move(bytes), csv ? "text/csv" : "application/json"),
        "POST, OPTIONS");
    response.setHeader("Content-Disposition",
                       csv ? "attachment; filename=\"dual_category_download.csv\""
                           : "attachment; filename=dual_category_download.json");
    return response;
}

} // namespace isobar
