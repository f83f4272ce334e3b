#pragma once

#include "core/build/diagnostic.h"

#include <QString>
#include <QStringView>

#include <optional>

// Line-level helpers shared by the diagnostic parsers. Pure functions over one line
// of tool output; they never throw and accept any input (garbage, huge, truncated).
namespace torchlab::diagnosticlines {

// Lines longer than this are cut before they are matched; a template type name is
// rarely over a few KiB, and a cap keeps every regex linear on a runaway line.
inline constexpr qsizetype MaxLineLength = 64 * 1024;

// Removes ANSI escape sequences (CSI such as "\x1b[01;31m\x1b[K", OSC 8 hyperlinks
// ended by BEL or ESC '\', and two-byte escapes), a trailing '\r', and cuts the
// line to MaxLineLength.
QString cleanLine(QStringView line);

// A parsed "-fdiagnostics-parseable-fixits" line:
//   fix-it:"<file>":{<line>:<col>-<endLine>:<endCol>}:"<replacement>"
// File and replacement are unescaped (\\ \" \n \t \r and octal \ooo bytes, UTF-8).
struct FixItLine
{
    QString file;
    FixIt fixIt;
};
std::optional<FixItLine> parseFixItLine(QStringView line);

// "[-Wunused-variable]" at the end of a message: returns the option and removes it
// from message. "-Werror=foo" and clang's "-Werror,-Wfoo" both give "-Wfoo".
QString takeOptionSuffix(QString &message);

// Demangles an Itanium C++ symbol ("_Z3foov" -> "foo()"); anything else unchanged.
QString demangle(const QString &symbol);

// True for messages of template/instantiation backtrace entries from gcc, clang
// or nvcc ("required from here", "in instantiation of ... requested here", ...).
bool isBacktraceMessage(QStringView message);

} // namespace torchlab::diagnosticlines
