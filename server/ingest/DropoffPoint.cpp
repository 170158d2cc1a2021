#include "DropoffPoint.h"

#include "AdvisoryLocks.h"
#include "DirectoryDropoff.h"
#include "IngestRunLog.h"
#include "Ingestor.h"
#include "MetricsDatabase.h"
#include "S3Dropoff.h"
#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcDropoff, "isobar.dropoff")

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString stateName(DropoffPoint::Status::State state)
{
    using State = DropoffPoint::Status::State;
    switch (state) {
    case State::Starting:
        return u"starting"_s;
    case State::Scanning:
        return u"ok"_s;
    case State::Standby:
        return u"standby"_s;
    case State::Unavailable:
        return u"unavailable"_s;
    }
    return {};
}

} // namespace

// The drop-off thread's state: its connection and whether it holds the scanner's lock.
class DropoffPoint::Scanner
{
public:
    explicit Scanner(DropoffPoint &point)
        : m_point(point)
    {}

    // One pass: the lock, the listing, then each new file in name order.
    void scan()
    {
        QString error;
        if (!connect(&error))
            return unavailable(u"the store cannot be opened: "_s + error);
        if (!m_scanner && !claim(&error))
            return unavailable(u"the store cannot be read: "_s + error);
        if (!m_scanner) {
            m_point.publish([](Status &s) {
                s.state = Status::State::Standby;
                s.error.clear();
            });
            return;
        }
        QList<DropoffFile> files;
        if (!m_point.m_source->list(&files, &error))
            return unavailable(error);
        IngestRunLog log(m_database.connection());
        const QString source = m_point.m_source->description();
        const QSet<QString> taken = log.recordedVersions(source, &error);
        if (!error.isEmpty())
            return unavailable(u"the store cannot be read: "_s + error);
        m_point.publish([](Status &s) {
            s.state = Status::State::Scanning;
            s.error.clear();
        });
        for (const DropoffFile &file : std::as_const(files)) {
            if (m_point.m_cancel.load())
                return;
            if (!taken.contains(IngestRunLog::key(file.name, file.version)))
                take(file, source);
        }
        m_point.publish([](Status &s) {
            ++s.scans;
            s.lastScanMs = nowMs();
        });
    }

private:
    bool connect(QString *error)
    {
        if (m_database.isOpen() && !m_database.isConnectionLost())
            return true;
        m_scanner = false; // a session lock ends with its connection
        m_database.close();
        if (m_database.open(m_point.m_databasePath))
            return true;
        *error = m_database.errorString();
        return false;
    }

    // On PostgreSQL, one replica at a time: the one whose connection holds the lock.
    bool claim(QString *error)
    {
        if (!m_database.isPostgresql())
            return m_scanner = true;
        QSqlQuery query(m_database.connection());
        if (!query.exec(u"SELECT pg_try_advisory_lock(%1)"_s.arg(advisorylock::kDropoff))
            || !query.next()) {
            *error = query.lastError().text();
            return false;
        }
        m_scanner = query.value(0).toBool();
        if (m_scanner)
            qCInfo(lcDropoff).noquote() << u"event=dropoff_scanner replica=%1 source=%2"_s.arg(
                m_point.m_replica, m_point.m_source->description());
        return true;
    }

    void unavailable(const QString &why)
    {
        qCWarning(lcDropoff).noquote() << u"event=dropoff_unavailable error=%1"_s.arg(why);
        m_point.publish([why](Status &s) {
            s.state = Status::State::Unavailable;
            s.error = why;
        });
    }

    bool storeReachable()
    {
        QSqlQuery probe(m_database.connection());
        return !m_database.isConnectionLost() && probe.exec(u"SELECT 1"_s);
    }

    void take(const DropoffFile &file, const QString &source)
    {
        IngestRun run;
        run.source = source;
        run.file = file.name;
        run.version = file.version;
        run.bytes = file.bytes;
        run.startedMs = nowMs();
        run.replica = m_point.m_replica;

        FileReport report{file.name, false, {}, {}};
        QString error;
        if (file.bytes > m_point.m_options.maxFileBytes) {
            report.errors << u"%1: %2 bytes, more than --dropoff-max-file-bytes (%3)"_s
                                 .arg(file.name)
                                 .arg(file.bytes)
                                 .arg(m_point.m_options.maxFileBytes);
        } else {
            const QString path =
                m_point.m_source->localCopy(file, m_point.m_options.maxFileBytes, &error);
            if (path.isEmpty())
                return failed(file, error);
            report = load(path, file, run);
            if (report.ok || m_alreadyTaken || m_point.m_cancel.load())
                return;
            if (report.storeFailed || !storeReachable())
                return failed(file, report.errors.join(u"; "_s));
        }
        reject(run, report);
    }

