#include "BulkDownloadsApi.h"

#include "DateParsing.h"
#include "DrfFields.h"
#include "MetricsQuery.h"
#include "PointDownloads.h"
#include "UkhsaPlots.h"
#include "UkhsaWire.h"
#include "api/ZipArchive.h"

#include <QDateTime>
#include <QMap>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QString kRoute = u"/api/bulkdownloads/v1"_s;
// UKHSA's charts show the country's series; a nation is the widest area its data has.
const QString kChartGeographyType = u"Nation"_s;

} // namespace

BulkDownloadsApi::BulkDownloadsApi(QueryRunner &runner, int maxRowsPerFile)
    : m_runner(runner)
    , m_maxRowsPerFile(maxRowsPerFile)
{}

void BulkDownloadsApi::registerRoutes(Router &router)
{
    router.add(
        "GET", kRoute, u"Every topic's national series as CSV or JSON files in one ZIP (UKHSA's)"_s,
        [this](const HttpRequest &request, const RouteParams &) { return archive(request); });
    UkhsaWire::refuseMethodsAsDrf(router, kRoute);
}

QString BulkDownloadsApi::archiveName(const QString &title)
{
    static const QRegularExpression stripped(uR"([()+,/\\\-{!'&@%*;:^$£?|".\[\]}])"_s);
    QStringList words;
    for (QString word : title.split(u' ', Qt::SkipEmptyParts)) {
        word.remove(stripped);
        if (!word.isEmpty())
            words << word;
    }
    return words.join(u'_').toLower();
}

QFuture<HttpResponse> BulkDownloadsApi::archive(const HttpRequest &request) const
{
    const auto format = UkhsaWire::lastValue(UkhsaWire::queryItems(request), u"file_format"_s);
    if (!format || (*format != u"csv" && *format != u"json"))
        return readyResponse(UkhsaWire::viewAnswer(
            UkhsaWire::fieldErrors({{u"file_format"_s, format ? DrfFields::notAChoice(*format)
                                                              : u"This field is required."_s}})));
    return m_runner.run([this, csv = *format == u"csv"](MetricsQuery &store) -> HttpResponse {
        // Topics and their time series in name order (the catalogue's), each once.
        QMap<QString, QStringList> metricsByTopic;
        for (const CatalogueEntry &entry : store.catalogue()) {
            QStringList &metrics = metricsByTopic[entry.topic];
            if (entry.kind == SeriesKind::TimeSeries && entry.geographyType == kChartGeographyType
                && !metrics.contains(entry.metric))
                metrics << entry.metric;
        }
        ZipArchive zip;
        int index = 0;
        for (auto topic = metricsByTopic.cbegin(); topic != metricsByTopic.cend(); ++topic) {
            for (const QString &metric : topic.value()) {
                PointSelection selection;
                selection.topic = topic.key();
                selection.metric = metric;
                selection.geographyType = kChartGeographyType;
                // Newest first, as downloads/v2 writes them.
                UkhsaPlots::MergedPoints points;
                if (auto refused = points.read(store, selection, index++, m_maxRowsPerFile))
                    return *refused;
                const QList<PublicPoint> newestFirst = points.newestFirst();
                zip.add(archiveName(topic.key()) + u'/' + archiveName(metric)
                            + (csv ? u".csv"_s : u".json"_s),
                        csv ? PointDownloads::csv(newestFirst) : PointDownloads::json(newestFirst));
            }
        }
        QString error;
        const auto bytes = zip.bytes(&error);
        if (!bytes)
            return HttpResponse::problem(500, u"the archive could not be written: "_s + error);
        HttpResponse response =
            UkhsaWire::viewAnswer(HttpResponse::bytes(*bytes, "application/zip"));
        // UKHSA names the file after the day in London, unquoted.
        response.setHeader("Content-Disposition",
                           "attachment; filename=ukhsa_data_dashboard_downloads_"
                               + londonTime(QDateTime::currentSecsSinceEpoch())
                                     .date()
                                     .toString(Qt::ISODate)
                                     .toLatin1()
                               + ".zip");
        return response;
    });
}

} // namespace isobar
