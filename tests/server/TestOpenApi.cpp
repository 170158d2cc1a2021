// The OpenAPI document in resources/ against the route table of a real ApiServer: every route
// is documented, every documented operation is routed, and the document is well formed. The
// routes are read from the running server, so a route added anywhere is checked here without
// touching this test.

#include "ApiServer.h"
#include "TestSupport.h"
#include "auth/AccessPolicy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>
#include <memory>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QStringList kOperationMethods = {u"get"_s,     u"put"_s,  u"post"_s,  u"delete"_s,
                                       u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};

// A router pattern as an OpenAPI path: "/a/<name>/b/" -> "/a/{name}/b/" (UKHSA's routes are
// spelt with or without a trailing slash, and documented as spelt).
QString documentedPath(const QString &pattern)
{
    static const QRegularExpression parameter(u"<([^>]+)>"_s);
    QString path = pattern;
    path.replace(parameter, u"{\\1}"_s);
    return path;
}

QStringList pathParameterNames(const QString &path)
{
    static const QRegularExpression parameter(u"\\{([^}]+)\\}"_s);
    QStringList names;
    for (const auto &match : parameter.globalMatch(path))
        names << match.captured(1);
    return names;
}

// Every "$ref" string anywhere below `value`.
void collectReferences(const QJsonValue &value, QStringList *references)
{
    if (value.isArray()) {
        for (const auto &item : value.toArray())
            collectReferences(item, references);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"$ref")
                *references << it.value().toString();
            else
                collectReferences(it.value(), references);
        }
    }
}

} // namespace

class TestOpenApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void documentIsOpenApi3();
    void everyRouteIsDocumented_data();
    void everyRouteIsDocumented();
    void requiredScopesAreDocumented_data();
    void requiredScopesAreDocumented();
    void everyDocumentedOperationIsRouted_data();
    void everyDocumentedOperationIsRouted();
    void operationsAreComplete_data();
    void operationsAreComplete();
    void referencesResolve();
    void serverServesTheDocument();

private:
    QJsonObject operation(const QString &path, const QString &method) const;
    void addOperationRows();

    QTemporaryDir m_dir;
    std::unique_ptr<ApiServer> m_server;
    QByteArray m_documentBytes;
    QJsonObject m_document;
};

void TestOpenApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    ServerConfig config;
    config.databasePath = m_dir.filePath(u"openapi.db"_s);
    config.port = 0;
    config.queryThreads = 1;
    // The route table is the same with or without token checks; no provider is needed here.
    config.auth.enabled = false;
    config.accuWeatherKey = [] { return QString(); };
    m_server = std::make_unique<ApiServer>(config);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QVERIFY(!m_server->router().routes().isEmpty());

    // The document the server embeds and serves.
    QFile file(u":/isobar/openapi.json"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_documentBytes = file.readAll();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(m_documentBytes, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(u"resources/openapi.json: %1 at offset %2"_s.arg(error.errorString())
                            .arg(error.offset)));
    QVERIFY(document.isObject());
    m_document = document.object();
}

QJsonObject TestOpenApi::operation(const QString &path, const QString &method) const
{
    return m_document.value(u"paths").toObject().value(path).toObject().value(method).toObject();
}

void TestOpenApi::documentIsOpenApi3()
{
    QVERIFY2(m_document.value(u"openapi").toString().startsWith(u"3."),
             "the document must declare openapi 3.x");
    const QJsonObject info = m_document.value(u"info").toObject();
    QVERIFY(!info.value(u"title").toString().isEmpty());
    QCOMPARE(info.value(u"version").toString(), QString::fromUtf8(ISOBAR_VERSION));
    QVERIFY(m_document.value(u"paths").isObject());
    QVERIFY(!m_document.value(u"paths").toObject().isEmpty());
}

void TestOpenApi::everyRouteIsDocumented_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    for (const Route &route : m_server->router().routes()) {
        const QString method = QString::fromLatin1(route.method).toLower();
        const QString path = documentedPath(route.pattern);
        QTest::newRow(qPrintable(method + u' ' + path)) << method << path;
    }
}

void TestOpenApi::everyRouteIsDocumented()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QVERIFY2(m_document.value(u"paths").toObject().contains(path),
             qPrintable(u"resources/openapi.json has no path "_s + path));
    QVERIFY2(!operation(path, method).isEmpty(),
             qPrintable(u"resources/openapi.json has no %1 operation on %2"_s.arg(method, path)));
}

void TestOpenApi::requiredScopesAreDocumented_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("scope");
    for (const Route &route : m_server->router().routes()) {
        const QString method = QString::fromLatin1(route.method).toLower();
        const QString path = documentedPath(route.pattern);
        QTest::newRow(qPrintable(method + u' ' + path))
            << method << path << AccessPolicy::requiredScope(route.pattern);
    }
}

