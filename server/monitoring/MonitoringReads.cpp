#include "MonitoringReads.h"

#include "PrometheusExposition.h"
#include "http/HttpRequest.h"

namespace isobar {

bool isMonitoringRead(const HttpRequest &request, const QString &route)
{
    static const QByteArray lowerCaseName = QByteArray(kMonitoringHeader).toLower();
    if (request.header(lowerCaseName).isEmpty())
        return false;
    return route == PrometheusExposition::kRoute || route.startsWith(u"/api/v1/stats/")
           || route == u"/api/v1/ingest/runs";
}

} // namespace isobar