    // Loads the copy; the run is recorded inside the file's transaction.
    FileReport load(const QString &path, const DropoffFile &file, IngestRun &run)
    {
        m_alreadyTaken = false;
        IngestRunLog log(m_database.connection());
        Ingestor ingestor(m_database.connection());
        ingestor.setCancelFlag(&m_point.m_cancel);
        ingestor.setBeforeCommit([&](const FileReport &valid) {
            run.outcome = IngestRun::Outcome::Loaded;
            run.counts = valid.counts;
            run.finishedMs = nowMs();
            QString error;
            switch (log.add(run, &error)) {
            case IngestRunLog::Added::Yes:
                return QString();
            case IngestRunLog::Added::AlreadyRecorded:
                m_alreadyTaken = true;
                return u"already taken by another replica"_s;
            case IngestRunLog::Added::Failed:
                break;
            }
            return error;
        });
        FileReport report = ingestor.ingestFile(path, file.name, file.modifiedMs / 1000);
        if (report.ok) {
            qCInfo(lcDropoff).noquote()
                << u"event=dropoff_loaded file=%1 inserted=%2 updated=%3 unchanged=%4"_s
                       .arg(file.name)
                       .arg(run.counts.inserted)
                       .arg(run.counts.updated)
                       .arg(run.counts.unchanged);
            m_point.publish([](Status &s) { ++s.loaded; });
            if (m_point.m_changed)
                QMetaObject::invokeMethod(&m_point.m_home, m_point.m_changed, Qt::QueuedConnection);
        }
        return report;
    }

    void reject(IngestRun &run, const FileReport &report)
    {
        run.outcome = IngestRun::Outcome::Rejected;
        run.counts = {};
        run.errors = report.errors;
        run.finishedMs = nowMs();
        QString error;
        if (IngestRunLog(m_database.connection()).add(run, &error) == IngestRunLog::Added::Failed)
            return failed(DropoffFile{run.file, run.version, run.bytes, 0},
                          u"the rejection cannot be recorded: "_s + error);
        qCWarning(lcDropoff).noquote() << u"event=dropoff_rejected file=%1 errors=%2"_s.arg(
            run.file, run.errors.join(u"; "_s));
        m_point.publish([](Status &s) { ++s.rejected; });
    }

    void failed(const DropoffFile &file, const QString &why)
    {
        qCWarning(lcDropoff).noquote()
            << u"event=dropoff_failed file=%1 error=%2"_s.arg(file.name, why);
        m_point.publish([why](Status &s) {
            ++s.failures;
            s.error = why;
        });
    }

    DropoffPoint &m_point;
    MetricsDatabase m_database;
    bool m_scanner = false;
    bool m_alreadyTaken = false;
};

DropoffPoint::DropoffPoint(QString databasePath, Options options, QString replica, Changed changed)
    : m_databasePath(std::move(databasePath))
    , m_options(std::move(options))
    , m_replica(std::move(replica))
    , m_changed(std::move(changed))
{}

DropoffPoint::~DropoffPoint()
{
    {
        const QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_cancel = true;
        m_wake.wakeAll();
    }
    if (m_thread.joinable())
        m_thread.join();
}

bool DropoffPoint::start(QString *error)
{
    if (S3Access::isS3(m_options.location)) {
        const S3Access access = S3Access::resolve(m_options.location, error);
        if (!error->isEmpty())
            return false;
        m_source = std::make_unique<S3Dropoff>(access, m_options.s3, &m_cancel);
    } else {
        m_source = std::make_unique<DirectoryDropoff>(m_options.location, m_options.settleMs);
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

QString DropoffPoint::description() const
{
    return m_source ? m_source->description() : m_options.location;
}

void DropoffPoint::run()
{
    Scanner scanner(*this);
    QMutexLocker lock(&m_mutex);
    while (!m_stopping) {
        lock.unlock();
        scanner.scan();
        lock.relock();
        if (!m_stopping)
            m_wake.wait(&m_mutex, QDeadlineTimer(m_options.pollMs));
    }
}

void DropoffPoint::publish(const std::function<void(Status &)> &change)
{
    const QMutexLocker lock(&m_mutex);
    change(m_status);
}

DropoffPoint::Status DropoffPoint::status() const
{
    const QMutexLocker lock(&m_mutex);
    return m_status;
}

QJsonObject DropoffPoint::health() const
{
    const Status now = status();
    QJsonObject health{{u"status"_s, stateName(now.state)},
                       {u"source"_s, description()},
                       {u"scans"_s, now.scans},
                       {u"loaded"_s, now.loaded},
                       {u"rejected"_s, now.rejected},
                       {u"failures"_s, now.failures}};
    if (now.lastScanMs > 0)
        health.insert(
            u"last_scan"_s,
            QDateTime::fromMSecsSinceEpoch(now.lastScanMs, Qt::UTC).toString(Qt::ISODateWithMs));
    if (!now.error.isEmpty())
        health.insert(u"error"_s, now.error);
    return health;
}

void DropoffPoint::writePrometheus(PrometheusText &out) const
{
    const Status now = status();
    out.family(prometheus::kDropoffFiles, "counter",
               "Files taken from the drop-off by this replica, by outcome (failed: tried again).");
    out.sample(prometheus::kDropoffFiles, {{u"outcome"_s, u"loaded"_s}}, double(now.loaded));
    out.sample(prometheus::kDropoffFiles, {{u"outcome"_s, u"rejected"_s}}, double(now.rejected));
    out.sample(prometheus::kDropoffFiles, {{u"outcome"_s, u"failed"_s}}, double(now.failures));
    out.family(prometheus::kDropoffUp, "gauge",
               "1 while the drop-off and the store can be read (or another replica scans).");
    out.sample(prometheus::kDropoffUp, {}, now.state == Status::State::Unavailable ? 0.0 : 1.0);
    out.family(prometheus::kDropoffScanner, "gauge", "1 on the replica that scans the drop-off.");
    out.sample(prometheus::kDropoffScanner, {}, now.state == Status::State::Scanning ? 1.0 : 0.0);
}

} // namespace isobar
