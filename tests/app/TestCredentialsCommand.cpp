// The real `isobar credentials` binary against a real Secret Service (gnome-keyring on a
// private bus, started by tests/support/with-keyring.sh), with the key always on stdin, and
// `status --check` against a local server speaking AccuWeather's format.
#include "TestSupport.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kGoodKey = u"GoodKey0123456789abcdef0123456789"_s;
const QString kOtherKey = u"OtherKey0123456789abcdef012345678"_s;
const QString kWrongKey = u"WrongKey0123456789abcdef012345678"_s;

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// A minimal AccuWeather: the geoposition search answers 200 for the right key, 401 for any
// other, or 503 "allowed number of requests" when the quota is spent. The key may come as a
// Bearer header or as the legacy apikey parameter.
class FakeAccuWeather : public QObject
{
public:
    explicit FakeAccuWeather(QString key)
        : m_key(std::move(key))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        });
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()); }
    void setQuotaSpent(bool spent) { m_quotaSpent = spent; }
    int requests() const { return m_requests; }

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray buffered = socket->property("buffered").toByteArray() + socket->readAll();
        socket->setProperty("buffered", buffered);
        if (!buffered.contains("\r\n\r\n"))
            return;
        ++m_requests;
        const QList<QByteArray> lines = buffered.left(buffered.indexOf("\r\n\r\n")).split('\n');
        const QUrl target(QString::fromLatin1(lines.value(0).split(' ').value(1)));
        QString presented = QUrlQuery(target).queryItemValue(u"apikey"_s);
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("authorization: bearer "))
                presented = QString::fromLatin1(line.mid(22).trimmed());
        }
        QByteArray status = "200 OK";
        QByteArray body =
            R"({"Key":"328328","LocalizedName":"London","GeoPosition":{"Latitude":51.5,"Longitude":-0.12}})";
        if (target.path() != u"/locations/v1/cities/geoposition/search") {
            status = "404 Not Found";
            body = R"({"Code":"ResourceNotFound","Message":"no such path"})";
        } else if (m_quotaSpent) {
            status = "503 Service Unavailable";
            body =
                R"({"Code":"ServiceUnavailable","Message":"The allowed number of requests has been exceeded.","Reference":"/locations/v1/cities/geoposition/search"})";
        } else if (presented != m_key) {
            status = "401 Unauthorized";
            body =
                R"({"Code":"Unauthorized","Message":"Api Authorization failed","Reference":"/locations/v1/cities/geoposition/search"})";
        }
        socket->write("HTTP/1.1 " + status
                      + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
    QString m_key;
    bool m_quotaSpent = false;
    int m_requests = 0;
};

} // namespace

