#pragma once

#include "core/build/diagnostic.h"
#include "core/course/pack.h"
#include "core/run/runresult.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

// The outcome of one check of a lesson.
struct CheckResult
{
    enum class Status
    {
        Pass,
        Fail,
        Error,
        Skipped // could not run here (needs a GPU, ...): never counts as passed
    };

    QString name;  // Check::id(): "compiles", "exits_ok", the lab::check name, ... (stable)
    QString title; // Check::displayTitle(): what the learner reads, in the report's language
    Check::Kind kind = Check::Kind::Compiles;
    Status status = Status::Error;
    QString message; // empty on pass; the lesson's message (chosen language) on fail; on
                     // error, why it could not be checked (the runner's explanation); when
                     // skipped, the check code's reason
    QString output;  // what the learner should look at: diagnostics, output tail, the
                     // value of a metric, the hidden check's own message

    static QString statusName(Status status); // "pass", "fail", "error", "skipped"
};

// Everything `Check` says about one lesson, shaped like Exercism's results.json
// (version 2): status pass|fail|error, message, tests[] with
// name/status/message/output (a test's status may also be "skipped": it could not
// run here, the message says why; the lesson's status is never "skipped"); a test's "name" is its
// human title in the report's language, and "id" the stable Check::id() for scripts. Messages are
// capped at 65,535 characters. The run's outcome and the compile's diagnostics ride along for the
// lab window: the run is rank 0's, or the first rank that failed by itself.
struct CheckReport
{
    using Status = CheckResult::Status;

    QString lessonId;
    QString lessonFolder;
    QString lessonTitle; // chosen language
    QString source;      // "starter", "solution" or the learner's file(s)
    QString language;    // "en", "zh_CN"
    bool quick = false;
    Status status = Status::Error;
    QString message; // empty on pass; otherwise one or two sentences on what happened
    QList<CheckResult> tests;
    QStringList notes; // lab::note lines, and what differs from a GPU machine
    qint64 compileMs = 0;
    qint64 runMs = 0; // the program's wall time (rank 0); 0 when it did not run
    std::optional<RunResult::Outcome> runOutcome; // how the run ended; empty when it did not run
    QString runSummary;                           // RunResult::summary of that run
    QString runExplanation;                       // RunResult::explanation of that run
    QString runDetail;                            // RunResult::detail (for whatToTry())
    // How the program was held: "bubblewrap", "none" (sandboxNote says why),
    // or empty when it did not run here.
    QString sandbox;
    QString sandboxNote;
    QString device; // where the program computed, from its hello line ("cpu", "cuda:0");
                    // empty without one (not a lab.h program, or it did not start)
    QList<Diagnostic> diagnostics; // the compile's, in learner-file terms (for the editor)

    int count(Status s) const;
    bool passed() const { return status == Status::Pass; }
    QJsonObject toJson() const;

    static constexpr int MaxMessageChars = 65535;
};

// Cuts `text` to at most `maxChars`, ending with an ellipsis when it was cut.
QString capText(const QString &text, int maxChars = CheckReport::MaxMessageChars);
// The last `maxLines` lines of `text` (at most `maxChars`), for output tails.
QString tailLines(const QString &text, int maxLines = 20, int maxChars = 2000);

} // namespace torchlab
