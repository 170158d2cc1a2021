// The settings dialog against a real Secret Service (gnome-keyring on a private bus, started by
// tests/support/with-keyring.sh) and a real AccuWeather wire format (the sandbox).
#include "SandboxThread.h"
#include "SettingsDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QString kKey = u"DialogKey0123456789abcdef"_s;
const QString kService = u"isobar-test-settings"_s;

template <typename Widget> Widget *byName(QWidget &dialog, const QString &accessibleName)
{
    for (Widget *widget : dialog.findChildren<Widget *>())
        if (widget->accessibleName() == accessibleName)
            return widget;
    return nullptr;
}

QPushButton *button(QWidget &dialog, const QString &text)
{
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        if (b->text().remove(u'&') == text)
            return b;
    return nullptr;
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void typedKeyGoesToTheKeychainNeverToTheSettingsFile();
    void removedKeyIsGone();
    void malformedKeyIsRefused();
    void testKeyMakesOneLiveCall();
    void environmentKeyIsShownAsTheSource();
    void invalidSettingsAreRefusedNamingTheField();
    void formRoundTrip();
    void environmentOverridesTheServerForOneRun();
    void earlierKeysMoveToServesKeysOnce();

private:
    Keychain m_keychain{kService, 20'000};
    QTemporaryDir m_dir;
};

void TestSettingsDialog::init()
{
    qunsetenv("ISOBAR_ACCUWEATHER_API_KEY");
    qunsetenv("ISOBAR_ACCUWEATHER_API_KEY_FILE");
    qunsetenv("ISOBAR_ACCUWEATHER_URL");
    m_keychain.remove(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
}

void TestSettingsDialog::typedKeyGoesToTheKeychainNeverToTheSettingsFile()
{
    SettingsDialog dialog(DesktopSettings{}, m_keychain);
    auto *field = byName<QLineEdit>(dialog, u"AccuWeather API key"_s);
    QVERIFY(field);
    QCOMPARE(field->echoMode(), QLineEdit::Password);
    QVERIFY(dialog.keySourceText().startsWith(u"none"_s));

    QTest::keyClicks(field, kKey);
    QVERIFY(button(dialog, u"Store in keychain"_s)->isEnabled());
    QTest::mouseClick(button(dialog, u"Store in keychain"_s), Qt::LeftButton);

    const Keychain::Result stored =
        m_keychain.read(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
    QVERIFY2(stored.ok(), qPrintable(stored.error));
    QCOMPARE(stored.secret, kKey);
    QVERIFY(field->text().isEmpty()); // not left in the widget
    QVERIFY2(dialog.keySourceText().contains(u"keychain"_s), qPrintable(dialog.keySourceText()));
    QVERIFY(!dialog.keySourceText().contains(kKey));

    // Everything the dialog hands back is saved; the key is in none of it.
    const QString file = m_dir.filePath(u"isobar.conf"_s);
    {
        QSettings settings(file, QSettings::IniFormat);
        dialog.settings().save(settings);
    }
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray content = saved.readAll();
    QVERIFY(content.contains("accuweather_url"));
    QVERIFY(!content.contains(kKey.toUtf8()));
}

void TestSettingsDialog::removedKeyIsGone()
{
    QVERIFY(m_keychain.write(QLatin1String(AccuWeatherKeyProvider::kKeychainKey), kKey).ok());
    SettingsDialog dialog(DesktopSettings{}, m_keychain);
    QVERIFY(dialog.keySourceText().contains(u"keychain"_s));
    QTest::mouseClick(button(dialog, u"Remove"_s), Qt::LeftButton);
    QCOMPARE(m_keychain.read(QLatin1String(AccuWeatherKeyProvider::kKeychainKey)).status,
             Keychain::Status::NotFound);
    QVERIFY(dialog.keySourceText().startsWith(u"none"_s));
}

void TestSettingsDialog::malformedKeyIsRefused()
{
    SettingsDialog dialog(DesktopSettings{}, m_keychain);
    auto *field = byName<QLineEdit>(dialog, u"AccuWeather API key"_s);
    QTest::keyClicks(field, u"short"_s);
    QVERIFY(!dialog.storeKey());
    QVERIFY2(dialog.keyTestResult().startsWith(u"Not stored"_s),
             qPrintable(dialog.keyTestResult()));
    QCOMPARE(m_keychain.read(QLatin1String(AccuWeatherKeyProvider::kKeychainKey)).status,
             Keychain::Status::NotFound);
}

void TestSettingsDialog::testKeyMakesOneLiveCall()
{
    test::SandboxThread sandboxThread(kKey, [] { return QDateTime::currentMSecsSinceEpoch(); });
    AccuWeatherSandbox *sandbox = sandboxThread.startSandbox();
    DesktopSettings settings;
    settings.accuWeatherUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(sandbox->port()));

    SettingsDialog dialog(settings, m_keychain);
    auto *field = byName<QLineEdit>(dialog, u"AccuWeather API key"_s);
    QSignalSpy tested(&dialog, &SettingsDialog::keyTested);

    QTest::keyClicks(field, kKey);
    dialog.testKey();
    QVERIFY(tested.wait(30'000));
    QCOMPARE(tested.takeFirst().at(0).toBool(), true);
    QVERIFY2(dialog.keyTestResult().contains(u"ok"_s), qPrintable(dialog.keyTestResult()));

    field->clear();
    QTest::keyClicks(field, u"WrongKey0123456789abcdef"_s);
    dialog.testKey();
    QVERIFY(tested.wait(30'000));
    QCOMPARE(tested.takeFirst().at(0).toBool(), false);
    QVERIFY2(dialog.keyTestResult().contains(u"unauthorised"_s),
             qPrintable(dialog.keyTestResult()));
    QVERIFY(!dialog.keyTestResult().contains(u"WrongKey"_s));
    QCOMPARE(sandbox->calls(u"geoposition"_s), 2); // one call per press, no retries

    // This run's server uses the sandbox by ISOBAR_ACCUWEATHER_URL: so does the test, whatever
    // the field says, and the result names it.
    qputenv("ISOBAR_ACCUWEATHER_URL", settings.accuWeatherUrl.toString().toUtf8());
    settings.accuWeatherUrl = QUrl(u"https://dataservice.accuweather.com"_s);
    SettingsDialog overridden(settings, m_keychain);
    QSignalSpy testedAgain(&overridden, &SettingsDialog::keyTested);
    QTest::keyClicks(byName<QLineEdit>(overridden, u"AccuWeather API key"_s), kKey);
    overridden.testKey();
    QVERIFY(testedAgain.wait(30'000));
    qunsetenv("ISOBAR_ACCUWEATHER_URL");
    QCOMPARE(testedAgain.takeFirst().at(0).toBool(), true);
    QCOMPARE(sandbox->calls(u"geoposition"_s), 3);
    QVERIFY2(overridden.keyTestResult().contains(u"ISOBAR_ACCUWEATHER_URL"_s),
             qPrintable(overridden.keyTestResult()));
}

void TestSettingsDialog::environmentKeyIsShownAsTheSource()
{
    qputenv("ISOBAR_ACCUWEATHER_API_KEY", kKey.toUtf8());
    SettingsDialog dialog(DesktopSettings{}, m_keychain);
    QCOMPARE(dialog.keySourceText(), u"ISOBAR_ACCUWEATHER_API_KEY"_s);
    qunsetenv("ISOBAR_ACCUWEATHER_API_KEY");
}

void TestSettingsDialog::invalidSettingsAreRefusedNamingTheField()
{
    SettingsDialog dialog(DesktopSettings{}, m_keychain);
    auto *bind = byName<QLineEdit>(dialog, u"Bind address"_s);
    bind->setText(u"not-an-address"_s);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    bool named = false;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        named = named || label->text().startsWith(u"Bind address"_s);
    QVERIFY(named);

    bind->setText(u"127.0.0.1"_s);
    byName<QComboBox>(dialog, u"Authentication"_s)->setCurrentIndex(1); // OIDC, no issuer
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(dialog.settings().problem().startsWith(u"OIDC issuer"_s));
}

void TestSettingsDialog::formRoundTrip()
{
    DesktopSettings settings;
    settings.databasePath = m_dir.filePath(u"a.db"_s);
    settings.port = 9191;
    settings.authMode = DesktopSettings::AuthMode::Oidc;
    settings.oidcIssuer = QUrl(u"https://login.example.org/realms/isobar"_s);
    settings.oidcAudience = u"isobar-api"_s;
    settings.cellSizeMetres = 2500;
    settings.currentTtlSeconds = 900;
    settings.keepServerInTray = true;
    SettingsDialog dialog(settings, m_keychain);
    // Every field's label has it as buddy, so no "&" is shown literally and Alt+letter works.
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->text().contains(u'&') && !label->text().contains(u"&amp;"))
            QVERIFY2(label->buddy(), qPrintable(label->text()));
    }
    const DesktopSettings back = dialog.settings();
    QCOMPARE(back.databasePath, settings.databasePath);
    QCOMPARE(back.port, settings.port);
    QCOMPARE(back.authMode, settings.authMode);
    QCOMPARE(back.oidcIssuer, settings.oidcIssuer);
    QCOMPARE(back.oidcAudience, settings.oidcAudience);
    QCOMPARE(back.cellSizeMetres, 2500);
    QCOMPARE(back.currentTtlSeconds, 900);
    QVERIFY(back.keepServerInTray);

    // Saved and loaded again through QSettings: the same values.
    QSettings file(m_dir.filePath(u"round.conf"_s), QSettings::IniFormat);
    back.save(file);
    const DesktopSettings loaded = DesktopSettings::load(file);
    QCOMPARE(loaded.port, 9191);
    QCOMPARE(loaded.oidcIssuer, settings.oidcIssuer);
    QCOMPARE(loaded.cellSizeMetres, 2500);
    // A hand-edited out-of-range value keeps the default, and is named with its file as the
    // reason the server does not start.
    file.setValue(u"server/port"_s, 70000);
    const DesktopSettings edited = DesktopSettings::load(file);
    QCOMPARE(edited.port, ServerConfig{}.port);
    QVERIFY2(edited.problem().startsWith(u"port: '70000' must be a whole number from 0 to 65535 "
                                         "(from server/port in "_s),
             qPrintable(edited.problem()));
}

void TestSettingsDialog::earlierKeysMoveToServesKeysOnce()
{
    // A file written by an earlier version: the desktop's own spellings.
    const QString path = m_dir.filePath(u"earlier.conf"_s);
    {
        QSettings file(path, QSettings::IniFormat);
        file.setValue(u"database/path"_s, m_dir.filePath(u"mine.db"_s));
        file.setValue(u"server/auth"_s, u"oidc"_s);
        file.setValue(u"server/oidcIssuer"_s, u"https://login.example.org/realms/isobar"_s);
        file.setValue(u"weather/ttlDaily"_s, 7200);
        file.setValue(u"weather/cellSizeMetres"_s, 2000);
    }
    QSettings file(path, QSettings::IniFormat);
    const DesktopSettings loaded = DesktopSettings::load(file);
    QCOMPARE(loaded.databasePath, m_dir.filePath(u"mine.db"_s));
    QCOMPARE(loaded.authMode, DesktopSettings::AuthMode::Oidc);
    QCOMPARE(loaded.oidcIssuer, QUrl(u"https://login.example.org/realms/isobar"_s));
    QCOMPARE(loaded.dailyTtlSeconds, 7200);
    QCOMPARE(loaded.cellSizeMetres, 2000);
    // Now under the keys `isobar serve --config` reads, and the old ones are gone.
    QCOMPARE(file.value(u"storage/database"_s).toString(), m_dir.filePath(u"mine.db"_s));
    QCOMPARE(file.value(u"auth/no_auth"_s).toBool(), false);
    QCOMPARE(file.value(u"weather/ttl_daily_s"_s).toInt(), 7200);
    QCOMPARE(file.value(u"weather/cell_size_m"_s).toInt(), 2000);
    QVERIFY(!file.contains(u"weather/ttlDaily"_s));
    QVERIFY(!file.contains(u"server/auth"_s));
    // Saved and read again: the same values, under the same keys.
    loaded.save(file);
    QCOMPARE(DesktopSettings::load(file).dailyTtlSeconds, 7200);
    QCOMPARE(file.value(u"weather/ttl_daily_s"_s).toInt(), 7200);
}

void TestSettingsDialog::environmentOverridesTheServerForOneRun()
{
    QSettings file(m_dir.filePath(u"env.conf"_s), QSettings::IniFormat);
    DesktopSettings stored;
    stored.port = 9191;
    stored.accuWeatherUrl = QUrl(u"https://dataservice.accuweather.com"_s);
    stored.save(file);

    qputenv("ISOBAR_PORT", "9393");
    qputenv("ISOBAR_ACCUWEATHER_URL", "http://127.0.0.1:8089");
    const ServerConfig config = DesktopSettings::load(file).serverConfig({});
    QCOMPARE(config.port, quint16(9393));
    QCOMPARE(config.upstream.baseUrl, QUrl(u"http://127.0.0.1:8089"_s));
    // Nothing of it is written back: the stored values are what the dialog shows and saves.
    QCOMPARE(DesktopSettings::load(file).port, quint16(9191));

    // A variable the table refuses keeps the stored value and is the reason not to start.
    qputenv("ISOBAR_PORT", "not-a-port");
    qunsetenv("ISOBAR_ACCUWEATHER_URL");
    const DesktopSettings withBadPort = DesktopSettings::load(file);
    const ServerConfig fallback = withBadPort.serverConfig({});
    QCOMPARE(fallback.port, quint16(9191));
    QCOMPARE(fallback.upstream.baseUrl, QUrl(u"https://dataservice.accuweather.com"_s));
    QCOMPARE(withBadPort.problem(),
             u"port: 'not-a-port' must be a whole number from 0 to 65535 (from ISOBAR_PORT)"_s);
    qunsetenv("ISOBAR_PORT");
}

QTEST_MAIN(TestSettingsDialog)
#include "TestSettingsDialog.moc"
