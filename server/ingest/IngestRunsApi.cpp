#include "IngestRunsApi.h"

#include "IngestRunJson.h"
#include "IngestRunLog.h"
#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "api/RequestParsing.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace isobar {

IngestRunsApi::IngestRunsApi(QueryRunner &runner, DropoffHealth dropoff)
    : m_runner(runner)
    , m_dropoff(std::move(dropoff))
{}

void IngestRunsApi::registerRoutes(Router &router)
{
    router.add("GET", u"/api/v1/ingest/runs"_s,
               u"Files taken from the drop-off: loaded or rejected, with counts and errors"_s,
               [this](const HttpRequest &r, const RouteParams &) { return runs(r); });
}

QFuture<HttpResponse> IngestRunsApi::runs(const HttpRequest &request)
{
    const QueryParameters parameters(request.query, {u"limit"_s, u"outcome"_s, u"before"_s});
    IngestRunLog::Filter filter;
    filter.limit = parameters.integer(u"limit"_s, 1, kMaxLimit).value_or(kDefaultLimit);
    filter.beforeId =
        parameters.integer(u"before"_s, 1, std::numeric_limits<int>::max()).value_or(0);
    if (const QString outcome = parameters.text(u"outcome"_s); !outcome.isEmpty()) {
        filter.outcome = IngestRun::outcomeNamed(outcome);
        if (!filter.outcome)
            throw ApiError{400, u"outcome must be loaded or rejected"_s, u"outcome"_s};
    }
    return m_runner.run([filter, dropoff = m_dropoff()](MetricsQuery &query) {
        const QList<IngestRun> runs = IngestRunLog(query.database()).list(filter);
        QJsonArray items;
        for (const IngestRun &run : runs)
            items << IngestRunJson::toJson(run);
        // The next page's `before`: there may be more when this page is full.
        const QJsonValue next = runs.size() == filter.limit ? QJsonValue(runs.constLast().id)
                                                            : QJsonValue(QJsonValue::Null);
        return HttpResponse::json(
            QJsonObject{{u"dropoff"_s, dropoff}, {u"runs"_s, items}, {u"next_before"_s, next}});
    });
}

} // namespace isobar
