#pragma once

#include <QList>
#include <QString>

namespace torchlab {

// A replacement suggested by the compiler ("fix-it"), in learner-file terms.
struct FixIt
{
    int line = 0;        // 1-based
    int column = 0;      // 1-based, start of the replaced range
    int endColumn = 0;   // 1-based, exclusive; == column for an insertion
    QString replacement;
};

// One compiler, linker or nvcc message, with paths already mapped back to
// what the learner knows (e.g. "exercise.cpp" instead of a temp path).
struct Diagnostic
{
    enum class Severity { Error, Warning, Note, Fatal };
    enum class Tool { Gcc, Clang, Linker, Nvcc };

    Severity severity = Severity::Error;
    Tool tool = Tool::Gcc;
    QString file;            // mapped path; empty for link errors without a location
    int line = 0;            // 1-based; 0 when unknown
    int column = 0;          // 1-based; 0 when unknown
    QString message;         // first line, without the "error: " prefix
    QString option;          // e.g. "-Wunused-variable" when the compiler names one
    QList<Diagnostic> notes; // "note:" / "required from" / "in instantiation of" lines that belong to it
    QList<FixIt> fixIts;
    QString symbol;          // linker: the undefined symbol, demangled; missing library name for "cannot find -lfoo"
    bool inLearnerFile = false; // true when file is one of the learner's files (after mapping)

    bool isError() const { return severity == Severity::Error || severity == Severity::Fatal; }
};

} // namespace torchlab
