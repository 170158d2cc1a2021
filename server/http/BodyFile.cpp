#include "BodyFile.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

namespace isobar {

std::shared_ptr<const BodyFile> BodyFile::create(const QByteArray &bytes)
{
    // sendfile() has no MSG_NOSIGNAL: a client gone mid-body would raise SIGPIPE and end the
    // process where send() gets EPIPE. A server ignores it (nginx does too).
    static std::once_flag ignoreBrokenPipe;
    std::call_once(ignoreBrokenPipe, [] { std::signal(SIGPIPE, SIG_IGN); });
    const int descriptor = ::memfd_create("isobar-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (descriptor < 0)
        return nullptr;
    std::shared_ptr<const BodyFile> file(new BodyFile(descriptor, bytes.size()));
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            ::write(descriptor, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return nullptr; // out of memory for the file: send the bytes themselves
        written += n;
    }
    constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    if (::fcntl(descriptor, F_ADD_SEALS, kSeals) != 0)
        return nullptr;
    return file;
}

BodyFile::BodyFile(int descriptor, qint64 size)
    : m_descriptor(descriptor)
    , m_size(size)
{}

BodyFile::~BodyFile()
{
    ::close(m_descriptor);
}

} // namespace isobar
