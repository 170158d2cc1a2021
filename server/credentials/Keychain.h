#pragma once

#include <QString>

namespace isobar {

// The OS keychain (Secret Service on Linux, through QtKeychain), one entry at a time.
// Calls wait for the keychain on a local event loop: they are for start-up and the command
// line, never for the request path. Nothing is ever written to a plaintext fallback.
class Keychain
{
public:
    enum class Status { Ok, NotFound, Unavailable, Denied, Failed };
    struct Result {
        Status status = Status::Failed;
        QString secret;
        QString error; // what went wrong, never the secret
        bool ok() const { return status == Status::Ok; }
    };

    explicit Keychain(QString service = QStringLiteral("isobar"));

    Result read(const QString &key) const;
    Result write(const QString &key, const QString &secret) const;
    Result remove(const QString &key) const;

    static QString statusName(Status status);

private:
    QString m_service;
};

} // namespace isobar
