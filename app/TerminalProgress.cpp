#include "TerminalProgress.h"

#include "Ingestor.h"

#include <unistd.h>

namespace isobar {

TerminalProgress::TerminalProgress(FILE *stream)
    : m_stream(stream)
    , m_enabled(isatty(fileno(stream)) == 1)
{
    m_elapsed.start();
}

void TerminalProgress::update(const IngestProgress &progress)
{
    const qint64 now = m_elapsed.elapsed();
    const bool last = progress.filesDone == progress.filesTotal;
    if (!m_enabled || (!last && now - m_lastDrawMs < 100))
        return;
    m_lastDrawMs = now;
    const double fraction =
        progress.bytesTotal > 0 ? double(progress.bytesDone) / progress.bytesTotal : 1.0;
    const double seconds = qMax<qint64>(1, now) / 1000.0;
    const double rowsPerSecond = progress.rowsDone / seconds;
    const double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    constexpr int width = 30;
    const int filled = int(fraction * width);
    std::fprintf(m_stream, "\r[%.*s%*s] %3d%%  files %d/%d  rows %lld  %.0f rows/s  ETA %.0fs ",
                 filled, "##############################", width - filled, "", int(fraction * 100),
                 progress.filesDone, progress.filesTotal, static_cast<long long>(progress.rowsDone),
                 rowsPerSecond, eta);
    std::fflush(m_stream);
    m_drawn = true;
}

void TerminalProgress::finish()
{
    if (m_drawn)
        std::fputc('\n', m_stream);
    m_drawn = false;
}

} // namespace isobar
