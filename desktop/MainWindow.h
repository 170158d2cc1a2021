#pragma once

#include <QMainWindow>

namespace isobar {

// The desktop's main window: the analyst and ops pages arrive with the desktop work.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace isobar
