#pragma once

#include "OperationsChart.h"

namespace isobar {

// Requests per hour over the range: the traffic volume behind the shares and percentiles.
class RequestRateChart : public OperationsChart
{
    Q_OBJECT
public:
    explicit RequestRateChart(QWidget *parent = nullptr);

    // Hourly buckets of GET /api/v1/stats/timeline?bucket=hour.
    void setTimeline(const Timeline &timeline);

protected:
    bool build(QChart *chart) override;

private:
    Timeline m_timeline;
};

} // namespace isobar
