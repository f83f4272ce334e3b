#pragma once

#include "core/grading/checkreport.h"
#include "core/grading/checkrunner.h"
#include "core/metrics/checklog.h"
#include "core/metrics/memoryseries.h"
#include "core/metrics/metricstore.h"
#include "core/run/runresult.h"
#include "core/runner/runner.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace torchlab {

class BackgroundBuild;
class EnvironmentSession;
struct ProfileRequest;

enum class RunMode
{
    Run,   // the learner's own program (or any program: torchlab-cli run)
    Check, // the lesson's hidden checks
};

// What a run could not keep, told to the learner when it ends.
struct SessionDrops
{
    MetricStoreDrops metrics;
    qint64 checksReceived = 0;  // lab::check reports of every rank
    qint64 checksNotKept = 0;   // beyond the first CheckLog::MaxEvents (still counted for grading)
    qint64 checksUntallied = 0; // of names past CheckLog's bounds: not counted
    qint64 notesNotShown = 0;   // lab::note lines past LabSession::MaxNotes

    bool any() const;
    // Plain sentences in the UI language, one per kind of drop.
    QStringList sentences(int maxSeries) const;
};

// The explanation card for a run that did not simply end (a crash, a limit,
// a lost connection): what happened and what to try.
struct OutcomeCard
{
    QString title;
    QString explanation;
    QStringList tips;
};

// How one Run, Check or program run ended: the one value finished() carries.
struct SessionResult
{
    RunMode mode = RunMode::Run;
    bool lesson = true;   // false: a program (startProgram)
    bool started = false; // false: nothing was started, notStartedReason says why
    QString notStartedReason;
    bool compileFailed = false; // the code did not compile; compiled() had the diagnostics
    bool stopped = false;       // Stop was pressed
    std::optional<RunResult::Outcome> outcome; // how the program ended; empty when it did not run
    CheckReport report; // a lesson's report (a Run's holds compiles/exits_ok)
    RunnerResult run;   // what the runner returned
    SessionDrops drops;

    bool graded() const { return mode == RunMode::Check && lesson; }
    bool passed() const { return graded() && report.passed(); }
    // The status line: "All checks passed", "2 check(s) did not pass", "Stopped",
    // "Does not compile", "Not run", or the run's summary.
    QString statusText() const; // verdictText(), and " · not sandboxed" when it was not
    QString verdictText() const;
    // For outcomes that need one (not Ok, ExitCode or Stopped) with an explanation.
    std::optional<OutcomeCard> card() const;
};

// One run session of the lab: the toolchain (EnvironmentSession), the
// Run-or-Check waiting for it, the run in progress (a CheckRunner for a
// lesson, a Runner for a program; both through the RunnerFactory, so the work
// may happen on this computer or elsewhere), the metric and memory stores the
// plots read, the run clock and the CSV export. The lab window and
// torchlab-cli both drive runs through it and only show what it emits.
//
// States: Idle → Preparing (waiting for the toolchain, the precompiled header
// or the data sets) → Compiling → Running (Run) or Checking (Check) → Idle.
// Exactly one finished() per accepted start, also when nothing could start.
//
// Bounded: the stores are (MetricStore, MemorySeriesStore), lab::note lines
// beyond MaxNotes per run are counted, not emitted; check reports are bounded
// by CheckLog. QtCore only; lives in the creating thread.
class LabSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,
        Preparing,
        Compiling,
        Running,
        Checking,
    };
    Q_ENUM(State)

    static constexpr qsizetype MaxNotes = 1'000;

    explicit LabSession(QObject *parent = nullptr);
    ~LabSession() override;

    EnvironmentSession *environment() const { return m_environment; }
    // The toolchain to gather for runs (settings, command-line options): a run
    // requested before any gather starts one with it.
    void setProfileRequest(const ProfileRequest &request, bool warmUp);
    // Remembers `request` and gathers the toolchain now.
    void startEnvironment(const ProfileRequest &request, bool warmUp);

    // Where runs happen. Default (and null): this computer, with the
    // environment's precompiled header. A run in progress keeps its runner.
    void setRunnerFactory(std::shared_ptr<RunnerFactory> factory);
    std::shared_ptr<RunnerFactory> runnerFactory() const { return m_factory; }

    // Runs or checks a lesson; `request.profile` and `usePch` come from the
    // environment when it is ready. False (and nothing happens) while busy.
    bool start(RunMode mode, const Lesson &lesson, CheckRequest request);
    // The same with the learner's editor texts (file name -> text, in `order`),
    // first written to the lesson's work folder.
    bool startWithCode(RunMode mode, const QString &packId, const Lesson &lesson,
                       const QMap<QString, QString> &files, const QStringList &order,
                       CheckRequest request);
    // The editor's texts of a lesson changed (every keystroke): the
    // background build abandons what it compiles and, once typing pauses,
    // compiles this text as a Run would (BackgroundBuild), so Run finds it
    // built. Only for runs on this computer; backgroundBuild() turns it off.
    void codeEdited(const QString &packId, const Lesson &lesson,
                    const QMap<QString, QString> &files, const QStringList &order,
                    CheckRequest request);
    BackgroundBuild *backgroundBuild() const { return m_background; }

    // Compiles and runs a standalone program (no lesson, no checks). The spec's
    // profile is the environment's when it has none.
    bool startProgram(RunSpec spec);
    // Ends the run, or the wait for the toolchain. finished() follows (stopped).
    void stop();
    // Drops the run in progress without a finished() (a lesson was left).
    void abandon();

    State state() const { return m_state; }
    RunMode mode() const { return m_mode; }
    bool isBusy() const { return m_state != State::Idle; }
    // What the run in progress (or the last one) runs: the lesson's id, or the
    // program's job name. Labels the run for monitoring.
    QString runName() const { return m_runName; }

    const MetricStore &metrics() const { return m_metrics; }
    const MemorySeriesStore &memory() const { return m_memory; }
    // ms since the program started; 0 before that.
    qint64 runTimeMs() const;
    Status exportMetricsCsv(const QString &path) const;
    // Forgets the samples of the last run (a lesson was opened).
    void clearStores();

