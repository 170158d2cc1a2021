#include "MetricsApiFixture.h"

#include <QJsonDocument>
#include <QTest>

namespace isobar::test {

namespace {

// Every `isobar serve` option the suites rely on, in one place.
// clang-format off
const QStringList kServeArguments = {
    u"--no-auth"_qs,                     // the API's answers are under test here, not tokens
    u"--rate-limit"_qs, u"0"_qs,         // a suite sends a few hundred requests at once
    u"--max-body-bytes"_qs, u"65536"_qs, // small, so the 413 test need not send megabytes
    u"--max-plots"_qs, u"10"_qs,
    u"--query-threads"_qs, u"2"_qs,
};
// clang-format on

QJsonValue withBase(const QJsonValue &value, const QString &base)
{
    if (value.isString())
        return QJsonValue(value.toString().replace(u"$BASE"_qs, base));
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
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
        {u"theme"_qs, u"infectious_disease"_qs},
        {u"sub_theme"_qs, u"respiratory"_qs},
        {u"topic"_qs, QLatin1String(s.topic)},
        {u"geography_type"_qs, QLatin1String(s.geographyType)},
        {u"geography"_qs, QLatin1String(s.geography)},
        {u"geography_code"_qs, QLatin1String(s.geographyCode)},
        {u"metric"_qs, QLatin1String(s.metric)},
        {u"metric_group"_qs, QLatin1String(s.metricGroup)},
        {u"stratum"_qs, QLatin1String(s.stratum)},
        {u"sex"_qs, QLatin1String(s.sex)},
        {u"age"_qs, QLatin1String(s.age)},
        {u"year"_qs, day.year()},
        {u"month"_qs, day.month()},
        {u"epiweek"_qs, epiweek},
        {u"date"_qs, QLatin1String(date)},
        {u"metric_value"_qs, value},
        {u"in_reporting_delay_period"_qs, inDelay},
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
            {u"name"_qs, names[i]},
            {u"link"_qs, QString(u"$BASE"_qs + QString::fromLatin1(listPath) + u'/'
                                 + encoded.value(i, names[i]))},
        });
    }
    return items;
}

QJsonObject detail(const QString &name, const char *next, const QByteArray &nextPath)
{
    return QJsonObject{
        {u"name"_qs, name},
        {QLatin1String(next), QString(u"$BASE"_qs + QString::fromLatin1(nextPath) + u'/')}};
}

QJsonObject page(qint64 count, const QByteArray &next, const QByteArray &previous,
                 const QJsonArray &results)
{
    auto link = [](const QByteArray &target) {
        return target.isEmpty() ? QJsonValue()
                                : QJsonValue(QString(u"$BASE"_qs + QString::fromLatin1(target)));
    };
    return QJsonObject{{u"count"_qs, count},
                       {u"next"_qs, link(next)},
                       {u"previous"_qs, link(previous)},
                       {u"results"_qs, results}};
}

QByteArray plot(const QByteArray &metric, const QByteArray &extra)
{
    return "{\"topic\":\"COVID-19\",\"metric\":\"" + metric + "\"" + extra + '}';
}

void addProblemColumns()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
}

void MetricsApiServer::start()
{
    QVERIFY(m_dir.isValid());
    const QString database = m_dir.filePath(u"metrics.db"_qs);
    QByteArray output;
    QCOMPARE(runIngest(database, {fixturesDir() + u"/metrics"_qs}, &output), 0);
    QVERIFY2(output.contains("files: 13 ok, 0 failed"), output.constData());
    QVERIFY2(m_server.start(database, kServeArguments), m_server.output().constData());
    m_base = u"http://localhost:"_qs + QString::number(m_server.port());
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
        QFAIL(qPrintable(u"\n   actual: "_qs + QString::fromUtf8(reply.body) + u"\n expected: "_qs
                         + QString::fromUtf8(compact(expected))));
    }
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
    QCOMPARE(problem.value(u"type").toString(), u"about:blank"_qs);
    QCOMPARE(problem.value(u"title").toString(),
             status == 404 ? u"Not Found"_qs : u"Bad Request"_qs);
    QCOMPARE(problem.value(u"status").toInt(), status);
    QVERIFY2(!problem.value(u"detail").toString().isEmpty(), reply.body.constData());
    QCOMPARE(problem.value(u"field").toString(), field);
    QCOMPARE(problem.contains(u"field"), !field.isEmpty());
}

} // namespace isobar::test
