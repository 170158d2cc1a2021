#include "JwtVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

std::optional<QByteArray> decodeSegment(QByteArrayView segment)
{
    // JWS segments are base64url without padding (RFC 7515 section 2): '=' has no place.
    if (segment.contains('='))
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        segment.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                   | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

std::optional<QJsonObject> decodeJsonSegment(QByteArrayView segment)
{
    const auto bytes = decodeSegment(segment);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// JWS ES256 signatures are r||s (32 bytes each); OpenSSL verifies DER ECDSA-Sig-Value.
QByteArray ecdsaDer(const QByteArray &raw)
{
    ECDSA_SIG *signature = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()), 32, nullptr);
    BIGNUM *s =
        BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()) + 32, 32, nullptr);
    QByteArray der;
    if (signature && r && s && ECDSA_SIG_set0(signature, r, s) == 1) {
        r = s = nullptr; // owned by the signature now
        unsigned char *out = nullptr;
        const int length = i2d_ECDSA_SIG(signature, &out);
        if (length > 0)
            der = QByteArray(reinterpret_cast<const char *>(out), length);
        OPENSSL_free(out);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(signature);
    return der;
}

bool verifySignature(EVP_PKEY *key, const QByteArray &signingInput, const QByteArray &signature)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    const bool ok =
        context && EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestVerify(context, reinterpret_cast<const unsigned char *>(signature.constData()),
                            size_t(signature.size()),
                            reinterpret_cast<const unsigned char *>(signingInput.constData()),
                            size_t(signingInput.size()))
               == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

std::optional<qint64> numericDate(const QJsonObject &claims, const char *name)
{
    const QJsonValue value = claims.value(QLatin1String(name));
    if (!value.isDouble())
        return std::nullopt;
    return qint64(value.toDouble());
}

bool isStringList(const QJsonValue &value)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    return std::all_of(array.begin(), array.end(),
                       [](const QJsonValue &v) { return v.isString(); });
}

// Every registered claim Isobar reads has the type RFC 7519 gives it, when present: a claim of
// another type is refused rather than read as absent (an "nbf" string would otherwise let a
// token in early).
bool claimTypesHold(const QJsonObject &claims)
{
    const auto present = [&claims](const char *name) {
        return claims.contains(QLatin1String(name));
    };
    const auto is = [&claims](const char *name, QJsonValue::Type type) {
        return claims.value(QLatin1String(name)).type() == type;
    };
    for (const char *date : {"exp", "nbf", "iat"}) {
        if (present(date) && !is(date, QJsonValue::Double))
            return false;
    }
    for (const char *text : {"iss", "sub", "scope"}) {
        if (present(text) && !is(text, QJsonValue::String))
            return false;
    }
    for (const char *texts : {"aud", "scp"}) {
        if (present(texts) && !is(texts, QJsonValue::String)
            && !isStringList(claims.value(QLatin1String(texts))))
            return false;
    }
    return true;
}

} // namespace

QString JwtVerifier::failureName(Failure failure)
{
    switch (failure) {
    case Failure::None:
        return u"none"_s;
    case Failure::Missing:
        return u"missing"_s;
    case Failure::TooLarge:
        return u"too_large"_s;
    case Failure::Malformed:
        return u"malformed"_s;
    case Failure::AlgorithmNotAllowed:
        return u"algorithm_not_allowed"_s;
    case Failure::UnknownKey:
        return u"unknown_key"_s;
    case Failure::KeyMismatch:
        return u"key_mismatch"_s;
    case Failure::BadSignature:
        return u"bad_signature"_s;
    case Failure::WrongIssuer:
        return u"wrong_issuer"_s;
    case Failure::WrongAudience:
        return u"wrong_audience"_s;
    case Failure::Expired:
        return u"expired"_s;
    case Failure::NotYetValid:
        return u"not_yet_valid"_s;
    case Failure::IssuedInFuture:
        return u"issued_in_future"_s;
    case Failure::WrongType:
        return u"wrong_type"_s;
    case Failure::UnsupportedHeader:
        return u"unsupported_header"_s;
    case Failure::InvalidClaim:
        return u"invalid_claim"_s;
    }
    return {};
}

JwtVerifier::JwtVerifier(TokenRequirements requirements)
    : m_requirements(std::move(requirements))
{}

QStringList JwtVerifier::supportedAlgorithms()
{
    return {u"RS256"_s, u"ES256"_s};
}

