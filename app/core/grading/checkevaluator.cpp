#include "core/grading/checkevaluator.h"

#include "core/build/diagnosticsummary.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

namespace torchlab {

namespace {

// lupdate files a tr() call in a free function under the enclosing namespace
// ("torchlab"), a context nothing looks up at run time; qualified calls through
// this class give lupdate and QCoreApplication::translate the same context.
struct CheckEvaluator
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::CheckEvaluator)
};

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

QString formatDiagnostics(const QList<Diagnostic> &diagnostics, bool warnings, int max = 10)
{
    QStringList lines;
    int shown = 0, total = 0;
    for (const Diagnostic &d : diagnostics) {
        const bool match = warnings ? d.severity == Diagnostic::Severity::Warning : d.isError();
        if (!match)
            continue;
        ++total;
        if (shown < max) {
            lines << formatDiagnostic(d);
            ++shown;
        }
    }
    if (total > shown)
        lines << CheckEvaluator::tr("(%1 more)").arg(total - shown);
    return lines.join(QLatin1Char('\n'));
}

bool isLearnerWarning(const Diagnostic &d, const QStringList &learnerFiles)
{
    return d.severity == Diagnostic::Severity::Warning && learnerFiles.contains(d.file);
}

// A run that ended in a way that makes its output, metrics and timing
// meaningless to grade: a crash, a limit, an uncaught LibTorch error. A plain
// non-zero exit status is not: the program decided to stop.
bool endedAbnormally(const RunResult &run)
{
    return run.outcome != RunResult::Outcome::Ok && run.outcome != RunResult::Outcome::ExitCode;
}

QString runVerdict(const RunResult &run)
{
    if (run.explanation.isEmpty())
        return run.summary;
    //: A run's summary and its explanation joined into one sentence pair.
    return CheckEvaluator::tr("%1. %2").arg(run.summary, run.explanation);
}

QString outputTail(const RunResult &run)
{
    const QString err = QString::fromUtf8(run.stderrText);
    const QString out = QString::fromUtf8(run.stdoutText);
    if (!err.trimmed().isEmpty())
        return tailLines(err);
    return tailLines(out);
}

// The rank whose failure explains the most: the lowest one that failed by
// itself; a rank that was stopped (because another one failed) only when no
// rank failed by itself.
const RunResult *firstBadRun(const RunObservation &o, int *rank)
{
    QList<std::pair<int, const RunResult *>> runs{{0, &o.job.run}};
    for (const RankRun &r : o.otherRanks)
        runs.append({r.rank, &r.run});
    for (bool stoppedToo : {false, true}) {
        for (const auto &[n, run] : std::as_const(runs)) {
            if (!run->ok() && (stoppedToo || run->outcome != RunResult::Outcome::Stopped)) {
                *rank = n;
                return run;
            }
        }
    }
    return nullptr;
}

CheckResult make(const Check &check, CheckResult::Status status, const QString &message,
                 const QString &output = {})
{
    CheckResult r;
    r.name = check.id();
    r.kind = check.kind;
    r.status = status;
    r.message = capText(message);
    r.output = capText(output);
    return r;
}

