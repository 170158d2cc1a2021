#include "MainWindow.h"

#include <QLabel>

namespace isobar {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Isobar"));
    auto *placeholder = new QLabel(tr("Isobar — public-health metrics and API operations"), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    resize(1024, 700);
}

} // namespace isobar
