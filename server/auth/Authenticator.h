#pragma once

#include "JwtVerifier.h"
#include "OidcKeyProvider.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <functional>

namespace isobar {

class PrometheusText;

struct AuthOutcome {
    bool ok = false;
    QString subject;
    QStringList scopes;
    JwtVerifier::Failure failure = JwtVerifier::Failure::None;
};

// Turns an Authorization header into a verified subject and scopes. Verified tokens are kept
// (keyed by a SHA-256 of the token, until they expire) so the hot path does no RSA work; a
// token naming an unknown kid triggers one rate-limited key refresh, then one more try.
class Authenticator : public QObject
{
    Q_OBJECT
public:
    struct Stats {
        qint64 cacheHits = 0;
        qint64 verified = 0;
        qint64 rejected = 0;
        int cached = 0;
    };
    using Clock = std::function<qint64()>; // seconds since the epoch

    Authenticator(JwtVerifier verifier, OidcKeyProvider &keys, int maxCachedTokens = 100'000,
                  Clock clock = {}, QObject *parent = nullptr);

    QFuture<AuthOutcome> authenticate(const QByteArray &authorizationHeader);
    Stats stats() const;
    // Its family of /metrics: tokens checked by result.
    void writePrometheus(PrometheusText &out) const;

private:
    AuthOutcome verifyNow(const QByteArray &token, const QByteArray &digest);
    void remember(const QByteArray &digest, const VerifiedToken &token);

    JwtVerifier m_verifier;
    OidcKeyProvider &m_keys;
    int m_maxCached;
    Clock m_clock;
    QHash<QByteArray, VerifiedToken> m_cache;
    Stats m_stats;
};

} // namespace isobar
