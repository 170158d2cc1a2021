#include "UkhsaPlots.h"

#include "CategoryOrder.h"
#include "DateParsing.h"
#include "DrfFields.h"
#include "PointDownloads.h"
#include "http/JsonBytes.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace isobar::UkhsaPlots {

namespace {

const QStringList kAxes = {u"stratum"_s, u"age"_s,       u"date"_s,
                           u"metric"_s,  u"geography"_s, u"sex"_s};
const QStringList kTableChartTypes = {u"bar"_s, u"line_multi_coloured"_s,
                                      u"line_single_simplified"_s, u"stacked_bar"_s, u"pyramid"_s};
const QStringList kFileFormats = {u"json"_s, u"csv"_s};
const QStringList kTextFields = {u"stratum"_s, u"age"_s, u"geography"_s, u"geography_type"_s,
                                 u"sex"_s};

// A field's errors: name, then its messages (one each here, as DRF stops at the first).
using Errors = UkhsaWire::ErrorFields;
using UkhsaWire::errorMessages;

bool filedUnder(MetricsQuery &store, const PointSelection &selection)
{
    bool inTopic = false;
    return store.metricInfo(selection.topic, selection.metric, &inTopic) && inTopic;
}

HttpResponse errorsAnswer(const Errors &errors)
{
    return UkhsaWire::viewAnswer(
        HttpResponse::bytes(UkhsaWire::errorObject(errors), "application/json", 400),
        "POST, OPTIONS");
}

// A ChoiceField. Absent: an error if required, else `blank`'s value. Null or "": `blank`'s
// value when the field allows them (allow_null, allow_blank), else an error. Anything but a
// string naming a choice is not one (a number too, as DRF compares str() of it).
void choiceField(const QJsonObject &object, const QString &name, const QStringList &choices,
                 bool required, const std::optional<QString> &blank, QString *value, Errors *errors)
{
    const QJsonValue given = object.value(name);
    if (given.isUndefined()) {
        if (required)
            errors->append({name, errorMessages(u"This field is required."_s)});
        else
            *value = blank.value_or(QString());
        return;
    }
    const bool isBlank = given.isNull() || (given.isString() && given.toString().isEmpty());
    if (isBlank && blank) {
        *value = *blank;
        return;
    }
    if (given.isNull()) {
        errors->append({name, errorMessages(u"This field may not be null."_s)});
        return;
    }
    if (!given.isString() || !choices.contains(given.toString())) {
        errors->append({name, errorMessages(DrfFields::notAChoice(DrfFields::choiceText(given)))});
        return;
    }
    *value = given.toString();
}

// One plot's fields as PlotSerializer reads them; errors as a JSON object ("{}" when none).
QByteArray checkPlot(MetricsQuery &store, const QJsonValue &value, Route route, Plot *plot,
                     QString *dateFrom, QString *dateTo, const ChartExtras *chart, qsizetype index)
{
    if (!value.isObject())
        return UkhsaWire::notAnObject(value);
    const QJsonObject object = value.toObject();
    Errors errors;
    PointSelection &s = plot->selection;
    for (const QString &name : {u"topic"_s, u"metric"_s}) {
        const QJsonValue given = object.value(name);
        QString text;
        if (route == Route::Downloads) { // free strings there, "" by default
            if (!given.isUndefined() && !given.isNull() && !given.isString())
                errors.append({name, errorMessages(u"Not a valid string."_s)});
            text = given.toString();
        } else if (given.isUndefined()) {
            errors.append({name, errorMessages(u"This field is required."_s)});
        } else if (given.isNull()) {
            errors.append({name, errorMessages(u"This field may not be null."_s)});
        } else if (!given.isString()
                   || !(name == u"topic" ? store.topicExists(given.toString())
                                         : store.metricInfo({}, given.toString()).has_value())) {
            errors.append(
                {name, errorMessages(DrfFields::notAChoice(DrfFields::choiceText(given)))});
        } else {
            text = given.toString();
        }
        (name == u"topic" ? s.topic : s.metric) = text;
    }
    for (const QString &name : kTextFields) {
        const QJsonValue given = object.value(name);
        if (!given.isUndefined() && !given.isNull() && !given.isString() && !given.isDouble()) {
            errors.append({name, errorMessages(u"Not a valid string."_s)});
            continue;
        }
        const QString text =
            given.isDouble() ? QString::number(given.toDouble()) : given.toString();
        if (name == u"stratum")
            s.stratum = text;
        else if (name == u"age")
            s.age = text;
        else if (name == u"geography")
            s.geography = text;
        else if (name == u"geography_type")
            s.geographyType = text;
        else
            s.sex = text;
    }
    for (const QString &name : {u"date_from"_s, u"date_to"_s}) {
        const QJsonValue given = object.value(name);
        if (given.isUndefined() || given.isNull())
            continue;
        const QDate date = QDate::fromString(given.toString(), Qt::ISODate);
        if (!given.isString() || !date.isValid() || given.toString().size() != 10) {
            errors.append(
                {name, errorMessages(u"Date has wrong format. Use one of these formats instead: "
                                     "YYYY-MM-DD."_s)});
            continue;
        }
        (name == u"date_from" ? *dateFrom : *dateTo) = given.toString();
        (name == u"date_from" ? s.from : s.to) = date;
    }
    if (route == Route::Tables) {
        QString chartType;
        choiceField(object, u"chart_type"_s, kTableChartTypes, false, u"line_multi_coloured"_s,
                    &chartType, &errors);
    }
    if (route == Route::Charts) {
        DrfFields::Reader fields(object);
        chart->readPlot(object, index, fields);
        errors.append(fields.fieldErrors());
    }
    if (route != Route::Downloads) {
        const QJsonValue label = object.value(u"label");
        if (!label.isUndefined() && !label.isNull() && !label.isString())
            errors.append({u"label"_s, errorMessages(u"Not a valid string."_s)});
        plot->label = label.toString();
    }
    return UkhsaWire::errorObject(errors);
}

} // namespace

