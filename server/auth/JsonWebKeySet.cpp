#include "JsonWebKeySet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QByteArray base64Url(const QJsonObject &object, const char *field)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        object.value(QLatin1String(field)).toString().toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
            | QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? decoded.decoded : QByteArray();
}

std::shared_ptr<EVP_PKEY> fromParams(const char *type, OSSL_PARAM_BLD *builder)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(builder);
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY *key = nullptr;
    const bool ok = params && context && EVP_PKEY_fromdata_init(context) == 1
                    && EVP_PKEY_fromdata(context, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    if (!ok) {
        EVP_PKEY_free(key);
        return nullptr;
    }
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> rsaKey(const QJsonObject &jwk)
{
    const QByteArray n = base64Url(jwk, "n");
    const QByteArray e = base64Url(jwk, "e");
    if (n.size() < 256 || e.isEmpty()) // under 2048 bits is too weak to trust
        return nullptr;
    BIGNUM *modulus =
        BN_bin2bn(reinterpret_cast<const unsigned char *>(n.constData()), int(n.size()), nullptr);
    BIGNUM *exponent =
        BN_bin2bn(reinterpret_cast<const unsigned char *>(e.constData()), int(e.size()), nullptr);
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    std::shared_ptr<EVP_PKEY> key;
    if (builder && modulus && exponent
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, modulus)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, exponent))
        key = fromParams("RSA", builder);
    OSSL_PARAM_BLD_free(builder);
    BN_free(modulus);
    BN_free(exponent);
    return key;
}

std::shared_ptr<EVP_PKEY> p256Key(const QJsonObject &jwk)
{
    if (jwk.value(u"crv").toString() != u"P-256")
        return nullptr;
    const QByteArray x = base64Url(jwk, "x");
    const QByteArray y = base64Url(jwk, "y");
    if (x.size() != 32 || y.size() != 32)
        return nullptr;
    const QByteArray point = '\x04' + x + y; // uncompressed SEC1 point
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    std::shared_ptr<EVP_PKEY> key;
    if (builder
        && OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0)
        && OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                            size_t(point.size())))
        key = fromParams("EC", builder);
    OSSL_PARAM_BLD_free(builder);
    return key;
}

} // namespace

JsonWebKeySet JsonWebKeySet::parse(const QByteArray &json, QStringList *skipped)
{
    JsonWebKeySet set;
    const QJsonArray keys = QJsonDocument::fromJson(json).object().value(u"keys").toArray();
    for (const auto &value : keys) {
        const QJsonObject jwk = value.toObject();
        const QString kid = jwk.value(u"kid").toString();
        const QString kty = jwk.value(u"kty").toString();
        const QString use = jwk.value(u"use").toString();
        std::shared_ptr<EVP_PKEY> key;
        if (!kid.isEmpty() && (use.isEmpty() || use == u"sig")) {
            if (kty == u"RSA")
                key = rsaKey(jwk);
            else if (kty == u"EC")
                key = p256Key(jwk);
        }
        if (!key) {
            if (skipped)
                skipped->append(kid.isEmpty() ? u"(no kid)"_s : kid);
            continue;
        }
        set.m_keys.insert(kid, JsonWebKey{kid, kty, jwk.value(u"alg").toString(), std::move(key)});
    }
    return set;
}

const JsonWebKey *JsonWebKeySet::find(const QString &kid) const
{
    const auto it = m_keys.constFind(kid);
    return it == m_keys.constEnd() ? nullptr : &*it;
}

} // namespace isobar
