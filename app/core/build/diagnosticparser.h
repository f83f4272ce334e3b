#pragma once

#include "core/build/diagnostic.h"
#include "core/build/diagnosticsummary.h" // summarize(), learnerHint(): users of the parser want both
#include "core/build/pathmap.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace torchlab {

// Turns what g++, clang++, nvcc, ld.bfd and ld.lld print into Diagnostic values.
//
// Feed it whatever the tools printed, line by line (addLine) or in one piece
// (addOutput), then takeDiagnostics(). It never fails: unknown lines (source echo,
// carets, "N errors generated.", garbage) are skipped; ANSI colour codes and CRLF
// are removed; lines over 64 KiB are cut; output cut off mid-way gives what was
// complete. Not thread-safe; one parser per tool run.
//
// What it makes of the formats:
// - "file:line:col: error|warning|fatal error|note: msg [-Wopt]" (gcc, clang, and the
//   host compiler's output passed through nvcc). Notes attach to the error or warning
//   before them. Columns are the compiler's own: clang counts bytes, g++ >= 11 counts
//   display columns (a tab = up to 8) unless run with -fdiagnostics-column-unit=byte.
// - gcc's context lines printed *before* a diagnostic ("file: In instantiation of
//   '...':", "file:l:c:   required from here") become its first notes, in order.
// - "In file included from" chains are dropped: they only repeat the #include line.
// - "fix-it:" lines (-fdiagnostics-parseable-fixits, gcc and clang) attach to the
//   diagnostic or note just before them when they are in the same file.
// - nvcc's own "file(line): error: msg" / "warning #177-D: msg" (the column comes from
//   the caret line; option holds "#177-D"), EDG's "detected during instantiation of
//   ... at line N of file" (-> notes), and "nvcc fatal : msg" lines.
// - Linker output (tool Linker, whatever tool was passed): ld.bfd's "in function" +
//   "file:line: undefined reference to `sym'", lld's "error: undefined symbol: sym"
//   with ">>> referenced by" lines, "cannot find -lfoo" / "unable to find library
//   -lfoo" (symbol "foo"), duplicate / multiple definitions, nvlink's undefined
//   references. file/line are the first reference; every reference is a note
//   "referenced in function `main'". The drivers' closing line ("collect2: error: ld
//   returned 1 exit status", "clang: error: linker command failed ...") is kept only
//   when no other linker error explains the failure.
// - Other driver lines ("clang: error: no such file or directory: ...") have no file.
//
// Diagnostics that repeat an earlier one exactly (nvcc reports host and device
// passes) are dropped. Caps: MaxDiagnostics top-level, MaxNotes notes each.
// Learner locations (Diagnostic::learnerFile/Line/Column) are filled at the end.
class DiagnosticParser
{
public:
    static constexpr int MaxDiagnostics = 1000;
    static constexpr int MaxNotes = 200;

    // tool: Gcc, Clang or Nvcc for compiler output, Linker for a link step. It is
    // copied into each diagnostic, except linker messages, which are always Linker.
    DiagnosticParser(Diagnostic::Tool tool, PathMap map);

    // One line without its '\n'.
    void addLine(QStringView line);
    // Whole output (or a chunk ending at a line boundary): split on '\n'.
    void addOutput(QStringView output);
    // Finishes and returns every diagnostic in output order; the parser starts over.
    QList<Diagnostic> takeDiagnostics();

private:
    struct Entry
    {
        Diagnostic diagnostic;
        QString realFile;            // the path as printed, for nvcc "at line N" notes
        bool afterScopeLine = false; // gcc printed "file: In function ...:" just before it
        bool driverSummary = false;  // "ld returned 1 exit status" and friends
    };

    bool parseFixIt(const QString &line);
    bool parseIncludeChain(const QString &line, bool continuing);
    bool parseLocated(const QString &line);
    bool parseGccContext(const QString &line);
    bool parseNvcc(const QString &line);
    bool parseNvccCaret(const QString &line);
    bool parseNvidiaTool(const QString &line);
    bool parseLinker(const QString &line);
    bool parseLinkerBody(const QString &body, Diagnostic::Severity severity, bool prefixed);
    bool parseLldNote(const QString &line);
    bool parseDriver(const QString &line);

    Diagnostic makeDiagnostic(Diagnostic::Severity severity, Diagnostic::Tool tool,
                              const QString &printedFile, int line, int column,
                              const QString &message) const;
    void addPrimary(Diagnostic diagnostic, const QString &realFile, bool driverSummary = false);
    void addNote(Diagnostic note);
    Entry *current();
    Diagnostic *fixItTarget();
    void flushPendingContext();
    void fillLearnerLocations();

    Diagnostic::Tool m_tool;
    PathMap m_map;
    QList<Entry> m_entries;
    QList<Diagnostic> m_pendingContext; // gcc context lines waiting for their diagnostic
    bool m_scopeLineSeen = false;
    bool m_inIncludeChain = false;
    bool m_fixItToNote = false; // fix-it lines go to the current entry's last note
    bool m_fixItAllowed = false;
    bool m_currentDropped = false; // the last primary hit MaxDiagnostics; drop its notes
    int m_current = -1;            // entry that notes, fix-its and ">>>" lines go to
    enum class NvccExpect
    {
        Nothing,
        SourceLine,
        Caret
    } m_nvccExpect = NvccExpect::Nothing;
    int m_nvccEntry = -1; // what the caret line gives a column to: entry index and
    int m_nvccNote = -1;  // note index (-1: the entry itself)
    QString m_nvccSourceLine;
    QString m_linkFunction; // ld.bfd "in function `main':" context
};

// Convenience wrappers: one parser over the whole output.
QList<Diagnostic> parseCompilerOutput(const QString &output, Diagnostic::Tool tool,
                                      const PathMap &map);
QList<Diagnostic> parseLinkerOutput(const QString &output, const PathMap &map);

} // namespace torchlab
