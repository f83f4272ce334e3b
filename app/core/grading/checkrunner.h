#pragma once

#include "core/course/pack.h"
#include "core/grading/checkevaluator.h"
#include "core/grading/checkreport.h"
#include "core/run/runjob.h"
#include "core/toolchain/toolchaintypes.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

namespace torchlab {

class PchCache;
class RankGroup;
class RankLinePrefixer;

// Which code of a lesson to check.
struct CheckRequest
{
    enum class Use { Starter, Solution, Files };

    Use use = Use::Solution;
    // Use::Files: files that replace the starter files of the same name (a
    // single file replaces a lesson's only .cpp starter whatever its name),
    // or one folder whose files do.
    QStringList files;
    bool quick = false;                    // TORCHLAB_QUICK=1: lessons train for fewer steps
    QString language = QStringLiteral("en");
    ToolchainProfile profile;
    bool usePch = true;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // false: "Run" instead of "Check": only the learner's units are compiled
    // (no hidden check units, no -Dmain renaming), the learner's own program
    // runs under the lesson's limits (data sets and ranks as for a check), and
    // the report's tests hold only "compiles" and "exits_ok".
    bool grade = true;
    double timeScale = 1.0;                // multiplies the lesson's time limit (<= 0 or NaN: 1)
    int memoryCapMb = 0;                   // 0: the lesson's memory limit; else the smaller of both
    // GPUs the ranks of a multi-rank lesson may use, for the choice between
    // NCCL and Gloo (RankGroup::chooseBackend). -1: ask NVML (probeGpu()) on a
    // CUDA profile, fewer when CUDA_VISIBLE_DEVICES lists fewer; 0 on a CPU one.
    int gpuCount = -1;
};

// The learner files staged for one check, and the units to compile.
struct StagedSources
{
    QString directory;                     // where the learner's files were copied
    QList<SourceFile> units;               // learner units first, then the hidden check units
    QStringList learnerFiles;              // shown names of every staged learner file
    QStringList leftOut;                   // .cu files not built (no CUDA profile, or no nvcc:
                                           // ToolchainProfile::canBuildCudaKernels()); the units
                                           // then lack TORCHLAB_WITH_CUDA_KERNELS
    QString error;                         // non-empty: nothing to compile, and why
};

// Checks one lesson: stages the chosen code into a job folder, makes the data
// sets it needs available, compiles it with the hidden check units (learner
// units get -Dmain=torchlab_learner_main so the check's main() drives them;
// without a check file the learner's own program runs), runs it under the
// lesson's limits (request.grade = false: the learner's program alone, see
// CheckRequest) -- as N processes with torchrun's variables when it needs
// several ranks, the c10d backend for them in TORCHLAB_DIST_BACKEND -- and
// grades every check (evaluateLesson). Emits exactly one done() per start(),
// also when it cannot compile or is stopped.
//
// With several ranks, stdoutData()/stderrData() carry every rank's output,
// each whole line prefixed "[rank N] " (rank 0's too); a rank's unfinished
// last line arrives when it ends.
//
// Threading: lives in the creating thread; the data-set unpacking runs on a
// worker thread; every signal is emitted in the creating thread.
class CheckRunner : public QObject
{
    Q_OBJECT
public:
    explicit CheckRunner(QObject *parent = nullptr);
    ~CheckRunner() override;

    // `pch` is shared (e.g. one per CLI invocation or GUI session); without one
    // RunJob makes its own. The lesson's directory must be set (PackLoader does).
    void start(const Lesson &lesson, const CheckRequest &request, PchCache *pch = nullptr);
    void stop();
    bool isRunning() const { return m_running; }

    // Copies the learner's files (per request.use) into `directory` and lists
    // the units to compile with their flags. Pure file work; exposed for tests.
    static StagedSources stage(const Lesson &lesson, const CheckRequest &request, const QString &directory);
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
    void phaseChanged(torchlab::RunJob::Phase phase);
    void pchProgress(int percent, const QString &message);
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    void labEvents(const QList<torchlab::LabEvent> &events);
    void compiled(const torchlab::CompileResult &result); // RunJob's, with the diagnostics
    void started(qint64 pid);                             // rank 0's program is running
    void rssSample(qint64 bytes);                         // rank 0's process-group RSS
    void done(const torchlab::CheckReport &report);

private:
    void startRun();
    void onLabEvents(const QList<LabEvent> &events);
    void onJobDone(const RunJobResult &result);
    void onRankZeroOutput(const QByteArray &chunk, bool isStderr);
    void maybeFinish();
    void finish(CheckReport report);
    QString sourceName() const;

    Lesson m_lesson;
    CheckRequest m_request;
    PchCache *m_pch = nullptr;
    StagedSources m_staged;
    QString m_jobDir;
    RunJob *m_job = nullptr;
    RankGroup *m_ranks = nullptr;
    std::unique_ptr<RankLinePrefixer> m_rankZeroOut; // set while several ranks run
    std::unique_ptr<RankLinePrefixer> m_rankZeroErr;
    RunObservation m_observation;
    QStringList m_notes;
    QProcessEnvironment m_env;
    bool m_jobDone = false;
    bool m_running = false;
    bool m_stopped = false;
    std::shared_ptr<int> m_generation; // replaced by each start(): an older data-set thread's
                                       // callback sees its copy expire and does nothing
};

} // namespace torchlab
