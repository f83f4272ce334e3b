#include "widgets/editor/lessonview.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QMenu>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>

namespace torchlab {

namespace {

// Qt's markdown importer marks every block of a fenced code block with
// BlockCodeFence (and BlockCodeLanguage when the fence names one).
bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    return format.hasProperty(QTextFormat::BlockCodeFence) ||
           format.hasProperty(QTextFormat::BlockCodeLanguage);
}

// Consecutive code blocks in the same frame form one fenced block.
bool sameCode(const QTextBlock &a, const QTextBlock &b)
{
    return a.isValid() && b.isValid() && isCodeBlock(a) && isCodeBlock(b) &&
           QTextCursor(a).currentFrame() == QTextCursor(b).currentFrame();
}

QString blockText(const QTextBlock &block)
{
    QString text = block.text();
    text.replace(QChar::LineSeparator, u'\n');
    text.replace(QChar::ParagraphSeparator, u'\n');
    return text;
}

QString joinedCode(QTextBlock first)
{
    QStringList lines;
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        lines << blockText(block);
        if (!sameCode(block, block.next()))
            break;
    }
    return lines.join(u'\n');
}

} // namespace

LessonView::LessonView(QWidget *parent) : QTextBrowser(parent)
{
    // Links are handled here: web links open in the browser, anchors scroll,
    // and nothing replaces the lesson inside this view.
    setOpenLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme().isEmpty() && url.path().isEmpty() && url.hasFragment()) {
            scrollToAnchor(url.fragment());
            return;
        }
        if (url.isRelative() && !m_baseDirectory.isEmpty()) {
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(QDir(m_baseDirectory).absoluteFilePath(url.path())));
            return;
        }
        QDesktopServices::openUrl(url);
    });
    document()->setDocumentMargin(14);
    // A long identifier in a code line breaks anywhere rather than widen the text.
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void LessonView::setLessonMarkdown(const QString &markdown, const QString &baseDirectory)
{
    m_baseDirectory = baseDirectory;
    setSearchPaths(baseDirectory.isEmpty() ? QStringList() : QStringList{baseDirectory});
    document()->setBaseUrl(baseDirectory.isEmpty()
                               ? QUrl()
                               : QUrl::fromLocalFile(QDir(baseDirectory).absolutePath() + u'/'));
    document()->setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);
    styleText();
    styleCodeBlocks();
    verticalScrollBar()->setValue(0);
}

QStringList LessonView::codeBlocks() const
{
    QStringList blocks;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        if (!isCodeBlock(block))
            continue;
        blocks << joinedCode(block);
        while (sameCode(block, block.next()))
            block = block.next();
    }
    return blocks;
}

QString LessonView::codeBlockAt(int position) const
{
    QTextBlock block = document()->findBlock(position);
    if (!block.isValid() || !isCodeBlock(block))
        return {};
    while (sameCode(block.previous(), block))
        block = block.previous();
    return joinedCode(block);
}

bool LessonView::copyCodeBlockAt(int position)
{
    const QString code = codeBlockAt(position);
    if (code.isEmpty())
        return false;
    QApplication::clipboard()->setText(code + u'\n');
    return true;
}

void LessonView::setDarkTheme(bool dark)
{
    if (m_dark == dark)
        return;
    m_dark = dark;
    styleText();
    styleCodeBlocks();
}

void LessonView::styleText()
{
    const QColor inlineCode = m_dark ? QColor("#2d333b") : QColor("#eff1f3");
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (isCodeBlock(block) || format.lineHeightType() == QTextBlockFormat::FixedHeight)
            continue;
        // Air above headings and between lines: the importer's defaults set
        // a heading almost on the paragraph before it, and CJK text needs
        // more line spacing than Latin to stay readable.
        if (format.headingLevel() > 0) {
            format.setTopMargin(format.headingLevel() <= 2 ? 18 : 12);
            format.setBottomMargin(6);
        } else {
            format.setLineHeight(125, QTextBlockFormat::ProportionalHeight);
        }
        QTextCursor blockCursor(block);
        blockCursor.setBlockFormat(format);

        // Inline `code` gets a light tint, like the fenced blocks.
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat chars = fragment.charFormat();
            if (!chars.fontFixedPitch() && !chars.font().fixedPitch())
                continue;
            QTextCursor span(document());
            span.setPosition(fragment.position());
            span.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            QTextCharFormat tint;
            tint.setBackground(inlineCode);
            span.mergeCharFormat(tint);
        }
    }
    cursor.endEditBlock();
}

