#include "HealthcheckCommand.h"

#include "ServerConfig.h"
#include "config/ServerSettings.h"
#include "monitoring/ReplicaProbes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr int kDefaultTimeoutMs = 3000;

// The address a local client reaches the server on: a wildcard bind answers on loopback.
QString hostFor(const QHostAddress &bind)
{
    if (bind == QHostAddress::AnyIPv6) // IPv6 only
        return u"[::1]"_s;
    // Any (both stacks) or AnyIPv4: the tolerant comparison takes them as one.
    if (bind.isEqual(QHostAddress::AnyIPv4, QHostAddress::TolerantConversion))
        return u"127.0.0.1"_s;
    return bind.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + bind.toString() + u']'
                                                            : bind.toString();
}

} // namespace

int runHealthcheckCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Ask the local isobar serve one probe; exit 0 on a 2xx answer, 1 otherwise."_s);
    parser.addHelpOption();
    const QCommandLineOption path(u"path"_s, u"The probe: /readyz (default), /livez, /startupz."_s,
                                  u"path"_s, ReplicaProbes::kReadinessRoute);
    const QCommandLineOption timeout(u"timeout-ms"_s, u"Time the answer may take (default 3000)."_s,
                                     u"ms"_s, QString::number(kDefaultTimeoutMs));
    parser.addOptions({path, timeout});
    ServerSettings::addOptions(parser, {"bind", "port"});
    parser.process(arguments);

    QTextStream err(stderr);
    ServerConfig config;
    if (const QString error =
            ServerSettings::apply(config, SettingSources::commandLine(parser), {"bind", "port"});
        !error.isEmpty()) {
        err << "isobar healthcheck: " << error << '\n';
        return 2;
    }
    bool timeoutOk = false;
    const int timeoutMs = parser.value(timeout).toInt(&timeoutOk);
    if (!timeoutOk || timeoutMs <= 0 || !parser.value(path).startsWith(u'/')) {
        err << "isobar healthcheck: --timeout-ms takes a positive number and --path starts "
               "with /\n";
        return 2;
    }
    const QUrl url(
        u"http://%1:%2%3"_s.arg(hostFor(config.bind)).arg(config.port).arg(parser.value(path)));

    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy); // the server is local, whatever http_proxy says
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = network.get(request);
    QObject::connect(reply, &QNetworkReply::finished, qApp, &QCoreApplication::quit);
    QCoreApplication::exec();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll().trimmed();
    if (status == 0) {
        err << "isobar healthcheck: " << url.toString() << ": " << reply->errorString() << '\n';
        return 1;
    }
    QTextStream(status / 100 == 2 ? stdout : stderr)
        << url.toString() << ": " << status << ' ' << body << '\n';
    return status / 100 == 2 ? 0 : 1;
}

} // namespace isobar
