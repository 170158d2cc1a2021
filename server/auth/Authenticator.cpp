#include "Authenticator.h"

#include "AccessPolicy.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <openssl/evp.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcAuth, "isobar.auth")

// What the verified-token cache is keyed on: the token itself is a credential, kept nowhere.
// OpenSSL's SHA-256 (hardware-assisted where the CPU has it) takes about 1 us for a typical
// RS256 token, against nearly 6 us for QCryptographicHash: every authenticated request pays it.
// The algorithm is fetched from OpenSSL's providers once: EVP_sha256() would look it up again
// on every digest, which cost as much as the hashing.
QByteArray tokenDigest(QByteArrayView token)
{
    static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr); // never freed
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int size = 0;
    if (!sha256
        || EVP_Digest(token.constData(), size_t(token.size()),
                      reinterpret_cast<unsigned char *>(digest.data()), &size, sha256, nullptr)
               != 1)
        return {}; // never matches a cached digest: the token is verified in full
    digest.truncate(int(size));
    return digest;
}

} // namespace

Authenticator::Authenticator(JwtVerifier verifier, OidcKeyProvider &keys, int maxCachedTokens,
                             Clock clock, QObject *parent)
    : QObject(parent)
    , m_verifier(std::move(verifier))
    , m_keys(keys)
    , m_maxCached(maxCachedTokens)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentSecsSinceEpoch(); }))
{}

void Authenticator::trustLocalToken(const QByteArray &token, const QString &subject)
{
    m_localDigest = token.isEmpty() ? QByteArray() : tokenDigest(token);
    m_localSubject = subject;
}

Eventual<AuthOutcome> Authenticator::authenticate(const QByteArray &authorizationHeader,
                                                  const VerificationBudget &budget)
{
    const QByteArray header = authorizationHeader.trimmed();
    QByteArray token;
    if (header.size() > 7 && header.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        token = header.sliced(7).trimmed();
    if (token.size() > m_verifier.requirements().maxTokenBytes) {
        ++m_stats.rejected;
        return AuthOutcome{false, {}, {}, JwtVerifier::Failure::TooLarge};
    }
    const QByteArray digest = tokenDigest(token);
    if (!m_localDigest.isEmpty() && !token.isEmpty() && digest == m_localDigest)
        return AuthOutcome{
            true, m_localSubject, {AccessPolicy::kAdmin, AccessPolicy::kWeatherRead}, {}};
    if (const auto it = m_cache.constFind(digest); it != m_cache.constEnd()) {
        if (it->expiresAt + m_verifier.requirements().leewaySeconds > m_clock()) {
            ++m_stats.cacheHits;
            return AuthOutcome{true, it->subject, it->scopes, {}};
        }
        m_cache.erase(it);
    }
    if (const int wait = budget ? budget() : 0; wait > 0) {
        AuthOutcome throttled;
        throttled.throttledSeconds = wait;
        return throttled;
    }
    AuthOutcome outcome = verifyNow(token, digest, KeyMiss::TryAgain);
    if (outcome.failure != JwtVerifier::Failure::UnknownKey)
        return outcome;
    // The provider may have rotated keys: look again (rate-limited), then decide.
    return m_keys.refresh().then(
        this, [this, token, digest] { return verifyNow(token, digest, KeyMiss::Final); });
}

AuthOutcome Authenticator::verifyNow(const QByteArray &token, const QByteArray &digest,
                                     KeyMiss keyMiss)
{
    const auto keys = m_keys.keys();
    const JwtVerifier::Result result = m_verifier.verify(token, *keys, m_clock());
    if (result.failure == JwtVerifier::Failure::UnknownKey && keyMiss == KeyMiss::TryAgain)
        return AuthOutcome{false, {}, {}, result.failure}; // not decided until the keys are new
    if (!result.ok()) {
        ++m_stats.rejected;
        logRejection(result.failure);
        return AuthOutcome{false, {}, {}, result.failure};
    }
    ++m_stats.verified;
    remember(digest, result.token);
    return AuthOutcome{true, result.token.subject, result.token.scopes, {}};
}

void Authenticator::logRejection(JwtVerifier::Failure failure)
{
    const qint64 second = QDateTime::currentSecsSinceEpoch();
    if (second != m_logSecond) {
        m_logSecond = second;
        m_logLines = 0;
    }
    if (++m_logLines > kRejectionLogsPerSecond) {
        ++m_logSuppressed;
        return;
    }
    // The reason is logged for operators; the token itself never is.
    QString line = u"event=token_rejected reason="_s + JwtVerifier::failureName(failure);
    if (m_logSuppressed > 0)
        line += u" unlogged_before=%1"_s.arg(std::exchange(m_logSuppressed, 0));
    qCInfo(lcAuth).noquote() << line;
}

void Authenticator::remember(const QByteArray &digest, const VerifiedToken &token)
{
    if (digest.isEmpty())
        return; // no digest could be made: nothing to find it by
    if (m_cache.size() >= m_maxCached) {
        // Drop expired tokens first; if all are live, start over rather than grow.
        const qint64 now = m_clock();
        m_cache.removeIf([now](const auto &entry) { return entry.value().expiresAt <= now; });
        if (m_cache.size() >= m_maxCached)
            m_cache.clear();
    }
    VerifiedToken kept = token;
    kept.claims = {}; // only what the hot path needs
    m_cache.insert(digest, kept);
}

Authenticator::Stats Authenticator::stats() const
{
    Stats stats = m_stats;
    stats.cached = int(m_cache.size());
    return stats;
}

void Authenticator::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.family(prometheus::kTokens, "counter", "Bearer tokens checked, by result.");
    out.sample(prometheus::kTokens, {{u"result"_s, u"cached"_s}}, double(now.cacheHits));
    out.sample(prometheus::kTokens, {{u"result"_s, u"verified"_s}}, double(now.verified));
    out.sample(prometheus::kTokens, {{u"result"_s, u"rejected"_s}}, double(now.rejected));
}

} // namespace isobar
