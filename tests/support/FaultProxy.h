#pragma once

#include <QThread>
#include <atomic>
#include <future>

namespace isobar::test {

class FaultRelay;

// A TCP relay on its own thread between a client under test and a real server (PostgreSQL, an
// AccuWeather sandbox, ...), that injects the faults a network and a stuck server cause: the
// latency of a distant or overloaded peer, a peer that stays connected and says nothing
// (paused, swapping, a route that black-holes), connections refused and reset.
class FaultProxy : public QThread
{
public:
    explicit FaultProxy(quint16 targetPort);
    ~FaultProxy() override;

    // Listens on a free loopback port; 0 when it could not.
    quint16 start();
    quint16 port() const { return m_port; }

    // Every chunk, either way, is passed on this much later (0: at once, the default).
    void setDelay(int milliseconds);
    // True: nothing is passed on and new connections are accepted and left waiting, as with a
    // server that is up but does not answer; false: what was held goes on, in order.
    void setSilent(bool silent);
    // True: new connections are reset and open ones cut, as when the server is down.
    void setRefusing(bool refusing);

protected:
    void run() override;

private:
    quint16 m_targetPort;
    quint16 m_port = 0;
    std::promise<quint16> m_ready;
    FaultRelay *m_relay = nullptr; // lives on this thread
};

} // namespace isobar::test
