#pragma once

#include "OperationsChart.h"

namespace isobar {

// Status classes over time: each bucket's answers split into 2xx/3xx/4xx/5xx/1xx shares as
// stacked areas (100% per bucket), with the no-go line, so a falling 2xx share is seen at once
// whatever the traffic volume. Buckets without requests are left out rather than drawn as 0%.
class StatusClassChart : public OperationsChart
{
    Q_OBJECT
public:
    explicit StatusClassChart(QWidget *parent = nullptr);

    void setTimeline(const Timeline &timeline, double noGoRatio);

protected:
    bool build(QChart *chart) override;

private:
    Timeline m_timeline;
    double m_noGoRatio = 0.8;
};

} // namespace isobar