Q_SIGNALS:
    void stateChanged(torchlab::LabSession::State state);
    void phaseChanged(torchlab::RunPhase phase);
    void pchProgress(int percent, const QString &message);
    void compiled(const torchlab::CompileResult &result);
    void programStarted(qint64 pid);
    void output(const QByteArray &chunk, bool isStderr);
    void note(const QString &text);
    void labEvents(const QList<torchlab::LabEvent> &events); // every event, as it came
    void metricsChanged();
    void memoryChanged();
    void memorySample(const torchlab::MemorySample &sample); // a runner's reading, as it came
    void queued(const torchlab::QueueState &state); // waiting for a cluster's GPU (phase Queued)
    void notice(const QString &text); // from the runner, to read once (a server's new host key)
    void finished(const torchlab::SessionResult &result);
    // The background build of the text being typed (codeEdited) started or
    // finished; its diagnostics are the text's, found while typing.
    void backgroundBuildStarted();
    void backgroundBuilt(const torchlab::CompileResult &result);

private:
    struct Pending
    {
        RunMode mode = RunMode::Run;
        Lesson lesson;
        CheckRequest request;
        std::optional<RunSpec> program;
    };
    void startPending();
    void startLesson(const Pending &pending);
    void beginRun(RunMode mode, bool lesson);
    void connectRunner(Runner *runner);
    void onEnvironmentState();
    void onLabEvents(const QList<LabEvent> &events);
    void onPhase(RunPhase phase);
    void onCompiled(const CompileResult &result); // either runner's compile
    void onProgramStarted(qint64 pid);
    void onLessonDone(const CheckReport &report);
    void onProgramDone(const RunnerResult &result);
    void finish(SessionResult result);
    void finishNotStarted(const QString &reason);
    void setState(State state);
    SessionDrops drops(const RunnerResult &run) const;

    void traceRequested(const QString &what);

    EnvironmentSession *m_environment = nullptr;
    BackgroundBuild *m_background = nullptr;
    std::unique_ptr<ProfileRequest> m_profileRequest;
    bool m_warmUp = true;
    std::shared_ptr<RunnerFactory> m_localFactory;
    std::shared_ptr<RunnerFactory> m_factory;
    State m_state = State::Idle;
    RunMode m_mode = RunMode::Run;
    bool m_lessonRun = true;
    QString m_runName;
    std::optional<Pending> m_pending;
    CheckRunner *m_checkRunner = nullptr; // the lesson run in progress
    Runner *m_runner = nullptr;           // the program run in progress
    bool m_stopRequested = false;
    bool m_compileFailed = false;
    bool m_programStarted = false;
    bool m_sawOutput = false;
    QElapsedTimer m_runClock;
    MetricStore m_metrics;
    MemorySeriesStore m_memory;
    qint64 m_notesShown = 0;
    qint64 m_notesDropped = 0;
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::SessionResult)
