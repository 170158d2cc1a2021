#include "RenderQueue.h"

#include "ChartBuilder.h"
#include "ChartDescription.h"
#include "ChartRenderer.h"
#include "http/HomePromise.h"

#include <QGraphicsScene>
#include <QtConcurrent>

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
    const HomePromise<RenderedChart> promise;
    // Queued: each chart is its own event-loop turn on this object's (the GUI) thread.
    QMetaObject::invokeMethod(
        this,
        [this, promise, request = std::move(request), data = std::move(data)] {
            const std::unique_ptr<QGraphicsScene> scene = ChartBuilder::build(request, data);
            const QString altText = ChartDescription::describe(request, data);
            // The slot is freed before the answer leaves, so a client that got its chart
            // finds room for the next one.
            auto deliver = [this, promise](RenderedChart chart) {
                --m_queued;
                ++m_rendered;
                promise.settle(std::move(chart));
            };
            if (request.format == ChartFormat::Svg) {
                deliver({ChartRenderer::render(*scene, request.size, request.format, altText),
                         altText});
                return;
            }
            // Compressing a PNG or JPEG is most of a raster chart's cost and needs no GUI
            // object: the GUI thread only paints, a worker encodes. The workers are made from
            // this thread, so they share its scheduling priority (lowered by `isobar serve`).
            [[maybe_unused]] const QFuture<void> encoding = QtConcurrent::run(
                &m_encoders, [deliver, altText, format = request.format,
                              image = ChartRenderer::renderImage(*scene, request.size)] {
                    deliver({ChartRenderer::encodeImage(image, format), altText});
                });
        },
        Qt::QueuedConnection);
    return promise.future();
}

} // namespace isobar
