#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace torchlab {

// Status-bar strip for the toolchain warm-up (precompiled header build):
// "Preparing LibTorch (first start) … 42 %" with a progress bar and a cancel
// button. Hidden when idle.
class WarmupBar : public QWidget
{
    Q_OBJECT
public:
    explicit WarmupBar(QWidget *parent = nullptr);

    // Shows the strip; a negative percent shows a busy bar (no estimate yet).
    void setProgress(int percent, const QString &message);
    void finish(bool ok, const QString &message); // hides it (briefly shows failures)
    int percent() const;                          // -1 while busy
    QString message() const;

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_label = nullptr;
    QProgressBar *m_bar = nullptr;
    QToolButton *m_cancel = nullptr;
};

} // namespace torchlab
