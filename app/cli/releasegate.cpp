#include "cli/releasegate.h"

#include "cli/signalstop.h"

#include "core/build/diagnosticsummary.h"
#include "core/grading/checkreport.h"
#include "core/grading/checkrunner.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTextStream>

namespace torchlab::cli {

namespace {

// The pack file a diagnostic's shown name stands for when `use` was graded:
// check sources at the lesson's root, the solution's files in solution/,
// the starter's (and files the solution does not replace) at the root.
QString packFileOf(const Lesson &lesson, CheckRequest::Use use, const QString &shown)
{
    const auto find = [&](const QStringList &list) -> QString {
        for (const QString &relative : list)
            if (relative == shown || QFileInfo(relative).fileName() == shown)
                return relative;
        return QString();
    };
    QString relative = find(lesson.checkSources);
    if (relative.isEmpty() && use == CheckRequest::Use::Solution)
        relative = find(lesson.solution);
    if (relative.isEmpty())
        relative = find(lesson.starter);
    return relative.isEmpty() ? shown : relative;
}

QString location(const QString &shownDir, const Lesson &lesson, const QString &relative,
                 int line = 0, int column = 0)
{
    QString at =
        QDir::cleanPath(shownDir + QLatin1Char('/') + lesson.folder + QLatin1Char('/') + relative);
    if (line > 0)
        at += QStringLiteral(":%1").arg(line);
    if (line > 0 && column > 0)
        at += QStringLiteral(":%1").arg(column);
    return at;
}

// The compile errors of a report, each at its pack file.
QStringList compileProblems(const QString &shownDir, const Lesson &lesson, CheckRequest::Use use,
                            const CheckReport &report, const QString &what)
{
    QStringList out;
    for (const Diagnostic &d : report.diagnostics) {
        if (d.severity != Diagnostic::Severity::Error && d.severity != Diagnostic::Severity::Fatal)
            continue;
        const QString file = d.file.isEmpty() ? QString() : packFileOf(lesson, use, d.file);
        const bool checkCode = lesson.checkSources.contains(file);
        const QString at = file.isEmpty()
                               ? location(shownDir, lesson, QStringLiteral("lesson.toml"))
                               : location(shownDir, lesson, file, d.line, d.column);
        out << QStringLiteral("%1: error: %2 does not compile%3: %4")
                   .arg(at, checkCode ? QStringLiteral("the check code") : what,
                        checkCode ? QStringLiteral(" with %1").arg(what) : QString(), d.message);
        if (out.size() >= 10)
            break;
    }
    return out;
}

} // namespace

ReleaseGrade gradeForRelease(const PackLoadResult &loaded, const QString &shownDir,
                             const ToolchainProfile &profile, bool quick, QTextStream &progress)
{
    ReleaseGrade grade;
    LabSession session;
    session.environment()->useProfile(profile, false);
    QEventLoop loop;
    SessionResult current;
    QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        current = r;
        loop.quit();
    });
    SignalStop signalStop([&] {
        grade.interrupted = true;
        session.stop();
    });
    const auto run = [&](const Lesson &lesson, CheckRequest::Use use) {
        CheckRequest request;
        request.use = use;
        request.quick = quick;
        request.profile = profile;
        request.language = QStringLiteral("en");
        current = SessionResult();
        session.start(RunMode::Check, lesson, request);
        if (session.isBusy())
            loop.exec();
        return current;
    };

    for (const Lesson &lesson : loaded.pack.lessons) {
        if (grade.interrupted)
            break;
        ++grade.lessons;
        QElapsedTimer clock;
        clock.start();
        progress << "grading " << lesson.folder << " (" << lesson.id << "): solution" << Qt::flush;
        const SessionResult solution = run(lesson, CheckRequest::Use::Solution);
        if (grade.interrupted)
            break;
        QStringList problems;
        const CheckReport &s = solution.report;
        if (!solution.started) {
            problems << QStringLiteral("%1: error: the reference solution could not be graded: %2")
                            .arg(location(shownDir, lesson, QStringLiteral("lesson.toml")),
                                 solution.notStartedReason);
        } else if (solution.compileFailed) {
            problems << compileProblems(shownDir, lesson, CheckRequest::Use::Solution, s,
                                        QStringLiteral("the reference solution"));
            if (problems.isEmpty())
                problems << QStringLiteral("%1: error: the reference solution does not compile: %2")
                                .arg(location(shownDir, lesson, QStringLiteral("lesson.toml")),
                                     s.message);
        } else if (!s.passed()) {
            for (const CheckResult &t : s.tests) {
                if (t.status == CheckResult::Status::Pass ||
                    t.status == CheckResult::Status::Skipped)
                    continue;
                problems
                    << QStringLiteral("%1: error: the reference solution fails the check "
                                      "\"%2\" (%3): %4")
                           .arg(location(shownDir, lesson, QStringLiteral("lesson.toml")), t.title,
                                t.name,
                                (t.message + QLatin1Char(' ') + t.output).simplified().left(400));
            }
        }
        progress << ", starter" << Qt::flush;
        const SessionResult starter = run(lesson, CheckRequest::Use::Starter);
        if (grade.interrupted)
            break;
        const CheckReport &t = starter.report;
        if (starter.compileFailed) {
            problems << compileProblems(shownDir, lesson, CheckRequest::Use::Starter, t,
                                        QStringLiteral("the starter"));
        } else if (starter.started && t.passed()) {
            problems << QStringLiteral("%1: error: the untouched starter already passes every "
                                       "check: a learner would pass without writing anything")
                            .arg(location(shownDir, lesson, lesson.starter.value(0)));
        }
        progress << (problems.isEmpty() ? ": ok" : ": NOT READY") << " ("
                 << QString::number(clock.elapsed() / 1000.0, 'f', 1) << " s)\n"
                 << Qt::flush;
        grade.problems << problems;
    }
    return grade;
}

} // namespace torchlab::cli
