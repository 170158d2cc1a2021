#pragma once

#include "DropoffSource.h"
#include "S3Bucket.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace isobar {

class PrometheusText;

// Takes the files the data team drops (a folder, or an S3 prefix) into the store through the
// same Ingestor as `isobar ingest`: each new version of a file once, by one replica, one file one
// transaction. The replica whose connection holds the drop-off's advisory lock scans (on SQLite,
// the one process); another takes over when its connection ends. A loaded file's record
// (IngestRunLog) commits with its data, so even two scanners could not both load it. A rejected
// file is recorded with its errors and left where it was dropped; a file that could not be read
// or stored (the drop-off or the store away) is not recorded and is tried again next scan.
// Everything runs on the drop-off's own thread, with its own connection.
class DropoffPoint
{
public:
    struct Options {
        QString location; // a folder or s3://bucket/prefix
        int pollMs = 10'000;
        int settleMs = 5'000;
        qint64 maxFileBytes = qint64(1) << 30;
        S3Bucket::Limits s3;
    };
    struct Status {
        enum class State { Starting, Scanning, Standby, Unavailable };
        State state = State::Starting;
        qint64 scans = 0;      // completed scans of the drop-off by this replica
        qint64 lastScanMs = 0; // when the last one ended
        qint64 loaded = 0;
        qint64 rejected = 0;
        qint64 failures = 0; // files that could not be read or stored, tried again later
        QString error;       // why it is unavailable, or the last failure
    };
    // Told after a file changed the store; runs on the thread that made this object.
    using Changed = std::function<void()>;

    DropoffPoint(QString databasePath, Options options, QString replica, Changed changed);
    // Stops: a file being loaded is rolled back and taken again later, here or elsewhere.
    ~DropoffPoint();

    // Checks the location (a folder's path, an S3 URL and its credentials) and starts scanning;
    // false with why when it cannot be used at all.
    bool start(QString *error);
    QString description() const;
    Status status() const;
    // /health's "dropoff".
    QJsonObject health() const;
    // Its families of /metrics.
    void writePrometheus(PrometheusText &out) const;

private:
    class Scanner;
    void run();
    void publish(const std::function<void(Status &)> &change);

    QString m_databasePath;
    Options m_options;
    QString m_replica;
    Changed m_changed;
    std::unique_ptr<DropoffSource> m_source;
    QObject m_home; // where `changed` runs
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
    std::atomic_bool m_cancel{false};
    Status m_status;
    std::thread m_thread;
};

} // namespace isobar
