#pragma once

#include "core/build/compilejob.h"
#include "core/remote/jobbundle.h"
#include "core/runner/runstream.h"

#include <QString>
#include <QStringList>

namespace torchlab::cli {

class StdinChannel;

// The grader account's side of a server-graded Check (`serve --grade-as
// STUDENT`): finds the lesson in the packs installed in this account, checks
// the learner's files (`folder`/src) with its hidden checks, streams the run
// to the lab as `run --job` would (diagnostics in the check code say only
// "(the lesson's hidden check code)") and appends the result to the
// student's records (GradeRecords). Returns the exit code of the job.
int gradeJob(const JobBundle &bundle, const QString &folder, const QString &student,
             RunStreamWriter &stream, StdinChannel &control);

// What a student may see of a compile graded with hidden check code: the
// diagnostics in `checkSources` (the lesson's) without their place or code,
// and then the tools' output rebuilt from the diagnostics (it quotes lines).
void hideCheckCode(CompileResult &compile, const QStringList &checkSources);

} // namespace torchlab::cli
