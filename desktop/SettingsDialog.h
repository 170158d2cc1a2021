#pragma once

#include "DesktopSettings.h"
#include "credentials/AccuWeatherKeyProvider.h"
#include "weather/AccuWeatherClient.h"

#include <QDialog>
#include <QFutureWatcher>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace isobar {

// Preferences: database, embedded server, weather upstream and cache, and the AccuWeather key.
// The key is typed into a masked field and goes straight to the OS keychain through the
// credentials provider; the dialog shows where the key currently comes from, never the key.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const DesktopSettings &settings, Keychain keychain = Keychain(),
                            QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The form's values (valid once accepted).
    DesktopSettings settings() const;

    // Where the key comes from now: "keychain (...)", "ISOBAR_ACCUWEATHER_API_KEY", "none".
    QString keySourceText() const;
    QString keyTestResult() const;

public Q_SLOTS:
    // Stores the typed key in the keychain (the field is cleared afterwards).
    bool storeKey();
    bool removeKey();
    // One live upstream call with the typed key, or the stored one when the field is empty.
    void testKey();
    void accept() override;

Q_SIGNALS:
    void keyTested(bool accepted);

private:
    // The AccuWeather URL a key test calls: the one this run's server would use.
    QUrl testedUpstream() const;
    QWidget *createGeneralPage();
    QWidget *createServerPage();
    QWidget *createWeatherPage();
    void refreshKeySource();
    void updateAuthFields();
    void setKeyBusy(bool busy);

    DesktopSettings m_settings;
    AccuWeatherKeyProvider m_keys;

    QLineEdit *m_database = nullptr;
    QLineEdit *m_bind = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_authMode = nullptr;
    QLineEdit *m_issuer = nullptr;
    QLineEdit *m_audience = nullptr;
    QCheckBox *m_startOnLaunch = nullptr;
    QCheckBox *m_keepInTray = nullptr;
    QLineEdit *m_upstreamUrl = nullptr;
    QSpinBox *m_cellSize = nullptr;
    QSpinBox *m_ttlCurrent = nullptr;
    QSpinBox *m_ttlHourly = nullptr;
    QSpinBox *m_ttlDaily = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keySource = nullptr;
    QLabel *m_keyResult = nullptr;
    QPushButton *m_storeKey = nullptr;
    QPushButton *m_removeKey = nullptr;
    QPushButton *m_testKey = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    std::unique_ptr<AccuWeatherClient> m_testClient;
    QFutureWatcher<UpstreamResult> m_testWatcher;
};

} // namespace isobar
