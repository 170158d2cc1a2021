#pragma once

#include "JsonWebKeySet.h"

#include <QJsonObject>
#include <QStringList>

namespace isobar {

using namespace Qt::StringLiterals;

// What a resource server requires of an access token.
struct TokenRequirements {
    QString issuer;                                 // exact match of "iss"
    QString audience;                               // must be in "aud"
    QStringList algorithms{u"RS256"_s, u"ES256"_s}; // allow-list
    qint64 leewaySeconds = 60;                      // clock skew for exp, nbf, iat
    qsizetype maxTokenBytes = 8192;
};

struct VerifiedToken {
    QJsonObject claims;
    QString subject;
    QStringList scopes; // from "scope" (space separated) or "scp" (string or array)
    qint64 expiresAt = 0;
};

// Checks a compact JWS access token: shape (unpadded base64url), header (the allow-listed alg
// decides the method, never the token; jku/x5u/jwk headers are ignored, crit and cty refused),
// signature with OpenSSL EVP against the key named by kid, then the claims' types, iss, aud,
// exp, nbf, iat and typ. The reason is for logs and tests only;
// clients only ever learn "invalid_token".
class JwtVerifier
{
public:
    enum class Failure {
        None,
        Missing,
        TooLarge,
        Malformed, // not three base64url parts of JSON
        AlgorithmNotAllowed,
        UnknownKey,  // no key with that kid (the caller may refresh keys and try again)
        KeyMismatch, // the key cannot make this algorithm's signatures
        BadSignature,
        WrongIssuer,
        WrongAudience,
        Expired,
        NotYetValid,
        IssuedInFuture,
        WrongType,
        UnsupportedHeader, // crit or cty: extensions and nesting Isobar does not understand
        InvalidClaim,      // a registered claim of the wrong JSON type
    };
    static QString failureName(Failure failure);
    // What this verifier can check; a configured allow-list may only narrow it.
    static QStringList supportedAlgorithms();

    struct Result {
        Failure failure = Failure::None;
        VerifiedToken token;
        QString kid; // the header's kid, for an UnknownKey retry
        bool ok() const { return failure == Failure::None; }
    };

    explicit JwtVerifier(TokenRequirements requirements);

    Result verify(const QByteArray &token, const JsonWebKeySet &keys, qint64 nowSeconds) const;
    const TokenRequirements &requirements() const { return m_requirements; }

private:
    TokenRequirements m_requirements;
};

} // namespace isobar
