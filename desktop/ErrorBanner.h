#pragma once

#include <QLabel>

namespace isobar {

// A line across the top of a page that says what is wrong (a store that cannot be read, a
// server that refuses), in the palette's critical colours; hidden while all is well.
class ErrorBanner : public QLabel
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showMessage(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void colour();
};

} // namespace isobar
