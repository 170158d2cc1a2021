#pragma once

#include "DrfFields.h"

#include <QJsonObject>
#include <QString>
#include <optional>

namespace isobar {

// The fields UKHSA's chart serializers share (its BaseChartsSerializer: charts v2 and v3, the
// dual-category chart and table), read as DRF reads them, with their defaults.
struct UkhsaChartFields {
    // The longest text a chart's field may hold (titles, labels), in characters as JSON
    // Schema's maxLength counts them: QtCharts lays text out at a cost that grows faster than
    // its length (a 50 KB axis title: 7 s and 2.4 GB), so longer text is refused before any
    // work (Isobar's limit; UKHSA has none).
    static constexpr qsizetype kMaxTextLength = 255;

    // The marking written across a chart of data that are not public, by the classification's
    // key as UKHSA's serializer takes it ("official_sensitive": "OFFICIAL-SENSITIVE"); empty
    // for any other text.
    static QString marking(const QString &classification);
    // What x_axis and y_axis may name (UKHSA's ChartAxisFields choices).
    static const QStringList &axes();

    QString fileFormat = QStringLiteral("svg");
    int width = 515;
    int height = 220;
    QString xAxis = QStringLiteral("date"); // stratum | age | date | metric | geography | sex
    QString yAxis = QStringLiteral("metric");
    QString xAxisTitle;
    QString yAxisTitle;
    std::optional<double> yMinimum;
    std::optional<double> yMaximum;
    QString legendTitle;
    std::optional<double> targetThreshold; // a subplot chart's target band, from here up
    QString targetThresholdLabel;
    bool confidenceIntervals = false;
    QString confidenceColour; // empty: the first line colour
    bool isPublic = false;    // UKHSA's default for its charts (its documentation says true);
                              // true for a subplot chart
    QString dataClassification;

    // Collects errors in `fields`; `fileFormats` are the route's choices. Widths and heights
    // are bounded (ChartRequest::kMinSize..kMaxSize, Isobar's limit: UKHSA has none) and texts
    // to kMaxTextLength characters. A classification that would be written across the
    // chart must be one UKHSA knows (it fails with a 500 on others).
    // The Subplot serializer takes its axes elsewhere, a target band, no legend title or
    // confidence, and is public by default.
    enum class Serializer { Charts, Subplot };
    static UkhsaChartFields read(const QJsonObject &body, DrfFields::Reader &fields,
                                 const QStringList &fileFormats,
                                 Serializer serializer = Serializer::Charts);
};

} // namespace isobar
