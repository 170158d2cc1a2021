#pragma once

#include "IngestReport.h"

#include <QIODevice>
#include <QString>
#include <functional>

namespace isobar {

class MetricsWriter;

// Streams the 2023 respiratory CSV (parent_theme,child_theme,topic,geography_type,geography,
// metric_name,stratum,sex,period,year,epiweek,date,metric_value; d/m/Y dates; NA = no value)
// row by row into the writer, so a file of millions of rows never sits in memory.
class RespiratoryCsvReader
{
public:
    using Progress = std::function<void(qint64 bytesRead)>;

    // The CSV has no refresh date column: the caller passes the file's (its modification
    // time), so re-reading a file changes nothing and a corrected file replaces values.
    static void read(QIODevice &input, const QString &fileName, qint64 refreshDate,
                     MetricsWriter &writer, ValidationErrors &errors,
                     const Progress &progress = {});

    // The UKHSA metric group a 2023 metric name belongs to (cases, deaths, healthcare, ...).
    static QString metricGroupFor(QStringView metricName);
};

} // namespace isobar
