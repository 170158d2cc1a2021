#include "MetricsApiFixture.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace isobar::test {

namespace {

// Every `isobar serve` option the suites rely on, in one place.
// clang-format off
const QStringList kServeArguments = {
    u"--no-auth"_s,                     // the API's answers are under test here, not tokens
    u"--rate-limit"_s, u"0"_s,         // a suite sends a few hundred requests at once
    u"--max-body-bytes"_s, u"65536"_s, // small, so the 413 test need not send megabytes
    u"--max-plots"_s, u"10"_s,
    u"--query-threads"_s, u"2"_s,
};
// clang-format on

QJsonValue withBase(const QJsonValue &value, const QString &base)
{
    if (value.isString())
        return QJsonValue(value.toString().replace(u"$BASE"_s, base));
    if (value.isArray()) {
        QJsonArray array;
        for (const auto &item : value.toArray())
            array.append(withBase(item, base));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = withBase(it.value(), base);
        return object;
    }
    return value;
}

QByteArray compact(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

QJsonValue bodyJson(const HttpReply &reply)
{
    const QJsonDocument document = reply.json();
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

} // namespace

QJsonObject point(const Series &s, const char *date, int epiweek, double value, bool inDelay)
{
    const QDate day = QDate::fromString(QLatin1String(date), Qt::ISODate);
    return QJsonObject{
        {u"theme"_s, u"infectious_disease"_s},
        {u"sub_theme"_s, u"respiratory"_s},
        {u"topic"_s, QLatin1String(s.topic)},
        {u"geography_type"_s, QLatin1String(s.geographyType)},
        {u"geography"_s, QLatin1String(s.geography)},
        {u"geography_code"_s, QLatin1String(s.geographyCode)},
        {u"metric"_s, QLatin1String(s.metric)},
        {u"metric_group"_s, QLatin1String(s.metricGroup)},
        {u"stratum"_s, QLatin1String(s.stratum)},
        {u"sex"_s, QLatin1String(s.sex)},
        {u"age"_s, QLatin1String(s.age)},
        {u"year"_s, day.year()},
        {u"month"_s, day.month()},
        {u"epiweek"_s, epiweek},
        {u"date"_s, QLatin1String(date)},
        {u"metric_value"_s, value},
        {u"in_reporting_delay_period"_s, inDelay},
    };
}

QJsonArray casesPoints(int from, int count)
{
    const QJsonArray all{
        point(kCases, "2022-12-30", 52, 5524), point(kCases, "2022-12-31", 52, 3891),
        point(kCases, "2023-01-01", 52, 3338), point(kCases, "2023-01-02", 1, 4636),
        point(kCases, "2023-01-03", 1, 5739),  point(kCases, "2023-01-04", 1, 5009, true),
    };
    QJsonArray slice;
    for (int i = from; i < from + count; ++i)
        slice.append(all[i]);
    return slice;
}

QJsonArray catalogue(const QByteArray &listPath, const QStringList &names,
                     const QStringList &encoded)
{
    QJsonArray items;
    for (qsizetype i = 0; i < names.size(); ++i) {
        items.append(QJsonObject{
            {u"name"_s, names[i]},
            {u"link"_s, QString(u"$BASE"_s + QString::fromLatin1(listPath) + u'/'
                                + encoded.value(i, names[i]))},
        });
    }
    return items;
}

QJsonArray detail(const char *next, const QByteArray &nextPath)
{
    return QJsonArray{
        QJsonObject{{QLatin1String(next), QString(u"$BASE"_s + QString::fromLatin1(nextPath))}}};
}

QJsonObject page(qint64 count, const QByteArray &next, const QByteArray &previous,
                 const QJsonArray &results)
{
    auto link = [](const QByteArray &target) {
        return target.isEmpty() ? QJsonValue()
                                : QJsonValue(QString(u"$BASE"_s + QString::fromLatin1(target)));
    };
    return QJsonObject{{u"count"_s, count},
                       {u"next"_s, link(next)},
                       {u"previous"_s, link(previous)},
                       {u"results"_s, results}};
}

QByteArray plot(const QByteArray &metric, const QByteArray &extra)
{
    return "{\"topic\":\"COVID-19\",\"metric\":\"" + metric + "\"" + extra + '}';
}

QByteArray tableCell(const char *label, const char *value)
{
    return QByteArray("{\"label\":\"") + label
           + "\",\"value\":" + (value ? '"' + QByteArray(value) + '"' : QByteArray("null"))
           + ",\"in_reporting_delay_period\":false}";
}

void addProblemColumns()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
}

void addPostColumns()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
}

