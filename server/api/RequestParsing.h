#pragma once

#include "MetricsQuery.h"
#include "http/ApiError.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>
#include <optional>

namespace isobar {

// Query-string access that refuses unknown parameters and malformed values with an ApiError
// naming the parameter.
class QueryParameters
{
public:
    QueryParameters(const QUrlQuery &query, const QStringList &allowed);

    QString text(const QString &name) const;
    QString requiredText(const QString &name) const;
    std::optional<int> integer(const QString &name, int minimum, int maximum) const;
    std::optional<QDate> date(const QString &name) const;

private:
    QUrlQuery m_query;
};

// One entry of "plots" in tables, downloads and charts requests.
struct PlotRequest {
    PointSelection selection;
    QString label;      // at most kMaxTextFieldLength: a table repeats it on every row
    QJsonObject fields; // everything that was sent, for chart options
};

struct PlotLimits {
    int maxPlots = 10;
};

// Parses and checks the shape of `plots` (the store is consulted later, on a worker thread).
// Dates default to [first day of the month a year before today, today].
QList<PlotRequest> parsePlots(const QJsonObject &body, QDate today, const PlotLimits &limits);

// Parses a JSON object request body.
QJsonObject parseJsonBody(const QByteArray &body);

// Checks a plot's topic and metric against the store; `kind` is what the endpoint serves.
void checkPlotMetric(MetricsQuery &query, const PlotRequest &plot, int index, SeriesKind kind);

} // namespace isobar
