// StudioController, part two: Run, Check and Stop. The learner's files go to
// a work folder, a CheckRunner compiles and runs them, and its signals land
// in the console, the editors, the Problems and Checks panels and the plots.
#include "studio/studiocontroller.h"

#include "core/course/lessonworkspace.h"
#include "studio/environmentsession.h"
#include "studio/mainwindow.h"

#include "core/build/compilejob.h"
#include "core/build/pchcache.h"
#include "widgets/console/outputconsole.h"
#include "widgets/console/warmupbar.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/editor/codeeditor.h"
#include "widgets/editor/problemsview.h"
#include "core/gpu/nvmlsampler.h"
#include "core/grading/checkrunner.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"
#include "core/run/outcomeadvice.h"

#include <optional>

namespace torchlab {

namespace {

// CheckReport carries the outcome by its stable name; empty when nothing ran.
std::optional<RunResult::Outcome> outcomeFromName(const QString &name)
{
    for (int i = 0; i <= int(RunResult::Outcome::FailedToStart); ++i) {
        const auto outcome = RunResult::Outcome(i);
        if (outcomeName(outcome) == name)
            return outcome;
    }
    return std::nullopt;
}

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

} // namespace

void StudioController::run()
{
    requestRun(false);
}

void StudioController::check()
{
    requestRun(true);
}

void StudioController::requestRun(bool grade)
{
    if (m_activity != Activity::Idle || !currentLesson())
        return;
    saveNow();
    m_pendingGrade = grade;
    switch (m_environment->state()) {
    case EnvironmentSession::State::Ready:
        startRun(grade);
        return;
    case EnvironmentSession::State::Unusable:
        m_window->console()->clearOutput();
        m_window->console()->appendInfo(
            tr("Cannot compile: %1").arg(m_environment->report().choice.error));
        m_window->showBottomTab(MainWindow::BottomTab::Output);
        return;
    case EnvironmentSession::State::Idle:
        startEnvironment();
        break;
    case EnvironmentSession::State::Cancelled:
        m_environment->prepare();
        break;
    case EnvironmentSession::State::Gathering:
    case EnvironmentSession::State::Preparing:
        break;
    }
    // Not ready yet: say so and start when the session is (stateChanged).
    setActivity(Activity::Waiting);
    const QString waiting = tr("Waiting for LibTorch to be prepared…");
    m_window->console()->clearOutput();
    m_window->console()->appendInfo(waiting);
    m_window->showBottomTab(MainWindow::BottomTab::Output);
    m_window->setRunState(waiting, true);
}

void StudioController::startRun(bool grade)
{
    const Lesson *lesson = currentLesson();
    if (!lesson) {
        setActivity(Activity::Idle);
        return;
    }
    QMap<QString, QString> files;
    QStringList order;
    for (CodeEditor *editor : m_window->editors()) {
        files.insert(editor->fileName(), editor->text());
        order << editor->fileName();
    }
    QString error;
    const QStringList paths =
        LessonWorkspace::writeWorkFiles(m_pack.id, m_lessonId, files, order, &error);
    OutputConsole *console = m_window->console();
    console->clearOutput();
    if (paths.isEmpty()) {
        console->appendInfo(error);
        setActivity(Activity::Idle);
        m_window->setRunState(tr("Not started"), false);
        return;
    }

    CheckRequest request;
    request.use = CheckRequest::Use::Files;
    request.files = paths;
    request.grade = grade;
    request.quick = m_settings.quickRuns;
    request.timeScale = m_settings.timeScale;
    request.memoryCapMb = m_settings.memoryMb;
    request.language = m_options.language;
    request.profile = m_environment->profile();
    PchCache *pch = m_environment->pch();
    request.usePch = pch && pch->state() != PchCache::State::Failed;

    console->appendInfo(grade ? tr("Checking %1…").arg(order.join(QStringLiteral(", ")))
                              : tr("Compiling %1…").arg(order.join(QStringLiteral(", "))));
    m_window->problems()->clearDiagnostics();
    for (CodeEditor *editor : m_window->editors())
        editor->clearDiagnostics();
    m_metrics.clear();
    m_window->lossPlot()->reset();
    m_window->memoryPlot()->clear();
    m_window->checks()->showExplanation(QString(), QString());
    if (grade)
        m_window->checks()->setRunning(tr("Checking…"));
    m_window->showBottomTab(MainWindow::BottomTab::Output);

    m_runner = new CheckRunner(this);
    m_runGrades = grade;
    CheckRunner *runner = m_runner;
    connect(runner, &CheckRunner::phaseChanged, this, [this](RunJob::Phase phase) {
        switch (phase) {
        case RunJob::Phase::PreparingToolchain:
            m_window->setRunState(tr("Waiting for LibTorch to be prepared…"), true);
            break;
        case RunJob::Phase::Compiling:
            m_window->setRunState(tr("Compiling…"), true);
            break;
        case RunJob::Phase::Linking:
            m_window->setRunState(tr("Linking…"), true);
            break;
        case RunJob::Phase::Running:
            m_window->setRunState(m_runGrades ? tr("Checking…") : tr("Running…"), true);
            break;
        case RunJob::Phase::Finished:
            break;
        }
    });
    connect(runner, &CheckRunner::pchProgress, m_window->warmupBar(), &WarmupBar::setProgress);
    connect(runner, &CheckRunner::stdoutData, console, &OutputConsole::appendStdout);
    connect(runner, &CheckRunner::stderrData, console, &OutputConsole::appendStderr);
    connect(runner, &CheckRunner::labEvents, this, &StudioController::onLabEvents);
    connect(runner, &CheckRunner::compiled, this, &StudioController::onCompiled);
    connect(runner, &CheckRunner::started, this, &StudioController::onStarted);
    connect(runner, &CheckRunner::rssSample, this, [this](qint64 bytes) {
        // The watchdog's last look after the program exited finds no process:
        // that is the end of the run, not a drop to zero memory.
        if (bytes > 0)
            m_window->memoryPlot()->addRssSample(runTimeMs(), bytes);
    });
    connect(runner, &CheckRunner::done, this, &StudioController::finishRun);

    m_programStarted = false;
    setActivity(grade ? Activity::Checking : Activity::Running);
    m_window->setRunState(tr("Compiling…"), true);
    runner->start(*lesson, request, pch);
}

qint64 StudioController::runTimeMs() const
{
    // The runner's first RSS sample can arrive before started(): it belongs at 0.
    return m_programStarted ? m_runClock.elapsed() : 0;
}

void StudioController::onCompiled(const CompileResult &result)
{
    m_window->problems()->setDiagnostics(result.diagnostics);
    for (CodeEditor *editor : m_window->editors())
        editor->setDiagnostics(result.diagnostics);
    if (result.ok())
        return;
    if (!result.summary.isEmpty())
        m_window->console()->appendInfo(result.summary);
    if (!result.explanation.isEmpty())
        m_window->console()->appendInfo(result.explanation);
    // The first error the learner can act on: put the cursor there.
    for (const Diagnostic &diagnostic : result.diagnostics) {
        if (diagnostic.isError() && diagnostic.hasLearnerLocation()) {
            m_window->goToLocation(diagnostic.learnerFile, diagnostic.learnerLine,
                                   diagnostic.learnerColumn);
            break;
        }
    }
    m_window->showBottomTab(MainWindow::BottomTab::Problems);
}

void StudioController::onStarted(qint64 pid)
{
    // The memory plot's x axis starts with the program, not the compiler.
    m_runClock.start();
    m_programStarted = true;
    if (m_nvml)
        m_nvml->start(pid, pid);
    Q_EMIT programStarted(pid);
}

void StudioController::onDeviceSample(const MemorySample &sample)
{
    m_window->memoryPlot()->addDeviceSample(sample);
}

void StudioController::onLabEvents(const QList<LabEvent> &events)
{
    bool metrics = false;
    for (const LabEvent &event : events) {
        switch (event.type) {
        case LabEvent::Type::Metric:
            m_metrics.add(event);
            metrics = true;
            break;
        case LabEvent::Type::Memory:
            m_metrics.add(event);
            m_window->memoryPlot()->addAllocatorSample(runTimeMs(), event.allocated, event.reserved,
                                                       event.peak);
            break;
        case LabEvent::Type::Note:
            m_window->console()->appendInfo(event.message);
            break;
        default:
            break;
        }
    }
    if (metrics)
        m_window->lossPlot()->samplesAdded();
}

void StudioController::finishRun(const CheckReport &report)
{
    CheckRunner *runner = m_runner;
    m_runner = nullptr;
    if (runner)
        runner->deleteLater(); // we are inside its done() signal
    if (m_nvml)
        m_nvml->stop();
    OutputConsole *console = m_window->console();
    const bool graded = m_runGrades;
    const std::optional<RunResult::Outcome> outcome = outcomeFromName(report.runOutcome);
    const bool stopped = outcome == RunResult::Outcome::Stopped;

    if (!report.runSummary.isEmpty())
        console->appendInfo(report.runSummary);
    else if (!report.message.isEmpty())
        console->appendInfo(report.message);
    console->flush();
    if (!report.diagnostics.isEmpty() && m_window->problems()->topLevelItemCount() == 0) {
        // compiled() did not deliver them (a check that failed before): show the report's.
        CompileResult fromReport;
        fromReport.outcome = CompileResult::Outcome::CompileErrors;
        fromReport.diagnostics = report.diagnostics;
        onCompiled(fromReport);
    }

    QString state;
    if (graded && !stopped) {
        m_window->checks()->setReport(report);
        m_store.recordCheck(m_pack.id, m_lessonId, report.passed());
        m_progress = m_store.load(m_pack.id, m_lessonId);
        m_window->navigator()->setStatus(m_lessonId, m_progress.status);
        refreshLessonState(m_progress);
        m_window->showBottomTab(MainWindow::BottomTab::Checks);
        state = report.passed() ? tr("All checks passed")
                                : tr("%n check(s) did not pass", nullptr,
                                     report.count(CheckResult::Status::Fail) +
                                         report.count(CheckResult::Status::Error));
    } else if (stopped) {
        if (graded)
            m_window->checks()->clearReport();
        state = tr("Stopped");
    } else if (report.runOutcome.isEmpty()) {
        // Nothing ran: the compile failed (Problems has why) or nothing could be staged.
        state = m_window->problems()->errorCount() > 0 ? tr("Does not compile") : tr("Not run");
    } else {
        state = report.runSummary.isEmpty() ? tr("Finished") : report.runSummary;
    }

    if (outcome && needsExplanation(*outcome) && !report.runExplanation.isEmpty()) {
        m_window->checks()->showExplanation(outcomeTitle(*outcome), report.runExplanation,
                                            whatToTry(*outcome, report.runDetail));
        m_window->showBottomTab(MainWindow::BottomTab::Checks);
    }
    m_window->lossPlot()->redrawNow();
    m_window->memoryPlot()->redrawNow();
    setActivity(Activity::Idle);
    m_window->setRunState(state, false);
    Q_EMIT runFinished(report, graded);
}

void StudioController::stop()
{
    if (m_activity == Activity::Waiting) {
        setActivity(Activity::Idle);
        m_window->console()->appendInfo(tr("Stopped before it started."));
        m_window->setRunState(tr("Stopped"), false);
        return;
    }
    if (!m_runner)
        return;
    // done() may arrive inside stop(): set the interim state first.
    m_window->setRunState(tr("Stopping…"), true);
    m_runner->stop();
}

} // namespace torchlab
