#include "Keychain.h"

#include <QEventLoop>

#include <qt6keychain/keychain.h>

namespace isobar {

namespace {

Keychain::Result run(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false); // never a plaintext file
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    Keychain::Result result;
    switch (job.error()) {
    case QKeychain::NoError:
        result.status = Keychain::Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        result.status = Keychain::Status::NotFound;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.status = Keychain::Status::Unavailable;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = Keychain::Status::Denied;
        break;
    default:
        result.status = Keychain::Status::Failed;
        break;
    }
    result.error = job.errorString();
    return result;
}

} // namespace

Keychain::Keychain(QString service)
    : m_service(std::move(service))
{
}

Keychain::Result Keychain::read(const QString &key) const
{
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(key);
    Result result = run(job);
    if (result.ok())
        result.secret = job.textData();
    return result;
}

Keychain::Result Keychain::write(const QString &key, const QString &secret) const
{
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(key);
    job.setTextData(secret);
    return run(job);
}

Keychain::Result Keychain::remove(const QString &key) const
{
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(key);
    return run(job);
}

QString Keychain::statusName(Status status)
{
    switch (status) {
    case Status::Ok: return QStringLiteral("ok");
    case Status::NotFound: return QStringLiteral("not found");
    case Status::Unavailable: return QStringLiteral("no Secret Service available");
    case Status::Denied: return QStringLiteral("access denied (locked or refused)");
    case Status::Failed: return QStringLiteral("keychain error");
    }
    return {};
}

} // namespace isobar
