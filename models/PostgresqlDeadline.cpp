#include "PostgresqlDeadline.h"

#include "MetricsDatabase.h"
#include "PostgresqlStatement.h"

#include <QSqlDatabase>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <libpq-fe.h>
#include <map>
#include <mutex>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace isobar {

namespace {

using Clock = std::chrono::steady_clock;

// One thread for the whole process, asleep until the earliest armed deadline. It holds its own
// duplicate of each armed socket: shutdown() on it ends the connection libpq reads, and the
// number cannot be reused for another file while armed, even if libpq closes its descriptor.
class Watchdog
{
public:
    static Watchdog &instance()
    {
        static Watchdog watchdog;
        return watchdog;
    }

    // 0 when the socket could not be duplicated (out of descriptors): no deadline then.
    qint64 arm(int libpqSocket, Clock::time_point deadline)
    {
        const int socket = ::fcntl(libpqSocket, F_DUPFD_CLOEXEC, 0);
        if (socket < 0)
            return 0;
        const std::lock_guard lock(m_mutex);
        const qint64 id = ++m_lastId;
        m_armed.emplace(Key{deadline, id}, socket);
        if (!m_thread.joinable())
            m_thread = std::thread([this] { watch(); });
        m_wake.notify_one();
        return id;
    }

    void disarm(qint64 id)
    {
        const std::lock_guard lock(m_mutex);
        if (const auto fired = m_fired.find(id); fired != m_fired.end()) {
            ::close(fired->second);
            m_fired.erase(fired);
            return;
        }
        // A handful armed at a time (one per store thread): a scan is enough.
        for (auto it = m_armed.begin(); it != m_armed.end(); ++it) {
            if (it->first.id == id) {
                ::close(it->second);
                m_armed.erase(it);
                return;
            }
        }
    }

    bool hasFired(qint64 id)
    {
        const std::lock_guard lock(m_mutex);
        return m_fired.contains(id);
    }

private:
    struct Key {
        Clock::time_point deadline;
        qint64 id;
        bool operator<(const Key &other) const
        {
            return deadline != other.deadline ? deadline < other.deadline : id < other.id;
        }
    };

    ~Watchdog()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        if (m_thread.joinable())
            m_thread.join();
    }

    void watch()
    {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            if (m_armed.empty()) {
                m_wake.wait(lock);
                continue;
            }
            const auto earliest = m_armed.begin();
            // A copy: the entry may be disarmed, and freed, while this thread waits.
            const Clock::time_point deadline = earliest->first.deadline;
            if (Clock::now() < deadline) {
                m_wake.wait_until(lock, deadline);
                continue;
            }
            // Both directions: libpq's poll() sees the end of the stream and fails the call.
            ::shutdown(earliest->second, SHUT_RDWR);
            m_fired.emplace(earliest->first.id, earliest->second);
            m_armed.erase(earliest);
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Key, int> m_armed;    // deadline → our duplicate of the socket
    std::map<qint64, int> m_fired; // id → the duplicate, closed when its scope ends
    qint64 m_lastId = 0;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace

PostgresqlDeadline::PostgresqlDeadline(QSqlDatabase &db, int timeoutMs)
{
    pg_conn *connection =
        MetricsDatabase::isPostgresql(db) ? PostgresqlStatement::connectionOf(db) : nullptr;
    const int socket = connection ? PQsocket(connection) : -1;
    if (socket < 0 || timeoutMs <= 0)
        return;
    m_id = Watchdog::instance().arm(socket, Clock::now() + std::chrono::milliseconds(timeoutMs));
}

PostgresqlDeadline::~PostgresqlDeadline()
{
    if (m_id != 0)
        Watchdog::instance().disarm(m_id);
}

bool PostgresqlDeadline::expired() const
{
    return m_id != 0 && Watchdog::instance().hasFired(m_id);
}

} // namespace isobar
