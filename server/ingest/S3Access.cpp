#include "S3Access.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString environment(const char *name)
{
    return qEnvironmentVariable(name).trimmed();
}

// S3's URI encoding: every byte but the unreserved ones, '/' kept between path segments.
QByteArray encodedKey(const QString &key)
{
    return QUrl::toPercentEncoding(key, "/");
}

} // namespace

bool S3Access::isS3(const QString &location)
{
    return location.startsWith(u"s3://"_s, Qt::CaseInsensitive);
}

S3Access S3Access::resolve(const QString &location, QString *error)
{
    S3Access access;
    const QUrl url(location, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().toLower() != u"s3"_s || url.host().isEmpty()) {
        *error = u"'%1' is not an s3://bucket/prefix location"_s.arg(location);
        return access;
    }
    access.bucket = url.host();
    access.prefix = url.path().mid(1);
    if (!access.prefix.isEmpty() && !access.prefix.endsWith(u'/'))
        access.prefix += u'/';

    const QString profile =
        environment("AWS_PROFILE").isEmpty() ? u"default"_s : environment("AWS_PROFILE");
    QString credentialsFile = environment("AWS_SHARED_CREDENTIALS_FILE");
    if (credentialsFile.isEmpty())
        credentialsFile = QDir::homePath() + u"/.aws/credentials"_s;
    access.accessKeyId = environment("AWS_ACCESS_KEY_ID");
    access.secretAccessKey = environment("AWS_SECRET_ACCESS_KEY");
    access.sessionToken = environment("AWS_SESSION_TOKEN");
    QString profileRegion;
    if (QFileInfo(credentialsFile).isReadable()) {
        QSettings file(credentialsFile, QSettings::IniFormat);
        file.beginGroup(profile);
        if (access.accessKeyId.isEmpty()) {
            access.accessKeyId = file.value(u"aws_access_key_id"_s).toString().trimmed();
            access.secretAccessKey = file.value(u"aws_secret_access_key"_s).toString().trimmed();
            access.sessionToken = file.value(u"aws_session_token"_s).toString().trimmed();
        }
        profileRegion = file.value(u"region"_s).toString().trimmed();
    }
    if (access.accessKeyId.isEmpty() || access.secretAccessKey.isEmpty()) {
        *error = u"no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or mount a "
                 "credentials file (AWS_SHARED_CREDENTIALS_FILE, profile '%1')"_s.arg(profile);
        return access;
    }

    for (const QString &region : {environment("AWS_REGION"), environment("AWS_DEFAULT_REGION"),
                                  profileRegion, u"us-east-1"_s}) {
        if (!region.isEmpty()) {
            access.region = region;
            break;
        }
    }
    QString endpoint = environment("AWS_ENDPOINT_URL_S3");
    if (endpoint.isEmpty())
        endpoint = environment("AWS_ENDPOINT_URL");
    if (endpoint.isEmpty()) {
        access.endpoint = QUrl(u"https://s3.%1.amazonaws.com"_s.arg(access.region));
    } else {
        access.endpoint = QUrl(endpoint, QUrl::StrictMode);
        access.pathStyle = true;
        const QString scheme = access.endpoint.scheme();
        if (!access.endpoint.isValid() || access.endpoint.host().isEmpty()
            || (scheme != u"http"_s && scheme != u"https"_s)) {
            *error = u"the S3 endpoint '%1' is not an http(s):// URL"_s.arg(endpoint);
            return access;
        }
    }
    return access;
}

QByteArray S3Access::objectUrl(const QString &key) const
{
    QUrl base = endpoint;
    QByteArray path = "/" + encodedKey(key);
    if (pathStyle)
        path = "/" + encodedKey(bucket) + path;
    else
        base.setHost(bucket + u'.' + base.host());
    base.setPath(QString());
    return base.toEncoded(QUrl::StripTrailingSlash) + path;
}

QString S3Access::description() const
{
    return u"s3://%1/%2"_s.arg(bucket, prefix);
}

} // namespace isobar
