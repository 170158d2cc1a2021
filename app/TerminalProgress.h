#pragma once

#include <QElapsedTimer>
#include <cstdio>

namespace isobar {

struct IngestProgress;

// A one-line progress bar (rows, rows/s, ETA) redrawn on a terminal; silent when the output
// is not a TTY, so logs and pipes stay clean.
class TerminalProgress
{
public:
    explicit TerminalProgress(FILE *stream = stderr);
    void update(const IngestProgress &progress);
    void finish();

private:
    FILE *m_stream;
    bool m_enabled;
    bool m_drawn = false;
    QElapsedTimer m_elapsed;
    qint64 m_lastDrawMs = -1000;
};

} // namespace isobar
