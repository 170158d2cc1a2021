// Where an S3 drop-off is and how it is signed for, from the URL and the AWS_* variables every
// AWS tool reads: the addressing (Amazon by virtual host, other stores by path), the order in
// which credentials and regions are found, and the errors that name what is missing.

#include "ingest/S3Access.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {

const char *const kVariables[] = {"AWS_ACCESS_KEY_ID",
                                  "AWS_SECRET_ACCESS_KEY",
                                  "AWS_SESSION_TOKEN",
                                  "AWS_PROFILE",
                                  "AWS_REGION",
                                  "AWS_DEFAULT_REGION",
                                  "AWS_ENDPOINT_URL",
                                  "AWS_ENDPOINT_URL_S3",
                                  "AWS_SHARED_CREDENTIALS_FILE"};

} // namespace

class TestS3Access : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

private Q_SLOTS:
    void init()
    {
        for (const char *name : kVariables)
            qunsetenv(name);
        qputenv("HOME", m_home.path().toUtf8()); // no ~/.aws of the machine's
    }

    void amazonIsAddressedByVirtualHostInTheRegion()
    {
        qputenv("AWS_ACCESS_KEY_ID", "AKID");
        qputenv("AWS_SECRET_ACCESS_KEY", "secret");
        qputenv("AWS_DEFAULT_REGION", "us-west-2");
        qputenv("AWS_REGION", "eu-west-3"); // wins over the default region
        QString error;
        const S3Access access = S3Access::resolve(u"s3://ukhsa-drop/metrics"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(access.region, u"eu-west-3"_s);
        QCOMPARE(access.prefix, u"metrics/"_s);
        QVERIFY(!access.pathStyle);
        QCOMPARE(access.objectUrl(u"metrics/week 48/cases+rates.json"_s),
                 QByteArray("https://ukhsa-drop.s3.eu-west-3.amazonaws.com/metrics/week%2048/"
                            "cases%2Brates.json"));
        QCOMPARE(access.description(), u"s3://ukhsa-drop/metrics/"_s);
    }

    void anotherStoreIsAddressedByPath()
    {
        qputenv("AWS_ACCESS_KEY_ID", "AKID");
        qputenv("AWS_SECRET_ACCESS_KEY", "secret");
        qputenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
        qputenv("AWS_ENDPOINT_URL_S3", "https://minio.internal:9443"); // the S3-specific one wins
        QString error;
        const S3Access access = S3Access::resolve(u"s3://drop"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(access.region, u"us-east-1"_s);
        QVERIFY(access.pathStyle);
        QCOMPARE(access.prefix, QString());
        QCOMPARE(access.objectUrl(QString()), QByteArray("https://minio.internal:9443/drop/"));
        QCOMPARE(access.objectUrl(u"a.csv"_s),
                 QByteArray("https://minio.internal:9443/drop/a.csv"));
    }

    void keysComeFromTheProfileOfAMountedFile()
    {
        const QString path = m_home.filePath(u"credentials"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = d\n"
                   "[ingest]\naws_access_key_id = INGESTKEY\naws_secret_access_key = i\n"
                   "aws_session_token = token\nregion = eu-west-3\n");
        file.close();
        qputenv("AWS_SHARED_CREDENTIALS_FILE", path.toUtf8());
        qputenv("AWS_PROFILE", "ingest");
        QString error;
        const S3Access access = S3Access::resolve(u"s3://drop/in/"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(access.accessKeyId, u"INGESTKEY"_s);
        QCOMPARE(access.secretAccessKey, u"i"_s);
        QCOMPARE(access.sessionToken, u"token"_s);
        QCOMPARE(access.region, u"eu-west-3"_s);
    }

    void whatIsMissingIsNamed_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QByteArray>("endpoint");
        QTest::addColumn<bool>("keys");
        QTest::addColumn<QString>("message");
        QTest::newRow("no bucket")
            << u"s3:///in"_s << QByteArray() << true << u"is not an s3://bucket/prefix location"_s;
        QTest::newRow("no keys") << u"s3://drop"_s << QByteArray() << false
                                 << u"no S3 credentials"_s;
        QTest::newRow("not http") << u"s3://drop"_s << QByteArray("ftp://store") << true
                                  << u"is not an http(s):// URL"_s;
    }

    void whatIsMissingIsNamed()
    {
        QFETCH(QString, location);
        QFETCH(QByteArray, endpoint);
        QFETCH(bool, keys);
        QFETCH(QString, message);
        if (keys) {
            qputenv("AWS_ACCESS_KEY_ID", "AKID");
            qputenv("AWS_SECRET_ACCESS_KEY", "secret");
        }
        if (!endpoint.isEmpty())
            qputenv("AWS_ENDPOINT_URL", endpoint);
        QString error;
        S3Access::resolve(location, &error);
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(!error.contains(u"secret"_s));
    }
};

QTEST_GUILESS_MAIN(TestS3Access)
#include "TestS3Access.moc"
