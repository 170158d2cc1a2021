#pragma once

#include "weather/AccuWeatherSandbox.h"

#include <QThread>
#include <future>

namespace isobar::test {

// An AccuWeather sandbox on its own thread, so a test may block on sockets while a server
// under test calls the sandbox. Its weather is frozen at `nowMs`.
class SandboxThread : public QThread
{
public:
    SandboxThread(QString key, qint64 nowMs)
        : m_key(std::move(key))
        , m_now(nowMs)
    {}
    AccuWeatherSandbox *startSandbox()
    {
        start();
        return m_ready.get_future().get();
    }
    ~SandboxThread() override
    {
        quit();
        wait();
    }

protected:
    void run() override
    {
        AccuWeatherSandbox sandbox(m_key);
        const qint64 now = m_now;
        sandbox.setClock([now] { return now; });
        sandbox.listen(QHostAddress::LocalHost, 0);
        m_ready.set_value(&sandbox);
        exec();
    }

private:
    QString m_key;
    qint64 m_now;
    std::promise<AccuWeatherSandbox *> m_ready;
};

} // namespace isobar::test
