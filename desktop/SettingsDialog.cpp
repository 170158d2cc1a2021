#include "SettingsDialog.h"

#include "FileDialogs.h"
#include "config/ServerSettings.h"
#include "credentials/AccuWeatherKeyCheck.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// A spin box over the range `serve` allows for `setting`.
QSpinBox *settingBox(const char *setting, int value, const QString &suffix,
                     const QString &accessibleName)
{
    const ServerSetting &row = ServerSettings::named(setting);
    auto *box = new QSpinBox;
    box->setRange(int(row.minimum), int(row.maximum));
    box->setSuffix(suffix);
    box->setValue(value);
    box->setAccessibleName(accessibleName);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const DesktopSettings &settings, Keychain keychain, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_keys(std::move(keychain))
{
    setWindowTitle(tr("Isobar Settings"));
    auto *tabs = new QTabWidget;
    tabs->addTab(createGeneralPage(), tr("&General"));
    tabs->addTab(createServerPage(), tr("&Server"));
    tabs->addTab(createWeatherPage(), tr("&Weather"));

    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::Link);
    m_problem->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(&m_testWatcher, &QFutureWatcherBase::finished, this, [this] {
        const QUrl upstream = testedUpstream();
        const AccuWeatherKeyCheck check =
            AccuWeatherKeyCheck::fromResult(m_testWatcher.result(), upstream);
        // Name the service tested when it is not the one the field shows.
        const bool overridden = upstream != QUrl(m_upstreamUrl->text().trimmed());
        m_keyResult->setText(overridden
                                 ? tr("Test against %1 (ISOBAR_ACCUWEATHER_URL, this run): %2")
                                       .arg(upstream.toDisplayString(), check.message)
                                 : tr("Test: %1").arg(check.message));
        m_testClient.reset();
        setKeyBusy(false);
        Q_EMIT keyTested(check.accepted());
    });
    refreshKeySource();
    updateAuthFields();
}

// A test still in flight owns a client whose reply must not outlive it.
SettingsDialog::~SettingsDialog()
{
    m_testWatcher.disconnect(this);
    m_testWatcher.cancel();
}

