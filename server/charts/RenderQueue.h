#pragma once

#include "ChartData.h"
#include "ChartRequest.h"

#include <QFuture>
#include <QObject>
#include <QThreadPool>
#include <atomic>

namespace isobar {

// A chart drawn and encoded: the file bytes and what the v3 answer needs beside them.
struct RenderedChart {
    QByteArray bytes;
    QString altText;
};

// Where charts are drawn: QtCharts objects may only live on the GUI (main) thread
// (docs/CHARTS.md), so this object lives there and draws one chart per event-loop turn, keeping
// a desktop window responsive. submit() may be called from any thread that runs an event loop,
// and the chart arrives there. At most `maxQueued` charts are waiting, drawn or encoded at once
// (an encoding holds a full-size image); further ones are refused at once (the caller answers
// 503).
class RenderQueue : public QObject
{
    Q_OBJECT
public:
    explicit RenderQueue(int maxQueued, QObject *parent = nullptr);

    std::optional<QFuture<RenderedChart>> submit(ChartRequest request, ChartDataset data);
    int queued() const { return m_queued.load(); }
    qint64 rendered() const { return m_rendered.load(); }

private:
    int m_maxQueued;
    QThreadPool m_encoders; // PNG/JPEG compression, off the drawing thread
    std::atomic_int m_queued{0};
    std::atomic<qint64> m_rendered{0};
};

} // namespace isobar
