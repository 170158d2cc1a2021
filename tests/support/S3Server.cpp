#include "S3Server.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QUrl>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace isobar::test {

S3Server::S3Server() = default;

S3Server::~S3Server()
{
    kill();
}

bool S3Server::start(const QStringList &buckets)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    // A suite that crashes never runs its destructors: the server then goes with it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start(u"node"_s, QStringList{QString::fromUtf8(ISOBAR_SOURCE_DIR
                                                              "/tests/support/s3/s3-server.js"),
                                            m_dir.path()}
                                    + buckets);
    if (!m_process->waitForStarted(10'000)) {
        m_error = u"cannot start node: %1"_s.arg(m_process->errorString());
        return false;
    }
    // It prints "listening 127.0.0.1:PORT" once it accepts connections.
    const QDeadlineTimer deadline(30'000);
    QByteArray said;
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        m_process->waitForReadyRead(100);
        said += m_process->readAllStandardOutput();
        if (const qsizetype at = said.indexOf("listening ");
            at >= 0 && said.indexOf('\n', at) > 0) {
            const QByteArray address =
                said.mid(at + 10, said.indexOf('\n', at) - at - 10).trimmed();
            m_endpoint = u"http://"_s + QString::fromUtf8(address);
            return true;
        }
    }
    m_error = u"the S3 server did not start: %1 %2"_s.arg(
        QString::fromUtf8(said), QString::fromUtf8(m_process->readAllStandardError()));
    return false;
}

void S3Server::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10'000);
    m_process.reset();
}

bool S3Server::put(const QString &bucket, const QString &key, const QByteArray &content)
{
    QProcess curl;
    const QByteArray hash = QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
    curl.start(u"curl"_s,
               {u"--silent"_s, u"--show-error"_s, u"--fail"_s, u"--aws-sigv4"_s,
                u"aws:amz:us-east-1:s3"_s, u"--user"_s,
                u"%1:%2"_s.arg(QLatin1String(kAccessKey), QLatin1String(kSecret)), u"--header"_s,
                u"x-amz-content-sha256: "_s + QString::fromLatin1(hash), u"--upload-file"_s, u"-"_s,
                m_endpoint + u'/' + bucket + u'/'
                    + QString::fromLatin1(QUrl::toPercentEncoding(key, "/"))});
    curl.write(content);
    curl.closeWriteChannel();
    if (!curl.waitForFinished(30'000) || curl.exitCode() != 0) {
        m_error =
            u"upload of %1 failed: %2"_s.arg(key, QString::fromUtf8(curl.readAllStandardError()));
        return false;
    }
    return true;
}

} // namespace isobar::test