QWidget *SettingsDialog::createGeneralPage()
{
    m_database = new QLineEdit(m_settings.databasePath);
    m_database->setAccessibleName(tr("Database file"));
    auto *browse = new QPushButton(tr("&Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
            FileDialogs::saveFileName(this, tr("Choose the metrics database"), m_database->text(),
                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"),
                                      nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_database->setText(path);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_database, 1);
    row->addWidget(browse);

    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    // A layout cannot be a label's buddy: the label names the field itself, or its "&" shows.
    auto *label = new QLabel(tr("&Database:"));
    label->setBuddy(m_database);
    form->addRow(label, row);
    auto *hint = new QLabel(tr("The metrics store the Metrics page opens and the embedded server "
                               "serves. It is created on first use."));
    hint->setWordWrap(true);
    form->addRow(hint);
    return page;
}

QWidget *SettingsDialog::createServerPage()
{
    m_bind = new QLineEdit(m_settings.bindAddress);
    m_bind->setAccessibleName(tr("Bind address"));
    m_bind->setPlaceholderText(u"127.0.0.1"_s);
    m_port = settingBox("port", m_settings.port, {}, tr("Port"));
    m_authMode = new QComboBox;
    m_authMode->addItem(tr("None (trusted network only)"));
    m_authMode->addItem(tr("OpenID Connect tokens"));
    m_authMode->setCurrentIndex(m_settings.authMode == DesktopSettings::AuthMode::Oidc ? 1 : 0);
    m_authMode->setAccessibleName(tr("Authentication"));
    m_issuer = new QLineEdit(m_settings.oidcIssuer.toString());
    m_issuer->setPlaceholderText(u"https://login.example.org/realms/isobar"_s);
    m_issuer->setAccessibleName(tr("OIDC issuer"));
    m_audience = new QLineEdit(m_settings.oidcAudience);
    m_audience->setPlaceholderText(u"isobar-api"_s);
    m_audience->setAccessibleName(tr("OIDC audience"));
    m_startOnLaunch = new QCheckBox(tr("Start the server when Isobar opens"));
    m_startOnLaunch->setChecked(m_settings.startServerOnLaunch);
    m_keepInTray = new QCheckBox(tr("Keep the server running in the tray when the window closes"));
    m_keepInTray->setChecked(m_settings.keepServerInTray);
    connect(m_authMode, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateAuthFields);

    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->addRow(tr("&Bind address:"), m_bind);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Authentication:"), m_authMode);
    form->addRow(tr("OIDC &issuer:"), m_issuer);
    form->addRow(tr("OIDC au&dience:"), m_audience);
    form->addRow(m_startOnLaunch);
    form->addRow(m_keepInTray);
    return page;
}

QWidget *SettingsDialog::createWeatherPage()
{
    m_upstreamUrl = new QLineEdit(m_settings.accuWeatherUrl.toString());
    m_upstreamUrl->setAccessibleName(tr("AccuWeather URL"));
    m_cellSize =
        settingBox("weather-cell-size", m_settings.cellSizeMetres, tr(" m"), tr("Cache cell size"));
    m_ttlCurrent = settingBox("weather-ttl-current", m_settings.currentTtlSeconds, tr(" s"),
                              tr("Current conditions TTL"));
    m_ttlHourly = settingBox("weather-ttl-hourly", m_settings.hourlyTtlSeconds, tr(" s"),
                             tr("Hourly forecast TTL"));
    m_ttlDaily = settingBox("weather-ttl-daily", m_settings.dailyTtlSeconds, tr(" s"),
                            tr("Daily forecast TTL"));

    m_key = new QLineEdit;
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("Type a new key to store it"));
    m_key->setAccessibleName(tr("AccuWeather API key"));
    m_keySource = new QLabel;
    m_keySource->setWordWrap(true);
    m_keySource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keyResult = new QLabel;
    m_keyResult->setWordWrap(true);
    m_keyResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_storeKey = new QPushButton(tr("&Store in keychain"));
    m_removeKey = new QPushButton(tr("&Remove"));
    m_testKey = new QPushButton(tr("&Test key"));
    m_testKey->setToolTip(tr("Makes one call to the AccuWeather URL above with the key"));
    connect(m_storeKey, &QPushButton::clicked, this, &SettingsDialog::storeKey);
    connect(m_removeKey, &QPushButton::clicked, this, &SettingsDialog::removeKey);
    connect(m_testKey, &QPushButton::clicked, this, &SettingsDialog::testKey);
    connect(m_key, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_storeKey->setEnabled(!text.isEmpty()); });
    m_storeKey->setEnabled(false);

    auto *keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_storeKey);
    keyButtons->addWidget(m_removeKey);
    keyButtons->addWidget(m_testKey);
    keyButtons->addStretch();
    auto *keyGroup = new QGroupBox(tr("AccuWeather API key"));
    auto *keyForm = new QFormLayout(keyGroup);
    keyForm->addRow(tr("&Key:"), m_key);
    keyForm->addRow(keyButtons);
    keyForm->addRow(tr("Source:"), m_keySource);
    keyForm->addRow(m_keyResult);

    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->addRow(tr("AccuWeather &URL:"), m_upstreamUrl);
    form->addRow(tr("&Cell size:"), m_cellSize);
    form->addRow(tr("Current conditions T&TL:"), m_ttlCurrent);
    form->addRow(tr("&Hourly forecast TTL:"), m_ttlHourly);
    form->addRow(tr("Dai&ly forecast TTL:"), m_ttlDaily);
    form->addRow(keyGroup);
    return page;
}

DesktopSettings SettingsDialog::settings() const
{
    DesktopSettings s = m_settings;
    s.storedProblem.clear(); // the form's values replace the stored ones
    s.databasePath = m_database->text().trimmed();
    s.bindAddress = m_bind->text().trimmed();
    s.port = quint16(m_port->value());
    s.authMode = m_authMode->currentIndex() == 1 ? DesktopSettings::AuthMode::Oidc
                                                 : DesktopSettings::AuthMode::None;
    s.oidcIssuer = QUrl(m_issuer->text().trimmed());
    s.oidcAudience = m_audience->text().trimmed();
    s.startServerOnLaunch = m_startOnLaunch->isChecked();
    s.keepServerInTray = m_keepInTray->isChecked();
    s.accuWeatherUrl = QUrl(m_upstreamUrl->text().trimmed());
    s.cellSizeMetres = m_cellSize->value();
    s.currentTtlSeconds = m_ttlCurrent->value();
    s.hourlyTtlSeconds = m_ttlHourly->value();
    s.dailyTtlSeconds = m_ttlDaily->value();
    return s;
}

void SettingsDialog::accept()
{
    const QString problem = settings().problem();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        QDialog::accept();
}

QString SettingsDialog::keySourceText() const
{
    return m_keySource->text();
}

