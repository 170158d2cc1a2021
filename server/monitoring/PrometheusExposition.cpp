#include "PrometheusExposition.h"

#include "PrometheusNames.h"

#include <QFile>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

qint64 residentMemoryBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * ::sysconf(_SC_PAGESIZE) : 0;
}

} // namespace

QByteArray PrometheusExposition::text() const
{
    PrometheusText out;
    for (const Writer &write : m_writers)
        write(out);
    out.single(prometheus::kResidentMemory, "gauge", "Resident memory size in bytes.",
               double(residentMemoryBytes()));
    return out.text();
}

void PrometheusExposition::registerRoute(Router &router) const
{
    router.add("GET", kRoute, u"Process metrics in Prometheus text format"_s,
               [this](const HttpRequest &, const RouteParams &) {
                   return readyResponse(
                       HttpResponse::bytes(text(), "text/plain; version=0.0.4; charset=utf-8"));
               });
}

} // namespace isobar
