#pragma once

#include "EndpointLatency.h"
#include "OperationsChart.h"

namespace isobar {

// Latency against the objective, two ways: the p95 of every endpoint as bars on a log scale
// (green within the objective, red beyond, the value written beside each, the route's short
// name on the axis and its full template in a tooltip) with the objective line, or one
// endpoint's p50/p95/p99 per hour.
class LatencyChart : public OperationsChart
{
    Q_OBJECT
public:
    // The busiest screens have dozens of routes; the slowest ones are what ops look for.
    static constexpr int kMaxBars = 12;

    explicit LatencyChart(QWidget *parent = nullptr);

    void showEndpoints(const QList<EndpointLatency> &endpoints, double objectiveMs);
    void showEndpointTimeline(const QString &endpoint, const Timeline &timeline,
                              double objectiveMs);

    // What is drawn, for the page's accessible summary and tests: "GET /prcpt" -> p95 in ms.
    QList<std::pair<QString, double>> bars() const;

    // The axis label of a route: "GET /prcpt", "GET …/metrics/<metric>".
    static QString shortRouteName(const QString &method, const QString &route);

protected:
    bool build(QChart *chart) override;

private:
    bool buildBars(QChart *chart);
    bool buildTimeline(QChart *chart);

    enum class Mode { Endpoints, Timeline } m_mode = Mode::Endpoints;
    QList<EndpointLatency> m_endpoints;
    QString m_endpoint;
    Timeline m_timeline;
    double m_objectiveMs = 200;
};

} // namespace isobar
