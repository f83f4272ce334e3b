#include "widgets/editor/lessonview.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QStatusTipEvent>
#include <QStyle>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextList>

#include <cmath>
#include <utility>

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

// A block that holds one image and nothing else: a figure paragraph.
bool isFigureBlock(const QTextBlock &block)
{
    const QString text = block.text();
    return text.size() == 1 && text.at(0) == QChar::ObjectReplacementCharacter &&
           block.begin().fragment().charFormat().isImageFormat();
}

QPixmap transparentPixel()
{
    QPixmap pixel(1, 1);
    pixel.fill(Qt::transparent);
    return pixel;
}

} // namespace

LessonView::LessonView(QWidget *parent) : QTextBrowser(parent)
{
    // Links are handled here (openLink): nothing replaces the lesson inside
    // this view, and QTextBrowser's own loading never sees a link.
    setOpenLinks(false);
    m_opener = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    connect(this, &QTextBrowser::anchorClicked, this, &LessonView::openLink);
    document()->setDocumentMargin(14);
    // A long identifier in a code line breaks anywhere rather than widen the text.
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void LessonView::setLinkOpener(LinkOpener opener)
{
    m_opener = std::move(opener);
}

void LessonView::openLink(const QUrl &url)
{
    const LessonLinks::Decision decision = m_links.link(url);
    switch (decision.kind) {
    case LessonLinks::Kind::Anchor:
        scrollToAnchor(decision.fragment);
        return;
    case LessonLinks::Kind::Web:
        m_opener(decision.url);
        return;
    case LessonLinks::Kind::LessonFile:
        m_opener(QUrl::fromLocalFile(decision.path));
        return;
    case LessonLinks::Kind::Refused:
        break;
    }
    const QString shown = url.toDisplayString().left(120);
    const QString message =
        shown.isEmpty()
            ? tr("This link was not opened: a lesson opens only web pages and its own files.")
            : tr("Not opened: %1. A lesson opens only web pages and its own files.").arg(shown);
    // A main window shows a status tip in its status bar.
    QStatusTipEvent tip(message);
    QCoreApplication::sendEvent(window(), &tip);
    Q_EMIT linkRefused(message);
}

void LessonView::setLessonMarkdown(const QString &markdown, const QString &baseDirectory)
{
    m_baseDirectory = baseDirectory;
    m_links.setFolder(baseDirectory);
    setSearchPaths(baseDirectory.isEmpty() ? QStringList() : QStringList{baseDirectory});
    document()->setBaseUrl(baseDirectory.isEmpty()
                               ? QUrl()
                               : QUrl::fromLocalFile(QDir(baseDirectory).absolutePath() + u'/'));
    m_figures.setFolder(baseDirectory);
    document()->setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);
    prepareFigures();
    styleText();
    styleCodeBlocks();
    fitFigures();
    verticalScrollBar()->setValue(0);
}

QSize LessonView::figureSize(const QSizeF &natural, qreal availableWidth) const
{
    // Presenter mode and zoom make the text larger; the figures grow with it
    // (up to twice their own size), then shrink to the room there is.
    const qreal base = QApplication::font().pointSizeF();
    const qreal own = font().pointSizeF();
    const qreal scale = base > 0 && own > 0 ? qBound(1.0, own / base, 2.0) : 1.0;
    QSizeF size = natural * scale;
    // Never wider than the text, never more than 4096 logical pixels a side.
    const QSizeF bound(qBound(1.0, availableWidth, 4096.0), 4096.0);
    if (size.width() > bound.width() || size.height() > bound.height())
        size = size.scaled(bound, Qt::KeepAspectRatio);
    return QSize(qMax(1, int(std::floor(size.width()))), qMax(1, qRound(size.height())));
}

void LessonView::prepareFigures()
{
    // A figure that cannot be shown leaves the text: an image Qt cannot find
    // becomes a "missing file" icon, and Qt would then try the path itself.
    QList<int> refused;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().isImageFormat())
                continue;
            const QString name = fragment.charFormat().toImageFormat().name();
            if (!LessonFigures::isRelativeName(name) ||
                m_figures.naturalSize(QUrl(name)).isEmpty()) {
                for (int i = 0; i < fragment.length(); ++i)
                    refused.prepend(fragment.position() + i);
            }
        }
    }
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    for (int position : std::as_const(refused)) { // back to front
        cursor.setPosition(position);
        cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    }
    cursor.endEditBlock();
}

qreal LessonView::textRoom() const
{
    // Counted as if the vertical scroll bar were there: otherwise a figure
    // that shrinks could hide the bar, and grow again as the bar goes.
    qreal width = viewport()->width();
    if (!verticalScrollBar()->isVisible())
        width -= style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, verticalScrollBar());
    return width - 2 * document()->documentMargin() - 1;
}

