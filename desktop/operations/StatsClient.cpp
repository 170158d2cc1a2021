#include "StatsClient.h"

#include "monitoring/MonitoringReads.h"
#include "monitoring/PrometheusExposition.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {} // namespace

StatsClient::StatsClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<StatsClient::Reply>();
    // A redirect could carry the bearer token to another host: never follow one.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

StatsClient::~StatsClient()
{
    cancelAll();
}

void StatsClient::setServer(const QUrl &baseUrl, const QString &bearerToken)
{
    cancelAll(); // answers from the previous server must not land on the new one's page
    m_baseUrl = baseUrl;
    m_authorization = bearerToken.isEmpty() ? QByteArray() : "Bearer " + bearerToken.toUtf8();
}

void StatsClient::get(const QString &path, const QUrlQuery &query, Handler handler)
{
    QUrl url = m_baseUrl;
    url.setPath(m_baseUrl.path().chopped(m_baseUrl.path().endsWith(u'/') ? 1 : 0) + path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(kTimeoutMs);
    request.setRawHeader("Accept",
                         path == PrometheusExposition::kRoute ? "text/plain" : "application/json");
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    // These reads are the page's own: a server leaves them out of the stats they read.
    request.setRawHeader(kMonitoringHeader, "operations-page");
    QNetworkReply *networkReply = m_network->get(request);
    m_pending.insert(networkReply);
    connect(networkReply, &QNetworkReply::finished, this,
            [this, networkReply, path, handler = std::move(handler)] {
                m_pending.remove(networkReply);
                networkReply->deleteLater();
                const Reply reply = readReply(networkReply, path);
                handler(reply);
                Q_EMIT replied(reply);
            });
}

void StatsClient::cancelAll()
{
    const QSet<QNetworkReply *> pending = std::exchange(m_pending, {});
    for (QNetworkReply *reply : pending) {
        reply->disconnect(this); // before abort(), which emits finished()
        reply->abort();
        reply->deleteLater();
    }
}

StatsClient::Reply StatsClient::readReply(QNetworkReply *networkReply, const QString &path) const
{
    Reply reply;
    reply.url = networkReply->url();
    reply.path = path;
    reply.status = networkReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply.body = networkReply->readAll();

    if (reply.status == 0) {
        // No HTTP answer at all. Only the transfer timeout aborts a reply we still track.
        reply.failure = networkReply->error() == QNetworkReply::OperationCanceledError
                            ? Failure::TimedOut
                            : Failure::Unreachable;
        reply.message = describe(reply.failure, 0, networkReply->errorString());
        return reply;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(reply.body, &parseError);
    if (reply.status < 200 || reply.status >= 300) {
        reply.failure = reply.status == 401   ? Failure::Unauthorized
                        : reply.status == 403 ? Failure::Forbidden
                                              : Failure::HttpError;
        // Problem details (RFC 9457) say what was wrong; plain bodies are not shown.
        const QString detail = document.object().value(u"detail").toString();
        reply.message = describe(reply.failure, reply.status, detail);
        return reply;
    }
    if (path == PrometheusExposition::kRoute)
        return reply;
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        reply.failure = Failure::BadAnswer;
        reply.message = describe(reply.failure, reply.status, parseError.errorString());
        return reply;
    }
    reply.json = document.object();
    return reply;
}

QString StatsClient::describe(Failure failure, int status, const QString &detail) const
{
    const QString server = m_baseUrl.toDisplayString(QUrl::RemoveUserInfo);
    switch (failure) {
    case Failure::None:
        return {};
    case Failure::Unauthorized:
        return m_authorization.isEmpty()
                   ? tr("%1 requires a bearer token (401). Enter the token of an account with "
                        "the isobar:admin scope.")
                         .arg(server)
                   : tr("%1 refused the bearer token (401): it may have expired, or come from "
                        "another issuer or audience.")
                         .arg(server);
    case Failure::Forbidden:
        return tr("%1 accepted the token but refused access (403): the stats API needs the "
                  "isobar:admin scope.")
            .arg(server);
    case Failure::Unreachable:
        return tr("Cannot reach %1: %2.").arg(server, detail);
    case Failure::TimedOut:
        return tr("%1 did not answer within %2 s.").arg(server).arg(kTimeoutMs / 1000.0);
    case Failure::HttpError:
        return detail.isEmpty() ? tr("%1 answered HTTP %2.").arg(server).arg(status)
                                : tr("%1 answered HTTP %2: %3").arg(server).arg(status).arg(detail);
    case Failure::BadAnswer:
        return tr("%1 sent an answer that is not the expected JSON (%2).").arg(server, detail);
    }
    return {};
}

} // namespace isobar
