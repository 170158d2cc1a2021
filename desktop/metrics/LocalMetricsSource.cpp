#include "LocalMetricsSource.h"

#include "ChartData.h"
#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "StoreError.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace isobar {

struct LocalMetricsSource::Reader {
    MetricsDatabase database;
    std::unique_ptr<MetricsQuery> query;
};

LocalMetricsSource::LocalMetricsSource(const QString &databasePath)
    : m_path(databasePath)
{
    // One thread that never expires: the connection it opened stays valid between reads.
    m_worker.setMaxThreadCount(1);
    m_worker.setExpiryTimeout(-1);
}

LocalMetricsSource::~LocalMetricsSource()
{
    // The connection must be closed on the thread that opened it, after the queued reads.
    m_worker.start([this] { m_reader.reset(); });
    m_worker.waitForDone();
}

QString LocalMetricsSource::displayName() const
{
    return QFileInfo(m_path).fileName();
}

// The reader is dropped with the error, so the next read opens the store again: a store
// repaired or replaced on disk is read without reopening the window.
QString LocalMetricsSource::unreadable(const StoreError &error)
{
    m_reader.reset();
    return u"the store cannot be read: %1"_s.arg(error.reason());
}

LocalMetricsSource::Reader *LocalMetricsSource::reader(QString *error)
{
    if (m_reader)
        return m_reader.get();
    auto opened = std::make_unique<Reader>();
    if (!opened->database.open(m_path, MetricsDatabase::Mode::ReadOnly)) {
        *error = opened->database.errorString();
        return nullptr;
    }
    opened->query = std::make_unique<MetricsQuery>(opened->database.connection());
    m_reader = std::move(opened);
    return m_reader.get();
}

QFuture<CatalogueResult> LocalMetricsSource::catalogue()
{
    return QtConcurrent::run(&m_worker, [this] {
        CatalogueResult result;
        Reader *r = reader(&result.error);
        result.unavailable = !r;
        if (!r)
            return result;
        try {
            result.entries = r->query->catalogue();
        } catch (const StoreError &error) {
            result.error = unreadable(error);
            result.unavailable = true;
        }
        return result;
    });
}

QFuture<SeriesResult> LocalMetricsSource::series(const SeriesQuery &query)
{
    return QtConcurrent::run(&m_worker, [this, query] {
        SeriesResult result;
        Reader *r = reader(&result.error);
        result.unavailable = !r;
        if (!r)
            return result;
        PointSelection selection;
        selection.theme = query.theme;
        selection.subTheme = query.subTheme;
        selection.topic = query.topic;
        selection.metric = query.metric;
        selection.geographyType = query.geographyType;
        selection.geography = query.geography;
        // One more than a chart may hold tells "too many" without a second, counting query.
        try {
            if (query.kind == SeriesKind::Headline)
                result.headlines = r->query->headlines(selection);
            else
                result.points = r->query->points(selection, 0, ChartData::kMaxPointsPerPlot + 1);
        } catch (const StoreError &error) {
            result.error = unreadable(error);
            result.unavailable = true;
            return result;
        }
        if (result.points.size() > ChartData::kMaxPointsPerPlot) {
            result.error = u"more than %1 points at this area; a chart shows at most "
                           "that many"_s.arg(ChartData::kMaxPointsPerPlot);
            result.points.clear();
        }
        return result;
    });
}

} // namespace isobar
