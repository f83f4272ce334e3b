#include "widgets/editor/codeeditor.h"

#include "core/course/codeskeleton.h"

#include <QAction>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QPainter>
#include <QStyle>
#include <QToolTip>

#include <utility>

namespace torchlab {

namespace {

constexpr int kLineNumberMargin = 0;
constexpr int kSymbolMargin = 1;
constexpr int kFoldMargin = 2;
constexpr int kErrorMarker = 0;
constexpr int kWarningMarker = 1;

enum class Level
{
    Error,
    Warning
};

Level levelOf(const Diagnostic &d)
{
    return d.isError() ? Level::Error : Level::Warning;
}

// Margin icons drawn here rather than loaded, so they scale with the
// margin and need no resource files.
QImage markerImage(Level level, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r(1.5, 1.5, size - 3.0, size - 3.0);
    if (level == Level::Error) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xd7, 0x3a, 0x49));
        p.drawEllipse(r);
        p.setPen(QPen(Qt::white, size / 8.0, Qt::SolidLine, Qt::RoundCap));
        const qreal m = size * 0.34;
        p.drawLine(QPointF(m, m), QPointF(size - m, size - m));
        p.drawLine(QPointF(size - m, m), QPointF(m, size - m));
    } else {
        QPolygonF triangle;
        triangle << QPointF(size / 2.0, r.top()) << r.bottomRight() << r.bottomLeft();
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xe3, 0xa0, 0x08));
        p.drawPolygon(triangle);
        p.setPen(QPen(QColor(0x30, 0x20, 0x00), size / 9.0, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(size / 2.0, size * 0.40), QPointF(size / 2.0, size * 0.66));
        p.drawPoint(QPointF(size / 2.0, size * 0.80));
    }
    return image;
}

struct Palette
{
    QColor paper, text, comment, keyword, string, number, preprocessor, op, margin, marginText,
        caretLine, caret, selection, braceMatch, braceBad, foldBack, errorPaper, errorText,
        warningPaper, warningText, error, warning, guide;
};

// The C++ lexer's colours for the same roles in a CMake file: commands as
// keywords, ${VARIABLES} in the preprocessor's colour.
void colourCMake(QsciLexerCMake *l, const Palette &c, const QFont &font)
{
    l->setDefaultFont(font);
    l->setFont(font, -1);
    l->setDefaultPaper(c.paper);
    l->setPaper(c.paper, -1);
    l->setDefaultColor(c.text);
    l->setColor(c.text, -1);
    using L = QsciLexerCMake;
    QFont italic = font;
    italic.setItalic(true);
    l->setColor(c.comment, L::Comment);
    l->setFont(italic, L::Comment);
    for (int style : {int(L::String), int(L::StringLeftQuote), int(L::StringRightQuote)})
        l->setColor(c.string, style);
    for (int style : {int(L::Function), int(L::BlockWhile), int(L::BlockForeach), int(L::BlockIf),
                      int(L::BlockMacro)})
        l->setColor(c.keyword, style);
    l->setColor(c.preprocessor, L::Variable);
    l->setColor(c.preprocessor, L::StringVariable);
    l->setColor(c.number, L::Number);
}

// Where the learner should look: for an error inside a LibTorch header the
// parser has already found the line of exercise.cpp that instantiated it.
struct Location
{
    QString file;
    int line = 0;
    int column = 0;
};

Location learnerLocation(const Diagnostic &d)
{
    if (d.hasLearnerLocation())
        return {d.learnerFile, d.learnerLine, d.learnerColumn};
    return {d.file, d.line, d.column};
}

} // namespace

