#include "RequestParsing.h"

#include "DateParsing.h"
#include "PlotSelection.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace isobar {

QueryParameters::QueryParameters(const QUrlQuery &query, const QStringList &allowed)
    : m_query(query)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!allowed.contains(name) && name != u"format")
            throw ApiError{
                400, u"unknown query parameter '%1'; allowed: %2"_s.arg(name, allowed.join(u", ")),
                name};
    }
}

QString QueryParameters::text(const QString &name) const
{
    return m_query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
}

QString QueryParameters::requiredText(const QString &name) const
{
    QString value = text(name);
    if (value.isEmpty())
        throw ApiError{400, u"'%1' is required"_s.arg(name), name};
    return value;
}

std::optional<int> QueryParameters::integer(const QString &name, int minimum, int maximum) const
{
    const QString value = text(name);
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const int number = value.toInt(&ok);
    if (!ok || number < minimum || number > maximum)
        throw ApiError{400,
                       u"'%1' must be a whole number from %2 to %3, got '%4'"_s.arg(name)
                           .arg(minimum)
                           .arg(maximum)
                           .arg(value),
                       name};
    return number;
}

std::optional<QDate> QueryParameters::date(const QString &name) const
{
    const QString value = text(name);
    if (value.isEmpty())
        return std::nullopt;
    const auto parsed = parseIsoDate(value);
    if (!parsed)
        throw ApiError{400, u"'%1' must be a YYYY-MM-DD date, got '%2'"_s.arg(name, value), name};
    return parsed;
}

QJsonObject parseJsonBody(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError{400,
                       u"the body is not valid JSON: %1 at offset %2"_s.arg(error.errorString())
                           .arg(error.offset),
                       u"body"_s};
    if (!document.isObject())
        throw ApiError{400, u"the body must be a JSON object"_s, u"body"_s};
    return document.object();
}

QList<PlotRequest> parsePlots(const QJsonObject &body, QDate today, const PlotLimits &limits)
{
    const QJsonValue plotsValue = body.value(u"plots");
    if (!plotsValue.isArray() || plotsValue.toArray().isEmpty())
        throw ApiError{400, u"'plots' must be a non-empty array"_s, u"plots"_s};
    const QJsonArray plots = plotsValue.toArray();
    if (plots.size() > limits.maxPlots)
        throw ApiError{
            400, u"at most %1 plots per request, got %2"_s.arg(limits.maxPlots).arg(plots.size()),
            u"plots"_s};

    QList<PlotRequest> result;
    for (qsizetype i = 0; i < plots.size(); ++i) {
        const QString prefix = u"plots[%1]."_s.arg(i);
        if (!plots[i].isObject())
            throw ApiError{400, u"each plot must be a JSON object"_s, prefix.chopped(1)};
        const QJsonObject plot = plots[i].toObject();
        FieldProblem problem;
        const std::optional<PointSelection> selection =
            readPlotSelection(plot, prefix, today, &problem);
        if (!selection)
            throw ApiError{400, problem.detail, problem.field};
        PlotRequest request;
        request.fields = plot;
        request.selection = *selection;
        const QJsonValue label = plot.value(u"label");
        if (!label.isUndefined() && !label.isNull() && !label.isString())
            throw ApiError{400, u"must be a string"_s, prefix + u"label"};
        request.label = label.toString().trimmed();
        if (const auto tooLong = textLengthProblem(request.label))
            throw ApiError{400, *tooLong, prefix + u"label"};
        if (request.label.isEmpty())
            request.label = u"Plot%1"_s.arg(i + 1);
        result.append(request);
    }
    return result;
}

void checkPlotMetric(MetricsQuery &query, const PlotRequest &plot, int index, SeriesKind kind)
{
    const QString prefix = u"plots[%1]."_s.arg(index);
    bool inTopic = false;
    const auto info = query.metricInfo(plot.selection.topic, plot.selection.metric, &inTopic);
    if (!info)
        throw ApiError{400, u"unknown metric '%1'"_s.arg(plot.selection.metric),
                       prefix + u"metric"};
    if (!inTopic)
        throw ApiError{400,
                       u"metric '%1' does not belong to topic '%2'"_s.arg(plot.selection.metric,
                                                                          plot.selection.topic),
                       prefix + u"topic"};
    if (info->kind != kind)
        throw ApiError{400,
                       u"metric '%1' is a %2 metric; this endpoint needs a %3 metric"_s.arg(
                           plot.selection.metric,
                           info->kind == SeriesKind::Headline ? u"headline" : u"time-series",
                           kind == SeriesKind::Headline ? u"headline" : u"time-series"),
                       prefix + u"metric"};
}

} // namespace isobar
