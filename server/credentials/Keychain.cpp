#include "Keychain.h"

#include <QAbstractEventDispatcher>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QEventLoop>
#include <QLibrary>
#include <QTimer>
#include <algorithm>
#include <functional>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QString kSecretServiceName = u"org.freedesktop.secrets"_s;

// QtKeychain on Linux uses libsecret when it can load it, else it falls back to KWallet over
// D-Bus; libsecret is loaded at run time, so the package may well be missing.
bool libsecretLoadable()
{
    static const bool loadable = [] {
        QLibrary libsecret(u"secret-1"_s, 0);
        return libsecret.load();
    }();
    return loadable;
}

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
constexpr bool kUsesDBus = true;
#else
constexpr bool kUsesDBus = false;
#endif

// Runs `ask` on a private connection to the session bus, closed again afterwards, so that the
// probe neither shares state with nor outlives the caller's own use of the bus.
template <typename Ask> auto askSessionBus(Ask ask)
{
    const QString connectionName = u"isobar-keychain-probe"_s;
    auto answer = [&] {
        const QDBusConnection bus =
            QDBusConnection::connectToBus(QDBusConnection::SessionBus, connectionName);
        return ask(bus);
    }();
    QDBusConnection::disconnectFromBus(connectionName);
    return answer;
}

// Why the keychain service cannot be reached, or an empty string when it is there. QtKeychain
// reports a missing Secret Service as a generic error, so the bus is asked directly.
QString missingService()
{
    if (!kUsesDBus)
        return {};
    return askSessionBus([](const QDBusConnection &bus) -> QString {
        if (!bus.isConnected())
            return u"no D-Bus session bus (%1)"_s.arg(bus.lastError().message());
        const QStringList wanted = libsecretLoadable()
                                       ? QStringList{kSecretServiceName}
                                       : QStringList{u"org.kde.kwalletd5"_s, u"org.kde.kwalletd"_s};
        const QStringList activatable = bus.interface()->activatableServiceNames();
        const bool present = std::any_of(wanted.begin(), wanted.end(), [&](const QString &name) {
            return bus.interface()->isServiceRegistered(name).value() || activatable.contains(name);
        });
        if (present)
            return {};
        return u"nothing on the D-Bus session bus owns or can start %1"_s.arg(wanted.join(u" or "));
    });
}

// libsecret skips items in a locked collection when its unlock prompt cannot be shown, so a
// locked entry reads as "not found". The Secret Service lists locked matches without a prompt.
bool entryIsLocked(const QString &service, const QString &key)
{
    if (!kUsesDBus || !libsecretLoadable())
        return false;
    return askSessionBus([&](const QDBusConnection &bus) {
        if (!bus.isConnected())
            return false;
        QDBusMessage search =
            QDBusMessage::createMethodCall(kSecretServiceName, u"/org/freedesktop/secrets"_s,
                                           u"org.freedesktop.Secret.Service"_s, u"SearchItems"_s);
        using Attributes = QMap<QString, QString>; // a{ss}
        static const QMetaType registered = qDBusRegisterMetaType<Attributes>();
        Q_UNUSED(registered);
        // QtKeychain's attributes: "user" is the key, "server" the service.
        search << QVariant::fromValue(Attributes{{u"user"_s, key}, {u"server"_s, service}});
        const QDBusMessage reply = bus.call(search, QDBus::Block, 10'000);
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().size() != 2)
            return false;
        const auto locked = qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(1));
        return !locked.isEmpty();
    });
}

bool soundsDenied(const QString &message)
{
    static const char *const kWords[] = {"locked", "denied",         "dismissed",
                                         "cancel", "not authorized", "prompt"};
    const QString lower = message.toLower();
    return std::any_of(std::begin(kWords), std::end(kWords),
                       [&](const char *word) { return lower.contains(QLatin1String(word)); });
}

