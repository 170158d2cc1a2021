#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <memory>

using EVP_PKEY = struct evp_pkey_st;

namespace isobar {

// One verification key from a JWKS document, as an OpenSSL public key.
struct JsonWebKey {
    QString kid;
    QString kty;       // RSA | EC
    QString algorithm; // the key's "alg" when published (RS256, ES256 ...), else empty
    std::shared_ptr<EVP_PKEY> key;
};

// Parses a JWKS document ({"keys": [...]}) into keys by kid. Only public signing keys that
// OpenSSL accepts survive: RSA of at least 2048 bits and EC P-256; others are skipped (and
// named in `skipped`), so one odd key never disables the rest.
class JsonWebKeySet
{
public:
    static JsonWebKeySet parse(const QByteArray &json, QStringList *skipped = nullptr);

    const JsonWebKey *find(const QString &kid) const;
    int size() const { return int(m_keys.size()); }
    QStringList kids() const { return m_keys.keys(); }

private:
    QHash<QString, JsonWebKey> m_keys;
};

} // namespace isobar