// What a client must send comes from the access policy's table, so a change there shows here.
void TestOpenApi::requiredScopesAreDocumented()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, scope);
    const QJsonObject op = operation(path, method);
    QCOMPARE(op.value(u"x-required-scope").toString(), scope);
    if (scope.isEmpty()) {
        QVERIFY2(!op.contains(u"security"), "a public route declares no security requirement");
        return;
    }
    QCOMPARE(op.value(u"security").toArray(),
             (QJsonArray{QJsonObject{{u"bearerAuth"_s, QJsonArray{}}}}));
    const QJsonObject responses = op.value(u"responses").toObject();
    QVERIFY2(responses.contains(u"401") && responses.contains(u"403"),
             "a protected route documents 401 and 403");
    QVERIFY(m_document.value(u"components")
                .toObject()
                .value(u"securitySchemes")
                .toObject()
                .contains(u"bearerAuth"));
}

void TestOpenApi::addOperationRows()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    const QJsonObject paths = m_document.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = it.value().toObject();
        for (const QString &method : kOperationMethods) {
            if (item.contains(method))
                QTest::newRow(qPrintable(method + u' ' + it.key())) << method << it.key();
        }
    }
}

void TestOpenApi::everyDocumentedOperationIsRouted_data()
{
    addOperationRows();
}

void TestOpenApi::everyDocumentedOperationIsRouted()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    bool routed = false;
    for (const Route &route : m_server->router().routes()) {
        if (documentedPath(route.pattern) == path
            && QString::fromLatin1(route.method).toLower() == method)
            routed = true;
    }
    QVERIFY2(routed, qPrintable(u"%1 %2 is documented but the server has no such route"_s.arg(
                         method.toUpper(), path)));
}

void TestOpenApi::operationsAreComplete_data()
{
    addOperationRows();
}

void TestOpenApi::operationsAreComplete()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    const QJsonObject op = operation(path, method);
    QVERIFY2(!op.value(u"summary").toString().isEmpty(), "every operation needs a summary");
    const QJsonObject responses = op.value(u"responses").toObject();
    QVERIFY2(!responses.isEmpty(), "every operation needs its responses");
    for (auto it = responses.begin(); it != responses.end(); ++it) {
        const QJsonObject response = it.value().toObject();
        QVERIFY2(response.contains(u"$ref") || !response.value(u"description").toString().isEmpty(),
                 qPrintable(u"response "_s + it.key() + u" needs a description"_s));
    }
    QVERIFY2(responses.keys().contains(u"200"_s) || responses.keys().contains(u"201"_s)
                 || responses.keys().contains(u"204"_s),
             "every operation documents its success answer");

    // Path parameters: each {name} in the path is declared once as a required path parameter,
    // and nothing else is declared "in: path".
    QStringList declared;
    QJsonArray parameters =
        m_document.value(u"paths").toObject().value(path).toObject().value(u"parameters").toArray();
    for (const auto &value : op.value(u"parameters").toArray())
        parameters.append(value);
    for (const auto &value : std::as_const(parameters)) {
        const QJsonObject parameter = value.toObject();
        QVERIFY2(!parameter.contains(u"$ref"), "parameters are written inline");
        QVERIFY(!parameter.value(u"name").toString().isEmpty());
        QVERIFY(parameter.contains(u"schema"));
        if (parameter.value(u"in").toString() != u"path")
            continue;
        QVERIFY2(parameter.value(u"required").toBool(),
                 qPrintable(u"path parameter "_s + parameter.value(u"name").toString()
                            + u" must be required"_s));
        declared << parameter.value(u"name").toString();
    }
    QStringList expected = pathParameterNames(path);
    declared.sort();
    expected.sort();
    QCOMPARE(declared, expected);
}

void TestOpenApi::referencesResolve()
{
    QStringList references;
    collectReferences(m_document, &references);
    QVERIFY(!references.isEmpty());
    for (const QString &reference : std::as_const(references)) {
        QVERIFY2(reference.startsWith(u"#/"), qPrintable(u"only local references: "_s + reference));
        QJsonValue target = m_document;
        for (const QString &step : reference.mid(2).split(u'/'))
            target = target.toObject().value(step);
        QVERIFY2(target.isObject(), qPrintable(u"unresolved reference "_s + reference));
    }
}

void TestOpenApi::serverServesTheDocument()
{
    // The blocking client runs on another thread while this one keeps the server's loop turning.
    const quint16 port = m_server->port();
    QFuture<test::HttpReply> reply = QtConcurrent::run(
        [port] { return test::HttpClient::request(port, "GET", "/openapi.json"); });
    QTRY_VERIFY_WITH_TIMEOUT(reply.isFinished(), 60000);
    QCOMPARE(reply.result().status, 200);
    QCOMPARE(reply.result().header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.result().body, m_documentBytes);
}

QTEST_GUILESS_MAIN(TestOpenApi)
#include "TestOpenApi.moc"
