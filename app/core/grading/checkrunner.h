#pragma once

#include "core/course/pack.h"
#include "core/grading/checkevaluator.h"
#include "core/grading/checkreport.h"
#include "core/run/runjob.h"
#include "core/runner/runner.h"
#include "core/toolchain/toolchaintypes.h"
#include "core/util/result.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

namespace torchlab {

// Which code of a lesson to check.
struct CheckRequest
{
    enum class Use
    {
        Starter,
        Solution,
        Files
    };

    Use use = Use::Solution;
    // Use::Files: files that replace the starter files of the same name (a
    // single file replaces a lesson's only .cpp starter whatever its name),
    // or one folder whose files do.
    QStringList files;
    bool quick = false; // TORCHLAB_QUICK=1: lessons train for fewer steps
    QString language = QStringLiteral("en");
    ToolchainProfile profile;
    bool usePch = true;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // false: "Run" instead of "Check": only the learner's units are compiled
    // (no hidden check units, no -Dmain renaming), the learner's own program
    // runs under the lesson's limits (data sets and ranks as for a check), and
    // the report's tests hold only "compiles" and "exits_ok".
    bool grade = true;
    double timeScale = 1.0; // multiplies the lesson's time limit (<= 0 or NaN: 1)
    int memoryCapMb = 0;    // 0: the lesson's memory limit; else the smaller of both
    SandboxMode sandbox = SandboxMode::Auto; // how the programs are held (LabSettings::sandbox)
    // GPUs the ranks of a multi-rank lesson may use, for the choice between
    // NCCL and Gloo (RankGroup::chooseBackend). -1: ask NVML (probeGpu()) on a
    // CUDA profile, fewer when CUDA_VISIBLE_DEVICES lists fewer; 0 on a CPU one.
    int gpuCount = -1;
};

// The learner files staged for one check, and the units to compile.
struct StagedSources
{
    QString directory;        // where the learner's files were copied (job/src)
    QList<SourceFile> units;  // learner units first, then the hidden check units
                              // (copied to job/check)
    QStringList learnerFiles; // shown names of every staged learner file
    QStringList leftOut;      // .cu files not built (no CUDA profile, or no nvcc:
                              // ToolchainProfile::canBuildCudaKernels()); the units
                              // then lack TORCHLAB_WITH_CUDA_KERNELS
};

// Checks one lesson: stages the chosen code into a job folder (the learner's
// files in src/, the lesson's hidden check files in check/), compiles it with
// the hidden check units (learner units get -Dmain=torchlab_learner_main so
// the check's main() drives them; without a check file the learner's own
// program runs), runs it under the lesson's limits (request.grade = false: the
// learner's program alone, see CheckRequest) -- as N processes with
// torchrun's variables when it needs several ranks -- and grades every check
// (evaluateLesson). The compile and run happen in a Runner from the factory
// (this computer by default), so a lesson may be checked on another machine.
// Emits exactly one done() per start(), also when it cannot compile or is
// stopped.
//
// Threading: lives in the creating thread; every signal is emitted there.
class CheckRunner : public QObject
{
    Q_OBJECT
public:
    explicit CheckRunner(QObject *parent = nullptr);
    ~CheckRunner() override;

    // Where the work happens; default: this computer, each RunJob with its
    // own precompiled header (pass a LocalRunnerFactory with a shared one).
    void setRunnerFactory(std::shared_ptr<RunnerFactory> factory);

    // The lesson's directory must be set (PackLoader does).
    void start(const Lesson &lesson, const CheckRequest &request);
    void stop();
    bool isRunning() const { return m_running; }
    // The runner's result of the last run (valid in and after done()).
    const RunnerResult &runnerResult() const { return m_observation.run; }

    // Copies the learner's files (per request.use) into `jobDirectory`/src and
    // the lesson's check files into `jobDirectory`/check, and lists the units
    // to compile with their flags. Pure file work; exposed for tests.
    // Fails, saying why, when a file is missing or cannot be copied.
    static Result<StagedSources> stage(const Lesson &lesson, const CheckRequest &request,
                                       const QString &jobDirectory);
    // Notes on what differs because this machine lacks what the lesson asks for
    // (a GPU, or nvcc for its .cu files).
    static QStringList requirementNotes(const Lesson &lesson, const ToolchainProfile &profile);
    // The limits the program runs under: the lesson's, scaled by
    // request.timeScale and capped by request.memoryCapMb.
    static RunLimits runLimits(const Lesson &lesson, const CheckRequest &request);
    // The checks a Run (grade = false) reports: the lesson's "compiles" and
    // "exits_ok" checks (their messages; never warning_free), or plain ones.
    static QList<Check> runChecks(const Lesson &lesson);

Q_SIGNALS:
    void phaseChanged(torchlab::RunPhase phase);
    void pchProgress(int percent, const QString &message);
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    void labEvents(const QList<torchlab::LabEvent> &events);
    void compiled(const torchlab::CompileResult &result); // the runner's, with the diagnostics
    void started(qint64 pid);                             // rank 0's program is running
    void sample(const torchlab::MemorySample &sample);    // memory while it runs (Runner::sample)
    void queued(const torchlab::QueueState &state);       // Runner::queued
    void notice(const QString &text);                     // Runner::notice
    void done(const torchlab::CheckReport &report);

private:
    void onLabEvents(const QList<LabEvent> &events);
    void onRunnerDone(const RunnerResult &result);
    void finish(CheckReport report);
    QString sourceName() const;

    struct Observation
    {
        RunObservation graded;
        RunnerResult run;
        qsizetype metricNameChars = 0;
    };

    std::shared_ptr<RunnerFactory> m_factory;
    Lesson m_lesson;
    CheckRequest m_request;
    StagedSources m_staged;
    QString m_jobDir;
    Runner *m_runner = nullptr;
    Observation m_observation;
    QStringList m_notes;
    bool m_running = false;
    bool m_stopped = false;
};

} // namespace torchlab
