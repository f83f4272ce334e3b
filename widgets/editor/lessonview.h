#pragma once

#include "core/course/lessonlinks.h"
#include "widgets/editor/lessonfigures.h"

#include <QTextBrowser>

#include <functional>

namespace torchlab {

// The lesson text, rendered from its markdown with Qt's own markdown support
// (QTextDocument::setMarkdown, GitHub dialect). Code blocks use a monospace
// font on a tinted background; right-click inside one offers "Copy code block",
// and selection copies plain text. External links open in the system browser.
//
// Figures: `![caption](figures/name.svg)` (or a PNG/JPEG) shows a regular
// file inside the lesson folder, at most 2 MiB; any other path (absolute, a
// `..` or a link that leaves the folder, a URL, a file that does not read as
// an image, an SVG that names other files) shows nothing. An SVG is drawn at
// the view's device pixel ratio and at the size it is shown; figures wider
// than the view shrink to its width, keeping their aspect ratio, and grow
// with the view's font (presenter mode) up to that width. A click on a figure
// opens it in a window of its own, as large as the screen allows, titled with
// its caption (the markdown's alt text).
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

    // What opens a web link or a lesson file (by default QDesktopServices);
    // only ever called with what LessonLinks accepted.
    using LinkOpener = std::function<void(const QUrl &)>;
    void setLinkOpener(LinkOpener opener);

    // Images come only from the lesson folder (see above); anything refused
    // is a 1x1 transparent pixmap, so Qt's own fallbacks never read the path.
    // Other resources (style sheets, HTML, markdown that raw HTML in a lesson
    // could ask for) are an empty, non-null answer for the same reason.
    QVariant loadResource(int type, const QUrl &name) override;

Q_SIGNALS:
    // A link of the text was not opened; `message` (translated) says why.
    void linkRefused(const QString &message);

public:
    // The figure under a point of the viewport, by the name the text gives
    // it; empty if there is none.
    QString figureAt(const QPoint &viewportPoint) const;
    // Opens a figure of the text in its own window (deleted on close) and
    // returns it; null if the text shows no such figure.
    QWidget *showFigure(const QString &name);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    void styleCodeBlocks();
    void styleText();
    // Takes out the images that cannot be shown (see above).
    void prepareFigures();
    // Draws each figure at the size it is shown now, if that changed.
    void fitFigures();
    // The width the text has, in logical pixels.
    qreal textRoom() const;
    // A figure's size in the view: its own, larger with a larger font, never
    // wider than `availableWidth`.
    QSize figureSize(const QSizeF &natural, qreal availableWidth) const;
    bool m_dark = false;
    void openLink(const QUrl &url);
    QString m_baseDirectory;
    LessonLinks m_links;
    LinkOpener m_opener;
    LessonFigures m_figures;
    QString m_pressedFigure; // the figure a left button went down on
};

} // namespace torchlab