class TestCredentialsCommand : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    // The environment of the test without any ACCWEA key source, plus `extra`.
    static QProcessEnvironment environment(const QHash<QString, QString> &extra = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys()) {
            if (name.startsWith(u"ISOBAR_ACCUWEATHER"))
                env.remove(name);
        }
        for (auto it = extra.begin(); it != extra.end(); ++it)
            env.insert(it.key(), it.value());
        return env;
    }

    // Runs `isobar credentials ARGS` with `input` on a pipe, keeping the event loop turning so
    // that a FakeAccuWeather in this thread can answer. No output may ever contain a key.
    static Run credentials(const QStringList &arguments, const QByteArray &input = {},
                           const QProcessEnvironment &env = environment())
    {
        QProcess process;
        process.setProcessEnvironment(env);
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60'000, &loop, &QEventLoop::quit);
        process.start(QString::fromUtf8(ISOBAR_BINARY), QStringList{u"credentials"_s} + arguments);
        if (!process.waitForStarted(10'000))
            return {};
        process.write(input);
        process.closeWriteChannel();
        if (process.state() != QProcess::NotRunning)
            loop.exec();
        Run run;
        run.exitCode =
            process.state() == QProcess::NotRunning && process.exitStatus() == QProcess::NormalExit
                ? process.exitCode()
                : -1;
        if (run.exitCode == -1)
            process.kill();
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        for (const QString &key : {kGoodKey, kOtherKey, kWrongKey}) {
            if (run.out.contains(key) || run.err.contains(key)) {
                qWarning("a key appeared in the output of isobar credentials %s",
                         qPrintable(arguments.join(u' ')));
                run.exitCode = -2;
            }
        }
        return run;
    }

    // What the keyring holds for the key `isobar` uses, asked through another client.
    static QString keyringEntry()
    {
        QProcess lookup;
        lookup.start(u"secret-tool"_s,
                     {u"lookup"_s, u"user"_s, u"accuweather-api-key"_s, u"server"_s, u"isobar"_s});
        lookup.waitForFinished(10'000);
        return QString::fromUtf8(lookup.readAllStandardOutput());
    }

    static QString describe(const Run &run)
    {
        return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(run.exitCode).arg(run.out, run.err);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariable("ISOBAR_TEST_KEYRING") == u"1",
                 "run through tests/support/with-keyring.sh (ctest does): these tests need a real "
                 "keyring");
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        const Run cleared = credentials({u"clear"_s});
        QVERIFY2(cleared.exitCode == 0, qPrintable(describe(cleared)));
        QCOMPARE(keyringEntry(), QString());
    }

    void help()
    {
        Run run = credentials({u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *expected :
             {"set", "status", "clear", "--check", "--accuweather-url",
              "ISOBAR_ACCUWEATHER_API_KEY_FILE", "Exit codes", "unauthorised", "quota"}) {
            QVERIFY2(run.out.contains(QLatin1String(expected), Qt::CaseInsensitive), expected);
        }
        QProcess top;
        top.start(QString::fromUtf8(ISOBAR_BINARY), {u"--help"_s});
        QVERIFY(top.waitForFinished(10'000));
        QVERIFY(top.readAllStandardOutput().contains("credentials"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no action") << QStringList{};
        QTest::newRow("unknown action") << QStringList{"show"};
        QTest::newRow("two actions") << QStringList{"set", "clear"};
        QTest::newRow("--check without status") << QStringList{"clear", "--check"};
        QTest::newRow("bad placement")
            << QStringList{"status", "--accuweather-key-placement", "header"};
        QTest::newRow("bad URL") << QStringList{"status", "--accuweather-url", "not a url"};
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        const Run run = credentials(arguments);
        QVERIFY2(run.exitCode == 2, qPrintable(describe(run)));
        QVERIFY2(run.err.startsWith(u"isobar credentials: "), qPrintable(describe(run)));
    }

    void setStatusClearRoundTrip()
    {
        Run run = credentials({u"status"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"source: none") && run.out.contains(u"key: absent"),
                 qPrintable(describe(run)));

        run = credentials({u"set"_s}, kGoodKey.toUtf8() + '\n');
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(
                     u"stored the AccuWeather API key in the keychain (Secret Service (libsecret), "
                     u"service \"isobar\", key \"accuweather-api-key\")"),
                 qPrintable(describe(run)));
        QCOMPARE(keyringEntry(),
                 kGoodKey); // the trailing newline of the pipe is not part of the key

        run = credentials({u"status"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"source: keychain") && run.out.contains(u"key: present"),
                 qPrintable(describe(run)));

        // Replace: the second set wins.
        run = credentials({u"set"_s}, kOtherKey.toUtf8());
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QCOMPARE(keyringEntry(), kOtherKey);

        run = credentials({u"clear"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.startsWith(u"removed the AccuWeather API key from the keychain"),
                 qPrintable(describe(run)));
        QCOMPARE(keyringEntry(), QString());

        run = credentials({u"clear"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"nothing to remove"), qPrintable(describe(run)));

        run = credentials({u"status"_s});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
    }

    void badInputIsRejected_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing") << QByteArray() << "standard input is empty";
        QTest::newRow("blank lines") << QByteArray(" \n\n") << "standard input is empty";
        QTest::newRow("too long") << QByteArray(5000, 'k') << "longer than 4096 bytes";
        QTest::newRow("just under the input limit, over the key limit")
            << QByteArray(300, 'k') << "300 characters";
        QTest::newRow("too short") << QByteArray("abc\n") << "3 characters";
        QTest::newRow("two lines")
            << (kGoodKey.toUtf8() + '\n' + kOtherKey.toUtf8() + '\n') << "more than one line";
        QTest::newRow("control character") << QByteArray("abcd\x01"
                                                         "efghijk")
                                           << "not allowed";
        QTest::newRow("space inside") << QByteArray("abcd efghijk") << "not allowed";
    }

    void badInputIsRejected()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const Run run = credentials({u"set"_s}, input);
        QVERIFY2(run.exitCode == 2, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(expected) && run.err.contains(u"nothing was stored"),
                 qPrintable(describe(run)));
        QCOMPARE(keyringEntry(), QString());
    }

    void environmentSourcesWinOverTheKeychain()
    {
        QVERIFY(credentials({u"set"_s}, kGoodKey.toUtf8()).exitCode == 0);

        Run run = credentials({u"status"_s}, {},
                              environment({{u"ISOBAR_ACCUWEATHER_API_KEY"_s, kOtherKey}}));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(
                     u"source: environment\nwhere: ISOBAR_ACCUWEATHER_API_KEY\nkey: present"),
                 qPrintable(describe(run)));

        QFile file(m_dir.filePath(u"mounted-key"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kOtherKey.toUtf8() + '\n');
        file.close();
        run = credentials({u"status"_s}, {},
                          environment({{u"ISOBAR_ACCUWEATHER_API_KEY_FILE"_s, file.fileName()},
                                       {u"ISOBAR_ACCUWEATHER_API_KEY"_s, kWrongKey}}));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"source: file\nwhere: file " + file.fileName()),
                 qPrintable(describe(run)));

        // Storing while a variable wins says that the stored key is not the one in use.
        run = credentials({u"set"_s}, kOtherKey.toUtf8(),
                          environment({{u"ISOBAR_ACCUWEATHER_API_KEY"_s, kWrongKey}}));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"note: ISOBAR_ACCUWEATHER_API_KEY is set and takes precedence"),
                 qPrintable(describe(run)));
    }

    void unreadableKeyFileIsAnError()
    {
        const QString missing = m_dir.filePath(u"no-such-file"_s);
        const Run run = credentials({u"status"_s}, {},
                                    environment({{u"ISOBAR_ACCUWEATHER_API_KEY_FILE"_s, missing}}));
        QVERIFY2(run.exitCode == 3, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"source: file") && run.out.contains(u"cannot be read"),
                 qPrintable(describe(run)));
    }

    void absentKeyringIsReportedAndNothingIsWritten_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("expectedExit");
        QTest::newRow("set") << "set" << 3;
        QTest::newRow("status") << "status" << 3;
        QTest::newRow("clear") << "clear" << 3;
    }

    void absentKeyringIsReportedAndNothingIsWritten()
    {
        QFETCH(QString, action);
        QFETCH(int, expectedExit);
        QTemporaryDir home;
        const QProcessEnvironment env =
            environment({{u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/bus"_s},
                         {u"HOME"_s, home.path()},
                         {u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s)},
                         {u"XDG_DATA_HOME"_s, home.filePath(u"data"_s)}});
        const Run run = credentials({action}, kGoodKey.toUtf8(), env);
        QVERIFY2(run.exitCode == expectedExit, qPrintable(describe(run)));
        const QString report = run.out + run.err;
        QVERIFY2(
            report.contains(u"Secret Service (libsecret) is not available: no D-Bus session bus"),
            qPrintable(describe(run)));
        if (action == u"set")
            QVERIFY2(run.err.contains(u"Nothing was written anywhere else"),
                     qPrintable(describe(run)));
        QDirIterator left(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!left.hasNext(), qPrintable(left.hasNext() ? left.next() : QString()));
    }

    void liveCheck_data()
    {
        QTest::addColumn<QString>("storedKey");      // through `set`; empty: none
        QTest::addColumn<QString>("environmentKey"); // ISOBAR_ACCUWEATHER_API_KEY; empty: unset
        QTest::addColumn<QString>("placement");
        QTest::addColumn<bool>("quotaSpent");
        QTest::addColumn<int>("expectedExit");
        QTest::addColumn<QString>("expectedLine");
        QTest::newRow("right key from the keychain") << kGoodKey << ""
                                                     << "bearer" << false << 0 << "check: ok";
        QTest::newRow("right key as apikey parameter") << kGoodKey << ""
                                                       << "query" << false << 0 << "check: ok";
        QTest::newRow("wrong key from the environment")
            << kGoodKey << kWrongKey << "bearer" << false << 4 << "check: unauthorised key";
        QTest::newRow("wrong key from the keychain")
            << kWrongKey << ""
            << "bearer" << false << 4 << "check: unauthorised key";
        QTest::newRow("quota spent") << kGoodKey << ""
                                     << "bearer" << true << 5 << "check: quota exhausted";
        QTest::newRow("no key: no call") << ""
                                         << ""
                                         << "bearer" << false << 1 << "check: skipped";
    }

    void liveCheck()
    {
        QFETCH(QString, storedKey);
        QFETCH(QString, environmentKey);
        QFETCH(QString, placement);
        QFETCH(bool, quotaSpent);
        QFETCH(int, expectedExit);
        QFETCH(QString, expectedLine);
        if (!storedKey.isEmpty())
            QCOMPARE(credentials({u"set"_s}, storedKey.toUtf8()).exitCode, 0);
        FakeAccuWeather upstream(kGoodKey);
        upstream.setQuotaSpent(quotaSpent);
        QHash<QString, QString> extra{{u"ISOBAR_ACCUWEATHER_URL"_s, upstream.url()}};
        if (!environmentKey.isEmpty())
            extra.insert(u"ISOBAR_ACCUWEATHER_API_KEY"_s, environmentKey);
        const Run run =
            credentials({u"status"_s, u"--check"_s, u"--accuweather-key-placement"_s, placement},
                        {}, environment(extra));
        QVERIFY2(run.exitCode == expectedExit, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(expectedLine), qPrintable(describe(run)));
        QCOMPARE(upstream.requests(), expectedExit == 1 ? 0 : 1); // one real call, no retries
    }

    void liveCheckUnreachable()
    {
        QCOMPARE(credentials({u"set"_s}, kGoodKey.toUtf8()).exitCode, 0);
        const isobar::test::ReservedPort closed(isobar::test::ReservedPort::Use::NobodyListens);
        const Run run = credentials({u"status"_s, u"--check"_s, u"--accuweather-url"_s,
                                     u"http://127.0.0.1:%1"_s.arg(closed.port())});
        QVERIFY2(run.exitCode == 6, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(u"check: unreachable"), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TestCredentialsCommand)
#include "TestCredentialsCommand.moc"
