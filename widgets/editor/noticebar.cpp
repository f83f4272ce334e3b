#include "widgets/editor/noticebar.h"

#include "widgets/style/statusicons.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>

namespace torchlab {

namespace {

QColor blend(const QColor &over, const QColor &under, qreal amount)
{
    return QColor::fromRgbF(over.redF() * amount + under.redF() * (1 - amount),
                            over.greenF() * amount + under.greenF() * (1 - amount),
                            over.blueF() * amount + under.blueF() * (1 - amount));
}

} // namespace

NoticeBar::NoticeBar(QWidget *parent)
    : QFrame(parent), m_text(new QLabel(this)), m_buttonRow(new QHBoxLayout),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("noticeBar"));
    setAccessibleName(tr("Notice"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    m_icon = new QLabel(this);
    m_icon->setFixedSize(16, 16);

    // Notices quote lesson titles and file names from packs: never markup.
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss"));

    m_buttonRow->setSpacing(6);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 4, 4);
    layout->setSpacing(8);
    layout->addWidget(m_icon, 0, Qt::AlignVCenter);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttonRow);
    layout->addWidget(m_close, 0, Qt::AlignVCenter);

    connect(m_close, &QToolButton::clicked, this, [this] {
        hideNotice();
        Q_EMIT dismissed();
    });
    hide();
}

void NoticeBar::showNotice(const QString &text, const QList<NoticeAction> &actions, Tone tone)
{
    // A caller may show the next notice from an actionTriggered() handler, while
    // the clicked button is still on the stack: delete the old ones later.
    for (QPushButton *button : std::as_const(m_buttons)) {
        m_buttonRow->removeWidget(button);
        button->hide();
        button->deleteLater();
    }
    m_buttons.clear();

    m_tone = tone;
    m_text->setText(text);
    for (const NoticeAction &action : actions) {
        auto *button = new QPushButton(action.label, this);
        const QString id = action.id;
        connect(button, &QPushButton::clicked, this, [this, id] { Q_EMIT actionTriggered(id); });
        m_buttonRow->addWidget(button);
        m_buttons << button;
    }
    updateIcon();
    update();
    show();
}

void NoticeBar::hideNotice()
{
    hide();
}

QString NoticeBar::text() const
{
    return m_text->text();
}

void NoticeBar::updateIcon()
{
    const StatusGlyph glyph = m_tone == Tone::Warning ? StatusGlyph::Warning : StatusGlyph::Info;
    m_icon->setPixmap(statusPixmap(glyph, 16, devicePixelRatioF(), palette()));
}

QColor NoticeBar::accentColor() const
{
    return statusColor(m_tone == Tone::Warning ? StatusGlyph::Warning : StatusGlyph::Info,
                       palette());
}

void NoticeBar::paintEvent(QPaintEvent *)
{
    // A faint wash of the tone's colour over the window colour keeps the text at
    // the palette's own contrast in light and dark themes alike.
    const QColor accent = accentColor();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(blend(accent, palette().color(QPalette::Window), 0.55), 1));
    painter.setBrush(blend(accent, palette().color(QPalette::Window), 0.14));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
}

void NoticeBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        updateIcon();
    QFrame::changeEvent(event);
}

} // namespace torchlab
