#pragma once

#include <QColor>
#include <QFrame>
#include <QList>
#include <QString>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace torchlab {

// One button of a notice: `id` is what actionTriggered() says, `label` what
// the learner reads.
struct NoticeAction
{
    QString id;
    QString label;
};

// A slim bar above the editor with one sentence and a few buttons, for news
// the learner must be able to act on without a modal dialog ("This lesson's
// starter changed in a course update. [Compare] [Use the new starter] [Keep
// mine]"). Hidden until showNotice(); a close button (×) hides it and emits
// dismissed(). Colours follow the palette (info or warning tone).
class NoticeBar : public QFrame
{
    Q_OBJECT
public:
    enum class Tone
    {
        Info,
        Warning
    };

    explicit NoticeBar(QWidget *parent = nullptr);

    // Shows `text` with one button per action, in order; clicking one emits
    // actionTriggered(its id) (the bar stays until the caller hides it).
    void showNotice(const QString &text, const QList<NoticeAction> &actions,
                    Tone tone = Tone::Info);
    void hideNotice();
    QString text() const;
    QList<QPushButton *> actionButtons() const { return m_buttons; }
    QToolButton *closeButton() const { return m_close; }

Q_SIGNALS:
    void actionTriggered(const QString &id);
    void dismissed();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Private members are the implementation's choice.
    void updateIcon();
    QColor accentColor() const;

    Tone m_tone = Tone::Info;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_buttonRow = nullptr;
    QList<QPushButton *> m_buttons;
    QToolButton *m_close = nullptr;
};

} // namespace torchlab
