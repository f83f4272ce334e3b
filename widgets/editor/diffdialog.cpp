#include "widgets/editor/diffdialog.h"

#include "core/editor/linediff.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPushButton>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextEdit>
#include <QVBoxLayout>

namespace torchlab {

DiffDialog::DiffDialog(const QString &title, const QString &leftLabel, const QString &left,
                       const QString &rightLabel, const QString &right, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    const QList<DiffLine> lines = LineDiff::diff(left, right);
    m_changed = LineDiff::changedLineCount(lines);
    int removed = 0;
    for (const DiffLine &line : lines)
        removed += line.kind == DiffLine::Kind::Removed;
    const int added = m_changed - removed;

    auto *summary = new QLabel(this);
    summary->setWordWrap(true);
    if (m_changed == 0) {
        summary->setText(tr("<b>%1</b> and <b>%2</b> have the same lines.")
                             .arg(leftLabel.toHtmlEscaped(), rightLabel.toHtmlEscaped()));
    } else {
        summary->setText(tr("From <b>%1</b> to <b>%2</b>: %3, %4.")
                             .arg(leftLabel.toHtmlEscaped(), rightLabel.toHtmlEscaped(),
                                  tr("%n line(s) removed", nullptr, removed),
                                  tr("%n line(s) added", nullptr, added)));
    }

    m_view = new QTextEdit(this);
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QTextEdit::NoWrap);
    m_view->setUndoRedoEnabled(false);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_view->document()->setDefaultFont(mono);
    m_view->document()->setDocumentMargin(6);

    // Colours follow the palette's lightness so the dialog fits either theme.
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor removedBack = dark ? QColor("#4b1818") : QColor("#ffebe9");
    const QColor addedBack = dark ? QColor("#1b3a24") : QColor("#dafbe1");
    const QColor hunkBack = dark ? QColor("#1c2b41") : QColor("#ddf4ff");
    const QColor hunkText = dark ? QColor("#a5d6ff") : QColor("#0550ae");
    const QColor removedText = dark ? QColor("#ffa198") : QColor("#82071e");
    const QColor addedText = dark ? QColor("#7ee787") : QColor("#116329");

    m_unified = unifiedDiff(left, right, leftLabel, rightLabel);
    QTextCursor cursor(m_view->document());
    cursor.beginEditBlock();
    bool first = true;
    const QStringList textLines = LineDiff::splitLines(m_unified);
    for (const QString &text : textLines) {
        QTextBlockFormat block;
        QTextCharFormat chars;
        chars.setFont(mono);
        if (text.startsWith(QLatin1String("---")) || text.startsWith(QLatin1String("+++"))) {
            chars.setFontWeight(QFont::Bold);
        } else if (text.startsWith(QLatin1String("@@"))) {
            block.setBackground(hunkBack);
            chars.setForeground(hunkText);
            block.setTopMargin(first ? 0 : 4);
        } else if (text.startsWith(u'-')) {
            block.setBackground(removedBack);
            chars.setForeground(removedText);
        } else if (text.startsWith(u'+')) {
            block.setBackground(addedBack);
            chars.setForeground(addedText);
        }
        if (first) {
            cursor.setBlockFormat(block);
            cursor.setCharFormat(chars);
            first = false;
        } else {
            cursor.insertBlock(block, chars);
        }
        cursor.insertText(text, chars);
    }
    cursor.endEditBlock();
    if (textLines.isEmpty())
        m_view->setPlaceholderText(tr("No differences."));
    m_view->moveCursor(QTextCursor::Start);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy diff"), QDialogButtonBox::ActionRole);
    copy->setEnabled(m_changed > 0);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(diffText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(760, 520);
}

QString DiffDialog::diffText() const
{
    return m_unified;
}

} // namespace torchlab
