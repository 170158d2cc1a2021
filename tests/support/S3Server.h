#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace isobar::test {

// A real S3-compatible server for one suite (tests/support/s3/s3-server.js: s3rver, with
// Signature Version 4 checked), on a loopback port, keeping its objects in a temporary folder.
// It has one account, whose keys are kAccessKey and kSecret, and the buckets given to start().
class S3Server
{
public:
    static constexpr const char *kAccessKey = "S3RVER";
    static constexpr const char *kSecret = "S3RVER";

    S3Server();
    ~S3Server();

    bool start(const QStringList &buckets);
    void kill();
    QString errorString() const { return m_error; }
    // http://127.0.0.1:PORT, as AWS_ENDPOINT_URL takes it.
    QString endpoint() const { return m_endpoint; }
    // Uploads an object through the S3 API (curl signs it): what the data team's tools do.
    bool put(const QString &bucket, const QString &key, const QByteArray &content);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_endpoint;
    QString m_error;
};

} // namespace isobar::test
