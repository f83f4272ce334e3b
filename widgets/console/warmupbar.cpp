#include "widgets/console/warmupbar.h"

#include "widgets/style/statusicons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace torchlab {

namespace {
// How long a failure stays readable before the strip hides itself.
constexpr int FailureVisibleMs = 8000;
} // namespace

WarmupBar::WarmupBar(QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_bar(new QProgressBar(this)),
      m_cancel(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);

    m_label->setTextFormat(Qt::PlainText);
    m_bar->setRange(0, 100);
    m_bar->setTextVisible(true);
    m_bar->setFixedWidth(140);
    m_bar->setMaximumHeight(16);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop preparing LibTorch now; it starts again with the next run."));
    m_cancel->setAutoRaise(true);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);

    connect(m_cancel, &QToolButton::clicked, this, &WarmupBar::cancelRequested);
    hide();
}

void WarmupBar::setProgress(int percent, const QString &message)
{
    // A negative percentage means "no estimate yet": a busy bar.
    if (percent < 0) {
        m_bar->setRange(0, 0);
    } else {
        m_bar->setRange(0, 100);
        m_bar->setValue(qBound(0, percent, 100));
    }
    m_label->setText(message);
    m_label->setStyleSheet(QString());
    m_bar->show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    show();
}

void WarmupBar::finish(bool ok, const QString &message)
{
    m_bar->setRange(0, 100);
    m_bar->setValue(ok ? 100 : m_bar->value());
    m_label->setText(message);
    if (ok || message.isEmpty()) {
        hide();
        return;
    }
    // A failure stays readable for a while; the doctor has the details.
    m_label->setStyleSheet(
        QStringLiteral("color: %1;").arg(statusColor(StatusGlyph::Error, palette()).name()));
    m_bar->hide();
    m_cancel->hide();
    show();
    QTimer::singleShot(FailureVisibleMs, this, [this] {
        if (!m_bar->isVisible())
            hide();
    });
}

int WarmupBar::percent() const
{
    return m_bar->maximum() == 0 ? -1 : m_bar->value();
}

QString WarmupBar::message() const
{
    return m_label->text();
}

} // namespace torchlab
