#include "UkhsaChartFields.h"

#include "ChartPalette.h"
#include "ChartRequest.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// chart_width and chart_height: null or 0 is the default (UKHSA's to_models()).
int pixels(const QJsonObject &body, DrfFields::Reader &fields, const QString &name, int fallback)
{
    const std::optional<qint64> given = DrfFields::integer(body, fields, name);
    if (!given || *given == 0)
        return fallback;
    if (*given < ChartRequest::kMinSize)
        fields.fail(name, u"Ensure this value is greater than or equal to %1."_s.arg(
                              ChartRequest::kMinSize));
    else if (*given > ChartRequest::kMaxSize)
        fields.fail(
            name, u"Ensure this value is less than or equal to %1."_s.arg(ChartRequest::kMaxSize));
    return int(std::clamp<qint64>(*given, ChartRequest::kMinSize, ChartRequest::kMaxSize));
}

QString title(DrfFields::Reader &fields, const QString &name)
{
    QString text = fields.text(name, {false, true, true}).value_or(QString());
    if (text.size() > UkhsaChartFields::kMaxTextLength) {
        fields.fail(name, u"Ensure this field has no more than %1 characters."_s.arg(
                              UkhsaChartFields::kMaxTextLength));
        return {};
    }
    return text;
}

std::optional<double> optionalDecimal(const QJsonObject &body, DrfFields::Reader &fields,
                                      const QString &name)
{
    const QJsonValue given = body.value(name);
    // DRF's DecimalField reads "" as null.
    if (given.isUndefined() || given.isNull() || given == QJsonValue(QString()))
        return std::nullopt;
    return DrfFields::decimal(body, name, fields);
}

} // namespace

const QStringList &UkhsaChartFields::axes()
{
    static const QStringList names = {u"stratum"_s, u"age"_s,       u"date"_s,
                                      u"metric"_s,  u"geography"_s, u"sex"_s};
    return names;
}

QString UkhsaChartFields::marking(const QString &classification)
{
    static const QHash<QString, QString> markings = {
        {u"official"_s, u"OFFICIAL"_s},
        {u"official_sensitive"_s, u"OFFICIAL-SENSITIVE"_s},
        {u"protective_marking_not_set"_s, u"PROTECTIVE MARKING NOT SET"_s},
        {u"secret"_s, u"SECRET"_s},
        {u"top_secret"_s, u"TOP SECRET"_s}};
    return markings.value(classification);
}

UkhsaChartFields UkhsaChartFields::read(const QJsonObject &body, DrfFields::Reader &fields,
                                        const QStringList &fileFormats, Serializer serializer)
{
    const bool subplot = serializer == Serializer::Subplot;
    UkhsaChartFields chart;
    chart.fileFormat = DrfFields::choice(body, fields, u"file_format"_s, fileFormats, false, false)
                           .value_or(chart.fileFormat);
    chart.height = pixels(body, fields, u"chart_height"_s, chart.height);
    chart.width = pixels(body, fields, u"chart_width"_s, chart.width);
    // Blank or null: the default, as UKHSA's to_models() reads them.
    const auto axis = [&](const QString &name, const QString &fallback) {
        const QString value =
            DrfFields::choice(body, fields, name, axes(), false, true).value_or(QString());
        return value.isEmpty() ? fallback : value;
    };
    if (!subplot) // a subplot chart names its axes in chart_parameters
        chart.xAxis = axis(u"x_axis"_s, chart.xAxis);
    chart.xAxisTitle = title(fields, u"x_axis_title"_s);
    if (!subplot)
        chart.yAxis = axis(u"y_axis"_s, chart.yAxis);
    chart.yAxisTitle = title(fields, u"y_axis_title"_s);
    chart.yMinimum = optionalDecimal(body, fields, u"y_axis_minimum_value"_s);
    chart.yMaximum = optionalDecimal(body, fields, u"y_axis_maximum_value"_s);
    if (subplot) {
        chart.targetThreshold = optionalDecimal(body, fields, u"target_threshold"_s);
        chart.targetThresholdLabel = title(fields, u"target_threshold_label"_s);
    } else {
        chart.legendTitle = title(fields, u"legend_title"_s);
        chart.confidenceIntervals =
            DrfFields::boolean(body, fields, u"confidence_intervals"_s, true).value_or(false);
        chart.confidenceColour = DrfFields::choice(body, fields, u"confidence_colour"_s,
                                                   ChartPalette::names(), false, true)
                                     .value_or(QString());
    }
    chart.isPublic = DrfFields::boolean(body, fields, u"is_public"_s, false).value_or(subplot);
    chart.dataClassification = title(fields, u"data_classification"_s);
    if (!chart.isPublic && !chart.dataClassification.isEmpty()
        && marking(chart.dataClassification).isEmpty())
        fields.fail(u"data_classification"_s, DrfFields::notAChoice(chart.dataClassification));
    return chart;
}

} // namespace isobar
