// Runs against a real Secret Service: gnome-keyring on a private session bus, started by
// tests/support/with-keyring.sh. The absent-keyring cases run in a child process of this
// executable, because libsecret keeps its first D-Bus connection for the life of a process.
#include "credentials/Keychain.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QString kService = u"isobar-test-keychain"_s;
const char *const kProbeVariable = "ISOBAR_TEST_KEYCHAIN_PROBE";             // read | write
const char *const kProbeTimeoutVariable = "ISOBAR_TEST_KEYCHAIN_TIMEOUT_MS"; // optional

void report(const char *step, const Keychain::Result &result)
{
    QTextStream(stdout) << step << " status=" << int(result.status) << " error=" << result.error
                        << '\n';
}

// Locks the default collection, as a screen lock or logout would; unlocking needs a prompt.
bool lockDefaultCollection()
{
    QDBusInterface service(u"org.freedesktop.secrets"_s, u"/org/freedesktop/secrets"_s,
                           u"org.freedesktop.Secret.Service"_s);
    const QDBusReply<QDBusObjectPath> collection = service.call(u"ReadAlias"_s, u"default"_s);
    if (!collection.isValid())
        return false;
    const QDBusMessage locked =
        service.call(u"Lock"_s, QVariant::fromValue(QList<QDBusObjectPath>{collection.value()}));
    return locked.type() == QDBusMessage::ReplyMessage;
}

// Child mode: Keychain calls, their outcomes on stdout as "STEP status=N error=...".
int probeKeychain()
{
    const int timeoutMs = qEnvironmentVariableIsSet(kProbeTimeoutVariable)
                              ? qEnvironmentVariableIntValue(kProbeTimeoutVariable)
                              : Keychain::kDefaultTimeoutMs;
    const Keychain keychain(kService, timeoutMs);
    const QString action = qEnvironmentVariable(kProbeVariable);
    const QString key = u"probe"_s;
    if (action == u"read")
        report("read", keychain.read(key));
    if (action == u"write")
        report("write", keychain.write(key, u"probe-secret-0001"_s));
    if (action == u"locked") {
        report("setup", keychain.write(key, u"probe-secret-0001"_s));
        if (!lockDefaultCollection())
            return 1;
        report("read", keychain.read(key));
        report("write", keychain.write(key, u"probe-secret-0002"_s));
        report("remove", keychain.remove(key));
    }
    return 0;
}

struct StepOutcome {
    Keychain::Status status = Keychain::Status::Ok;
    QString error;
};

struct ProbeOutcome {
    QHash<QString, StepOutcome> steps;
    QString output;
    StepOutcome step(const QString &name) const
    {
        return steps.value(name, {Keychain::Status::Ok, output});
    }
};

ProbeOutcome runProbe(const QString &action, const QProcessEnvironment &environment,
                      const QStringList &launcher = {})
{
    QProcess child;
    QProcessEnvironment env = environment;
    env.insert(QLatin1String(kProbeVariable), action);
    child.setProcessEnvironment(env);
    const QStringList command = launcher + QStringList{QCoreApplication::applicationFilePath()};
    child.start(command.first(), command.mid(1));
    child.waitForFinished(60000);
    ProbeOutcome outcome;
    outcome.output =
        QString::fromUtf8(child.readAllStandardOutput() + child.readAllStandardError());
    static const QRegularExpression line(u"^(\\w+) status=(\\d) error=(.*)$"_s,
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(outcome.output); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        outcome.steps.insert(match.captured(1),
                             {Keychain::Status(match.captured(2).toInt()), match.captured(3)});
    }
    return outcome;
}

// Every regular file below `root` whose content contains `needle`.
QStringList filesContaining(const QString &root, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            found << file.fileName();
    }
    return found;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
