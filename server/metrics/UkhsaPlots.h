#pragma once

#include "MetricsQuery.h"
#include "UkhsaWire.h"

#include <QDate>
#include <QJsonObject>
#include <variant>

namespace isobar {

// The body of UKHSA's tables/v4 and downloads/v2, checked as UKHSA's serializers and plot rules
// check it: DRF's errors field by field (plots as a list aligned with the request's), then its
// "Invalid plot parameter" message. Parsing needs the store for the names tables accept.
namespace UkhsaPlots {

// What the route's serializer takes beside `plots`.
enum class Route { Tables, Downloads };

struct Plot {
    PointSelection selection; // dates filled in with UKHSA's defaults
    QString label;            // as sent; empty: UKHSA numbers it
};

struct Request {
    QList<Plot> plots;
    QString xAxis;           // stratum | age | date | metric | geography | sex
    QString fileFormat;      // downloads: json | csv
    bool confidence = false; // downloads: confidence_intervals, truthy as UKHSA reads it
    bool headline = false;   // the first plot's metric names a headline metric
};

// nullopt and `*error` set when the body is not a JSON object DRF would read (an empty body
// reads as one without fields).
std::optional<QJsonObject> parseBody(const QByteArray &body, HttpResponse *error);

// The request, or the answer UKHSA gives to it (400 with its body). `maxPlots` bounds the list
// (Isobar's limit; UKHSA has none).
std::variant<Request, HttpResponse> check(MetricsQuery &store, const QJsonObject &body, Route route,
                                          QDate today, int maxPlots);

// UKHSA's messages for a request it read but cannot answer.
HttpResponse noData();

// A plot's points, oldest first, or the answer to a plot (the `index`th) that selects more
// than `maxRows` (Isobar's limit).
std::variant<QList<PublicPoint>, HttpResponse>
readPoints(MetricsQuery &store, const PointSelection &selection, int index, int maxRows);

// A row's reference on UKHSA's x axis: the date, or a name (an age band's "-" spaced out, as
// UKHSA shows it), or for "metric" the value itself.
QByteArray axisKey(const QString &axis, const SeriesDescription &series, QDate date, double value);

} // namespace UkhsaPlots

} // namespace isobar