JwtVerifier::Result JwtVerifier::verify(const QByteArray &token, const JsonWebKeySet &keys,
                                        qint64 nowSeconds) const
{
    Result result;
    if (token.isEmpty()) {
        result.failure = Failure::Missing;
        return result;
    }
    if (token.size() > m_requirements.maxTokenBytes) {
        result.failure = Failure::TooLarge;
        return result;
    }
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3) {
        result.failure = Failure::Malformed;
        return result;
    }
    const auto header = decodeJsonSegment(parts[0]);
    const auto claims = decodeJsonSegment(parts[1]);
    const auto signature = decodeSegment(parts[2]);
    if (!header || !claims || !signature || signature->isEmpty()) {
        result.failure = Failure::Malformed;
        return result;
    }

    // Our configuration chooses the algorithm; the header may only name one we allow.
    const QString algorithm = header->value(u"alg").toString();
    if (!m_requirements.algorithms.contains(algorithm)
        || !supportedAlgorithms().contains(algorithm)) {
        result.failure = Failure::AlgorithmNotAllowed;
        return result;
    }
    // "crit" names extensions the recipient must understand (RFC 7515 section 4.1.11), and
    // "cty" a nested token: Isobar understands neither, so it must refuse them. Other header
    // parameters (jku, jwk, x5u, x5c ...) are ignored: keys come from the provider alone.
    if (header->contains(u"crit") || header->contains(u"cty")) {
        result.failure = Failure::UnsupportedHeader;
        return result;
    }
    if (header->contains(u"typ")) {
        const QString type = header->value(u"typ").toString().toLower().remove(u"application/"_s);
        if (type != u"jwt" && type != u"at+jwt") {
            result.failure = Failure::WrongType;
            return result;
        }
    }
    result.kid = header->value(u"kid").toString();
    // A provider with a single key may leave kid out; with several, kid must say which.
    const JsonWebKey *key = result.kid.isEmpty() && keys.size() == 1
                                ? keys.find(keys.kids().constFirst())
                                : keys.find(result.kid);
    if (!key) {
        result.failure = Failure::UnknownKey;
        return result;
    }
    const bool rsa = algorithm == u"RS256";
    if ((rsa && key->kty != u"RSA") || (!rsa && key->kty != u"EC")
        || (!key->algorithm.isEmpty() && key->algorithm != algorithm)) {
        result.failure = Failure::KeyMismatch;
        return result;
    }
    const QByteArray signingInput = token.first(parts[0].size() + 1 + parts[1].size());
    QByteArray signatureBytes = *signature;
    if (!rsa) {
        if (signatureBytes.size() != 64) {
            result.failure = Failure::BadSignature;
            return result;
        }
        signatureBytes = ecdsaDer(signatureBytes);
    }
    if (!verifySignature(key->key.get(), signingInput, signatureBytes)) {
        result.failure = Failure::BadSignature;
        return result;
    }

    // Only a genuine token's claims are worth reading.
    if (!claimTypesHold(*claims)) {
        result.failure = Failure::InvalidClaim;
        return result;
    }
    if (claims->value(u"iss").toString() != m_requirements.issuer) {
        result.failure = Failure::WrongIssuer;
        return result;
    }
    const QJsonValue audience = claims->value(u"aud");
    const bool audienceOk = audience.isString()
                                ? audience.toString() == m_requirements.audience
                                : audience.toArray().contains(QJsonValue(m_requirements.audience));
    if (!audienceOk) {
        result.failure = Failure::WrongAudience;
        return result;
    }
    const qint64 leeway = m_requirements.leewaySeconds;
    const auto expires = numericDate(*claims, "exp");
    if (!expires || *expires + leeway <= nowSeconds) {
        result.failure = Failure::Expired;
        return result;
    }
    if (const auto notBefore = numericDate(*claims, "nbf");
        notBefore && *notBefore - leeway > nowSeconds) {
        result.failure = Failure::NotYetValid;
        return result;
    }
    if (const auto issued = numericDate(*claims, "iat"); issued && *issued - leeway > nowSeconds) {
        result.failure = Failure::IssuedInFuture;
        return result;
    }

    result.token.claims = *claims;
    result.token.subject = claims->value(u"sub").toString();
    result.token.expiresAt = *expires;
    if (claims->value(u"scope").isString())
        result.token.scopes = claims->value(u"scope").toString().split(u' ', Qt::SkipEmptyParts);
    const QJsonValue scp = claims->value(u"scp");
    if (scp.isString())
        result.token.scopes += scp.toString().split(u' ', Qt::SkipEmptyParts);
    for (const auto &scope : scp.toArray())
        result.token.scopes << scope.toString();
    return result;
}

} // namespace isobar
