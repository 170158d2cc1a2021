#include "OidcTestProvider.h"

#include "http/HttpServer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace isobar::test {

namespace {

QByteArray encodeSegment(const QJsonObject &object)
{
    return TokenSigner::base64Url(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray bigNumberParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *number = nullptr;
    if (!EVP_PKEY_get_bn_param(key, name, &number))
        qFatal("cannot read key parameter %s", name);
    QByteArray bytes(BN_num_bytes(number), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char *>(bytes.data()));
    BN_free(number);
    return bytes;
}

QByteArray padLeft(QByteArray bytes, int size)
{
    while (bytes.size() < size)
        bytes.prepend('\0');
    return bytes.right(size);
}

QByteArray digestSign(EVP_PKEY *key, const QByteArray &input)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(context, nullptr, &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   size_t(input.size()));
    QByteArray signature(qsizetype(length), '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char *>(signature.data()), &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   size_t(input.size()));
    EVP_MD_CTX_free(context);
    signature.resize(qsizetype(length));
    return signature;
}

// ECDSA gives DER (SEQUENCE of two INTEGERs); JWS wants r || s, 32 bytes each.
QByteArray derToJose(const QByteArray &der)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(der.constData());
    ECDSA_SIG *signature = d2i_ECDSA_SIG(nullptr, &bytes, long(der.size()));
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(signature, &r, &s);
    QByteArray rs(64, '\0');
    BN_bn2binpad(r, reinterpret_cast<unsigned char *>(rs.data()), 32);
    BN_bn2binpad(s, reinterpret_cast<unsigned char *>(rs.data()) + 32, 32);
    ECDSA_SIG_free(signature);
    return rs;
}

} // namespace

struct TokenSigner::Keys {
    EVP_PKEY *rsa = nullptr;
    EVP_PKEY *ec = nullptr;
};

TokenSigner::TokenSigner()
    : m_keys(std::make_unique<Keys>())
{
    m_keys->rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    m_keys->ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!m_keys->rsa || !m_keys->ec)
        qFatal("OpenSSL could not generate test keys");
}

TokenSigner::~TokenSigner()
{
    EVP_PKEY_free(m_keys->rsa);
    EVP_PKEY_free(m_keys->ec);
}

QByteArray TokenSigner::base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject TokenSigner::jwks() const
{
    const QJsonObject rsa{
        {"kty", "RSA"},
        {"kid", "rsa-1"},
        {"use", "sig"},
        {"alg", "RS256"},
        {"n", QString::fromLatin1(base64Url(bigNumberParam(m_keys->rsa, OSSL_PKEY_PARAM_RSA_N)))},
        {"e", QString::fromLatin1(base64Url(bigNumberParam(m_keys->rsa, OSSL_PKEY_PARAM_RSA_E)))}};
    const QJsonObject ec{
        {"kty", "EC"},
        {"kid", "ec-1"},
        {"use", "sig"},
        {"crv", "P-256"},
        {"x", QString::fromLatin1(
                  base64Url(padLeft(bigNumberParam(m_keys->ec, OSSL_PKEY_PARAM_EC_PUB_X), 32)))},
        {"y", QString::fromLatin1(
                  base64Url(padLeft(bigNumberParam(m_keys->ec, OSSL_PKEY_PARAM_EC_PUB_Y), 32)))}};
    return QJsonObject{{"keys", QJsonArray{rsa, ec}}};
}

QByteArray TokenSigner::rsaPublicKeyPem() const
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, m_keys->rsa);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, length);
    BIO_free(bio);
    return pem;
}

QByteArray TokenSigner::signRs256(const QJsonObject &claims, const QString &kid,
                                  QJsonObject header) const
{
    header.insert("alg", "RS256");
    header.insert("typ", header.value("typ").toString("JWT"));
    if (!kid.isEmpty())
        header.insert("kid", kid);
    const QByteArray input = encodeSegment(header) + '.' + encodeSegment(claims);
    return input + '.' + base64Url(digestSign(m_keys->rsa, input));
}