Keychain::Result classify(const QKeychain::Job &job)
{
    Keychain::Result result;
    const QString why = job.errorString();
    switch (job.error()) {
    case QKeychain::NoError:
        result.status = Keychain::Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.status = Keychain::Status::NotFound;
        result.error = u"%1: no such entry"_s.arg(Keychain::backendName());
        return result;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = Keychain::Status::Denied;
        result.error =
            u"%1: the keyring is locked or refused access (%2)"_s.arg(Keychain::backendName(), why);
        return result;
    case QKeychain::NotImplemented:
        result.status = Keychain::Status::Unavailable;
        result.error =
            u"%1: not supported on this platform (%2)"_s.arg(Keychain::backendName(), why);
        return result;
    default:
        break;
    }
    if (const QString missing = missingService(); !missing.isEmpty()) {
        result.status = Keychain::Status::Unavailable;
        result.error = u"%1 is not available: %2 (%3)"_s.arg(Keychain::backendName(), missing, why);
    } else if (soundsDenied(why)) {
        result.status = Keychain::Status::Denied;
        result.error =
            u"%1: the keyring is locked or refused access (%2)"_s.arg(Keychain::backendName(), why);
    } else {
        result.status = job.error() == QKeychain::NoBackendAvailable ? Keychain::Status::Unavailable
                                                                     : Keychain::Status::Failed;
        result.error = u"%1: %2"_s.arg(Keychain::backendName(), why);
    }
    return result;
}

// Starts `job` and waits for it on a local event loop, at most `timeoutMs`. The job lives on the
// heap: QtKeychain's libsecret callbacks hold a raw pointer to it, so after a timeout it must
// stay alive until it finishes (it then deletes itself), rather than die with this frame.
Keychain::Result
run(QKeychain::Job *job, int timeoutMs,
    const std::function<void(QKeychain::Job &, Keychain::Result &)> &onSuccess = {})
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file
    Keychain::Result result;
    bool finished = false;
    QEventLoop loop;
    // `loop` is the context: once this frame is gone, a late answer reaches nothing here.
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *) {
        finished = true;
        result = classify(*job);
        if (result.ok() && onSuccess)
            onSuccess(*job, result);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start(); // queued: the job begins once the loop runs
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (finished) {
        delete job; // also drops the deleteLater() the job posted, and the secret it holds
        return result;
    }
    result.status = Keychain::Status::Failed;
    result.error = u"%1 did not answer within %2 s (a password prompt nobody answered, or a "
                   "keyring daemon that hangs)"_s.arg(Keychain::backendName())
                       .arg(timeoutMs / 1000.0);
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (libsecretLoadable() && dispatcher && !dispatcher->inherits("QEventDispatcherGlib"))
        result.error += u"; libsecret needs Qt's GLib event loop, which is off (QT_NO_GLIB?)"_s;
    return result;
}

} // namespace

Keychain::Keychain(QString service, int timeoutMs)
    : m_service(std::move(service))
    , m_timeoutMs(timeoutMs)
{}

Keychain::Result Keychain::read(const QString &key) const
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    Result result = run(job, m_timeoutMs, [](QKeychain::Job &finished, Result &result) {
        result.secret = static_cast<QKeychain::ReadPasswordJob &>(finished).textData();
    });
    if (result.status == Status::NotFound && entryIsLocked(m_service, key)) {
        result.status = Status::Denied;
        result.error =
            u"%1: the entry exists but the keyring holding it is locked; unlock it (log in to "
            "the desktop session, or unlock the keyring in Seahorse) and try again"_s.arg(
                backendName());
    }
    return result;
}

Keychain::Result Keychain::write(const QString &key, const QString &secret) const
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(secret);
    return run(job, m_timeoutMs);
}

Keychain::Result Keychain::remove(const QString &key) const
{
    // The Secret Service answers "done" for an entry that does not exist, so look first.
    Result existing = read(key);
    if (!existing.ok())
        return existing;
    existing.secret.fill(u'\0');
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    return run(job, m_timeoutMs);
}

QString Keychain::backendName()
{
#if defined(Q_OS_DARWIN)
    return u"macOS Keychain"_s;
#elif defined(Q_OS_WIN)
    return u"Windows Credential Manager"_s;
#elif defined(Q_OS_ANDROID)
    return u"Android Keystore"_s;
#else
    return libsecretLoadable() ? u"Secret Service (libsecret)"_s
                               : u"KWallet over D-Bus (libsecret-1 is not installed)"_s;
#endif
}

QString Keychain::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return u"ok"_s;
    case Status::NotFound:
        return u"not found"_s;
    case Status::Unavailable:
        return u"no keychain service available"_s;
    case Status::Denied:
        return u"access denied (locked or refused)"_s;
    case Status::Failed:
        return u"keychain error"_s;
    }
    return {};
}

} // namespace isobar
