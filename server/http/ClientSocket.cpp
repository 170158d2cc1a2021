#include "ClientSocket.h"

#include "BodyFile.h"

#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace isobar {

namespace {

// One read's bytes land here before they are copied to the caller's buffer at their size:
// a request is usually a few hundred bytes, and a buffer sized for the largest read would
// cost an allocation of that size per read.
constexpr qint64 kScratchBytes = qint64(64) * 1024;

QHostAddress peerOf(int descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(descriptor, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

quint16 localPortOf(int descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(descriptor, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 0;
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
}

} // namespace

ClientSocket::ClientSocket(int descriptor, qsizetype kernelUnsentBytes, QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_peer(peerOf(descriptor))
    , m_localPort(localPortOf(descriptor))
    , m_readNotifier(descriptor, QSocketNotifier::Read)
    , m_writeNotifier(descriptor, QSocketNotifier::Write)
{
    ::fcntl(descriptor, F_SETFL, ::fcntl(descriptor, F_GETFL) | O_NONBLOCK);
    // Answers go out whole as soon as they are written: no waiting to fill a segment.
    const int on = 1;
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const int unsent = int(qMin<qsizetype>(kernelUnsentBytes, std::numeric_limits<int>::max()));
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &unsent, sizeof unsent);
    m_writeNotifier.setEnabled(false);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &ClientSocket::readyRead);
    connect(&m_writeNotifier, &QSocketNotifier::activated, this, &ClientSocket::onWritable);
}

ClientSocket::~ClientSocket()
{
    close();
}

ClientSocket::ReadResult ClientSocket::read(QByteArray &into, qint64 maxBytes) const
{
    if (!isOpen())
        return ReadResult::Closed;
    static thread_local char scratch[kScratchBytes];
    ssize_t received = 0;
    do {
        received = ::recv(m_descriptor, scratch, size_t(qMin(maxBytes, kScratchBytes)), 0);
    } while (received < 0 && errno == EINTR);
    if (received > 0) {
        into.append(scratch, qsizetype(received));
        return ReadResult::Data;
    }
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return ReadResult::Nothing;
    return ReadResult::Closed; // 0: the client's FIN; otherwise a reset or another failure
}

void ClientSocket::setReadEnabled(bool enabled)
{
    enabled = enabled && !m_closeWhenSent; // a socket being closed is read no more
    if (isOpen() && m_readNotifier.isEnabled() != enabled)
        m_readNotifier.setEnabled(enabled);
}

qint64 ClientSocket::Segment::size() const
{
    return file ? file->size() : bytes.size();
}

bool ClientSocket::write(const QByteArray &head, const QByteArray &body,
                         std::shared_ptr<const BodyFile> file)
{
    if (!isOpen())
        return false;
    const bool wasQueued = !m_output.empty();
    for (Segment part :
         {Segment{head, {}}, file ? Segment{{}, std::move(file)} : Segment{body, {}}}) {
        if (part.size() == 0)
            continue;
        m_queuedBytes += part.size();
        m_output.push_back(std::move(part)); // shared, not copied
    }
    // Straight to the kernel when nothing was queued before, so that bytes keep their order;
    // else the write notifier is on already.
    if (wasQueued)
        return true;
    if (flush() < 0)
        return false; // the client is gone (reset, broken pipe)
    if (!m_output.empty())
        m_writeNotifier.setEnabled(true);
    return true;
}

qint64 ClientSocket::flush()
{
    qint64 total = 0;
    while (!m_output.empty()) {
        bool whole = false;
        qint64 written = sendFront(&whole);
        if (written < 0)
            return -1;
        total += written;
        m_queuedBytes -= written;
        written += m_outputSent;
        while (!m_output.empty() && written >= m_output.front().size()) {
            written -= m_output.front().size();
            m_output.pop_front();
        }
        m_outputSent = written;
        if (!whole)
            break; // the kernel is full: the next call would take nothing
    }
    return total;
}

qint64 ClientSocket::sendFront(bool *whole) const
{
    const Segment &front = m_output.front();
    if (front.file) {
        off_t offset = off_t(m_outputSent);
        const qint64 wanted = front.file->size() - m_outputSent;
        ssize_t written = 0;
        do {
            written = ::sendfile(m_descriptor, front.file->descriptor(), &offset, size_t(wanted));
        } while (written < 0 && errno == EINTR);
        if (written < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        *whole = written == wanted;
        return written;
    }
    iovec vectors[kMaxPartsPerSend];
    int used = 0;
    qint64 wanted = 0;
    auto it = m_output.cbegin();
    for (; it != m_output.cend() && !it->file && used < kMaxPartsPerSend; ++it, ++used) {
        const qint64 skip = used == 0 ? m_outputSent : 0;
        vectors[used] = {const_cast<char *>(it->bytes.constData()) + skip,
                         size_t(it->bytes.size() - skip)};
        wanted += it->bytes.size() - skip;
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = size_t(used);
    // More follows at once (a head before its body file): one segment for both, not two.
    const int more = it != m_output.cend() ? MSG_MORE : 0;
    ssize_t written = 0;
    do {
        written = ::sendmsg(m_descriptor, &message, MSG_NOSIGNAL | MSG_DONTWAIT | more);
    } while (written < 0 && errno == EINTR);
    if (written < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    *whole = written == wanted;
    return written;
}

void ClientSocket::onWritable()
{
    const qint64 written = flush();
    if (written == 0)
        return; // woken, but the kernel takes nothing yet
    if (written < 0) {
        close();
        Q_EMIT disconnected();
        return;
    }
    if (m_output.empty())
        m_writeNotifier.setEnabled(false);
    Q_EMIT bytesWritten();
    if (m_closeWhenSent && isOpen() && bytesToWrite() == 0) {
        close();
        Q_EMIT disconnected();
    }
}

void ClientSocket::shutdownWrite() const
{
    if (isOpen())
        ::shutdown(m_descriptor, SHUT_WR);
}

void ClientSocket::disconnectFromHost()
{
    if (!isOpen())
        return;
    if (bytesToWrite() > 0) {
        m_closeWhenSent = true;
        m_readNotifier.setEnabled(false); // nothing more is read from a client being closed
        return;
    }
    close();
    Q_EMIT disconnected();
}

void ClientSocket::abort()
{
    close();
}

void ClientSocket::close()
{
    if (!isOpen())
        return;
    // The notifiers watch the descriptor: off before it closes, or the loop would poll a
    // number the kernel may already have given to another file.
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
    ::close(m_descriptor);
    m_descriptor = -1;
    m_output.clear();
    m_outputSent = 0;
    m_queuedBytes = 0;
}

} // namespace isobar
