#pragma once

#include "weather/AccuWeatherSandbox.h"

#include <QThread>
#include <functional>
#include <future>

namespace isobar::test {

// An AccuWeather sandbox on its own thread, so a test may block on sockets while a server
// under test calls the sandbox. Its clock is the test's: frozen, or moved by the test.
class SandboxThread : public QThread
{
public:
    SandboxThread(QString key, std::function<qint64()> clock)
        : m_key(std::move(key))
        , m_clock(std::move(clock))
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
        sandbox.setClock(m_clock);
        sandbox.listen(QHostAddress::LocalHost, 0);
        m_ready.set_value(&sandbox);
        exec();
    }

private:
    QString m_key;
    std::function<qint64()> m_clock; // ms since the epoch
    std::promise<AccuWeatherSandbox *> m_ready;
};

} // namespace isobar::test