void LessonView::styleCodeBlocks()
{
    const QColor background = m_dark ? QColor("#161b22") : QColor("#f6f8fa");
    const QColor border = m_dark ? QColor("#30363d") : QColor("#d0d7de");
    // The family only: code follows the view's size (zoom, presenter mode).
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    // Each run of code blocks goes into a frame of its own: QTextBlockFormat
    // has no padding, a frame has padding, a border and a background.
    QList<QPair<int, int>> runs; // first and last block numbers
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        if (!isCodeBlock(block))
            continue;
        const int first = block.blockNumber();
        while (sameCode(block, block.next()))
            block = block.next();
        runs.append({first, block.blockNumber()});
    }

    QTextFrameFormat frameFormat;
    frameFormat.setBackground(background);
    frameFormat.setBorder(1);
    frameFormat.setBorderBrush(border);
    frameFormat.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
    frameFormat.setPadding(8);
    frameFormat.setTopMargin(4);
    frameFormat.setBottomMargin(10);
    frameFormat.setWidth(QTextLength(QTextLength::PercentageLength, 100));

    QTextCursor cursor(document());
    cursor.beginEditBlock();
    // Back to front, so inserting a frame does not shift the runs still to do.
    for (auto it = runs.crbegin(); it != runs.crend(); ++it) {
        const QTextBlock first = document()->findBlockByNumber(it->first);
        const QTextBlock last = document()->findBlockByNumber(it->second);
        QTextBlockFormat codeFormat = first.blockFormat();
        codeFormat.setTopMargin(0);
        codeFormat.setBottomMargin(0);
        codeFormat.setRightMargin(0);
        // A wrapped line continues indented (a hanging indent), so it does
        // not read as a line of its own.
        const qreal hang = QFontMetricsF(font()).horizontalAdvance(QStringLiteral("    "));
        codeFormat.setLeftMargin(hang);
        codeFormat.setTextIndent(-hang);
        // Long lines wrap inside the frame instead of running out of the view
        // (the importer makes code blocks non-breaking).
        codeFormat.setNonBreakableLines(false);

        cursor.setPosition(first.position());
        QTextFrame *frame = cursor.currentFrame();
        if (frame != document()->rootFrame() &&
            frame->frameFormat().boolProperty(QTextFormat::UserProperty)) {
            // Restyling (theme change): the frame is already there.
            QTextFrameFormat current = frame->frameFormat();
            current.setBackground(background);
            current.setBorderBrush(border);
            frame->setFrameFormat(current);
            continue;
        }
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
        QTextFrameFormat marked = frameFormat;
        marked.setProperty(QTextFormat::UserProperty, true);
        frame = cursor.insertFrame(marked);

        // Moving text into a frame leaves an empty block (still formatted as
        // code) in front of the frame, drops the first moved block's format
        // and needs a block after the frame. Put the code format back and
        // make the two empty blocks take no room.
        for (QTextFrame::iterator fit = frame->begin(); !fit.atEnd(); ++fit) {
            const QTextBlock block = fit.currentBlock();
            if (!block.isValid())
                continue;
            QTextCursor blockCursor(block);
            blockCursor.setBlockFormat(codeFormat);
            // The importer gives code the fixed font at a fixed size; keep the
            // family and drop the size, so zoom and presenter mode reach code.
            for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment) {
                const QTextFragment piece = fragment.fragment();
                QTextCharFormat chars = piece.charFormat();
                chars.clearProperty(QTextFormat::FontPointSize);
                chars.clearProperty(QTextFormat::FontPixelSize);
                chars.clearProperty(QTextFormat::FontSizeAdjustment);
                chars.setFontFamilies(QStringList{mono.family()});
                chars.setFontFixedPitch(true);
                QTextCursor span(document());
                span.setPosition(piece.position());
                span.setPosition(piece.position() + piece.length(), QTextCursor::KeepAnchor);
                span.setCharFormat(chars);
            }
        }
        auto squash = [](const QTextBlock &block) {
            if (!block.isValid() || !block.text().isEmpty())
                return;
            QTextBlockFormat none;
            none.setLineHeight(0, QTextBlockFormat::FixedHeight);
            QTextCursor c(block);
            c.setBlockFormat(none);
            QTextCharFormat tiny;
            tiny.setFontPointSize(1);
            c.setBlockCharFormat(tiny);
        };
        squash(frame->firstCursorPosition().block().previous());
        squash(frame->lastCursorPosition().block().next());
    }
    cursor.endEditBlock();
}

void LessonView::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createStandardContextMenu(event->pos()));
    const int position = cursorForPosition(event->pos()).position();
    if (!codeBlockAt(position).isEmpty()) {
        QAction *copy = new QAction(tr("Copy code block"), menu.get());
        connect(copy, &QAction::triggered, this, [this, position] { copyCodeBlockAt(position); });
        QAction *firstAction = menu->actions().value(0);
        menu->insertAction(firstAction, copy);
        if (firstAction)
            menu->insertSeparator(firstAction);
    }
    menu->exec(event->globalPos());
}

} // namespace torchlab