CodeEditor::CodeEditor(QWidget *parent) : QsciScintilla(parent)
{
    setUtf8(true);
    m_lexer = new QsciLexerCPP(this);
    m_lexer->setFoldComments(true);
    m_lexer->setFoldCompact(false);
    setLexer(m_lexer);
    m_apis = new QsciAPIs(m_lexer);
    connect(m_apis, &QsciAPIs::apiPreparationFinished, this, [this] {
        m_completionsReady = true;
        Q_EMIT completionWordsPrepared();
    });

    setMarginType(kLineNumberMargin, NumberMargin);
    setMarginType(kSymbolMargin, SymbolMargin);
    setMarginMarkerMask(kSymbolMargin, (1 << kErrorMarker) | (1 << kWarningMarker));
    setMarginMarkerMask(kLineNumberMargin, 0);
    setMarginSensitivity(kSymbolMargin, false);
    setFolding(BoxedTreeFoldStyle, kFoldMargin);

    setBraceMatching(SloppyBraceMatch);
    setAutoIndent(true);
    setIndentationsUseTabs(false);
    setIndentationWidth(4);
    setTabWidth(4);
    setIndentationGuides(true);
    setBackspaceUnindents(true);
    setCaretLineVisible(true);
    setEolMode(EolUnix);
    setWrapMode(WrapNone);
    setScrollWidthTracking(true);
    SendScintilla(SCI_SETSCROLLWIDTH, 1);

    setAutoCompletionSource(AcsAll);
    setAutoCompletionThreshold(3);
    setAutoCompletionCaseSensitivity(true);
    setAutoCompletionReplaceWord(false);
    setAutoCompletionUseSingle(AcusNever);

    // Squiggles for the compiler's column; Scintilla allocates free numbers.
    m_errorIndicator = indicatorDefine(SquiggleIndicator);
    m_warningIndicator = indicatorDefine(SquiggleIndicator);
    setAnnotationDisplay(AnnotationBoxed);

    auto addZoom = [this](const QList<QKeySequence> &keys, auto slot) {
        auto *action = new QAction(this);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
    };
    addZoom({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)},
            [this] { zoomIn(); });
    addZoom({QKeySequence(Qt::CTRL | Qt::Key_Minus)}, [this] { zoomOut(); });
    addZoom({QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] { zoomTo(0); });
    connect(this, &QsciScintillaBase::SCN_ZOOM, this, &CodeEditor::updateMarginWidths);
    connect(this, &QsciScintilla::linesChanged, this, &CodeEditor::updateMarginWidths);
    // Markers and annotations travel with their lines while the learner
    // edits; keep the list the tests and the tooltips read in step.
    connect(this, &QsciScintilla::linesChanged, this, &CodeEditor::refreshDiagnosticLines);
    connect(this, &QsciScintillaBase::SCN_MODIFIED, this,
            [this](int position, int type, const char *, int, int, int, int, int, int, int) {
                onModified(position, type);
            });

    applyColours();
}

CodeEditor::~CodeEditor() = default;

void CodeEditor::setFileName(const QString &fileName)
{
    m_fileName = fileName;
    // A CMakeLists.txt in the C++ lexer would show its # comments as
    // preprocessor lines.
    const bool cmake = codeSyntaxFor(fileName) == CodeSyntax::CMake;
    if (cmake && !m_cmakeLexer)
        m_cmakeLexer = new QsciLexerCMake(this);
    QsciLexer *wanted = cmake ? static_cast<QsciLexer *>(m_cmakeLexer) : m_lexer;
    if (lexer() != wanted) {
        setLexer(wanted);
        applyColours(); // setLexer() restyles the whole editor
    }
}

void CodeEditor::setCompletionWords(const QStringList &words)
{
    // A preparation still running would ignore the new list.
    m_apis->cancelPreparation();
    m_completionsReady = false;
    m_apis->clear();
    for (const QString &word : words)
        m_apis->add(word);
    // The lexer's own C++ keywords, so "cons" offers "const" and "constexpr"
    // even before the document contains them.
    const QStringList keywords =
        QString::fromLatin1(m_lexer->keywords(1)).split(u' ', Qt::SkipEmptyParts);
    for (const QString &keyword : keywords)
        m_apis->add(keyword);
    m_apis->prepare();
}

bool CodeEditor::appliesToThisFile(const QString &file) const
{
    if (file.isEmpty() || m_fileName.isEmpty())
        return false;
    return QFileInfo(file).fileName() == QFileInfo(m_fileName).fileName();
}