std::optional<QJsonObject> parseBody(const QByteArray &body, HttpResponse *error)
{
    if (body.isEmpty()) // DRF reads no body as no fields, not as bad JSON
        return QJsonObject();
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = UkhsaWire::viewAnswer(
            UkhsaWire::detail(400, u"JSON parse error - %1"_s.arg(parse.errorString())),
            "POST, OPTIONS");
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error =
            errorsAnswer({{u"non_field_errors"_s,
                           errorMessages(u"Invalid data. Expected a dictionary, but got %1."_s.arg(
                               document.isArray() ? u"list"_s : u"str"_s))}});
        return std::nullopt;
    }
    return document.object();
}

std::variant<Request, HttpResponse> check(MetricsQuery &store, const QJsonObject &body, Route route,
                                          QDate today, int maxPlots, const ChartExtras *chart)
{
    Request request;
    Errors errors = chart ? chart->bodyErrors : Errors();
    const bool downloads = route == Route::Downloads;
    if (downloads)
        choiceField(body, u"file_format"_s, kFileFormats, true, std::nullopt, &request.fileFormat,
                    &errors);
    QList<std::pair<QString, QString>> givenDates; // per plot, as sent, for UKHSA's check
    const QJsonValue plots = body.value(u"plots");
    if (plots.isUndefined()) {
        errors.append({u"plots"_s, errorMessages(u"This field is required."_s)});
    } else if (!plots.isArray()) {
        errors.append({u"plots"_s, errorMessages(UkhsaWire::notAList(plots))});
    } else if (plots.toArray().size() > maxPlots) {
        errors.append(
            {u"plots"_s,
             errorMessages(u"Ensure this field has no more than %1 elements."_s.arg(maxPlots))});
    } else if (plots.toArray().isEmpty()) {
        // UKHSA's serializer lets an empty list through and then fails (500).
        errors.append({u"plots"_s, errorMessages(u"This list may not be empty."_s)});
    } else {
        QByteArrayList plotErrors;
        bool anyError = false;
        for (const auto &value : plots.toArray()) {
            Plot plot;
            QString from, to;
            plotErrors << checkPlot(store, value, route, &plot, &from, &to, chart,
                                    request.plots.size());
            anyError = anyError || plotErrors.constLast() != "{}";
            request.plots.append(plot);
            givenDates.append({from, to});
        }
        if (anyError)
            errors.append({u"plots"_s, '[' + plotErrors.join(',') + ']'});
    }
    // tables: "date" for absent, null or blank; downloads: optional, null and blank allowed.
    QString yAxis;
    if (chart) {
        request.xAxis = chart->xAxis;
    } else {
        choiceField(body, u"x_axis"_s, kAxes, false, downloads ? QString() : u"date"_s,
                    &request.xAxis, &errors);
        choiceField(body, u"y_axis"_s, kAxes, false, downloads ? QString() : u"metric"_s, &yAxis,
                    &errors);
    }
    if (downloads) {
        const QJsonValue confidence = body.value(u"confidence_intervals");
        if (!confidence.isUndefined() && !confidence.isNull() && !confidence.isBool()
            && !(confidence.isString() && UkhsaWire::drfBoolean(confidence.toString())))
            errors.append(
                {u"confidence_intervals"_s, errorMessages(u"Must be a valid boolean."_s)});
        // UKHSA reads the raw value for its columns: any truthy value, the string "false" too.
        request.confidence = confidence.isBool()     ? confidence.toBool()
                             : confidence.isString() ? !confidence.toString().isEmpty()
                                                     : false;
    }
    if (!errors.isEmpty())
        return errorsAnswer(errors);

    for (qsizetype i = 0; i < request.plots.size(); ++i) {
        PointSelection &s = request.plots[i].selection;
        if (auto broken = breaksPlotRules(store, s, givenDates[i].first, givenDates[i].second))
            return *broken;
        defaultDates(s, today);
    }
    request.headline = request.plots.constFirst().selection.metric.contains(u"headline");
    return request;
}

