#include "RedisEventAdapter.h"

#include <hiredis/async.h>

namespace isobar {

RedisEventAdapter::RedisEventAdapter(redisAsyncContext *context)
    : m_context(context)
{
    m_context->ev.data = this;
    m_context->ev.addRead = &RedisEventAdapter::addRead;
    m_context->ev.delRead = &RedisEventAdapter::deleteRead;
    m_context->ev.addWrite = &RedisEventAdapter::addWrite;
    m_context->ev.delWrite = &RedisEventAdapter::deleteWrite;
    m_context->ev.cleanup = &RedisEventAdapter::cleanup;
}

RedisEventAdapter::~RedisEventAdapter()
{
    if (m_context) // still attached: hiredis must not call into a destroyed adapter
        m_context->ev = {};
    retire(m_read);
    retire(m_write);
}

void RedisEventAdapter::retire(std::unique_ptr<QSocketNotifier> &notifier)
{
    if (!notifier)
        return;
    notifier->setEnabled(false);
    notifier.release()->deleteLater();
}

void RedisEventAdapter::addRead(void *adapter)
{
    auto *self = static_cast<RedisEventAdapter *>(adapter);
    if (self->m_read)
        return;
    self->m_read = std::make_unique<QSocketNotifier>(self->m_context->c.fd, QSocketNotifier::Read);
    QObject::connect(self->m_read.get(), &QSocketNotifier::activated, self->m_read.get(),
                     [self] { redisAsyncHandleRead(self->m_context); });
}

void RedisEventAdapter::deleteRead(void *adapter)
{
    retire(static_cast<RedisEventAdapter *>(adapter)->m_read);
}

void RedisEventAdapter::addWrite(void *adapter)
{
    auto *self = static_cast<RedisEventAdapter *>(adapter);
    if (self->m_write)
        return;
    self->m_write =
        std::make_unique<QSocketNotifier>(self->m_context->c.fd, QSocketNotifier::Write);
    QObject::connect(self->m_write.get(), &QSocketNotifier::activated, self->m_write.get(),
                     [self] { redisAsyncHandleWrite(self->m_context); });
}

void RedisEventAdapter::deleteWrite(void *adapter)
{
    retire(static_cast<RedisEventAdapter *>(adapter)->m_write);
}

void RedisEventAdapter::cleanup(void *adapter)
{
    auto *self = static_cast<RedisEventAdapter *>(adapter);
    retire(self->m_read);
    retire(self->m_write);
    self->m_context = nullptr; // hiredis frees it next
}

} // namespace isobar