QString CodeEditor::annotationText(const Diagnostic &d) const
{
    QString prefix;
    switch (d.severity) {
    case Diagnostic::Severity::Error:
    case Diagnostic::Severity::Fatal:
        prefix = tr("error");
        break;
    case Diagnostic::Severity::Warning:
        prefix = tr("warning");
        break;
    case Diagnostic::Severity::Note:
        prefix = tr("note");
        break;
    }
    QString text = tr("%1: %2").arg(prefix, d.message);
    // An error reported inside a LibTorch header lands on the learner's
    // line; saying where the compiler actually stopped keeps that honest.
    if (d.hasLearnerLocation() && !d.file.isEmpty() && !appliesToThisFile(d.file)) {
        text += u'\n' + tr("    (reported in %1:%2, instantiated from here)")
                            .arg(QFileInfo(d.file).fileName())
                            .arg(d.line);
    }
    return text;
}

void CodeEditor::setDiagnostics(const QList<Diagnostic> &diagnostics)
{
    clearDiagnostics();
    const int lineCount = lines();

    // Several messages can share a line; the annotation lists them in order,
    // and the line is an error if any of them is.
    QMap<int, QStringList> messages;
    QMap<int, bool> lineIsError;
    for (const Diagnostic &d : diagnostics) {
        const Location at = learnerLocation(d);
        if (!appliesToThisFile(at.file) || at.line <= 0)
            continue;
        m_diagnostics.append(d);
        const int line = std::min(at.line, std::max(1, lineCount)) - 1;
        messages[line].append(annotationText(d));
        lineIsError[line] = lineIsError.value(line) || levelOf(d) == Level::Error;
        underline(line, at.column, int(levelOf(d)));
    }

    for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
        const bool error = lineIsError.value(it.key());
        markerAdd(it.key(), error ? kErrorMarker : kWarningMarker);
        annotate(it.key(), it.value().join(u'\n'), error ? m_errorStyle : m_warningStyle);
    }
    refreshDiagnosticLines();
}

void CodeEditor::underline(int line, int column, int level)
{
    const QString text = this->text(line);
    int length = int(text.size());
    while (length > 0 && (text.at(length - 1) == u'\n' || text.at(length - 1) == u'\r'))
        --length;
    int from = 0;
    int to = length;
    if (column >= 1 && column <= length) {
        // Compilers name a column, not a range: underline the word there (or
        // the single character when it is punctuation, like a missing ';').
        from = column - 1;
        const long pos = positionFromLineIndex(line, from);
        const long end = SendScintilla(SCI_WORDENDPOSITION, pos, true);
        int endLine = 0;
        int endIndex = 0;
        lineIndexFromPosition(int(end), &endLine, &endIndex);
        to = (end > pos && endLine == line) ? endIndex : from + 1;
    } else {
        // No usable column: the whole line, without its indentation.
        while (from < length && text.at(from).isSpace())
            ++from;
        if (from == length)
            from = 0;
        if (to == from)
            to = from + 1; // an empty line still gets a visible mark
    }
    fillIndicatorRange(line, from, line, to,
                       level == int(Level::Error) ? m_errorIndicator : m_warningIndicator);
}

void CodeEditor::clearDiagnostics()
{
    markerDeleteAll(kErrorMarker);
    markerDeleteAll(kWarningMarker);
    clearAnnotations();
    const int last = std::max(0, lines() - 1);
    clearIndicatorRange(0, 0, last, lineLength(last), m_errorIndicator);
    clearIndicatorRange(0, 0, last, lineLength(last), m_warningIndicator);
    m_diagnostics.clear();
    m_diagnosticLines.clear();
}

