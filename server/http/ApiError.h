#pragma once

#include "HttpResponse.h"

#include <QString>

namespace isobar {

// A request the API refuses, with the status, the reason and the offending field. Any handler
// code may throw it: on the event loop the router answers it (Router::answer, the one call every
// route's handler goes through), on the query pool the pool does (QueryRunner). Either way the
// client gets application/problem+json.
struct ApiError {
    int status = 400;
    QString detail;
    QString field;

    HttpResponse toResponse() const { return HttpResponse::problem(status, detail, field); }
};

} // namespace isobar
