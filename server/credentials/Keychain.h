#pragma once

#include <QString>

namespace isobar {

using namespace Qt::StringLiterals;

// The OS keychain (Secret Service on Linux, through QtKeychain), one entry at a time.
// Calls wait for the keychain on a local event loop, bounded by a timeout: they are for
// start-up and the command line, never for the request path. Nothing is ever written to a
// plaintext fallback.
class Keychain
{
public:
    enum class Status {
        Ok,
        NotFound,    // no such entry
        Unavailable, // no keychain service to talk to (no session bus, no Secret Service)
        Denied,      // the keychain is locked, or access was refused
        Failed,      // anything else, including no answer in time
    };
    struct Result {
        Status status = Status::Failed;
        QString secret; // read() only
        QString error;  // what went wrong, with the backend; never the secret
        bool ok() const { return status == Status::Ok; }
    };

    // A locked keyring may show a password prompt on a desktop: give a person time to answer.
    static constexpr int kDefaultTimeoutMs = 60'000;

    explicit Keychain(QString service = u"isobar"_s, int timeoutMs = kDefaultTimeoutMs);

    Result read(const QString &key) const;
    Result write(const QString &key, const QString &secret) const;
    // NotFound when there was no entry (the Secret Service itself reports success then).
    Result remove(const QString &key) const;

    QString service() const { return m_service; }
    int timeoutMs() const { return m_timeoutMs; }

    // Which store QtKeychain talks to on this machine, e.g. "Secret Service (libsecret)".
    static QString backendName();
    static QString statusName(Status status);

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace isobar