void CodeEditor::onModified(int position, int type)
{
    if (!(type & (SC_MOD_INSERTTEXT | SC_MOD_DELETETEXT)) || m_diagnosticLines.isEmpty())
        return;
    // Scintilla forbids changing the document from inside its notification;
    // markers and annotations are dropped right after it.
    const int line = int(SendScintilla(SCI_LINEFROMPOSITION, position));
    const unsigned mask = (1u << kErrorMarker) | (1u << kWarningMarker);
    if (!(unsigned(markersAtLine(line)) & mask))
        return;
    if (m_staleLines.isEmpty())
        QMetaObject::invokeMethod(this, &CodeEditor::dropStaleDiagnostics, Qt::QueuedConnection);
    if (!m_staleLines.contains(line))
        m_staleLines.append(line);
}

void CodeEditor::dropStaleDiagnostics()
{
    const QList<int> stale = std::exchange(m_staleLines, {});
    for (int line : stale) {
        if (line < 0 || line >= lines())
            continue;
        markerDelete(line, kErrorMarker);
        markerDelete(line, kWarningMarker);
        clearAnnotations(line);
        const int length = lineLength(line);
        clearIndicatorRange(line, 0, line, std::max(0, length), m_errorIndicator);
        clearIndicatorRange(line, 0, line, std::max(0, length), m_warningIndicator);
    }
    refreshDiagnosticLines();
}

int CodeEditor::visibleLines() const
{
    return int(const_cast<CodeEditor *>(this)->SendScintilla(SCI_LINESONSCREEN));
}

int CodeEditor::marginsWidth() const
{
    auto *self = const_cast<CodeEditor *>(this);
    int margins = 0;
    for (int margin = 0; margin < 5; ++margin)
        margins += int(self->SendScintilla(SCI_GETMARGINWIDTHN, margin));
    return margins + int(self->SendScintilla(SCI_GETMARGINLEFT)) +
           int(self->SendScintilla(SCI_GETMARGINRIGHT));
}

int CodeEditor::columnWidth() const
{
    return int(const_cast<CodeEditor *>(this)->SendScintilla(SCI_TEXTWIDTH, STYLE_DEFAULT, "M"));
}

int CodeEditor::visibleColumns() const
{
    const int column = columnWidth();
    return column > 0 ? (viewport()->width() - marginsWidth()) / column : 0;
}

int CodeEditor::widthForColumns(int columns) const
{
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
    return marginsWidth() + columnWidth() * columns + scrollBar + 2 * frameWidth() + 2;
}

void CodeEditor::refreshDiagnosticLines()
{
    QList<int> found;
    const unsigned mask = (1u << kErrorMarker) | (1u << kWarningMarker);
    for (int line = markerFindNext(0, mask); line >= 0; line = markerFindNext(line + 1, mask))
        found.append(line + 1);
    m_diagnosticLines = found;
}

QString CodeEditor::diagnosticMessage(int line) const
{
    if (line < 1 || line > lines())
        return {};
    return annotation(line - 1);
}

bool CodeEditor::diagnosticIsError(int line) const
{
    if (line < 1 || line > lines())
        return false;
    return (const_cast<CodeEditor *>(this)->markersAtLine(line - 1) & (1u << kErrorMarker)) != 0;
}

int CodeEditor::lineAtViewportPoint(const QPoint &point) const
{
    // SCI_POSITIONFROMPOINT (not ..._CLOSE) also answers over the margins and
    // past the end of a line, where a learner points at a marker or annotation.
    const long pos =
        const_cast<CodeEditor *>(this)->SendScintilla(SCI_POSITIONFROMPOINT, point.x(), point.y());
    if (pos < 0)
        return 0;
    const int line = int(const_cast<CodeEditor *>(this)->SendScintilla(SCI_LINEFROMPOSITION, pos));
    // Below the last line the nearest position is on it; do not claim that.
    const int top = int(const_cast<CodeEditor *>(this)->SendScintilla(
        SCI_POINTYFROMPOSITION, 0, positionFromLineIndex(line, 0)));
    const int height = int(const_cast<CodeEditor *>(this)->SendScintilla(SCI_TEXTHEIGHT, line));
    if (point.y() < top || point.y() >= top + height)
        return 0;
    return line + 1;
}

