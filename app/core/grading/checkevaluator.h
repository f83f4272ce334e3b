#pragma once

#include "core/course/pack.h"
#include "core/grading/checkreport.h"
#include "core/metrics/labevent.h"
#include "core/run/runjob.h"
#include "core/runner/runner.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// What a metric series looked like over a run.
struct MetricSummary
{
    qint64 count = 0;
    double first = 0;
    double last = 0;
    double min = 0;
    double max = 0;

    void add(double value); // NaN makes min/max NaN, so bounds checks fail on it
};

// Everything checks look at, gathered by CheckRunner from one compile and run.
struct RunObservation
{
    RunJobResult job; // compile + rank 0's run, checks and errors
    QHash<QString, MetricSummary>
        metrics;               // rank 0's lab.h metrics by name (at most MaxMetricNames)
    QStringList notes;         // lab::note texts, in order (at most MaxNotes)
    QList<RankRun> otherRanks; // ranks 1.. of a multi-rank lesson
    CheckLog otherChecks;      // their lab::check reports
    QStringList learnerFiles;  // shown names of the learner's files: warnings there count

    static constexpr qsizetype MaxMetricNames = 1'024;
    static constexpr qsizetype MaxNotes = 1'000;
};

// Pure functions: the verdict of each check over an observation, in the
// chosen language. Rules (docs/lesson-packs.md, "How checks are graded"):
// - code that does not compile fails `compiles`; every other check is an
//   error ("not checked"); a broken toolchain makes `compiles` an error too;
// - a crash or limit fails `exits_ok` (and `time` for a time limit) and makes
//   output/metric/time checks errors with the runner's explanation; a named
//   check the program reported before it ended still counts as reported;
// - a named check passes only when every report of that name (from every
//   rank) passed; one never reported fails.
CheckResult evaluateCheck(const Check &check, const RunObservation &observation,
                          const QString &language);
// Every check of the lesson, the overall status (fail beats error beats
// pass) and its message. Leaves the report's lesson/source fields empty.
CheckReport evaluateLesson(const Lesson &lesson, const RunObservation &observation,
                           const QString &language);

} // namespace torchlab
