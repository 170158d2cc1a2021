#pragma once

#include <QSocketNotifier>
#include <memory>

struct redisAsyncContext;

namespace isobar {

// Drives one hiredis asynchronous context from the Qt event loop: a read and a write notifier
// on its socket, switched on and off as hiredis asks. hiredis ships a Qt adapter of its own,
// but its destructor writes into the context, which hiredis has already freed whenever a
// connection ends (lost, refused, closed): this one lets go of the context when hiredis cleans
// up, and never touches it after.
class RedisEventAdapter
{
public:
    explicit RedisEventAdapter(redisAsyncContext *context);
    ~RedisEventAdapter();
    RedisEventAdapter(const RedisEventAdapter &) = delete;
    RedisEventAdapter &operator=(const RedisEventAdapter &) = delete;

private:
    static void addRead(void *adapter);
    static void deleteRead(void *adapter);
    static void addWrite(void *adapter);
    static void deleteWrite(void *adapter);
    static void cleanup(void *adapter);
    // A notifier may be the one whose signal is running: it goes once the event loop is back.
    static void retire(std::unique_ptr<QSocketNotifier> &notifier);

    redisAsyncContext *m_context;
    std::unique_ptr<QSocketNotifier> m_read;
    std::unique_ptr<QSocketNotifier> m_write;
};

} // namespace isobar
