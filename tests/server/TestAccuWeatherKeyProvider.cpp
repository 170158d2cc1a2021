// Which source the ACCWEA key comes from. The keychain is a real Secret Service (gnome-keyring
// on a private bus, started by tests/support/with-keyring.sh).
#include "credentials/AccuWeatherKeyProvider.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QString kFileKey = u"FileKey0123456789abcdef"_s;
const QString kEnvironmentKey = u"EnvKey0123456789abcdef"_s;
const QString kKeychainKey = u"KeychainKey0123456789abcdef"_s;

using Source = AccuWeatherKeyProvider::Source;

} // namespace

class TestAccuWeatherKeyProvider : public QObject
{
    Q_OBJECT
private:
    Keychain m_keychain{u"isobar-test-provider"_s, 20'000};
    AccuWeatherKeyProvider m_provider{m_keychain};
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        return file.fileName();
    }

    void storeInKeychain(const QString &key)
    {
        const Keychain::Result written =
            m_keychain.write(QLatin1String(AccuWeatherKeyProvider::kKeychainKey), key);
        QVERIFY2(written.ok(), qPrintable(written.error));
    }

    // Whatever else is checked: the report never carries a key.
    static void verifyNoKeyIn(const AccuWeatherKeyProvider::Resolution &resolution)
    {
        for (const QString &key : {kFileKey, kEnvironmentKey, kKeychainKey}) {
            QVERIFY2(!resolution.where.contains(key), qPrintable(resolution.where));
            QVERIFY2(!resolution.problem.contains(key), qPrintable(resolution.problem));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariable("ISOBAR_TEST_KEYRING") == u"1",
                 "run through tests/support/with-keyring.sh (ctest does): the keychain source "
                 "needs a real keyring");
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        qunsetenv(AccuWeatherKeyProvider::kFileVariable);
        qunsetenv(AccuWeatherKeyProvider::kVariable);
        const Keychain::Result removed =
            m_keychain.remove(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
        QVERIFY2(removed.ok() || removed.status == Keychain::Status::NotFound,
                 qPrintable(removed.error));
    }

    void order_data()
    {
        QTest::addColumn<bool>("file");
        QTest::addColumn<bool>("environment");
        QTest::addColumn<bool>("keychain");
        QTest::addColumn<Source>("expectedSource");
        QTest::addColumn<QString>("expectedKey");
        QTest::newRow("file beats environment and keychain")
            << true << true << true << Source::File << kFileKey;
        QTest::newRow("file alone") << true << false << false << Source::File << kFileKey;
        QTest::newRow("environment beats keychain")
            << false << true << true << Source::Environment << kEnvironmentKey;
        QTest::newRow("keychain alone")
            << false << false << true << Source::Keychain << kKeychainKey;
        QTest::newRow("nothing anywhere") << false << false << false << Source::None << QString();
    }

    void order()
    {
        QFETCH(bool, file);
        QFETCH(bool, environment);
        QFETCH(bool, keychain);
        QFETCH(Source, expectedSource);
        QFETCH(QString, expectedKey);
        if (file)
            qputenv(AccuWeatherKeyProvider::kFileVariable,
                    writeFile("key", kFileKey.toUtf8() + "\n").toUtf8());
        if (environment)
            qputenv(AccuWeatherKeyProvider::kVariable, kEnvironmentKey.toUtf8());
        if (keychain)
            storeInKeychain(kKeychainKey);
        const auto resolution = m_provider.resolve();
        QCOMPARE(resolution.source, expectedSource);
        QCOMPARE(resolution.key, expectedKey);
        QVERIFY2(resolution.problem.isEmpty(), qPrintable(resolution.problem));
        QCOMPARE(resolution.usable(), !expectedKey.isEmpty());
        verifyNoKeyIn(resolution);
    }

    void whereNamesTheSource()
    {
        const QString path = writeFile("mounted-secret", kFileKey.toUtf8());
        qputenv(AccuWeatherKeyProvider::kFileVariable, path.toUtf8());
        QCOMPARE(m_provider.resolve().where, u"file "_s + path);
        qunsetenv(AccuWeatherKeyProvider::kFileVariable);
        qputenv(AccuWeatherKeyProvider::kVariable, kEnvironmentKey.toUtf8());
        QCOMPARE(m_provider.resolve().where, u"ISOBAR_ACCUWEATHER_API_KEY"_s);
        qunsetenv(AccuWeatherKeyProvider::kVariable);
        storeInKeychain(kKeychainKey);
        const QString where = m_provider.resolve().where;
        QVERIFY2(where.startsWith(u"keychain: Secret Service (libsecret)"), qPrintable(where));
        QVERIFY2(where.contains(u"\"isobar-test-provider\"")
                     && where.contains(u"\"accuweather-api-key\""),
                 qPrintable(where));
    }

    void skippingTheKeychain()
    {
        storeInKeychain(kKeychainKey);
        const auto resolution = m_provider.resolve(false);
        QCOMPARE(resolution.source, Source::None);
        QVERIFY(resolution.key.isEmpty());
    }

    void unusableFileIsReportedWithoutFallThrough_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: the file does not exist
        QTest::addColumn<bool>("folder");
        QTest::addColumn<QString>("expectedProblem");
        QTest::newRow("missing file") << QByteArray() << false << "cannot be read";
        QTest::newRow("folder") << QByteArray() << true << "is a folder";
        QTest::newRow("empty file") << QByteArray("") << false << "is empty";
        QTest::newRow("only whitespace") << QByteArray(" \n\t\n") << false << "is empty";
        QTest::newRow("too large") << QByteArray(5000, 'a') << false << "larger than 4096 bytes";
        QTest::newRow("two keys") << QByteArray("FirstKey01234567\nSecondKey0123456\n") << false
                                  << "not allowed";
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\nabcdefgh", 16) << false
                                << "not allowed";
    }

