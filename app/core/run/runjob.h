#pragma once

#include "core/build/compilejob.h"
#include "core/metrics/checklog.h"
#include "core/metrics/labevent.h"
#include "core/metrics/metricsdecoder.h"
#include "core/run/processrunner.h"
#include "core/run/runphase.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QProcessEnvironment>

namespace torchlab {

class PchCache;
class WarmRunner;

// Compile an exercise, then run it with the metrics channel: one program's
// edit -> run path on this computer. LocalRunner (core/runner) builds on it;
// the GUI and the CLI reach it only through a Runner.
struct RunJobRequest
{
    ToolchainProfile profile;
    QList<SourceFile> sources;
    QStringList extraCompileFlags;
    QStringList arguments;    // passed to the program
    QString workingDirectory; // where the program runs; empty: the job directory
    QString device;           // "cpu", "cuda", or empty: the profile's choice
    RunLimits limits;         // for the program (the compiler has its own)
    bool usePch = true;       // wait for / build the precompiled header first
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The program's sandbox; the job folder and workingDirectory are added to
    // its writable folders.
    SandboxPolicy sandbox;
};

struct RunJobResult
{
    CompileResult compile;
    bool ran = false; // false: it ended before the program started
    RunResult run;    // valid when ran
    bool haveHello = false;
    LabEvent hello;         // the program's hello line (lab.h programs only)
    CheckLog checks;        // lab::check reports (bounded: see CheckLog)
    QList<LabEvent> errors; // structured errors (cuda_oom, ...): the first MaxErrors
    MetricsDecoderStats metricsStats;
    qint64 pchWaitMs = 0; // time spent waiting for the precompiled header
    // How the program was started: "warm" (a child of the warm runner) or
    // why it was exec'd instead ("exec: the warm runner is still starting").
    QString launch;

    bool ok() const { return compile.ok() && ran && run.ok(); }
    QString summary() const; // the verdict in one line

    static constexpr int MaxErrors = 16; // only the first one decides the verdict
};

class RunJob : public QObject
{
    Q_OBJECT
public:
    explicit RunJob(QObject *parent = nullptr);
    ~RunJob() override;

    // Uses `pch` when given (shared with a GUI that warms it up), else one of its own.
    void start(const RunJobRequest &request, PchCache *pch = nullptr);
    // Before start(): run the program through `warm` when it can
    // (WarmRunner::whyNotWarm), as a shared object; `ranks` > 1 never can.
    void setWarmRunner(WarmRunner *warm, int ranks = 1);
    void stop();
    bool isRunning() const { return m_running; }
    QString jobDirectory() const { return m_jobDir; }

Q_SIGNALS:
    void phaseChanged(torchlab::RunPhase phase);
    void pchProgress(int percent, const QString &message);
    void compiled(const torchlab::CompileResult &result);
    void started(qint64 pid);
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    void labEvents(const QList<torchlab::LabEvent> &events); // one batch per metrics chunk
    void rssSample(qint64 bytes);
    void done(const torchlab::RunJobResult &result);

private:
    void compile();
    void onCompiled(const CompileResult &result);
    void onMetrics(const QByteArray &chunk);
    void onRunDone(const RunResult &result);
    void finish();
    QProcessEnvironment runEnvironment() const;

    RunJobRequest m_request;
    WarmRunner *m_warm = nullptr;
    int m_ranks = 1;
    bool m_warmRun = false;
    RunJobResult m_result;
    PchCache *m_pch = nullptr;
    bool m_ownsPch = false;
    CompileJob *m_compile = nullptr;
    ProcessRunner *m_runner = nullptr;
    MetricsDecoder m_decoder;
    QElapsedTimer m_pchTimer;
    QString m_jobDir;
    bool m_running = false;
    bool m_stopped = false;
};

// Refines a runner's verdict with what the program reported itself: a
// structured cuda_oom or c10_error event beats guessing from stderr.
void refineWithLabErrors(RunResult &run, const QList<LabEvent> &errors);

} // namespace torchlab
