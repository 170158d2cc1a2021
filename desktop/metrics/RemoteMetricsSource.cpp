#include "RemoteMetricsSource.h"

#include "CatalogueCrawl.h"
#include "DateParsing.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPromise>
#include <QtConcurrent>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// A value as downloads/v2 writes it: UKHSA's 4-decimal string, or a number.
double metricValue(const QJsonObject &row)
{
    const QJsonValue value = row.value(u"metric_value");
    return value.isString() ? value.toString().toDouble() : value.toDouble();
}

// A downloads/v2 JSON answer as points or headline records; the names a series shares are
// shared, as the local store's are, so the chart and trend code see the same shape either way.
SeriesResult parseDownload(const QByteArray &body, SeriesKind kind)
{
    SeriesResult result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isArray()) {
        result.error =
            u"the server's answer is not a JSON array: %1"_s.arg(parseError.errorString());
        return result;
    }
    QHash<QString, std::shared_ptr<const SeriesDescription>> descriptions;
    const QJsonArray rows = document.array();
    for (const auto &value : rows) {
        const QJsonObject row = value.toObject();
        auto text = [&row](const char *key) { return row.value(QLatin1String(key)).toString(); };
        SeriesDescription names{text("theme"),        text("sub_theme"),
                                text("topic"),        text("metric"),
                                text("metric_group"), text("geography_type"),
                                text("geography"),    text("geography_code"),
                                text("stratum"),      text("age"),
                                text("sex"),          QString()};
        const QString key = names.stratum + u'\x1f' + names.age + u'\x1f' + names.sex;
        auto &shared = descriptions[key];
        if (!shared)
            shared = std::make_shared<const SeriesDescription>(std::move(names));
        if (kind == SeriesKind::Headline) {
            // Periods in London's wall-clock time, "2023-10-26 00:00:00".
            const auto start = parseUkTimestamp(text("period_start"));
            const auto end = parseUkTimestamp(text("period_end"));
            if (!start || !end) {
                result.error = u"a headline without a valid period: %1 to %2"_s.arg(
                    text("period_start"), text("period_end"));
                result.headlines.clear();
                return result;
            }
            result.headlines.append(
                PublicHeadline{shared, *start, *end, metricValue(row), std::nullopt, std::nullopt});
            continue;
        }
        const auto date = parseIsoDate(text("date"));
        if (!date) {
            result.error = u"a point without a valid date: %1"_s.arg(text("date"));
            result.points.clear();
            return result;
        }
        // Downloads carry no epiweek and no confidence bounds.
        result.points.append(PublicPoint{
            shared, *date, row.value(u"epiweek").toInt(), metricValue(row),
            row.value(u"in_reporting_delay_period").toBool(), std::nullopt, std::nullopt});
    }
    // Newest first from the server; oldest first, as the local store reads them.
    std::stable_sort(result.points.begin(), result.points.end(),
                     [](const PublicPoint &a, const PublicPoint &b) { return a.date < b.date; });
    std::stable_sort(
        result.headlines.begin(), result.headlines.end(),
        [](const PublicHeadline &a, const PublicHeadline &b) { return a.periodEnd < b.periodEnd; });
    return result;
}

// GET /api/v1/catalogue's rows; nullopt when the answer is not that shape.
std::optional<QList<CatalogueEntry>> parseCatalogue(const QByteArray &body)
{
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (!answer.value(u"results").isArray())
        return std::nullopt;
    QList<CatalogueEntry> entries;
    for (const auto &value : answer.value(u"results").toArray()) {
        const QJsonObject row = value.toObject();
        auto text = [&row](const char *key) { return row.value(QLatin1String(key)).toString(); };
        entries.append({text("theme"), text("sub_theme"), text("topic"), text("geography_type"),
                        text("geography"), text("metric"), seriesKindNamed(text("kind"))});
    }
    return entries;
}

} // namespace

QString replyError(QNetworkReply *reply, const QByteArray &body)
{
    const QString detail = QJsonDocument::fromJson(body).object().value(u"detail").toString();
    return detail.isEmpty() ? reply->errorString() : u"%1: %2"_s.arg(reply->url().path(), detail);
}

RemoteMetricsSource::RemoteMetricsSource(const QUrl &baseUrl)
    : m_baseUrl(baseUrl)
{}

QString RemoteMetricsSource::displayName() const
{
    return m_baseUrl.toDisplayString();
}

QUrl RemoteMetricsSource::endpoint(const QByteArray &encodedPath) const
{
    QByteArray base = m_baseUrl.toEncoded(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (base.endsWith('/'))
        base.chop(1);
    return QUrl::fromEncoded(base + encodedPath, QUrl::StrictMode);
}

// An Isobar answers the whole catalogue at once; a server with only the UKHSA drill-down (404
// here) is crawled level by level instead, one request per level and parent.
QFuture<CatalogueResult> RemoteMetricsSource::catalogue()
{
    auto promise = std::make_shared<QPromise<CatalogueResult>>();
    QFuture<CatalogueResult> future = promise->future();
    promise->start();
    QNetworkReply *reply = m_network.get(QNetworkRequest(endpoint("/api/v1/catalogue")));
    QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply, promise] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 404) {
            QFutureWatcher<CatalogueResult> *crawl = new QFutureWatcher<CatalogueResult>;
            QObject::connect(crawl, &QFutureWatcherBase::finished, crawl, [crawl, promise] {
                promise->addResult(crawl->result());
                promise->finish();
                crawl->deleteLater();
            });
            crawl->setFuture((new CatalogueCrawl(*this, m_network))->start());
            return;
        }
        CatalogueResult result;
        if (reply->error() != QNetworkReply::NoError) {
            result.error = replyError(reply, answer);
        } else if (auto entries = parseCatalogue(answer)) {
            result.entries = std::move(*entries);
        } else {
            result.error = u"%1: not a catalogue answer"_s.arg(reply->url().path());
        }
        promise->addResult(result);
        promise->finish();
    });
    return future;
}

QFuture<SeriesResult> RemoteMetricsSource::series(const SeriesQuery &query)
{
    // Every date the server holds: the period filter narrows in memory, as for the local store.
    const QJsonObject plot{{u"topic"_s, query.topic},
                           {u"metric"_s, query.metric},
                           {u"geography_type"_s, query.geographyType},
                           {u"geography"_s, query.geography},
                           {u"date_from"_s, u"1900-01-01"_s},
                           {u"date_to"_s, u"2999-12-31"_s}};
    const QByteArray body =
        QJsonDocument(QJsonObject{{u"file_format"_s, u"json"_s}, {u"plots"_s, QJsonArray{plot}}})
            .toJson(QJsonDocument::Compact);
    QNetworkRequest request(endpoint("/api/downloads/v2"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.post(request, body);

    auto promise = std::make_shared<QPromise<SeriesResult>>();
    QFuture<SeriesResult> future = promise->future();
    promise->start();
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, promise, kind = query.kind] {
        reply->deleteLater();
        const QByteArray answer = reply->readAll();
        if (reply->error() != QNetworkReply::NoError) {
            SeriesResult failed;
            failed.error = replyError(reply, answer);
            promise->addResult(failed);
            promise->finish();
            return;
        }
        QThreadPool::globalInstance()->start([promise, answer, kind] {
            promise->addResult(parseDownload(answer, kind));
            promise->finish();
        });
    });
    return future;
}

} // namespace isobar