QString CodeEditor::diagnosticToolTipAt(const QPoint &viewportPoint) const
{
    const int line = lineAtViewportPoint(viewportPoint);
    return line > 0 ? diagnosticMessage(line) : QString();
}

bool CodeEditor::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        // The viewport ignores tooltip events, so they reach this widget
        // with the position in its own coordinates.
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = diagnosticToolTipAt(viewport()->mapFrom(this, help->pos()));
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QsciScintilla::event(event);
}

void CodeEditor::goToLine(int line, int column)
{
    const int l = std::clamp(line, 1, std::max(1, lines())) - 1;
    // text(l) ends with the line's newline; a column past the end stays on the line.
    QString lineText = text(l);
    while (lineText.endsWith(QLatin1Char('\n')) || lineText.endsWith(QLatin1Char('\r')))
        lineText.chop(1);
    const int c = std::clamp(column, 1, int(lineText.size()) + 1) - 1;
    ensureLineVisible(l); // also unfolds it
    setCursorPosition(l, c);
    SendScintilla(SCI_SCROLLCARET);
    setFocus(Qt::OtherFocusReason);
}

void CodeEditor::replaceAllUndoable(const QString &text)
{
    int line = 0;
    int index = 0;
    getCursorPosition(&line, &index);
    clearDiagnostics(); // they describe the text being replaced
    beginUndoAction();
    selectAll(true);
    replaceSelectedText(text);
    endUndoAction();
    setCursorPosition(std::min(line, lines() - 1), 0);
}

void CodeEditor::setFontPointSize(int points)
{
    m_fontSize = std::max(6, points);
    applyColours();
}

void CodeEditor::setDarkTheme(bool dark)
{
    m_dark = dark;
    applyColours();
}

void CodeEditor::updateMarginWidths()
{
    // Wide enough for the line count plus one digit, at the current zoom.
    const QByteArray sample = "_" + QByteArray::number(std::max(99, lines() * 10));
    const long width = SendScintilla(SCI_TEXTWIDTH, STYLE_LINENUMBER, sample.constData());
    setMarginWidth(kLineNumberMargin, int(width) + 6);
    const int textHeight = int(SendScintilla(SCI_TEXTHEIGHT, 0));
    setMarginWidth(kSymbolMargin, std::max(16, textHeight));
}

