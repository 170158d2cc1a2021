#pragma once

#include "http/HttpResponse.h"

#include <QDate>
#include <QJsonObject>
#include <QStringList>
#include <optional>
#include <variant>

namespace isobar {

// The body of UKHSA's maps/v1, checked as its serializer checks it: DRF's errors field by field
// (strings trimmed), then, where UKHSA's view fails with a 500 on a body its serializer let
// through, a 400 of the same shape naming the field.
namespace UkhsaMaps {

// An accompanying point as UKHSA completes it: a parameter the point leaves out takes the main
// parameters' value; nullopt is a null sent (and a geography left out).
struct AccompanyingPoint {
    QString labelPrefix;
    std::optional<QString> labelSuffix;
    std::optional<QString> topic, metric, stratum, age, sex, geographyType, geography;
};

struct Request {
    QDate from;
    QDate to;
    // theme and sub_theme are required but, as in UKHSA's query, filter nothing.
    QString topic, metric, stratum, age, sex, geographyType;
    QStringList geographies; // as sent, untrimmed; empty: every geography of the type
    QList<AccompanyingPoint> points;
};

std::variant<Request, HttpResponse> check(const QJsonObject &body);

} // namespace UkhsaMaps

} // namespace isobar