void addAttachmentColumns()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("disposition");
}

void MetricsApiServer::start(const QStringList &extraArguments, const QString &extraFixtures)
{
    m_database = m_stores.fresh(u"metrics"_s);
    QVERIFY2(!m_database.isEmpty(), qPrintable(m_stores.errorString()));
    QStringList paths = {fixturesDir() + u"/metrics"_s};
    qsizetype files = 21;
    if (!extraFixtures.isEmpty()) {
        paths << fixturesDir() + u'/' + extraFixtures;
        files += QDir(paths.constLast()).entryList(QDir::Files).size();
    }
    QByteArray output;
    QCOMPARE(runIngest(m_database, paths, &output), 0);
    QVERIFY2(output.contains(QByteArray("files: " + QByteArray::number(files) + " ok, 0 failed")),
             output.constData());
    QVERIFY2(m_server.start(m_database, kServeArguments + extraArguments),
             m_server.output().constData());
    m_base = u"http://localhost:"_s + QString::number(m_server.port());
}

void MetricsApiServer::stop()
{
    QCOMPARE(m_server.stop(), 0);
}

HttpReply MetricsApiServer::get(const QByteArray &target) const
{
    return HttpClient::request(m_server.port(), "GET", target);
}

HttpReply MetricsApiServer::post(const QByteArray &target, const QByteArray &body) const
{
    return HttpClient::request(m_server.port(), "POST", target, body);
}

void MetricsApiServer::compareJson(const HttpReply &reply, const QJsonValue &expectedWithBase) const
{
    const QJsonValue expected = withBase(expectedWithBase, m_base);
    QVERIFY2(reply.status == 200,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonValue actual = bodyJson(reply);
    if (actual != expected) {
        QFAIL(qPrintable(u"\n   actual: "_s + QString::fromUtf8(reply.body) + u"\n expected: "_s
                         + QString::fromUtf8(compact(expected))));
    }
}

void MetricsApiServer::compareBytes(const HttpReply &reply, int status,
                                    const QByteArray &expected) const
{
    const QByteArray wanted = QByteArray(expected).replace("$BASE", m_base.toUtf8());
    QVERIFY2(reply.status == status,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));
    if (reply.body != wanted)
        QFAIL(qPrintable(u"\n   actual: "_s + QString::fromUtf8(reply.body) + u"\n expected: "_s
                         + QString::fromUtf8(wanted)));
}

void MetricsApiServer::compareGet() const
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    const HttpReply reply = get(target);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply.header("allow"), QByteArray("GET, HEAD, OPTIONS"));
    compareBytes(reply, status, expected);
}

void MetricsApiServer::comparePost(const QByteArray &contentType) const
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    const HttpReply reply = post(target, body);
    QCOMPARE(reply.header("allow"), QByteArray("POST, OPTIONS"));
    if (!contentType.isEmpty())
        QCOMPARE(reply.header("content-type"), contentType);
    compareBytes(reply, status, expected);
}

void MetricsApiServer::compareAttachment(const QByteArray &target, const QByteArray &body) const
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, disposition);
    const HttpReply reply = post(target, body);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), contentType);
    QCOMPARE(reply.header("content-disposition"), disposition);
}

void MetricsApiServer::verifyProblem() const
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);

    const HttpReply reply = HttpClient::request(m_server.port(), method, target, body);
    QVERIFY2(reply.status == status,
             qPrintable(QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body)));
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    const QJsonObject problem = reply.json().object();
    QCOMPARE(problem.value(u"type").toString(), u"about:blank"_s);
    QCOMPARE(problem.value(u"title").toString(), status == 404 ? u"Not Found"_s : u"Bad Request"_s);
    QCOMPARE(problem.value(u"status").toInt(), status);
    QVERIFY2(!problem.value(u"detail").toString().isEmpty(), reply.body.constData());
    QCOMPARE(problem.value(u"field").toString(), field);
    QCOMPARE(problem.contains(u"field"), !field.isEmpty());
}

} // namespace isobar::test
