#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// One line of a line diff. Line numbers are 1-based; a removed line has no
// newLine (0) and an added line no oldLine (0).
struct DiffLine
{
    enum class Kind
    {
        Equal,
        Removed,
        Added
    };
    Kind kind = Kind::Equal;
    int oldLine = 0;
    int newLine = 0;
    QString text; // without its line terminator

    bool operator==(const DiffLine &) const = default;
};

// A run of changes with up to `context` equal lines around it, as in a
// unified diff. Starts are 1-based; when a side has no lines in the hunk
// (count 0) its start is the line before the gap, as GNU diff prints it.
struct DiffHunk
{
    int oldStart = 0;
    int oldCount = 0;
    int newStart = 0;
    int newCount = 0;
    QList<DiffLine> lines;
};

namespace LineDiff {

// Splits text into lines. "\r\n", "\r" and "\n" all end a line and are not
// part of it, so a file saved with Windows line ends compares equal, line by
// line, to the same file with Unix ones; a final line terminator does not
// start an extra empty line ("a\n" and "a" are both one line).
QStringList splitLines(const QString &text);

// The shortest edit script between two lists of lines (Myers' O(ND)
// algorithm in linear space, after trimming the common prefix and suffix).
// Every line of `a` appears once as Equal or Removed, every line of `b` once as
// Equal or Added, in order; within a change, removals come before additions.
QList<DiffLine> diffLines(const QStringList &a, const QStringList &b);
QList<DiffLine> diff(const QString &a, const QString &b);

// Groups a diff into hunks with `context` equal lines around each change;
// hunks whose context would touch or overlap are merged. Empty when there is
// no change.
QList<DiffHunk> hunks(const QList<DiffLine> &lines, int context = 3);

int changedLineCount(const QList<DiffLine> &lines); // Removed + Added

} // namespace LineDiff

// A unified diff ("--- a", "+++ b", "@@ -1,3 +1,4 @@", " ", "-", "+" lines,
// each ending in "\n"); empty when the texts have equal lines. Line terminator
// differences are not reported (see LineDiff::splitLines).
QString unifiedDiff(const QString &a, const QString &b, const QString &labelA,
                    const QString &labelB, int context = 3);

} // namespace torchlab
