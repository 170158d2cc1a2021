#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace isobar {

struct HttpRequest;

// The proxies (a load balancer, an ingress controller) whose forwarding headers are believed.
// Behind one, every connection comes from the proxy: without this, all callers would share one
// address, one rate limit and one line of requests per user, and links would say http:// to
// clients that used https://. A request from any other peer is taken as it came: its
// X-Forwarded-* headers are client input and ignored.
class TrustedProxies
{
public:
    TrustedProxies() = default;
    // Addresses and subnets ("10.0.0.0/8", "127.0.0.1", "fd00::/8"); an empty string when all
    // parse, else the first one that does not.
    static QString parse(const QStringList &entries, TrustedProxies *into);

    bool isEmpty() const { return m_subnets.isEmpty(); }
    QStringList entries() const { return m_entries; } // as given to parse()
    bool contains(const QHostAddress &address) const;

    // For a request from a trusted proxy: the client is the nearest address in X-Forwarded-For
    // that is not a trusted proxy itself (walking from the right, so a client cannot pose as
    // someone else by writing the header's start), the scheme is X-Forwarded-Proto's first
    // value, the host X-Forwarded-Host's. Other requests are left alone.
    void apply(HttpRequest &request) const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
    QStringList m_entries;
};

} // namespace isobar