void LessonView::fitFigures()
{
    // The room for a figure: the text's width less the block's own
    // indentation (a figure inside a list item).
    const qreal view = textRoom();
    QHash<QString, qreal> room; // by the name the text uses
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        qreal indent = format.leftMargin() + format.rightMargin() +
                       format.indent() * document()->indentWidth();
        if (const QTextList *list = block.textList())
            indent += list->format().indent() * document()->indentWidth();
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat chars = it.fragment().charFormat();
            if (!chars.isImageFormat())
                continue;
            const QString name = chars.toImageFormat().name();
            room[name] = qMin(room.value(name, view), view - indent);
        }
    }
    const qreal ratio = devicePixelRatioF();
    bool changed = false;
    for (auto it = room.cbegin(); it != room.cend(); ++it) {
        const QUrl name(it.key());
        const QSizeF natural = m_figures.naturalSize(name);
        if (natural.isEmpty())
            continue;
        const QSize size = figureSize(natural, it.value());
        const QPixmap current =
            document()->resource(QTextDocument::ImageResource, name).value<QPixmap>();
        if (current.deviceIndependentSize() == QSizeF(size) && current.devicePixelRatio() == ratio)
            continue;
        const QPixmap pixmap = m_figures.draw(name, size, ratio);
        // Under the name as written and as resolved against the lesson
        // folder: QTextDocument looks a resource up by one or the other.
        document()->addResource(QTextDocument::ImageResource, name, pixmap);
        document()->addResource(QTextDocument::ImageResource, document()->baseUrl().resolved(name),
                                pixmap);
        changed = true;
    }
    if (changed)
        document()->markContentsDirty(0, document()->characterCount());
}

QString LessonView::figureAt(const QPoint &viewportPoint) const
{
    const QPointF point =
        viewportPoint + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int hit = document()->documentLayout()->hitTest(point, Qt::ExactHit);
    if (hit < 0)
        return {};
    // A hit on an image lands before or after it, by the half it is in.
    for (const int position : {hit, hit - 1}) {
        const QTextBlock block = document()->findBlock(position);
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.contains(position) || !fragment.charFormat().isImageFormat())
                continue;
            const QString name = fragment.charFormat().toImageFormat().name();
            const QSizeF size = document()
                                    ->resource(QTextDocument::ImageResource, QUrl(name))
                                    .value<QPixmap>()
                                    .deviceIndependentSize();
            // The image stands on the line's baseline, at the cursor before it.
            QTextCursor cursor(document());
            cursor.setPosition(position);
            const QRect before = cursorRect(cursor);
            const QRectF image(QPointF(before.left(), before.bottom() + 1 - size.height()), size);
            if (image.adjusted(-2, -2, 2, 2).contains(viewportPoint))
                return name;
        }
    }
    return {};
}

QWidget *LessonView::showFigure(const QString &name)
{
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat chars = it.fragment().charFormat();
            if (!chars.isImageFormat() || chars.toImageFormat().name() != name)
                continue;
            const QString caption = chars.stringProperty(QTextFormat::ImageAltText);
            return m_figures.openWindow(
                QUrl(name), caption.isEmpty() ? QFileInfo(name).fileName() : caption, this);
        }
    }
    return nullptr;
}

void LessonView::mousePressEvent(QMouseEvent *event)
{
    m_pressedFigure =
        event->button() == Qt::LeftButton ? figureAt(event->position().toPoint()) : QString();
    QTextBrowser::mousePressEvent(event);
}

void LessonView::mouseMoveEvent(QMouseEvent *event)
{
    QTextBrowser::mouseMoveEvent(event);
    // A figure opens on a click: the pointer says so.
    if (!figureAt(event->position().toPoint()).isEmpty())
        viewport()->setCursor(Qt::PointingHandCursor);
}

void LessonView::mouseReleaseEvent(QMouseEvent *event)
{
    QTextBrowser::mouseReleaseEvent(event);
    const QString pressed = std::exchange(m_pressedFigure, QString());
    if (event->button() == Qt::LeftButton && !pressed.isEmpty() && !textCursor().hasSelection() &&
        figureAt(event->position().toPoint()) == pressed)
        showFigure(pressed);
}

QVariant LessonView::loadResource(int type, const QUrl &name)
{
    // Never a null answer: for that QTextDocument reads the file itself.
    if (type != QTextDocument::ImageResource)
        return QByteArray("");
    const QSizeF natural = m_figures.naturalSize(name);
    if (natural.isEmpty())
        return transparentPixel();
    return m_figures.draw(name, figureSize(natural, textRoom()), devicePixelRatioF());
}

void LessonView::resizeEvent(QResizeEvent *event)
{
    fitFigures();
    QTextBrowser::resizeEvent(event);
}

void LessonView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitFigures();
}

bool LessonView::event(QEvent *event)
{
    // Moved to a screen with another pixel density: draw the figures again.
    if (event->type() == QEvent::ScreenChangeInternal)
        fitFigures();
    return QTextBrowser::event(event);
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
        if (isFigureBlock(block)) {
            // A figure stands centred on its own, with air around it and no
            // proportional line height (that would add a quarter of its height).
            format.setAlignment(Qt::AlignHCenter);
            format.setTopMargin(8);
            format.setBottomMargin(12);
            QTextCursor(block).setBlockFormat(format);
            continue;
        }
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