CheckResult evaluateCompiles(const Check &check, const RunObservation &o,
                             const QString &lessonMessage)
{
    const CompileResult &c = o.job.compile;
    using O = CompileResult::Outcome;
    if (c.outcome == O::CompilerFailed || c.outcome == O::Cancelled) {
        QString why = c.summary;
        if (!c.explanation.isEmpty())
            why += QLatin1Char(' ') + c.explanation;
        return make(check, CheckResult::Status::Error, why, tailLines(c.output));
    }
    if (!c.ok()) {
        QString output = formatDiagnostics(c.diagnostics, false);
        if (output.isEmpty())
            output = tailLines(c.output);
        QString message = lessonMessage;
        if (!c.summary.isEmpty())
            message += QStringLiteral("\n") + c.summary;
        if (!c.explanation.isEmpty())
            message += QStringLiteral("\n") + c.explanation;
        // Errors only in the lesson's hidden check code: it could not use the
        // learner's code (a renamed function, another signature), or the pack
        // itself is broken. Say which, rather than blame the learner's lines.
        QStringList checkFiles;
        bool learnerError = false;
        for (const Diagnostic &d : c.diagnostics) {
            if (d.severity != Diagnostic::Severity::Error &&
                d.severity != Diagnostic::Severity::Fatal)
                continue;
            if (d.file.isEmpty() || o.learnerFiles.contains(d.file))
                learnerError = true;
            else if (!checkFiles.contains(d.file))
                checkFiles << d.file;
        }
        if (!learnerError && !checkFiles.isEmpty())
            message +=
                QStringLiteral("\n") +
                CheckEvaluator::tr("Your files compile; the errors are in the lesson's check "
                                   "code (%1), where it uses your code. Keep the names and "
                                   "signatures the starter gives. If your code does, the "
                                   "lesson pack has a mistake: tell your instructor.")
                    .arg(checkFiles.join(QStringLiteral(", ")));
        return make(check, CheckResult::Status::Fail, message, output);
    }
    if (check.warningFree) {
        QList<Diagnostic> warnings;
        for (const Diagnostic &d : c.diagnostics)
            if (isLearnerWarning(d, o.learnerFiles))
                warnings << d;
        if (!warnings.isEmpty())
            return make(check, CheckResult::Status::Fail, lessonMessage,
                        formatDiagnostics(warnings, true));
    }
    return make(check, CheckResult::Status::Pass, QString(), c.summary);
}

} // namespace

void MetricSummary::add(double value)
{
    if (count == 0) {
        first = min = max = value;
    } else {
        // fmin/fmax would skip a NaN; a NaN loss must not look fine.
        min = (std::isnan(value) || std::isnan(min)) ? NAN : std::min(min, value);
        max = (std::isnan(value) || std::isnan(max)) ? NAN : std::max(max, value);
    }
    last = value;
    ++count;
}

