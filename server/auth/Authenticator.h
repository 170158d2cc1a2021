#pragma once

#include "JwtVerifier.h"
#include "OidcKeyProvider.h"
#include "http/Eventual.h"

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
    int throttledSeconds = 0; // not checked: the caller's verification budget is spent
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

    // Seconds the caller must wait before a token of theirs is verified (0: verify now).
    using VerificationBudget = std::function<int()>;
    // A token verified before is answered from memory; any other is verified only when
    // `budget` allows it, so a flood of bad tokens is refused before any signature work.
    // Ready at once unless the token names a key not fetched yet.
    Eventual<AuthOutcome> authenticate(const QByteArray &authorizationHeader,
                                       const VerificationBudget &budget = {});
    // Accepts `token` as `subject` with every scope, without verification: the desktop's own
    // per-run credential for its embedded server (AuthConfig::localAdminToken). Only its
    // SHA-256 is kept.
    void trustLocalToken(const QByteArray &token, const QString &subject);
    Stats stats() const;
    // Its family of /metrics: tokens checked by result.
    void writePrometheus(PrometheusText &out) const;

private:
    // An unknown kid is tried again once the keys are refreshed; only the final answer is
    // counted and logged.
    enum class KeyMiss { TryAgain, Final };
    AuthOutcome verifyNow(const QByteArray &token, const QByteArray &digest, KeyMiss keyMiss);
    void remember(const QByteArray &digest, const VerifiedToken &token);
    // Rejections are logged at most kRejectionLogsPerSecond a second; the next line says how
    // many were left out.
    void logRejection(JwtVerifier::Failure failure);
    static constexpr int kRejectionLogsPerSecond = 10;

    JwtVerifier m_verifier;
    OidcKeyProvider &m_keys;
    int m_maxCached;
    Clock m_clock;
    QHash<QByteArray, VerifiedToken> m_cache;
    QByteArray m_localDigest; // trustLocalToken()'s, or empty
    QString m_localSubject;
    Stats m_stats;
    qint64 m_logSecond = 0;
    int m_logLines = 0;
    qint64 m_logSuppressed = 0;
};

} // namespace isobar
