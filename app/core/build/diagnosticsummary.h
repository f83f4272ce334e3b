#pragma once

#include "core/build/diagnostic.h"

#include <QList>
#include <QString>

namespace torchlab {

// One line for a status bar or a run's verdict, counting top-level diagnostics only:
// "2 errors, 1 warning in exercise.cpp", "1 link error in exercise.cpp",
// "1 error" (no learner location), "3 errors in 3 files", "no errors or warnings".
// Files are the learner locations (Diagnostic::learnerFile), in order of appearance.
QString summarize(const QList<Diagnostic> &diagnostics);

// A plain one-line explanation with what to try, for the failures learners hit most
// and the raw message explains worst: undefined references / symbols (a function
// declared but never defined, a missing virtual, main(), LibTorch or CUDA symbols, an
// ABI mismatch), duplicate definitions, libraries the linker cannot find (CPU-only
// LibTorch lacks torch_cuda) and missing headers. Empty when there is nothing to add.
QString learnerHint(const Diagnostic &diagnostic);

// One line in the compilers' own format: "file:line:col: error: message". When the
// diagnostic sits in a header but has a learner location, that comes first:
// "exercise.cpp:11 (in torch/nn/module.h:85): error: ...". Notes are not included.
QString formatDiagnostic(const Diagnostic &diagnostic);

// learnerHint() of the first linker diagnostic that has one; empty when none does.
QString linkerHint(const QList<Diagnostic> &diagnostics);

} // namespace torchlab