CheckResult evaluateCheck(const Check &check, const RunObservation &o, const QString &language)
{
    const QString lessonMessage = localized(check.message, language);
    if (check.kind == Check::Kind::Compiles)
        return evaluateCompiles(check, o, lessonMessage);

    const CompileResult &c = o.job.compile;
    if (!c.ok())
        return make(check, CheckResult::Status::Error,
                    c.outcome == CompileResult::Outcome::Cancelled
                        ? CheckEvaluator::tr("Not checked: the check was stopped.")
                        : CheckEvaluator::tr("Not checked: the code did not compile."));
    if (!o.job.ran)
        return make(check, CheckResult::Status::Error,
                    CheckEvaluator::tr("Not checked: the program did not run."));

    const RunResult &run = o.job.run;
    int badRank = 0;
    const RunResult *bad = firstBadRun(o, &badRank);
    if (bad && bad->outcome == RunResult::Outcome::Stopped)
        return make(check, CheckResult::Status::Error,
                    CheckEvaluator::tr("Not checked: the run was stopped."));
    const bool abnormal = endedAbnormally(run) ||
                          std::any_of(o.otherRanks.cbegin(), o.otherRanks.cend(),
                                      [](const RankRun &r) { return endedAbnormally(r.run); });
    const QString rankPrefix =
        badRank > 0 ? CheckEvaluator::tr("Rank %1: ").arg(badRank) : QString();
    const QString notChecked =
        bad ? CheckEvaluator::tr("Not checked: %1%2").arg(rankPrefix, runVerdict(*bad)) : QString();

    switch (check.kind) {
    case Check::Kind::Compiles:
        break; // handled above
    case Check::Kind::ExitsOk: {
        if (!bad)
            return make(check, CheckResult::Status::Pass, QString());
        const QString message = lessonMessage + QLatin1Char('\n') + rankPrefix + runVerdict(*bad);
        return make(check, CheckResult::Status::Fail, message, outputTail(*bad));
    }
    case Check::Kind::Time: {
        const double seconds = run.wallMs / 1000.0;
        if (run.outcome == RunResult::Outcome::TimeLimit ||
            (bad && bad->outcome == RunResult::Outcome::TimeLimit))
            return make(check, CheckResult::Status::Fail,
                        lessonMessage + QLatin1Char('\n') + rankPrefix + bad->summary,
                        CheckEvaluator::tr("stopped after %1 s").arg(number(bad->wallMs / 1000.0)));
        if (abnormal)
            return make(check, CheckResult::Status::Error, notChecked);
        const QString took = CheckEvaluator::tr("ran %1 s (at most %2 s)")
                                 .arg(QString::number(seconds, 'f', 2), number(check.maxSeconds));
        return make(check,
                    seconds <= check.maxSeconds ? CheckResult::Status::Pass
                                                : CheckResult::Status::Fail,
                    seconds <= check.maxSeconds ? QString() : lessonMessage, took);
    }
    case Check::Kind::Output: {
        if (abnormal)
            return make(check, CheckResult::Status::Error, notChecked, outputTail(*bad));
        const QString text = QString::fromUtf8(
            check.stream == Check::Stream::Stderr ? run.stderrText : run.stdoutText);
        const QRegularExpression re(check.pattern, QRegularExpression::MultilineOption);
        if (!re.isValid())
            return make(check, CheckResult::Status::Error,
                        CheckEvaluator::tr("The pattern is not a valid regular expression: %1.")
                            .arg(re.errorString()));
        const QRegularExpressionMatch m = re.match(text);
        if (m.hasMatch())
            return make(check, CheckResult::Status::Pass, QString(), m.captured(0));
        return make(check, CheckResult::Status::Fail, lessonMessage,
                    text.trimmed().isEmpty()
                        ? CheckEvaluator::tr("(nothing on %1)").arg(Check::streamName(check.stream))
                        : tailLines(text));
    }
    case Check::Kind::Metric: {
        if (abnormal)
            return make(check, CheckResult::Status::Error, notChecked, outputTail(*bad));
        const auto it = o.metrics.constFind(check.name);
        if (it == o.metrics.constEnd() || it->count == 0)
            return make(
                check, CheckResult::Status::Fail, lessonMessage,
                CheckEvaluator::tr(
                    "The program never reported the metric \"%1\" (lab::metric or lab::loss).")
                    .arg(check.name));
        const MetricSummary &m = *it;
        const double value = check.of == Check::Of::Min   ? m.min
                             : check.of == Check::Of::Max ? m.max
                                                          : m.last;
        const bool within = !std::isnan(value) && (!check.min || value >= *check.min) &&
                            (!check.max || value <= *check.max);
        const QString output = CheckEvaluator::tr("%1: %2 %3 (first %4, min %5, max %6, %7 values)")
                                   .arg(check.name, Check::ofName(check.of), number(value),
                                        number(m.first), number(m.min), number(m.max))
                                   .arg(m.count);
        return make(check, within ? CheckResult::Status::Pass : CheckResult::Status::Fail,
                    within ? QString() : lessonMessage, output);
    }
    case Check::Kind::Check: {
        // Every report of the name, from every rank, summed up by CheckLog.
        const CheckTally *mine = o.job.checks.tally(check.name);
        const CheckTally *others = o.otherChecks.tally(check.name);
        const qint64 reports = (mine ? mine->reports : 0) + (others ? others->reports : 0);
        if (reports == 0) {
            if (abnormal)
                return make(check, CheckResult::Status::Error, notChecked, outputTail(*bad));
            QString why =
                CheckEvaluator::tr("The check code never reported \"%1\".").arg(check.name);
            if (o.job.checks.untallied() + o.otherChecks.untallied() > 0)
                why += QLatin1Char(' ') +
                       CheckEvaluator::tr("(The program reported more check names than the lab "
                                          "tallies; reports of later names were not counted.)");
            return make(check, CheckResult::Status::Fail, lessonMessage, why);
        }
        const bool ok = (!mine || mine->failures == 0) && (!others || others->failures == 0);
        const qint64 skips = (mine ? mine->skips : 0) + (others ? others->skips : 0);
        // A failing report's own words first: they say what was wrong.
        QStringList said;
        const auto add = [&said](const QStringList &messages) {
            for (const QString &m : messages)
                if (!said.contains(m))
                    said << m;
        };
        for (const CheckTally *t : {mine, others})
            if (t)
                add(t->failingMessages);
        for (const CheckTally *t : {mine, others})
            if (t)
                add(t->passingMessages);
        if (ok && skips == reports) {
            // Not run here: the check code's reason is the message, never a pass.
            const QString why =
                said.isEmpty()
                    ? CheckEvaluator::tr("The check code skipped \"%1\" without a reason.")
                          .arg(check.name)
                    : said.join(QLatin1Char('\n'));
            return make(check, CheckResult::Status::Skipped, why);
        }
        return make(check, ok ? CheckResult::Status::Pass : CheckResult::Status::Fail,
                    ok ? QString() : lessonMessage, said.join(QLatin1Char('\n')));
    }
    }
    return make(check, CheckResult::Status::Error, CheckEvaluator::tr("Unknown check kind."));
}

