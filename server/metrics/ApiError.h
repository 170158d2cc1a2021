#pragma once

#include "http/HttpResponse.h"

#include <QString>

namespace isobar {

// A request the API refuses, with the status, the reason and the offending field. Thrown by
// parameter parsing and turned into a problem+json answer in one place (guarded()).
struct ApiError {
    int status = 400;
    QString detail;
    QString field;

    HttpResponse toResponse() const { return HttpResponse::problem(status, detail, field); }
};

} // namespace isobar
