#include "IngestCommand.h"

#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "TerminalProgress.h"
#include "config/ServerSettings.h"

#include <QCommandLineParser>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace isobar {

int runIngestCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Load UKHSA ingestion JSON files and 2023 CSV files into the metrics store.\n"
        "Each file is one transaction: a file with any invalid record is rejected "
        "whole, the others still load. Exit code 1 if any file failed."_s);
    parser.addHelpOption();
    const QCommandLineOption dryRun(u"dry-run"_s, u"Validate and count, store nothing."_s);
    ServerSettings::addOptions(parser, {"database"});
    parser.addOption(dryRun);
    parser.addPositionalArgument(
        u"PATH"_s, u"Files or folders (searched recursively for .json and .csv)."_s, u"PATH..."_s);
    parser.process(arguments);

    QTextStream err(stderr);
    QTextStream out(stdout);
    if (parser.positionalArguments().isEmpty()) {
        err << "isobar ingest: give at least one file or folder\n";
        return 2;
    }
    ServerConfig config;
    if (const QString error =
            ServerSettings::apply(config, SettingSources::commandLine(parser), {"database"});
        !error.isEmpty()) {
        err << "isobar ingest: " << error << '\n';
        return 2;
    }
    const QString path = config.databasePath;
    MetricsDatabase store;
    if (!store.open(path)) {
        err << "isobar ingest: " << store.errorString() << '\n';
        return 2;
    }
    Ingestor ingestor(store.connection());
    ingestor.setDryRun(parser.isSet(dryRun));
    TerminalProgress progress;
    ingestor.setProgressCallback([&](const IngestProgress &p) { progress.update(p); });
    const IngestReport report = ingestor.ingest(parser.positionalArguments());
    progress.finish();
    out << report.summary();
    out.flush();
    return report.filesFailed() > 0 ? 1 : 0;
}

} // namespace isobar