QByteArray TokenSigner::signEs256(const QJsonObject &claims, const QString &kid) const
{
    const QJsonObject header{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}};
    const QByteArray input = encodeSegment(header) + '.' + encodeSegment(claims);
    return input + '.' + base64Url(derToJose(digestSign(m_keys->ec, input)));
}

QByteArray TokenSigner::signHs256(const QJsonObject &claims, const QByteArray &secret,
                                  const QString &kid)
{
    const QJsonObject header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}};
    const QByteArray input = encodeSegment(header) + '.' + encodeSegment(claims);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.constData(), int(secret.size()),
         reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()), mac,
         &length);
    return input + '.' + base64Url(QByteArray(reinterpret_cast<const char *>(mac), int(length)));
}

QByteArray TokenSigner::unsignedToken(const QJsonObject &claims)
{
    return encodeSegment(QJsonObject{{"alg", "none"}, {"typ", "JWT"}}) + '.' + encodeSegment(claims)
           + '.';
}

OidcTestProvider::OidcTestProvider(const TokenSigner &signer)
    : m_jwksDocument(QJsonDocument(signer.jwks()).toJson(QJsonDocument::Compact))
{
    m_context.moveToThread(&m_thread);
    m_thread.start();
}

OidcTestProvider::~OidcTestProvider()
{
    stop();
    QMetaObject::invokeMethod(
        &m_context, [this] { m_context.moveToThread(QCoreApplication::instance()->thread()); },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool OidcTestProvider::start()
{
    bool ok = false;
    QMetaObject::invokeMethod(
        &m_context,
        [this, &ok] {
            auto *server = new HttpServer(HttpLimits{});
            Router &router = server->router();
            router.add("GET", u"/.well-known/openid-configuration"_s, u"discovery"_s,
                       [this](const HttpRequest &, const RouteParams &) {
                           ++m_discovery;
                           const QJsonObject document{
                               {"issuer", issuer()},
                               {"jwks_uri", QString(issuer() + u"/jwks.json"_s)},
                               {"id_token_signing_alg_values_supported",
                                QJsonArray{u"RS256"_s, u"ES256"_s}}};
                           return readyResponse(HttpResponse::json(document));
                       });
            router.add("GET", u"/jwks.json"_s, u"keys"_s,
                       [this](const HttpRequest &, const RouteParams &) {
                           ++m_jwks;
                           if (m_holdJwks) {
                               QPromise<HttpResponse> &held = m_held.emplace_back();
                               held.start();
                               ++m_heldCount;
                               return held.future();
                           }
                           return readyResponse(
                               HttpResponse::bytes(m_jwksDocument, "application/json"));
                       });
            ok = server->listen(QHostAddress::LocalHost, 0);
            m_port = server->port();
            m_server = server;
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void OidcTestProvider::stop()
{
    if (!m_server)
        return;
    QMetaObject::invokeMethod(
        m_server,
        [this] {
            m_held.clear(); // cancelled: the connections answer 503 as they close
            m_heldCount = 0;
            delete m_server;
        },
        Qt::BlockingQueuedConnection);
    m_server = nullptr;
}

void OidcTestProvider::holdJwks()
{
    m_holdJwks = true;
}

void OidcTestProvider::releaseJwks(int status)
{
    const HttpResponse answer = status == 200
                                    ? HttpResponse::bytes(m_jwksDocument, "application/json")
                                    : HttpResponse::problem(status, u"the keys are unavailable"_s);
    QMetaObject::invokeMethod(
        &m_context,
        [this, answer] {
            m_holdJwks = false;
            for (QPromise<HttpResponse> &held : m_held) {
                held.addResult(answer);
                held.finish();
            }
            m_held.clear();
            m_heldCount = 0;
        },
        Qt::BlockingQueuedConnection);
}

QString OidcTestProvider::issuer() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

} // namespace isobar::test
