#pragma once

#include "core/run/runresult.h"

#include <QString>
#include <QStringList>

namespace torchlab {

// What the lab window's explanation card says about how a run ended: a short
// title, and concrete things to try, in the UI language (translation context
// "torchlab::OutcomeAdvice"). Pure functions; RunResult::explanation says
// what happened, these say what to do about it.

// "GPU out of memory", "Crashed", "Time limit", ...; "Finished" for Ok.
QString outcomeTitle(RunResult::Outcome outcome);

// Tips, most useful first; empty for Ok and Stopped. `detail` is
// RunResult::detail (the first line of a LibTorch error, the signal, the
// failed allocation): when it names a shape, dtype or device mismatch, or a
// division by zero, the tip for that comes first.
QStringList whatToTry(RunResult::Outcome outcome, const QString &detail = QString());

} // namespace torchlab
