#pragma once

#include <QByteArray>
#include <memory>

namespace isobar {

// An answer's body in a sealed in-memory file (memfd), for a body sent again and again: the
// kernel sends it from the file's own pages (sendfile), where a send() from our memory copies
// every byte into the socket. That copy was a fifth of the event loop's time on a cached 135 KB
// time series; nginx, the reference, serves the same bytes from a file the same way.
// Sealed: nothing can change the bytes while a connection is sending them.
class BodyFile
{
public:
    // A file holding `bytes`; nullptr when the system gives none (no memfd, out of descriptors):
    // the bytes are then sent as they are.
    static std::shared_ptr<const BodyFile> create(const QByteArray &bytes);
    ~BodyFile();
    BodyFile(const BodyFile &) = delete;
    BodyFile &operator=(const BodyFile &) = delete;

    int descriptor() const { return m_descriptor; }
    qint64 size() const { return m_size; }

private:
    BodyFile(int descriptor, qint64 size);

    int m_descriptor;
    qint64 m_size;
};

} // namespace isobar
