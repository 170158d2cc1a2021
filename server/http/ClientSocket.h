#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>
#include <deque>
#include <memory>

namespace isobar {

class BodyFile;

// An accepted client connection on its own descriptor, with what HttpConnection needs of a
// socket and nothing more. QTcpSocket cost the warm path a tenth of its time: it asks the
// kernel how much there is to read (ioctl FIONREAD) before every read and copies everything
// through its own buffer. Here a read is one recv() into the caller's buffer, an answer one
// send() when nothing is queued before it; only what the kernel does not take is queued, and
// only then is the descriptor watched for writing.
//
// The kernel takes at most `kernelUnsentBytes` a connection has not sent yet
// (TCP_NOTSENT_LOWAT; bytes in flight do not count, so a long fast link is not slowed). Without
// it the kernel grows a slow reader's send buffer to megabytes and the event loop spends its
// time copying answers nobody reads: eight pipelined 100 KB answers on each of 500 slow
// connections held up every other client for over a second. What the kernel does not take is
// queued as the answers themselves, shared with the responses (and the cache), not copied.
// A body in a BodyFile goes out with sendfile(), from the file's pages.
class ClientSocket : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of `descriptor`, a connected TCP socket, and makes it non-blocking.
    ClientSocket(int descriptor, qsizetype kernelUnsentBytes, QObject *parent = nullptr);
    ~ClientSocket() override;

    int descriptor() const { return m_descriptor; }
    bool isOpen() const { return m_descriptor >= 0; }
    const QHostAddress &peerAddress() const { return m_peer; }
    quint16 localPort() const { return m_localPort; }

    enum class ReadResult { Data, Nothing, Closed };
    // What the kernel holds, at most `maxBytes`, appended to `into`. Closed: the client has
    // finished sending or the connection failed; nothing more will come.
    ReadResult read(QByteArray &into, qint64 maxBytes) const;
    // Whether readyRead() is emitted when bytes arrive: off while the server will not read.
    void setReadEnabled(bool enabled);

    // Sends what the kernel takes now, `head` then the body, and queues the rest; false when
    // the client is gone. The body is `file` when there is one (the same bytes as `body`), else
    // `body`, sent in the same system call as the head.
    bool write(const QByteArray &head, const QByteArray &body = {},
               std::shared_ptr<const BodyFile> file = {});
    qint64 bytesToWrite() const { return m_queuedBytes; }
    // Ends the sending direction (FIN) now; the caller waits for the queue to empty first.
    void shutdownWrite() const;
    // Closes once the queue is sent (at once when it is empty), then emits disconnected().
    void disconnectFromHost();
    // Closes now, dropping what is queued; emits nothing.
    void abort();

Q_SIGNALS:
    void readyRead();
    // Queued bytes left for the kernel (never for a write the kernel took whole).
    void bytesWritten();
    // Closed after disconnectFromHost(), or the client turned out to be gone while sending.
    void disconnected();

private:
    // What is queued for the kernel: bytes, or a body file.
    struct Segment {
        QByteArray bytes;
        std::shared_ptr<const BodyFile> file;
        qint64 size() const;
    };
    void onWritable();
    // Sends queued segments until the kernel takes no more or none are left; the bytes sent,
    // -1 when the client is gone.
    qint64 flush();
    void close();
    // sendmsg() of the byte segments at the front of the queue (the first from m_outputSent
    // on), at most kMaxPartsPerSend of them; or sendfile() of the file at the front. The bytes
    // the kernel took, 0 when it took none, -1 when the client is gone; `whole`: all it was
    // offered.
    qint64 sendFront(bool *whole) const;
    // A slow reader's queue can hold many answers; a few at a time fill the kernel's allowance.
    static constexpr int kMaxPartsPerSend = 16;

    int m_descriptor;
    QHostAddress m_peer;
    quint16 m_localPort = 0;
    QSocketNotifier m_readNotifier;
    QSocketNotifier m_writeNotifier;
    // What the kernel has not taken yet: the first part from m_outputSent on.
    std::deque<Segment> m_output;
    qint64 m_outputSent = 0;
    qint64 m_queuedBytes = 0;
    bool m_closeWhenSent = false;
};

} // namespace isobar
