#include "ClientSocket.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

ClientSocket::ClientSocket(int descriptor, QObject *parent)
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

bool ClientSocket::write(QByteArrayView head, QByteArrayView body)
{
    if (!isOpen())
        return false;
    qsizetype sent = 0;
    // Straight to the kernel when nothing is queued before it, so that bytes keep their order.
    if (bytesToWrite() == 0) {
        iovec parts[2] = {{const_cast<char *>(head.data()), size_t(head.size())},
                          {const_cast<char *>(body.data()), size_t(body.size())}};
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = body.isEmpty() ? 1 : 2;
        ssize_t written = 0;
        do {
            written = ::sendmsg(m_descriptor, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        } while (written < 0 && errno == EINTR);
        if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return false; // the client is gone (reset, broken pipe)
        sent = qMax<ssize_t>(written, 0);
    }
    if (sent < head.size() + body.size()) {
        if (sent < head.size())
            m_output.append(head.sliced(sent));
        m_output.append(body.sliced(qMax<qsizetype>(0, sent - head.size())));
        m_writeNotifier.setEnabled(true);
    }
    return true;
}

void ClientSocket::onWritable()
{
    ssize_t written = 0;
    do {
        written = ::send(m_descriptor, m_output.constData() + m_outputSent,
                         size_t(m_output.size() - m_outputSent), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    if (written < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        close();
        Q_EMIT disconnected();
        return;
    }
    m_outputSent += written;
    if (bytesToWrite() == 0) {
        m_output.clear(); // its memory too: a slow reader's answers can be megabytes
        m_outputSent = 0;
        m_writeNotifier.setEnabled(false);
    }
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
}

} // namespace isobar
