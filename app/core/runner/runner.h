#pragma once

#include "core/build/compilejob.h"
#include "core/gpu/memorysampler.h"
#include "core/metrics/checklog.h"
#include "core/metrics/labevent.h"
#include "core/run/runjob.h"
#include "core/run/runlimits.h"
#include "core/run/runphase.h"
#include "core/run/sandbox.h"
#include "core/toolchain/toolchaintypes.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

// A Check graded by the course server with its own copy of the lesson (a
// lesson with grading = "server"): the job then carries only the learner's
// files, and the server adds the hidden check units.
struct ServerGrade
{
    QString pack;
    QString version;
    QString lesson;
    bool quick = false;
};

// What to build and run. The same value describes a run on this computer and
// on another one: a remote runner uploads `sources`, sends the rest as JSON
// (runspecjson.h) and ignores what only makes sense here (`profile`,
// `environment`, `workingDirectory`, paths).
struct RunSpec
{
    ToolchainProfile profile;  // this computer's toolchain; a remote one picks its own
    QList<SourceFile> sources; // learner units first, then hidden check units
    QStringList extraCompileFlags;
    QStringList arguments;    // passed to the program
    QString workingDirectory; // where the program runs; empty: the job folder
    QString device;           // "cpu", "cuda", or empty: the toolchain's choice
    RunLimits limits;         // for the program (the compiler has its own)
    bool usePch = true;       // wait for / build the precompiled header first
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(); // base, here only
    QMap<QString, QString> variables; // set by the lab over the base; travel to remote runners
    QStringList datasets;             // made available first (requires.datasets, TORCHLAB_DATA)
    int ranks = 1;                    // > 1: that many processes, launched as torchrun does
    bool network = false;             // the program may use the network (else: the sandbox's own
                                      // loopback, or the computer's loopback for ranks)
    SandboxMode sandbox = SandboxMode::Auto; // this computer's setting; TORCHLAB_SANDBOX overrides
    QStringList writable; // folders the program may write besides the job folder and
                          // workingDirectory (`run FILE`: the folder it was run from)
    int gpuCount = -1;    // GPUs the ranks may use; -1: ask the machine
    QString
        jobName; // the lesson's id or the program's name: names remote job folders and Slurm jobs
    std::optional<ServerGrade> serverGrade; // set: graded on the server (remote runners only)
};

// A run waiting in a cluster's queue (Slurm): the learner sees
// "waiting for a GPU: 12 s, 3 jobs ahead".
struct QueueState
{
    QString job;    // the scheduler's job id
    int ahead = -1; // jobs before this one in its partition; -1: not known
    qint64 waitedMs = 0;
    QString text() const;
};

// One more process of a multi-rank run (ranks 1..N-1; rank 0 is the job's).
struct RankRun
{
    int rank = 0;
    RunResult run;
};

// How a run ended, wherever it ran.
struct RunnerResult
{
    RunJobResult job; // the compile and rank 0's run
    QList<RankRun> otherRanks;
    CheckLog otherChecks; // lab::check reports of ranks 1..
    QStringList notes;    // what the runner chose or lacked (c10d backend, data sets)

    // The run to judge: rank 0's, unless it only stopped (or finished)
    // because another rank failed by itself; `rank` receives whose it is.
    const RunResult &verdict(int *rank = nullptr) const;

    // A run that could not start (nothing compiled): the compile stage failed
    // with `summary` and `explanation`.
    static RunnerResult notStarted(const QString &summary, const QString &explanation = QString());
};

// Where a run happens: this computer (LocalRunner), or a course GPU server
// whose torchlab-cli speaks the JSON event stream (docs/json-stream.md).
//
// Contract, for every implementation:
// - start() once per object; exactly one done() follows, also when nothing
//   could be started, when stop() was called and when the connection was lost
//   (then the result's run outcome is RunResult::Outcome::ConnectionLost);
// - signals arrive in the order phase → compiled → started → output, lab
//   events and samples → done, in the thread that created the runner;
// - stop() may be called at any time, also twice; done() may be emitted
//   before it returns;
// - sample() carries memory readings stamped in ms since the program started
//   (NVML on a GPU machine, the process group's RSS otherwise);
// - nothing a program sends is kept without bound (CheckLog, RunJobResult).
class Runner : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Runner() override = default;

    virtual void start(const RunSpec &spec) = 0;
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;
    // Where it runs, for the learner: "this computer", "gpu.example.edu".
    virtual QString where() const = 0;

Q_SIGNALS:
    void phaseChanged(torchlab::RunPhase phase);
    void pchProgress(int percent, const QString &message);
    void compiled(const torchlab::CompileResult &result);
    void started(qint64 pid); // rank 0's program; a remote runner's pid is the server's
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    void labEvents(const QList<torchlab::LabEvent> &events); // rank 0's
    void sample(const torchlab::MemorySample &sample);
    void
    queued(const torchlab::QueueState &state); // while a scheduler holds the run (phase Queued)
    void notice(const QString &text); // something the learner should read once (a new host key)
    void done(const torchlab::RunnerResult &result);
};

// Makes the runners a LabSession or a CheckRunner uses: the seam where a
// target other than this computer plugs in.
class RunnerFactory
{
public:
    virtual ~RunnerFactory() = default;
    virtual Runner *create(QObject *parent) const = 0;
    // The toolchain of the machine that compiles: empty for this computer
    // (the lab's EnvironmentSession has it); a server's, as its doctor
    // reported it, for a remote target. What a lesson builds (.cu files or
    // not) and the notes about it follow it.
    virtual std::optional<ToolchainProfile> targetProfile() const { return std::nullopt; }
};

} // namespace torchlab

Q_DECLARE_METATYPE(torchlab::RunnerResult)
Q_DECLARE_METATYPE(torchlab::QueueState)
