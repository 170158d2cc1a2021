#pragma once

#include "http/Router.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

namespace isobar {

class PrometheusText;

// The orchestrator's three questions, each on its own path so that each probe can be tuned
// alone (Kubernetes' startup, liveness and readiness probes):
//   /startupz  has start-up finished (the store is open and migrated, since the server only
//              listens after that, and the first signing-key fetch has been tried)?
//   /livez     is the process alive (its HTTP loop answers)? Nothing else: a replica whose
//              store is away is not made better by a restart.
//   /readyz    should traffic come here (store readable, signing keys held, not shutting down)?
// Each answers 200 or 503 with a JSON body naming what is missing.
class ReplicaProbes : public QObject
{
    Q_OBJECT
public:
    static inline const QString kStartupRoute = QString::fromUtf16(u"/startupz");
    static inline const QString kLivenessRoute = QString::fromUtf16(u"/livez");
    static inline const QString kReadinessRoute = QString::fromUtf16(u"/readyz");

    struct Checks {
        // Why the store cannot be read now, empty when it can (asked on the query pool).
        std::function<QFuture<QString>()> storeProblem;
        // Why tokens cannot be checked yet (no signing keys), empty when they can.
        std::function<QString()> signingKeysProblem;
        // Whether the first signing-key fetch has been tried (true without token checks).
        std::function<bool()> keysTried;
    };

    explicit ReplicaProbes(Checks checks, QObject *parent = nullptr);

    void registerRoutes(Router &router);
    // From now on /readyz answers 503: the replica is shutting down.
    void setDraining();
    // Readiness as last seen (the store as last read by a probe or by noteStore), for
    // isobar_ready.
    bool isReady() const { return notReadyReasons().isEmpty(); }
    // What the server's own connection last saw of the store (its data-version poll).
    void noteStore(bool readable) { m_storeReadable = readable; }
    void writePrometheus(PrometheusText &out) const;

private:
    QStringList notReadyReasons(const QString &storeProblem = QString()) const;
    QFuture<HttpResponse> startup() const;
    QFuture<HttpResponse> readiness();

    Checks m_checks;
    bool m_draining = false;
    bool m_storeReadable = true;
};

} // namespace isobar
