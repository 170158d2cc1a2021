#include "TrustedProxies.h"

#include "HttpRequest.h"

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The first of a header's comma-separated values, trimmed.
QByteArray firstValue(const QByteArray &header)
{
    const qsizetype comma = header.indexOf(',');
    return (comma < 0 ? header : header.first(comma)).trimmed();
}

} // namespace

QString TrustedProxies::parse(const QStringList &entries, TrustedProxies *into)
{
    TrustedProxies parsed;
    for (const QString &entry : entries) {
        QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(entry);
        if (subnet.first.isNull()) {
            const QHostAddress single(entry);
            if (single.isNull())
                return entry;
            subnet = {single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
        }
        parsed.m_subnets.append(subnet);
        parsed.m_entries.append(entry);
    }
    *into = parsed;
    return QString();
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    const QHostAddress plain = isIPv4 ? QHostAddress(ipv4) : address;
    return std::any_of(m_subnets.begin(), m_subnets.end(),
                       [&plain](const auto &subnet) { return plain.isInSubnet(subnet); });
}

void TrustedProxies::apply(HttpRequest &request) const
{
    if (m_subnets.isEmpty() || !contains(request.peer))
        return;
    const QList<QByteArray> hops = request.header("x-forwarded-for").split(',');
    for (auto hop = hops.crbegin(); hop != hops.crend(); ++hop) {
        const QHostAddress address(QString::fromLatin1(hop->trimmed()));
        if (address.isNull())
            break; // a hop that is not an address: nothing before it can be believed
        request.peer = address;
        request.peerText = address.toString();
        if (!contains(address))
            break;
    }
    const QByteArray proto = firstValue(request.header("x-forwarded-proto")).toLower();
    if (proto == "https" || proto == "http")
        request.scheme = proto;
    if (const QByteArray host = firstValue(request.header("x-forwarded-host")); !host.isEmpty())
        request.host = host;
}

} // namespace isobar
