#include "core/session/labsession.h"

#include "core/build/pchcache.h"
#include "core/course/lessonworkspace.h"
#include "core/metrics/metricscsv.h"
#include "core/run/outcomeadvice.h"
#include "core/run/warmrunner.h"
#include "core/runner/localrunner.h"
#include "core/session/backgroundbuild.h"
#include "core/session/environmentsession.h"
#include "core/toolchain/profilechooser.h"
#include "core/util/trace.h"

#include <QJsonObject>
#include <QLocale>

namespace torchlab {

namespace {

// Outcomes that need their own card: the program did not simply exit.
bool needsExplanation(RunResult::Outcome outcome)
{
    switch (outcome) {
    case RunResult::Outcome::Ok:
    case RunResult::Outcome::ExitCode:
    case RunResult::Outcome::Stopped:
        return false;
    default:
        return true;
    }
}

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

bool SessionDrops::any() const
{
    return metrics.any() || checksNotKept > 0 || checksUntallied > 0 || notesNotShown > 0;
}

QStringList SessionDrops::sentences(int maxSeries) const
{
    QStringList out;
    if (metrics.names > 0) {
        const QString names = metrics.namesSaturated
                                  ? LabSession::tr("at least %1").arg(count(metrics.names))
                                  : count(metrics.names);
        out << LabSession::tr("The program reported more than %1 metric names: the plot keeps the "
                              "first %1; %2 more names and their %3 samples were left out.")
                   .arg(maxSeries)
                   .arg(names, count(metrics.samples));
    }
    if (metrics.decimated > 0)
        out << LabSession::tr("Long metrics are kept at reduced resolution in their older part "
                              "(the smallest and largest value of each stretch): %1 samples were "
                              "merged.")
                   .arg(count(metrics.decimated));
    if (checksNotKept > 0)
        out << LabSession::tr("lab::check was called %1 times: the first %2 reports are listed, "
                              "and every report of a known name still counts for the checks.")
                   .arg(count(checksReceived), count(CheckLog::MaxEvents));
    if (checksUntallied > 0)
        out << LabSession::tr("%1 lab::check reports used more names than the lab tallies (%2) and "
                              "were not counted.")
                   .arg(count(checksUntallied), count(CheckLog::MaxNames));
    if (notesNotShown > 0)
        out << LabSession::tr("%1 more lab::note lines were not shown (the lab shows the first %2 "
                              "of a run).")
                   .arg(count(notesNotShown), count(LabSession::MaxNotes));
    return out;
}

QString SessionResult::statusText() const
{
    const QString text = verdictText();
    const bool unsandboxed =
        lesson ? report.sandbox == QLatin1String("none")
               : run.job.ran && !run.verdict().sandboxed && !run.verdict().sandboxNote.isEmpty();
    //: The run's verdict, then a warning that the program ran outside the sandbox.
    return unsandboxed ? LabSession::tr("%1 · not sandboxed").arg(text) : text;
}

QString SessionResult::verdictText() const
{
    if (stopped)
        return LabSession::tr("Stopped");
    if (!started)
        return LabSession::tr("Not started");
    if (graded()) {
        if (report.passed()) {
            if (const int skipped = report.count(CheckResult::Status::Skipped); skipped > 0)
                //: The lesson passed; some checks could not run on this computer (no GPU, ...).
                return skipped == 1 ? LabSession::tr("Passed, 1 check skipped")
                                    : LabSession::tr("Passed, %1 checks skipped").arg(skipped);
            return LabSession::tr("All checks passed");
        }
        const int failing =
            report.count(CheckResult::Status::Fail) + report.count(CheckResult::Status::Error);
        return LabSession::tr("%n check(s) did not pass", nullptr, failing);
    }
    if (!outcome)
        return compileFailed ? LabSession::tr("Does not compile") : LabSession::tr("Not run");
    const QString summary = lesson ? report.runSummary : run.verdict().summary;
    return summary.isEmpty() ? LabSession::tr("Finished") : summary;
}

std::optional<OutcomeCard> SessionResult::card() const
{
    if (!outcome || !needsExplanation(*outcome))
        return std::nullopt;
    const QString explanation = lesson ? report.runExplanation : run.verdict().explanation;
    if (explanation.isEmpty())
        return std::nullopt;
    const QString detail = lesson ? report.runDetail : run.verdict().detail;
    return OutcomeCard{outcomeTitle(*outcome), explanation, whatToTry(*outcome, detail)};
}

LabSession::LabSession(QObject *parent)
    : QObject(parent), m_environment(new EnvironmentSession(this)),
      m_background(new BackgroundBuild(m_environment, this))
{
    connect(m_background, &BackgroundBuild::started, this, &LabSession::backgroundBuildStarted);
    connect(m_background, &BackgroundBuild::finished, this, &LabSession::backgroundBuilt);
    EnvironmentSession *environment = m_environment;
    LocalRunner::Options local;
    local.pch = [environment] { return environment->pch(); };
    local.warm = [environment] { return environment->warm(); };
    m_localFactory = std::make_shared<LocalRunnerFactory>(local);
    m_factory = m_localFactory;
    connect(m_environment, &EnvironmentSession::stateChanged, this,
            &LabSession::onEnvironmentState);
}

LabSession::~LabSession()
{
    // Closing mid-run: the programs must not outlive the lab.
    abandon();
}

void LabSession::setProfileRequest(const ProfileRequest &request, bool warmUp)
{
    m_profileRequest = std::make_unique<ProfileRequest>(request);
    m_warmUp = warmUp;
}

void LabSession::startEnvironment(const ProfileRequest &request, bool warmUp)
{
    setProfileRequest(request, warmUp);
    m_environment->start(request, warmUp);
}

void LabSession::setRunnerFactory(std::shared_ptr<RunnerFactory> factory)
{
    m_factory = factory ? std::move(factory) : m_localFactory;
    // A server compiles for itself: nothing built here would be used.
    if (m_factory != m_localFactory)
        m_background->cancel();
}

void LabSession::codeEdited(const QString &packId, const Lesson &lesson,
                            const QMap<QString, QString> &files, const QStringList &order,
                            CheckRequest request)
{
    if (m_factory != m_localFactory)
        return;
    PchCache *pch = m_environment->pch();
    request.usePch = request.usePch && (!pch || pch->state() != PchCache::State::Failed);
    m_background->edited(BackgroundBuild::Input{packId, lesson, files, order, request});
}

void LabSession::traceRequested(const QString &what)
{
    Trace::emit(QStringLiteral("run_requested"),
                QJsonObject{{QStringLiteral("mode"), what},
                            {QStringLiteral("background_build"), m_background->isBuilding()}});
}

qint64 LabSession::runTimeMs() const
{
    // Samples can arrive before started(): they belong at 0.
    return m_programStarted ? m_runClock.elapsed() : 0;
}

Status LabSession::exportMetricsCsv(const QString &path) const
{
    return writeMetricsCsv(m_metrics, path);
}

void LabSession::clearStores()
{
    m_metrics.clear();
    m_memory.clear();
    Q_EMIT metricsChanged();
    Q_EMIT memoryChanged();
}

bool LabSession::startWithCode(RunMode mode, const QString &packId, const Lesson &lesson,
                               const QMap<QString, QString> &files, const QStringList &order,
                               CheckRequest request)
{
    if (isBusy())
        return false;
    Result<QStringList> paths = LessonWorkspace::writeWorkFiles(packId, lesson.id, files, order);
    if (!paths) {
        m_mode = mode;
        m_lessonRun = true;
        finishNotStarted(paths.error());
        return true;
    }
    request.use = CheckRequest::Use::Files;
    request.files = *paths;
    return start(mode, lesson, request);
}

bool LabSession::start(RunMode mode, const Lesson &lesson, CheckRequest request)
{
    if (isBusy())
        return false;
    traceRequested(mode == RunMode::Check ? QStringLiteral("check") : QStringLiteral("run"));
    // A Run compiles what the background build compiles (and waits for it);
    // a Check compiles other units, and gets the CPU to itself.
    if (mode == RunMode::Check)
        m_background->pause();
    m_pending = Pending{mode, lesson, request, std::nullopt};
    m_mode = mode;
    m_lessonRun = true;
    m_runName = lesson.id;
    startPending();
    return true;
}

bool LabSession::startProgram(RunSpec spec)
{
    if (isBusy())
        return false;
    traceRequested(QStringLiteral("program"));
    m_runName = spec.jobName.isEmpty() ? QStringLiteral("program") : spec.jobName;
    m_pending = Pending{RunMode::Run, Lesson(), CheckRequest(), std::move(spec)};
    m_mode = RunMode::Run;
    m_lessonRun = false;
    startPending();
    return true;
}

void LabSession::startPending()
{
    m_stopRequested = false;
    const std::optional<ToolchainProfile> targetProfile = m_factory->targetProfile();
    // A run elsewhere does not wait for this computer's toolchain.
    switch (targetProfile ? EnvironmentSession::State::Ready : m_environment->state()) {
    case EnvironmentSession::State::Ready:
        break;
    case EnvironmentSession::State::Unusable:
        finishNotStarted(tr("Cannot compile: %1").arg(m_environment->report().choice.error));
        return;
    case EnvironmentSession::State::Idle:
        setState(State::Preparing);
        m_environment->start(m_profileRequest ? *m_profileRequest : ProfileRequest(), m_warmUp);
        return;
    case EnvironmentSession::State::Cancelled:
        setState(State::Preparing);
        m_environment->prepare();
        return;
    case EnvironmentSession::State::Gathering:
    case EnvironmentSession::State::Preparing:
        setState(State::Preparing);
        return;
    }

    Pending pending = std::move(*m_pending);
    m_pending.reset();
    m_metrics.clear();
    m_memory.clear();
    m_notesShown = 0;
    m_notesDropped = 0;
    m_compileFailed = false;
    m_programStarted = false;
    m_sawOutput = false;
    Q_EMIT metricsChanged();
    Q_EMIT memoryChanged();
    setState(State::Compiling);
    Trace::emit(QStringLiteral("compile_start"));

    if (!pending.program) {
        startLesson(pending);
        return;
    }
    RunSpec spec = *pending.program;
    if (spec.profile.compiler.path.isEmpty())
        spec.profile = targetProfile ? *targetProfile : m_environment->profile();
    m_runner = m_factory->create(this);
    connectRunner(m_runner);
    connect(m_runner, &Runner::done, this, &LabSession::onProgramDone);
    m_runner->start(spec);
}

void LabSession::startLesson(const Pending &pending)
{
    CheckRequest request = pending.request;
    request.grade = pending.mode == RunMode::Check;
    const std::optional<ToolchainProfile> targetProfile = m_factory->targetProfile();
    if (request.profile.compiler.path.isEmpty())
        request.profile = targetProfile ? *targetProfile : m_environment->profile();
    PchCache *pch = m_environment->pch();
    request.usePch =
        request.usePch && (targetProfile || !pch || pch->state() != PchCache::State::Failed);

    m_checkRunner = new CheckRunner(this);
    m_checkRunner->setRunnerFactory(m_factory);
    CheckRunner *runner = m_checkRunner;
    connect(runner, &CheckRunner::phaseChanged, this, &LabSession::onPhase);
    connect(runner, &CheckRunner::pchProgress, this, &LabSession::pchProgress);
    connect(runner, &CheckRunner::queued, this, &LabSession::queued);
    connect(runner, &CheckRunner::notice, this, &LabSession::notice);
    connect(runner, &CheckRunner::stdoutData, this, [this](const QByteArray &c) {
        Q_EMIT output(c, false);
        if (!m_sawOutput && !c.isEmpty()) {
            // Reached the lab; the window's "first_output" is when it is on screen.
            m_sawOutput = true;
            Trace::emit(QStringLiteral("output_received"));
        }
    });
    connect(runner, &CheckRunner::stderrData, this,
            [this](const QByteArray &c) { Q_EMIT output(c, true); });
    connect(runner, &CheckRunner::labEvents, this, &LabSession::onLabEvents);
    connect(runner, &CheckRunner::compiled, this, &LabSession::onCompiled);
    connect(runner, &CheckRunner::started, this, &LabSession::onProgramStarted);
    connect(runner, &CheckRunner::sample, this, [this](const MemorySample &s) {
        m_memory.add(s);
        Q_EMIT memoryChanged();
        Q_EMIT memorySample(s);
    });
    connect(runner, &CheckRunner::done, this, &LabSession::onLessonDone);
    runner->start(pending.lesson, request);
}

void LabSession::connectRunner(Runner *runner)
{
    connect(runner, &Runner::phaseChanged, this, &LabSession::onPhase);
    connect(runner, &Runner::pchProgress, this, &LabSession::pchProgress);
    connect(runner, &Runner::queued, this, &LabSession::queued);
    connect(runner, &Runner::notice, this, &LabSession::notice);
    connect(runner, &Runner::stdoutData, this, [this](const QByteArray &c) {
        Q_EMIT output(c, false);
        if (!m_sawOutput && !c.isEmpty()) {
            // Reached the lab; the window's "first_output" is when it is on screen.
            m_sawOutput = true;
            Trace::emit(QStringLiteral("output_received"));
        }
    });
    connect(runner, &Runner::stderrData, this,
            [this](const QByteArray &c) { Q_EMIT output(c, true); });
    connect(runner, &Runner::labEvents, this, &LabSession::onLabEvents);
    connect(runner, &Runner::compiled, this, &LabSession::onCompiled);
    connect(runner, &Runner::started, this, &LabSession::onProgramStarted);
    connect(runner, &Runner::sample, this, [this](const MemorySample &s) {
        m_memory.add(s);
        Q_EMIT memoryChanged();
        Q_EMIT memorySample(s);
    });
}

void LabSession::onCompiled(const CompileResult &result)
{
    m_compileFailed = !result.ok();
    Trace::emit(QStringLiteral("compile_done"),
                QJsonObject{{QStringLiteral("ok"), result.ok()},
                            {QStringLiteral("ms"), result.compileMs + result.linkMs},
                            {QStringLiteral("cached_units"), result.unitsFromCache},
                            {QStringLiteral("awaited_units"), result.unitsAwaited},
                            {QStringLiteral("cached_link"), result.linkFromCache}});
    Q_EMIT compiled(result);
}

void LabSession::onProgramStarted(qint64 pid)
{
    m_runClock.start();
    m_programStarted = true;
    // Training speed is the learner's: no background compile meanwhile.
    m_background->pause();
    Trace::emit(QStringLiteral("program_started"));
    Q_EMIT programStarted(pid);
}

void LabSession::onPhase(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Queued:
    case RunPhase::Preparing:
        setState(State::Preparing);
        break;
    case RunPhase::Compiling:
    case RunPhase::Linking:
        setState(State::Compiling);
        break;
    case RunPhase::Running:
        setState(m_mode == RunMode::Check && m_lessonRun ? State::Checking : State::Running);
        break;
    case RunPhase::Finished:
        break;
    }
    Q_EMIT phaseChanged(phase);
}

void LabSession::onLabEvents(const QList<LabEvent> &events)
{
    bool metrics = false, memory = false;
    for (const LabEvent &e : events) {
        switch (e.type) {
        case LabEvent::Type::Metric:
            m_metrics.add(e);
            metrics = true;
            break;
        case LabEvent::Type::Memory:
            m_memory.addAllocator(runTimeMs(), e.allocated, e.reserved, e.peak);
            memory = true;
            break;
        case LabEvent::Type::Note:
            if (m_notesShown < MaxNotes) {
                ++m_notesShown;
                Q_EMIT note(cutText(e.message, 4'000));
            } else {
                ++m_notesDropped;
            }
            break;
        default:
            break;
        }
    }
    if (metrics)
        Q_EMIT metricsChanged();
    if (memory)
        Q_EMIT memoryChanged();
    Q_EMIT labEvents(events);
}

void LabSession::onEnvironmentState()
{
    if (!m_pending || m_state != State::Preparing)
        return;
    switch (m_environment->state()) {
    case EnvironmentSession::State::Ready:
        startPending();
        break;
    case EnvironmentSession::State::Cancelled:
        finishNotStarted(tr("Not started: preparing LibTorch was cancelled."));
        break;
    case EnvironmentSession::State::Unusable:
        finishNotStarted(tr("Not started: no usable LibTorch and compiler were found."));
        break;
    default:
        break;
    }
}

SessionDrops LabSession::drops(const RunnerResult &run) const
{
    SessionDrops d;
    d.metrics = m_metrics.drops();
    d.checksReceived = run.job.checks.received() + run.otherChecks.received();
    d.checksNotKept = run.job.checks.eventsDropped() + run.otherChecks.eventsDropped();
    d.checksUntallied = run.job.checks.untallied() + run.otherChecks.untallied();
    d.notesNotShown = m_notesDropped;
    return d;
}

void LabSession::onLessonDone(const CheckReport &report)
{
    CheckRunner *runner = m_checkRunner;
    m_checkRunner = nullptr;
    SessionResult result;
    result.mode = m_mode;
    result.lesson = true;
    result.started = true;
    result.stopped = m_stopRequested;
    result.report = report;
    result.run = runner->runnerResult();
    result.outcome = report.runOutcome;
    result.compileFailed =
        m_compileFailed || (!report.runOutcome && !report.diagnostics.isEmpty() &&
                            result.run.job.compile.outcome != CompileResult::Outcome::Ok);
    if (result.outcome == RunResult::Outcome::Stopped)
        result.stopped = true;
    result.drops = drops(result.run);
    runner->deleteLater(); // we are inside its done() signal
    // A report whose diagnostics never came through compiled() (a check that
    // failed before the compile finished) still puts them in the editor.
    if (!m_compileFailed && !report.diagnostics.isEmpty() && result.compileFailed) {
        CompileResult fromReport;
        fromReport.outcome = CompileResult::Outcome::CompileErrors;
        fromReport.diagnostics = report.diagnostics;
        Q_EMIT compiled(fromReport);
    }
    finish(result);
}

void LabSession::onProgramDone(const RunnerResult &run)
{
    Runner *runner = m_runner;
    m_runner = nullptr;
    SessionResult result;
    result.mode = RunMode::Run;
    result.lesson = false;
    result.started = true;
    result.run = run;
    result.compileFailed =
        !run.job.compile.ok() && run.job.compile.outcome != CompileResult::Outcome::Cancelled;
    if (run.job.ran)
        result.outcome = run.verdict().outcome;
    result.stopped = m_stopRequested || result.outcome == RunResult::Outcome::Stopped ||
                     run.job.compile.outcome == CompileResult::Outcome::Cancelled;
    result.drops = drops(run);
    runner->deleteLater();
    finish(result);
}

void LabSession::finishNotStarted(const QString &reason)
{
    m_pending.reset();
    SessionResult result;
    result.mode = m_mode;
    result.lesson = m_lessonRun;
    result.started = false;
    result.stopped = m_stopRequested;
    result.notStartedReason = reason;
    finish(result);
}

void LabSession::finish(SessionResult result)
{
    m_stopRequested = false;
    setState(State::Idle);
    Trace::emit(QStringLiteral("run_done"),
                QJsonObject{{QStringLiteral("started"), result.started},
                            {QStringLiteral("outcome"),
                             result.outcome ? outcomeName(*result.outcome) : QString()}});
    if (WarmRunner *warm = m_environment->warm())
        warm->ensureStarted(); // a server that died starts again for the next Run
    m_background->resume();
    Q_EMIT finished(result);
}

void LabSession::stop()
{
    if (m_state == State::Idle)
        return;
    m_stopRequested = true;
    if (m_pending) {
        finishNotStarted(tr("Stopped before it started."));
        return;
    }
    if (m_checkRunner)
        m_checkRunner->stop();
    else if (m_runner)
        m_runner->stop();
}

void LabSession::abandon()
{
    m_pending.reset();
    if (m_checkRunner) {
        CheckRunner *runner = m_checkRunner;
        m_checkRunner = nullptr;
        disconnect(runner, nullptr, this, nullptr);
        runner->stop();
        runner->deleteLater();
    }
    if (m_runner) {
        Runner *runner = m_runner;
        m_runner = nullptr;
        disconnect(runner, nullptr, this, nullptr);
        runner->stop();
        runner->deleteLater();
    }
    m_stopRequested = false;
    setState(State::Idle);
    m_background->cancel(); // its text belongs to the lesson being left
}

void LabSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace torchlab
