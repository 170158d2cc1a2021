#include "ReplicaProbes.h"

#include "PrometheusNames.h"
#include "PrometheusText.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

HttpResponse verdict(const QString &yes, const QString &no, const QStringList &reasons)
{
    if (reasons.isEmpty())
        return HttpResponse::json(QJsonObject{{u"status"_s, yes}});
    return HttpResponse::json(
        QJsonObject{{u"status"_s, no}, {u"reasons"_s, QJsonArray::fromStringList(reasons)}}, 503);
}

} // namespace

ReplicaProbes::ReplicaProbes(Checks checks, QObject *parent)
    : QObject(parent)
    , m_checks(std::move(checks))
{}

void ReplicaProbes::registerRoutes(Router &router)
{
    router.add("GET", kStartupRoute, u"Start-up probe: 200 once the replica has started"_s,
               [this](const HttpRequest &, const RouteParams &) { return startup(); });
    router.add("GET", kLivenessRoute, u"Liveness probe: 200 while the process answers"_s,
               [](const HttpRequest &, const RouteParams &) {
                   return readyResponse(HttpResponse::json(QJsonObject{{u"status"_s, u"alive"_s}}));
               });
    router.add("GET", kReadinessRoute,
               u"Readiness probe: 200 when the replica should get traffic, else 503 and why"_s,
               [this](const HttpRequest &, const RouteParams &) { return readiness(); });
}

void ReplicaProbes::setDraining()
{
    m_draining = true;
}

QStringList ReplicaProbes::notReadyReasons(const QString &storeProblem) const
{
    QStringList reasons;
    if (m_draining)
        reasons << u"shutting down"_s;
    if (!m_storeReadable)
        reasons << u"the store cannot be read"_s
                       + (storeProblem.isEmpty() ? QString() : u": "_s + storeProblem);
    if (const QString keys = m_checks.signingKeysProblem(); !keys.isEmpty())
        reasons << keys;
    return reasons;
}

QFuture<HttpResponse> ReplicaProbes::startup() const
{
    QStringList reasons;
    if (!m_checks.keysTried())
        reasons << u"the first signing-key fetch has not finished"_s;
    return readyResponse(verdict(u"started"_s, u"starting"_s, reasons));
}

QFuture<HttpResponse> ReplicaProbes::readiness()
{
    // The store is asked through the query pool, as the API's reads are; the answer is taken
    // on this object's thread, where the other checks live.
    return m_checks.storeProblem().then(this, [this](const QString &problem) {
        m_storeReadable = problem.isEmpty();
        return verdict(u"ready"_s, u"not ready"_s, notReadyReasons(problem));
    });
}

void ReplicaProbes::writePrometheus(PrometheusText &out) const
{
    out.single(prometheus::kReady, "gauge",
               "1 when this replica takes traffic (what /readyz answers), else 0.",
               isReady() ? 1 : 0);
}

} // namespace isobar
