#pragma once

#include "http/HttpResponse.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPromise>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace isobar::test {

using namespace Qt::StringLiterals;

// Signing keys made by the test (RSA 2048 and EC P-256, with OpenSSL) and tokens signed with
// them, the way an OpenID Connect provider would issue them; also the forgeries an attacker
// would try (alg none, HS256 keyed with the RSA public key).
class TokenSigner
{
public:
    TokenSigner();
    ~TokenSigner();

    // {"keys": [...]}: the public halves, kids "rsa-1" and "ec-1".
    QJsonObject jwks() const;
    QByteArray rsaPublicKeyPem() const;

    QByteArray signRs256(const QJsonObject &claims, const QString &kid = u"rsa-1"_s,
                         QJsonObject header = {}) const;
    QByteArray signEs256(const QJsonObject &claims, const QString &kid = u"ec-1"_s) const;
    // HMAC-SHA256 with `secret`, header alg HS256 (the key-confusion attack).
    static QByteArray signHs256(const QJsonObject &claims, const QByteArray &secret,
                                const QString &kid);
    static QByteArray unsignedToken(const QJsonObject &claims); // alg "none"

    static QByteArray base64Url(const QByteArray &bytes);

private:
    struct Keys;
    std::unique_ptr<Keys> m_keys;
};

// A local OpenID Connect provider on a real loopback port, in its own thread (so tests may
// block on a socket while the server under test fetches keys): serves
// /.well-known/openid-configuration and /jwks.json, and counts the fetches. It can hold JWKS
// requests unanswered, as a slow provider would, until the test releases them.
class OidcTestProvider
{
public:
    explicit OidcTestProvider(const TokenSigner &signer);
    ~OidcTestProvider();

    bool start();
    void stop(); // the provider goes down; the port stops answering
    QString issuer() const;
    quint16 port() const { return m_port; }
    int discoveryFetches() const { return m_discovery.load(); }
    int jwksFetches() const { return m_jwks.load(); }

    // From now on JWKS requests wait, unanswered, until releaseJwks().
    void holdJwks();
    // Answers the held JWKS requests: the keys for 200, else a problem with `status`; later
    // requests are answered at once again.
    void releaseJwks(int status = 200);
    int heldJwksRequests() const { return m_heldCount.load(); }

private:
    QByteArray m_jwksDocument;
    QThread m_thread;
    QObject m_context; // lives in m_thread: the provider's objects are made and destroyed there
    QObject *m_server = nullptr;
    quint16 m_port = 0;
    std::atomic_int m_discovery{0};
    std::atomic_int m_jwks{0};
    std::atomic_bool m_holdJwks{false};
    std::vector<QPromise<HttpResponse>> m_held; // touched in m_thread only
    std::atomic_int m_heldCount{0};
};

} // namespace isobar::test