    void unusableFileIsReportedWithoutFallThrough()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, folder);
        QFETCH(QString, expectedProblem);
        QString path = m_dir.filePath(u"absent-file"_s);
        if (folder)
            path = m_dir.path();
        else if (!content.isNull())
            path = writeFile("unusable", content);
        QVERIFY(!path.isEmpty());
        qputenv(AccuWeatherKeyProvider::kFileVariable, path.toUtf8());
        // Usable keys further down must not be used instead: the operator meant the file.
        qputenv(AccuWeatherKeyProvider::kVariable, kEnvironmentKey.toUtf8());
        storeInKeychain(kKeychainKey);
        const auto resolution = m_provider.resolve();
        QCOMPARE(resolution.source, Source::File);
        QVERIFY(resolution.key.isEmpty());
        QVERIFY(!resolution.usable());
        QVERIFY2(resolution.problem.contains(expectedProblem), qPrintable(resolution.problem));
        QVERIFY2(resolution.problem.contains(path), qPrintable(resolution.problem));
        verifyNoKeyIn(resolution);
    }

    void malformedEnvironmentKeyIsReportedWithoutFallThrough()
    {
        qputenv(AccuWeatherKeyProvider::kVariable, "has spaces inside it");
        storeInKeychain(kKeychainKey);
        const auto resolution = m_provider.resolve();
        QCOMPARE(resolution.source, Source::Environment);
        QVERIFY(resolution.key.isEmpty());
        QVERIFY2(resolution.problem.startsWith(u"ISOBAR_ACCUWEATHER_API_KEY: "),
                 qPrintable(resolution.problem));
        QVERIFY2(!resolution.problem.contains(u"has spaces"), qPrintable(resolution.problem));
    }

    void blankEnvironmentVariableCountsAsUnset()
    {
        qputenv(AccuWeatherKeyProvider::kVariable, "   ");
        storeInKeychain(kKeychainKey);
        const auto resolution = m_provider.resolve();
        QCOMPARE(resolution.source, Source::Keychain);
        QCOMPARE(resolution.key, kKeychainKey);
    }

    void malformedKeychainEntryIsReported()
    {
        storeInKeychain(u"short"_s);
        const auto resolution = m_provider.resolve();
        QCOMPARE(resolution.source, Source::Keychain);
        QVERIFY(resolution.key.isEmpty());
        QVERIFY2(resolution.problem.contains(u"5 characters long"), qPrintable(resolution.problem));
    }

    void sourceNames_data()
    {
        QTest::addColumn<Source>("source");
        QTest::addColumn<QString>("name");
        QTest::newRow("file") << Source::File << "file";
        QTest::newRow("environment") << Source::Environment << "environment";
        QTest::newRow("keychain") << Source::Keychain << "keychain";
        QTest::newRow("none") << Source::None << "none";
    }

    void sourceNames()
    {
        QFETCH(Source, source);
        QFETCH(QString, name);
        QCOMPARE(AccuWeatherKeyProvider::sourceName(source), name);
    }

    void keyShape_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("acceptable");
        QTest::newRow("32 hex digits, the classic key")
            << "0123456789abcdef0123456789ABCDEF" << true;
        QTest::newRow("token characters") << "zpka_Ab-12.cd~ef+gh/ij==" << true;
        QTest::newRow("8 characters") << "abcdefgh" << true;
        QTest::newRow("256 characters") << QString(256, u'k') << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("7 characters") << "abcdefg" << false;
        QTest::newRow("257 characters") << QString(257, u'k') << false;
        QTest::newRow("space") << "abcd efgh" << false;
        QTest::newRow("CR LF (header injection)") << "abcdefgh\r\nX-Evil: 1" << false;
        QTest::newRow("non-ASCII") << u"abcdefgh\u00e9"_s << false;
        QTest::newRow("quote") << "abcdefgh\"" << false;
        QTest::newRow("= in the middle") << "abcd=efgh" << false;
        QTest::newRow("only =") << "========" << false;
    }

    void keyShape()
    {
        QFETCH(QString, key);
        QFETCH(bool, acceptable);
        const QString problem = AccuWeatherKeyProvider::keyShapeProblem(key);
        QCOMPARE(problem.isEmpty(), acceptable);
        if (!acceptable && key.size() > 2)
            QVERIFY2(!problem.contains(key), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestAccuWeatherKeyProvider)
#include "TestAccuWeatherKeyProvider.moc"
