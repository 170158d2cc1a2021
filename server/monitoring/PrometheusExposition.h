#pragma once

#include "PrometheusText.h"
#include "http/Router.h"

#include <functional>

namespace isobar {

// GET /metrics: each component writes its own families (its writePrometheus), added here once
// at start; this adds the process's own and serves the whole in text format 0.0.4.
class PrometheusExposition
{
public:
    using Writer = std::function<void(PrometheusText &)>;

    // Where the text is served (and where the desktop's operations page reads it).
    static inline const QString kRoute = QStringLiteral("/metrics");

    void add(Writer writer) { m_writers.append(std::move(writer)); }
    QByteArray text() const;
    // Works on the API's router and on a scrape-only listener's (--metrics-port) alike.
    void registerRoute(Router &router) const;

private:
    QList<Writer> m_writers;
};

} // namespace isobar
