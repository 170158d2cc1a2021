#pragma once

#include <QString>
#include <QUrl>

namespace isobar {

// Where an S3 drop-off is and how to sign for it, from `s3://bucket/prefix` and the variables
// every AWS tool reads, so a container is configured as any other S3 client is:
// - credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else the
//   profile AWS_PROFILE ("default") of the file AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials),
//   a mounted secret in Kubernetes;
// - region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`, else us-east-1;
// - endpoint: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL (any S3-compatible store, addressed
//   by path: http://host:port/bucket/key), else Amazon S3 in the region (addressed by virtual
//   host: https://bucket.s3.region.amazonaws.com/key).
struct S3Access {
    QString bucket;
    QString prefix; // "" or ending in '/'
    QString region;
    QUrl endpoint; // scheme, host and port; the bucket is in the host or the path
    bool pathStyle = false;
    QString accessKeyId;
    QString secretAccessKey; // never logged, never shown
    QString sessionToken;

    // Whether `location` names an S3 drop-off at all (s3://...).
    static bool isS3(const QString &location);
    // Reads the URL and the environment; an empty `error` when usable.
    static S3Access resolve(const QString &location, QString *error);

    // The URL of an object (or of the bucket, for an empty key), encoded as S3 signs it.
    QByteArray objectUrl(const QString &key) const;
    // s3://bucket/prefix, as shown in /health and the runs: no endpoint, no credential.
    QString description() const;
};

} // namespace isobar
