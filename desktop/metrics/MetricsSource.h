#pragma once

#include "MetricsQuery.h"

#include <QFuture>
#include <QList>
#include <QString>

namespace isobar {

// The catalogue (CatalogueEntry, from models/): each entry a metric at one area. The navigator's
// tree (theme > sub-theme > topic > metric) and its area selector are both built from these.
struct CatalogueResult {
    QList<CatalogueEntry> entries; // sorted by theme, sub-theme, topic, type, area, metric
    QString error;                 // empty on success
    bool unavailable = false;      // the error is the source's (it cannot be read), not the read's
};

// A metric at one area: what a chart card reads. Age, sex, stratum and dates are narrowed in
// memory, so changing them needs no new read.
struct SeriesQuery {
    QString theme;
    QString subTheme;
    QString topic;
    QString metric;
    QString geographyType;
    QString geography;
    SeriesKind kind = SeriesKind::TimeSeries; // which of the two below a read answers

    friend bool operator==(const SeriesQuery &, const SeriesQuery &) = default;
};

struct SeriesResult {
    QList<PublicPoint> points; // every public point, all strata, ages and sexes; oldest first
    // A headline metric's records instead: the local store's all, a remote server's latest
    // (downloads/v2 answers one per plot); oldest period first.
    QList<PublicHeadline> headlines;
    QString error;
    bool unavailable = false; // as in CatalogueResult
};

// Where the Metrics page reads from: the local store in-process, or a remote Isobar's public
// API. Every call answers later, off the GUI thread; results are plain values.
class MetricsSource
{
public:
    virtual ~MetricsSource() = default;

    // For the status bar and window title: a file name or a URL.
    virtual QString displayName() const = 0;
    virtual QFuture<CatalogueResult> catalogue() = 0;
    virtual QFuture<SeriesResult> series(const SeriesQuery &query) = 0;
};

} // namespace isobar
