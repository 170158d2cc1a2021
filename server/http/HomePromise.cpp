#include "HomePromise.h"

#include <QThreadStorage>

namespace isobar {

// Made on its thread and deleted there as the thread finishes (QThreadStorage): the receiver
// goes with it, and later posts find none.
struct ThreadInboxOwner {
    std::shared_ptr<ThreadInbox> inbox = std::make_shared<ThreadInbox>();
    ThreadInboxOwner() { inbox->m_receiver = new QObject; }
    ~ThreadInboxOwner()
    {
        QObject *receiver = nullptr;
        {
            const std::lock_guard lock(inbox->m_mutex);
            receiver = std::exchange(inbox->m_receiver, nullptr);
        }
        // Outside the lock: answers still queued are dropped with it, and their promises,
        // cancelled, may run continuations that post again.
        delete receiver;
    }
    Q_DISABLE_COPY_MOVE(ThreadInboxOwner)
};

std::shared_ptr<ThreadInbox> ThreadInbox::ofCurrentThread()
{
    static QThreadStorage<ThreadInboxOwner *> owners;
    if (!owners.hasLocalData())
        owners.setLocalData(new ThreadInboxOwner);
    return owners.localData()->inbox;
}

} // namespace isobar