HttpResponse noData()
{
    return UkhsaWire::errorMessage(u"No data was found for the plot(s) requested, please review "
                                   "the request parameters of each plot provided."_s,
                                   "POST, OPTIONS");
}

std::variant<QList<PublicPoint>, HttpResponse>
readPoints(MetricsQuery &store, const PointSelection &selection, int index, int maxRows)
{
    qint64 total = 0;
    QList<PublicPoint> points = store.points(selection, 0, maxRows, &total);
    if (total > maxRows)
        return UkhsaWire::errorMessage(u"plot %1 selects %2 points, more than the limit of %3; "
                                       "narrow the dates or filters"_s.arg(index)
                                           .arg(total)
                                           .arg(maxRows),
                                       "POST, OPTIONS");
    return points;
}

QByteArray axisKey(const QString &axis, const SeriesDescription &series, QDate date, double value)
{
    if (axis == u"date")
        return isoDateBytes(date);
    if (axis == u"age")
        return spacedAgeBand(series.age).toUtf8();
    if (axis == u"stratum")
        return series.stratum.toUtf8();
    if (axis == u"sex")
        return series.sex.toUtf8();
    if (axis == u"geography")
        return series.geography.toUtf8();
    return PointDownloads::fourDecimals(value);
}

void setDimension(PointSelection &s, const QString &name, const QString &value)
{
    static const QHash<QString, QString PointSelection::*> fields = {
        {u"theme"_s, &PointSelection::theme},
        {u"sub_theme"_s, &PointSelection::subTheme},
        {u"topic"_s, &PointSelection::topic},
        {u"metric"_s, &PointSelection::metric},
        {u"age"_s, &PointSelection::age},
        {u"sex"_s, &PointSelection::sex},
        {u"stratum"_s, &PointSelection::stratum},
        {u"geography_type"_s, &PointSelection::geographyType},
        {u"geography"_s, &PointSelection::geography}};
    s.*fields.value(name) = value;
}

std::optional<PublicHeadline> latestHeadline(MetricsQuery &store, PointSelection selection)
{
    selection.from.reset();
    selection.to.reset();
    return store.latestHeadline(selection);
}

// UKHSA's names always hold their topic; a store loaded from other sources may file a metric
// under a topic its name does not hold.
std::optional<HttpResponse> breaksPlotRules(MetricsQuery &store, const PointSelection &selection,
                                            const QString &dateFrom, const QString &dateTo)
{
    if ((!dateFrom.isEmpty() && !dateTo.isEmpty() && dateTo <= dateFrom)
        || (!selection.metric.toLower().contains(selection.topic.toLower())
            && !filedUnder(store, selection)))
        return UkhsaWire::errorMessage(
            u"Invalid plot parameter, Please check the date range (date_from "
            "and date_to) and the topic property provided. "_s,
            "POST, OPTIONS");
    return std::nullopt;
}

void defaultDates(PointSelection &selection, QDate today)
{
    if (!selection.from)
        selection.from = QDate(today.year(), today.month(), 1).addYears(-1);
    if (!selection.to)
        selection.to = today;
}

void MergedPoints::add(QList<PublicPoint> points)
{
    for (PublicPoint &point : points) {
        const std::pair<const SeriesDescription *, qint64> key{point.series.get(),
                                                               point.date.toJulianDay()};
        if (!m_seen.contains(key)) {
            m_seen.insert(key);
            m_points.append(std::move(point));
        }
    }
}

std::optional<HttpResponse> MergedPoints::read(MetricsQuery &store, const PointSelection &selection,
                                               int index, int maxRows)
{
    auto points = readPoints(store, selection, index, maxRows);
    if (auto *refused = std::get_if<HttpResponse>(&points))
        return *refused;
    add(std::get<0>(std::move(points)));
    return std::nullopt;
}

QList<PublicPoint> MergedPoints::newestFirst() const
{
    QList<PublicPoint> all = m_points;
    std::stable_sort(all.begin(), all.end(),
                     [](const PublicPoint &a, const PublicPoint &b) { return a.date > b.date; });
    return all;
}

} // namespace isobar::UkhsaPlots