CheckReport evaluateLesson(const Lesson &lesson, const RunObservation &o, const QString &language)
{
    CheckReport report;
    report.language = language;
    for (const Check &check : lesson.checks) {
        CheckResult result = evaluateCheck(check, o, language);
        result.title = check.displayTitle(language);
        report.tests << result;
    }
    report.compileMs = o.job.compile.compileMs + o.job.compile.linkMs;
    report.runMs = o.job.ran ? o.job.run.wallMs : 0;
    report.notes = o.notes;

    const int fails = report.count(CheckResult::Status::Fail);
    const int errors = report.count(CheckResult::Status::Error);
    report.status = fails > 0    ? CheckResult::Status::Fail
                    : errors > 0 ? CheckResult::Status::Error
                                 : CheckResult::Status::Pass;
    int badRank = 0;
    const RunResult *bad = o.job.ran ? firstBadRun(o, &badRank) : nullptr;
    if (!o.job.compile.ok()) {
        report.message = o.job.compile.summary;
        if (!o.job.compile.explanation.isEmpty())
            report.message += QLatin1Char(' ') + o.job.compile.explanation;
    } else if (!o.job.ran) {
        report.message = CheckEvaluator::tr("The program did not run.");
    } else if (bad && endedAbnormally(*bad)) {
        report.message = (badRank > 0 ? CheckEvaluator::tr("Rank %1: ").arg(badRank) : QString()) +
                         runVerdict(*bad);
    } else if (report.status != CheckResult::Status::Pass) {
        report.message = CheckEvaluator::tr("%1 of %2 checks passed.")
                             .arg(report.count(CheckResult::Status::Pass))
                             .arg(report.tests.size());
    }
    if (const int skipped = report.count(CheckResult::Status::Skipped); skipped > 0) {
        const QString skippedText =
            skipped == 1
                ? CheckEvaluator::tr("1 check could not run here and was skipped.")
                : CheckEvaluator::tr("%1 checks could not run here and were skipped.").arg(skipped);
        report.message = report.message.isEmpty() ? skippedText
                                                  : report.message + QLatin1Char(' ') + skippedText;
    }
    if (report.tests.isEmpty()) {
        report.status = CheckResult::Status::Error;
        report.message = CheckEvaluator::tr("The lesson has no checks.");
    }
    report.message = capText(report.message);
    return report;
}

} // namespace torchlab
