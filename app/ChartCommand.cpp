#include "ChartCommand.h"

#include "ChartBuilder.h"
#include "ChartData.h"
#include "ChartDescription.h"
#include "ChartRenderer.h"
#include "MetricsDatabase.h"
#include "StoreError.h"
#include "charts/ChartBody.h"
#include "config/ServerSettings.h"
#include "metrics/UkhsaPlots.h"
#include "metrics/UkhsaWire.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

std::optional<ChartFormat> formatFromExtension(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"png")
        return ChartFormat::Png;
    if (suffix == u"svg")
        return ChartFormat::Svg;
    if (suffix == u"jpg" || suffix == u"jpeg")
        return ChartFormat::Jpeg;
    return std::nullopt;
}

// What POST /api/charts/v2 answers to a body it refuses: UKHSA's JSON error, on one line.
int refuse(QTextStream &err, const HttpResponse &answer)
{
    err << "isobar chart: " << answer.body << '\n';
    return 2;
}

} // namespace

int runChartCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Render a chart from the metrics store: REQUEST.json is a POST /api/charts/v2 "
        "body; the output file's extension (.png, .svg, .jpg) chooses the format. "
        "Prints the chart's alternative text. Exit code 2 for a bad request or no data, with "
        "the answer the route gives (UKHSA's JSON error) on stderr."_s);
    parser.addHelpOption();
    const QCommandLineOption out(u"out"_s, u"The chart file to write."_s, u"file"_s);
    ServerSettings::addOptions(parser, {"database"});
    parser.addOption(out);
    parser.addPositionalArgument(u"REQUEST"_s, u"The request body (JSON file)."_s,
                                 u"REQUEST.json"_s);
    parser.process(arguments);

    QTextStream err(stderr);
    if (parser.positionalArguments().size() != 1 || !parser.isSet(out)) {
        err << "isobar chart: give --out FILE and one REQUEST.json\n";
        return 2;
    }
    const std::optional<ChartFormat> format = formatFromExtension(parser.value(out));
    if (!format) {
        err << "isobar chart: --out must end in .png, .svg, .jpg or .jpeg\n";
        return 2;
    }
    QFile requestFile(parser.positionalArguments().constFirst());
    if (!requestFile.open(QIODevice::ReadOnly)) {
        err << "isobar chart: cannot read " << requestFile.fileName() << ": "
            << requestFile.errorString() << '\n';
        return 2;
    }
    QJsonParseError jsonError;
    const QJsonDocument body = QJsonDocument::fromJson(requestFile.readAll(), &jsonError);
    if (!body.isObject()) {
        err << "isobar chart: " << requestFile.fileName() << " is not a JSON object"
            << (jsonError.error != QJsonParseError::NoError ? u": " + jsonError.errorString()
                                                            : QString())
            << '\n';
        return 2;
    }

    ServerConfig config;
    if (const QString error =
            ServerSettings::apply(config, SettingSources::commandLine(parser), {"database"});
        !error.isEmpty()) {
        err << "isobar chart: " << error << '\n';
        return 2;
    }
    const QString path = config.databasePath;
    if (!QFileInfo::exists(path)) {
        err << "isobar chart: no store at " << path << '\n';
        return 2;
    }
    MetricsDatabase store;
    if (!store.open(path, MetricsDatabase::Mode::ReadOnly)) {
        err << "isobar chart: " << store.errorString() << '\n';
        return 2;
    }
    // The store tells which topics and metrics exist, so the body is read once it is open.
    MetricsQuery query(store.connection());
    ChartRequest request;
    std::optional<ChartDataset> data;
    try {
        std::variant<ChartBody::Chart, HttpResponse> read =
            ChartBody::read(query, body.object(), ChartBody::Version::V2, QDate::currentDate());
        if (const auto *refused = std::get_if<HttpResponse>(&read))
            return refuse(err, *refused);
        request = std::move(std::get<ChartBody::Chart>(read).request);
        ChartRequestError invalid;
        data = ChartData::load(query, request, &invalid);
        if (!data)
            return refuse(err, UkhsaWire::errorMessage(invalid.detail, "POST, OPTIONS"));
    } catch (const StoreError &error) {
        err << "isobar chart: the store cannot be read: " << error.reason() << '\n';
        return 1;
    }
    if (data->isEmpty())
        return refuse(err, UkhsaPlots::noData());
    request.format = *format;

    const QString altText = ChartDescription::describe(request, *data);
    const std::unique_ptr<QGraphicsScene> scene = ChartBuilder::build(request, *data);
    const QByteArray bytes = ChartRenderer::render(*scene, request.size, request.format, altText);
    QSaveFile file(parser.value(out));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        err << "isobar chart: cannot write " << parser.value(out) << ": " << file.errorString()
            << '\n';
        return 1;
    }
    QTextStream(stdout) << altText << '\n';
    return 0;
}

} // namespace isobar
