#pragma once

#include "core/build/diagnostic.h"

#include "widgets/editor/qsci.h"

#include <QList>
#include <QStringList>

namespace torchlab {

// The exercise editor: QScintilla with the C++ lexer (the CMake lexer for a
// CMakeLists.txt), line numbers, folding,
// brace matching, auto-indent, current-line highlight, zoom (Ctrl+wheel,
// Ctrl+=/-), LibTorch autocompletion, and compiler diagnostics shown inline
// (squiggle indicator on the range, a margin marker on the line, the message
// as an annotation under the line and as a tooltip on hover).
class CodeEditor : public QsciScintilla
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;

    // The file this editor shows, as the lesson names it ("exercise.cpp"); only
    // diagnostics for that file are shown. The name picks the highlighting:
    // CMake for what codeSyntaxFor() calls CMake (CMakeLists.txt, *.cmake), else C++/CUDA.
    void setFileName(const QString &fileName);
    QString fileName() const { return m_fileName; }

    // Replaces the completion list (LibTorch names, plus C++ keywords).
    void setCompletionWords(const QStringList &words);

    // Shows the diagnostics whose learnerFile (or file) is this editor's file, at
    // their learner line; replaces earlier ones. Errors and warnings differ in colour.
    void setDiagnostics(const QList<Diagnostic> &diagnostics);
    void clearDiagnostics();
    int diagnosticCount() const { return m_diagnosticLines.size(); }
    // Lines (1-based) that carry a diagnostic marker, for tests.
    QList<int> diagnosticLines() const { return m_diagnosticLines; }
    // The message shown for a 1-based line (annotation text), empty if none.
    QString diagnosticMessage(int line) const;
    // Whether the marker on a 1-based line is an error (else a warning or none).
    bool diagnosticIsError(int line) const;
    // The tooltip text for a point in viewport coordinates: the diagnostic
    // message of the line under it (margins included), empty elsewhere.
    QString diagnosticToolTipAt(const QPoint &viewportPoint) const;
    // True once the words of the last setCompletionWords() are searchable
    // (QsciAPIs prepares them on a worker thread).
    bool completionWordsReady() const { return m_completionsReady; }

    // Puts the cursor on a 1-based line and column, scrolls to it and focuses.
    void goToLine(int line, int column = 1);

    // Replaces the whole text as one undoable step (Ctrl+Z brings the old text back).
    // Clears the diagnostics: they describe the text being replaced.
    void replaceAllUndoable(const QString &text);

    void setFontPointSize(int points);
    void setDarkTheme(bool dark);

    // What fits in the editor as it is laid out now: whole text lines and
    // columns of the default font, margins and scroll bars left out.
    int visibleLines() const;
    int visibleColumns() const;
    // The width this editor needs to show `columns` columns at its font and
    // zoom, margins and vertical scroll bar included.
    int widthForColumns(int columns) const;

Q_SIGNALS:
    void completionWordsPrepared();

protected:
    bool event(QEvent *event) override; // tooltips for diagnostics

private:
    void applyColours();
    void recolourAnnotations();
    void updateMarginWidths();
    void refreshDiagnosticLines();
    void underline(int line, int column, int level);
    bool appliesToThisFile(const QString &file) const;
    QString annotationText(const Diagnostic &diagnostic) const;
    int lineAtViewportPoint(const QPoint &point) const;
    // An edit touched a line with a diagnostic: it no longer describes the
    // text there, so the line's marker, annotation and underline go.
    void onModified(int position, int type);
    void dropStaleDiagnostics();
    int marginsWidth() const; // line numbers, markers and folding, in pixels
    int columnWidth() const;  // one column of the default style

    QString m_fileName;
    QsciLexerCPP *m_lexer = nullptr;        // C++/CUDA; its keywords feed completion
    QsciLexerCMake *m_cmakeLexer = nullptr; // made when a CMake file is shown
    QsciAPIs *m_apis = nullptr;
    QList<int> m_diagnosticLines;
    QList<Diagnostic> m_diagnostics;
    QList<int> m_staleLines; // 0-based lines edited since their diagnostic was shown
    bool m_dark = false;
    int m_fontSize = 11;
    bool m_completionsReady = false;
    int m_errorIndicator = -1;
    int m_warningIndicator = -1;
    // Fixed style numbers just below STYLE_MAX: QsciStyle(-1) would take
    // numbers from a process-wide counter, one pair per editor ever created.
    QsciStyle m_errorStyle{250};
    QsciStyle m_warningStyle{251};
};

} // namespace torchlab
