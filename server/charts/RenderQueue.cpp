#include "RenderQueue.h"

#include "ChartBuilder.h"
#include "ChartDescription.h"
#include "ChartRenderer.h"

#include <QGraphicsScene>
#include <QPromise>

namespace isobar {

RenderQueue::RenderQueue(int maxQueued, QObject *parent)
    : QObject(parent)
    , m_maxQueued(maxQueued)
{}

std::optional<QFuture<RenderedChart>> RenderQueue::submit(ChartRequest request, ChartDataset data)
{
    if (m_queued.fetch_add(1) >= m_maxQueued) {
        --m_queued;
        return std::nullopt;
    }
    auto promise = std::make_shared<QPromise<RenderedChart>>();
    QFuture<RenderedChart> future = promise->future();
    promise->start();
    // Queued: each chart is its own event-loop turn on this object's (the GUI) thread.
    QMetaObject::invokeMethod(
        this,
        [this, promise, request = std::move(request), data = std::move(data)] {
            RenderedChart chart;
            const std::unique_ptr<QGraphicsScene> scene = ChartBuilder::build(request, data);
            chart.altText = ChartDescription::describe(request, data);
            chart.bytes =
                ChartRenderer::render(*scene, request.size, request.format, chart.altText);
            --m_queued;
            ++m_rendered;
            promise->addResult(std::move(chart));
            promise->finish();
        },
        Qt::QueuedConnection);
    return future;
}

} // namespace isobar
