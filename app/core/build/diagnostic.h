#pragma once

#include <QList>
#include <QString>

namespace torchlab {

// A replacement suggested by the compiler ("fix-it"), in learner-file terms.
struct FixIt
{
    int line = 0;      // 1-based
    int column = 0;    // 1-based, start of the replaced range
    int endColumn = 0; // 1-based, exclusive; == column for an insertion
    int endLine = 0;   // 1-based line of endColumn; == line unless the range spans lines
    QString replacement;
};

// One compiler, linker or nvcc message, with paths already mapped back to
// what the learner knows (e.g. "exercise.cpp" instead of a temp path).
struct Diagnostic
{
    enum class Severity
    {
        Error,
        Warning,
        Note,
        Fatal
    };
    enum class Tool
    {
        Gcc,
        Clang,
        Linker,
        Nvcc
    };

    Severity severity = Severity::Error;
    Tool tool = Tool::Gcc;
    QString file;    // mapped path; empty for link errors without a location
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based; 0 when unknown
    QString message; // first line, without the "error: " prefix
    QString option;  // e.g. "-Wunused-variable" when the compiler names one
    QList<Diagnostic>
        notes; // "note:" / "required from" / "in instantiation of" lines that belong to it
    QList<FixIt> fixIts;
    QString symbol; // linker: the undefined symbol, demangled; missing library name ("foo") for
                    // "cannot find -lfoo"
    bool inLearnerFile = false; // true when file is one of the learner's files (after mapping)

    // Where the learner should look. Equals file/line/column when the diagnostic is in a learner
    // file; for one inside a header (a LibTorch template error) it is the first learner-file
    // location of its instantiation backtrace, or the previous diagnostic's when the compiler did
    // not repeat the same backtrace. Empty / 0 when the output names no learner line (g++ does
    // not for constructors inherited through TORCH_MODULE). Filled by the diagnostic parser.
    QString learnerFile;
    int learnerLine = 0;
    int learnerColumn = 0;

    bool isError() const { return severity == Severity::Error || severity == Severity::Fatal; }
    bool hasLearnerLocation() const { return !learnerFile.isEmpty(); }
};

} // namespace torchlab