private:
    Keychain m_keychain{kService, 20'000};
    QProcess m_bareBus;
    QTemporaryDir m_bareBusDir;

    // A session bus with nothing on it, and nothing it could start: no service directories.
    QString startBareBus()
    {
        if (m_bareBus.state() == QProcess::Running)
            return m_bareBus.property("address").toString();
        const QString config = m_bareBusDir.filePath(u"bare-session.conf"_s);
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(u"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                   "Configuration 1.0//EN\"\n"
                   " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                   "<busconfig>\n"
                   "  <type>session</type>\n"
                   "  <listen>unix:dir=%1</listen>\n"
                   "  <policy context=\"default\">\n"
                   "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                   "    <allow eavesdrop=\"true\"/>\n"
                   "    <allow own=\"*\"/>\n"
                   "  </policy>\n"
                   "</busconfig>\n"_s.arg(m_bareBusDir.path())
                       .toUtf8());
        file.close();
        m_bareBus.start(u"dbus-daemon"_s,
                        {u"--config-file="_s + config, u"--nofork"_s, u"--print-address=1"_s});
        if (!m_bareBus.waitForStarted(30000) || !m_bareBus.waitForReadyRead(30000))
            return {};
        QString address = QString::fromUtf8(m_bareBus.readLine()).trimmed();
        m_bareBus.setProperty("address", address);
        return address;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariable("ISOBAR_TEST_KEYRING") == u"1",
                 "run through tests/support/with-keyring.sh (ctest does): these tests need a real "
                 "keyring");
        QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
        QVERIFY2(bus && bus->isServiceRegistered(u"org.freedesktop.secrets"_s).value(),
                 "no Secret Service on the session bus");
        QCOMPARE(Keychain::backendName(), u"Secret Service (libsecret)"_s);
    }

    void init()
    {
        for (const QString &key : {u"api-key"_s, u"other-key"_s}) {
            const Keychain::Result removed = m_keychain.remove(key);
            QVERIFY2(removed.ok() || removed.status == Keychain::Status::NotFound,
                     qPrintable(removed.error));
        }
    }

    void cleanupTestCase()
    {
        if (m_bareBus.state() == QProcess::Running) {
            m_bareBus.terminate();
            m_bareBus.waitForFinished(5000);
        }
    }

    void setAndReadBack()
    {
        const QString secret = u"k3y-Set-And-Read-0123456789"_s;
        const Keychain::Result written = m_keychain.write(u"api-key"_s, secret);
        QVERIFY2(written.ok(), qPrintable(written.error));
        const Keychain::Result read = m_keychain.read(u"api-key"_s);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.secret, secret);
        QVERIFY(read.error.isEmpty());
    }

    void storedInTheSecretServiceNotInAFile()
    {
        const QString secret = u"k3y-Where-Is-It-0123456789"_s;
        QVERIFY(m_keychain.write(u"api-key"_s, secret).ok());
        // Another Secret Service client finds it by QtKeychain's attributes: it is in the keyring.
        QProcess lookup;
        lookup.start(u"secret-tool"_s,
                     {u"lookup"_s, u"user"_s, u"api-key"_s, u"server"_s, kService});
        QVERIFY(lookup.waitForFinished(10000));
        QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()).trimmed(), secret);
        // ... and no file in the test's HOME or XDG folders holds it in clear.
        for (const char *variable :
             {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}) {
            const QString root = qEnvironmentVariable(variable);
            QVERIFY(!root.isEmpty());
            const QStringList leaks = filesContaining(root, secret.toUtf8());
            QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u' ')));
        }
    }

    void replace()
    {
        QVERIFY(m_keychain.write(u"api-key"_s, u"first-value-0123456789"_s).ok());
        QVERIFY(m_keychain.write(u"api-key"_s, u"second-value-0123456789"_s).ok());
        const Keychain::Result read = m_keychain.read(u"api-key"_s);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.secret, u"second-value-0123456789"_s);
    }

    void entriesAreSeparateByKeyAndService()
    {
        QVERIFY(m_keychain.write(u"api-key"_s, u"value-of-api-key-1"_s).ok());
        QVERIFY(m_keychain.write(u"other-key"_s, u"value-of-other-key-2"_s).ok());
        QCOMPARE(m_keychain.read(u"api-key"_s).secret, u"value-of-api-key-1"_s);
        QCOMPARE(m_keychain.read(u"other-key"_s).secret, u"value-of-other-key-2"_s);
        const Keychain elsewhere(kService + u"-elsewhere"_s, 20'000);
        QCOMPARE(elsewhere.read(u"api-key"_s).status, Keychain::Status::NotFound);
    }

    void clear()
    {
        QVERIFY(m_keychain.write(u"api-key"_s, u"to-be-removed-0123456789"_s).ok());
        const Keychain::Result removed = m_keychain.remove(u"api-key"_s);
        QVERIFY2(removed.ok(), qPrintable(removed.error));
        QCOMPARE(m_keychain.read(u"api-key"_s).status, Keychain::Status::NotFound);
        // Removing what is not there says so, instead of claiming success.
        QCOMPARE(m_keychain.remove(u"api-key"_s).status, Keychain::Status::NotFound);
    }

    void notFound()
    {
        const Keychain::Result read = m_keychain.read(u"api-key"_s);
        QCOMPARE(read.status, Keychain::Status::NotFound);
        QVERIFY(read.secret.isEmpty());
        QVERIFY(!read.ok());
    }

    void absentSecretServiceIsUnavailable_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("busAddress");
        QTest::addColumn<QString>("expectedReason");
        const QString bare = startBareBus();
        QVERIFY2(!bare.isEmpty(), "could not start a bare dbus-daemon");
        QTest::newRow("read, bus without a Secret Service")
            << "read" << bare << "org.freedesktop.secrets";
        QTest::newRow("write, bus without a Secret Service")
            << "write" << bare << "org.freedesktop.secrets";
        QTest::newRow("read, no session bus") << "read"
                                              << "unix:path=/nonexistent/isobar-bus"
                                              << "no D-Bus session bus";
        QTest::newRow("write, no session bus") << "write"
                                               << "unix:path=/nonexistent/isobar-bus"
                                               << "no D-Bus session bus";
    }

    void absentSecretServiceIsUnavailable()
    {
        QFETCH(QString, action);
        QFETCH(QString, busAddress);
        QFETCH(QString, expectedReason);
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, busAddress);
        env.insert(u"HOME"_s, home.path());
        env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
        const StepOutcome outcome = runProbe(action, env).step(action);
        QVERIFY2(outcome.status == Keychain::Status::Unavailable, qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(u"Secret Service (libsecret) is not available"),
                 qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(expectedReason), qPrintable(outcome.error));
        // No plaintext fallback: the child left nothing behind in its HOME.
        QDirIterator left(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!left.hasNext(), qPrintable(left.hasNext() ? left.next() : QString()));
    }

    void unansweredCallTimesOut()
    {
        // Without Qt's GLib event loop libsecret never delivers its answer: the call still ends.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_NO_GLIB"_s, u"1"_s);
        env.insert(QLatin1String(kProbeTimeoutVariable), u"700"_s);
        // The deadline's own message is the proof it ended the call: a hung call would leave
        // the probe without an outcome line. How soon is not asserted: a loaded machine is slow.
        const StepOutcome outcome = runProbe(u"read"_s, env).step(u"read"_s);
        QVERIFY2(outcome.status == Keychain::Status::Failed, qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(u"did not answer within 0.7 s"), qPrintable(outcome.error));
        QVERIFY2(outcome.error.contains(u"GLib"), qPrintable(outcome.error));
    }

    void lockedKeyringIsDenied()
    {
        // A keyring of its own: a locked one cannot be unlocked again without a prompt.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"ISOBAR_WITH_KEYRING_INNER"_s);
        const ProbeOutcome outcome =
            runProbe(u"locked"_s, env,
                     {QString::fromUtf8(ISOBAR_SOURCE_DIR "/tests/support/with-keyring.sh")});
        QVERIFY2(outcome.step(u"setup"_s).status == Keychain::Status::Ok,
                 qPrintable(outcome.output));
        for (const QString &step : {u"read"_s, u"write"_s, u"remove"_s}) {
            const StepOutcome denied = outcome.step(step);
            QVERIFY2(denied.status == Keychain::Status::Denied,
                     qPrintable(step + u": " + outcome.output));
            QVERIFY2(denied.error.contains(u"locked"), qPrintable(step + u": " + denied.error));
        }
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kProbeVariable))
        return probeKeychain();
    TestKeychain test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestKeychain.moc"