void CodeEditor::applyColours()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSize(m_fontSize);

    // Colours in the spirit of GitHub's light and dark themes: quiet enough
    // for a day of reading, with diagnostics that stand out from the code.
    const Palette light{QColor("#ffffff"), QColor("#1f2328"), QColor("#6e7781"), QColor("#cf222e"),
                        QColor("#0a3069"), QColor("#0550ae"), QColor("#8250df"), QColor("#1f2328"),
                        QColor("#f6f8fa"), QColor("#8c959f"), QColor("#f3f6fb"), QColor("#1f2328"),
                        QColor("#b6d7ff"), QColor("#ffe7a3"), QColor("#ffd0d0"), QColor("#f6f8fa"),
                        QColor("#ffebe9"), QColor("#82071e"), QColor("#fff8c5"), QColor("#6f4b00"),
                        QColor("#d1242f"), QColor("#bf8700"), QColor("#d8dee4")};
    const Palette dark{QColor("#0d1117"), QColor("#e6edf3"), QColor("#8b949e"), QColor("#ff7b72"),
                       QColor("#a5d6ff"), QColor("#79c0ff"), QColor("#d2a8ff"), QColor("#e6edf3"),
                       QColor("#161b22"), QColor("#6e7681"), QColor("#161b22"), QColor("#e6edf3"),
                       QColor("#264f78"), QColor("#3b4a2a"), QColor("#5a1e1e"), QColor("#161b22"),
                       QColor("#3a1d1f"), QColor("#ffa198"), QColor("#3a2e12"), QColor("#e3b341"),
                       QColor("#f85149"), QColor("#d29922"), QColor("#30363d")};
    const Palette &c = m_dark ? dark : light;

    m_lexer->setDefaultFont(font);
    m_lexer->setFont(font, -1);
    m_lexer->setDefaultPaper(c.paper);
    m_lexer->setPaper(c.paper, -1);
    m_lexer->setDefaultColor(c.text);
    m_lexer->setColor(c.text, -1);
    using L = QsciLexerCPP;
    for (int style :
         {int(L::Comment), int(L::CommentLine), int(L::CommentDoc), int(L::CommentLineDoc),
          int(L::CommentDocKeyword), int(L::CommentDocKeywordError)})
        m_lexer->setColor(c.comment, style);
    QFont italic = font;
    italic.setItalic(true);
    m_lexer->setFont(italic, L::Comment);
    m_lexer->setFont(italic, L::CommentLine);
    m_lexer->setFont(italic, L::CommentDoc);
    m_lexer->setFont(italic, L::CommentLineDoc);
    m_lexer->setColor(c.keyword, L::Keyword);
    m_lexer->setColor(c.preprocessor, L::KeywordSet2);
    m_lexer->setColor(c.string, L::DoubleQuotedString);
    m_lexer->setColor(c.string, L::SingleQuotedString);
    m_lexer->setColor(c.string, L::RawString);
    m_lexer->setColor(c.string, L::VerbatimString);
    m_lexer->setColor(c.string, L::UnclosedString);
    m_lexer->setColor(c.number, L::Number);
    m_lexer->setColor(c.preprocessor, L::PreProcessor);
    m_lexer->setColor(c.op, L::Operator);
    m_lexer->setColor(c.text, L::Identifier);
    m_lexer->setColor(c.number, L::GlobalClass);
    if (m_cmakeLexer)
        colourCMake(m_cmakeLexer, c, font);

    setMarginsFont(font);
    setMarginsBackgroundColor(c.margin);
    setMarginsForegroundColor(c.marginText);
    setFoldMarginColors(c.foldBack, c.foldBack);
    setMarkerBackgroundColor(c.marginText, -1);
    setMarkerForegroundColor(c.margin, -1);
    setCaretLineBackgroundColor(c.caretLine);
    setCaretForegroundColor(c.caret);
    setCaretWidth(2);
    setSelectionBackgroundColor(c.selection);
    setSelectionForegroundColor(c.text);
    setMatchedBraceBackgroundColor(c.braceMatch);
    setMatchedBraceForegroundColor(c.text);
    setUnmatchedBraceBackgroundColor(c.braceBad);
    setUnmatchedBraceForegroundColor(c.text);
    setIndentationGuidesForegroundColor(c.guide);
    setIndentationGuidesBackgroundColor(c.paper);
    setIndicatorForegroundColor(c.error, m_errorIndicator);
    setIndicatorForegroundColor(c.warning, m_warningIndicator);

    // Annotation styles: a smaller proportional font in a tinted box, so the
    // message reads as commentary, not code.
    QFont note = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    note.setPointSizeF(std::max(6.0, m_fontSize * 0.92));
    m_errorStyle = QsciStyle(m_errorStyle.style(), QStringLiteral("diagnostic error"), c.errorText,
                             c.errorPaper, note);
    m_warningStyle = QsciStyle(m_warningStyle.style(), QStringLiteral("diagnostic warning"),
                               c.warningText, c.warningPaper, note);
    m_errorStyle.apply(this);
    m_warningStyle.apply(this);

    const int markerSize = std::max(12, int(QFontMetrics(font).height() * 0.9));
    markerDefine(markerImage(Level::Error, markerSize), kErrorMarker);
    markerDefine(markerImage(Level::Warning, markerSize), kWarningMarker);

    // Re-annotate with the new styles (annotations keep their style number,
    // but the text must be re-set for Scintilla to relayout).
    recolourAnnotations();
    updateMarginWidths();
}

void CodeEditor::recolourAnnotations()
{
    for (int line : std::as_const(m_diagnosticLines)) {
        const QString text = annotation(line - 1);
        if (!text.isEmpty())
            annotate(line - 1, text, diagnosticIsError(line) ? m_errorStyle : m_warningStyle);
    }
}

} // namespace torchlab