QString SettingsDialog::keyTestResult() const
{
    return m_keyResult->text();
}

// The keychain calls below wait on a local event loop bounded by Keychain's timeout (a locked
// keyring may prompt for a password); the buttons are disabled meanwhile so they cannot nest.
bool SettingsDialog::storeKey()
{
    QString key = m_key->text().trimmed();
    if (const QString problem = AccuWeatherKeyProvider::keyShapeProblem(key); !problem.isEmpty()) {
        m_keyResult->setText(tr("Not stored: %1").arg(problem));
        return false;
    }
    setKeyBusy(true);
    const Keychain::Result result =
        m_keys.keychain().write(QLatin1String(AccuWeatherKeyProvider::kKeychainKey), key);
    key.fill(u'\0');
    setKeyBusy(false);
    if (!result.ok()) {
        m_keyResult->setText(
            tr("Not stored: %1: %2").arg(Keychain::statusName(result.status), result.error));
        return false;
    }
    m_key->clear();
    m_keyResult->setText(tr("Stored in the keychain."));
    refreshKeySource();
    return true;
}

bool SettingsDialog::removeKey()
{
    setKeyBusy(true);
    const Keychain::Result result =
        m_keys.keychain().remove(QLatin1String(AccuWeatherKeyProvider::kKeychainKey));
    setKeyBusy(false);
    const bool ok = result.ok() || result.status == Keychain::Status::NotFound;
    m_keyResult->setText(
        ok ? tr("No key in the keychain now.")
           : tr("Not removed: %1: %2").arg(Keychain::statusName(result.status), result.error));
    refreshKeySource();
    return ok;
}

QUrl SettingsDialog::testedUpstream() const
{
    // The URL this run's server calls: an ISOBAR_ACCUWEATHER_URL (the sandbox's, say) wins
    // over the field, as it does for the server, and the test must reach the same service.
    QUrl typed(m_upstreamUrl->text().trimmed());
    if (!typed.isValid() || typed.scheme().isEmpty())
        return typed;
    DesktopSettings typedSettings = settings();
    return typedSettings.serverConfig({}).upstream.baseUrl;
}

void SettingsDialog::testKey()
{
    const QUrl upstream = testedUpstream();
    if (!upstream.isValid() || upstream.scheme().isEmpty()) {
        m_keyResult->setText(tr("Test: the AccuWeather URL is not a URL"));
        return;
    }
    QString key = m_key->text().trimmed();
    if (key.isEmpty())
        key = m_keys.resolve().key;
    if (key.isEmpty()) {
        m_keyResult->setText(tr("Test: no key to test; type one or store one first"));
        return;
    }
    AccuWeatherClient::Options options;
    options.baseUrl = upstream;
    options.maxRetries = 0; // one live call, as the button promises
    m_testClient = std::make_unique<AccuWeatherClient>(options, [key] { return key; });
    key.fill(u'\0');
    setKeyBusy(true);
    m_keyResult->setText(tr("Testing…"));
    m_testWatcher.setFuture(AccuWeatherKeyCheck::start(*m_testClient));
}

void SettingsDialog::refreshKeySource()
{
    AccuWeatherKeyProvider::Resolution resolution = m_keys.resolve();
    QString text = AccuWeatherKeyProvider::sourceName(resolution.source);
    if (!resolution.where.isEmpty())
        text = resolution.where;
    if (!resolution.problem.isEmpty())
        text += tr(" — unusable: %1").arg(resolution.problem);
    else if (resolution.source == AccuWeatherKeyProvider::Source::None)
        text = tr("none (weather requests will fail until a key is stored)");
    resolution.key.fill(u'\0');
    m_keySource->setText(text);
    // A key from a file or the environment wins over the keychain: say so next to the field.
    const bool overridden = resolution.source == AccuWeatherKeyProvider::Source::File
                            || resolution.source == AccuWeatherKeyProvider::Source::Environment;
    m_key->setToolTip(overridden ? tr("The key from %1 is used while it is set").arg(text)
                                 : QString());
}

void SettingsDialog::updateAuthFields()
{
    const bool oidc = m_authMode->currentIndex() == 1;
    m_issuer->setEnabled(oidc);
    m_audience->setEnabled(oidc);
}

void SettingsDialog::setKeyBusy(bool busy)
{
    m_storeKey->setEnabled(!busy && !m_key->text().isEmpty());
    m_removeKey->setEnabled(!busy);
    m_testKey->setEnabled(!busy);
    m_buttons->setEnabled(!busy);
}

} // namespace isobar
