#pragma once

#include <QTextBrowser>

namespace torchlab {

// The lesson text, rendered from its markdown with Qt's own markdown support
// (QTextDocument::setMarkdown, GitHub dialect). Code blocks use a monospace
// font on a tinted background; right-click inside one offers "Copy code block",
// and selection copies plain text. Relative images resolve against the
// lesson folder; external links open in the system browser.
class LessonView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit LessonView(QWidget *parent = nullptr);

    // `baseDirectory` is the lesson folder (for images and relative links).
    void setLessonMarkdown(const QString &markdown, const QString &baseDirectory);
    // The text of the code block at a document position, empty if not in one.
    QString codeBlockAt(int position) const;
    // Every code block's text, in order (for tests).
    QStringList codeBlocks() const;
    // Copies the code block at a document position to the clipboard (with a
    // final newline); false if the position is not in a code block.
    bool copyCodeBlockAt(int position);
    void setDarkTheme(bool dark);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void styleCodeBlocks();
    void styleText();
    bool m_dark = false;
    QString m_baseDirectory;
};

} // namespace torchlab
