#pragma once

#include "core/runner/runner.h"

#include <QElapsedTimer>

#include <functional>
#include <memory>

namespace torchlab {

class MemorySampler;
class NvmlLibrary;
class PchCache;
class RankGroup;
class RankLinePrefixer;
class WarmRunner;

// Runs on this computer: makes the spec's data sets available (on a worker
// thread), compiles and runs rank 0 with RunJob, launches ranks 1.. with
// RankGroup the way torchrun does (TORCHLAB_DIST_BACKEND chosen here), and
// samples memory: NVML for a CUDA profile, the process group's RSS always.
//
// With several ranks, stdoutData()/stderrData() carry every rank's output,
// each whole line prefixed "[rank N] " (rank 0's too); a rank's unfinished
// last line arrives when it ends.
class LocalRunner : public Runner
{
    Q_OBJECT
public:
    struct Options
    {
        // The shared precompiled header of the profile (a GUI's warm one);
        // null or returning null: RunJob builds or waits for its own.
        std::function<PchCache *()> pch;
        // The warm runner of the profile; null or returning null: every run execs.
        std::function<WarmRunner *()> warm;
        // NVML for a CUDA profile; null: NvmlLibrary::defaultPath() (tests inject a fake).
        std::shared_ptr<NvmlLibrary> nvml;
        bool sampleGpu = true;
    };

    explicit LocalRunner(QObject *parent = nullptr);
    LocalRunner(Options options, QObject *parent = nullptr);
    ~LocalRunner() override;

    void start(const RunSpec &spec) override;
    void stop() override;
    bool isRunning() const override { return m_running; }
    QString where() const override;

private:
    void startJob();
    void onJobDone(const RunJobResult &result);
    void onRankZeroOutput(const QByteArray &chunk, bool isStderr);
    void maybeFinish();
    void finish();

    Options m_options;
    RunSpec m_spec;
    RunnerResult m_result;
    RunJob *m_job = nullptr;
    RankGroup *m_ranks = nullptr;
    MemorySampler *m_gpu = nullptr;
    std::unique_ptr<RankLinePrefixer> m_rankZeroOut; // set while several ranks run
    std::unique_ptr<RankLinePrefixer> m_rankZeroErr;
    QElapsedTimer m_clock; // since rank 0 started: the samples' time axis
    bool m_running = false;
    bool m_stopped = false;
    bool m_jobDone = false;
    std::shared_ptr<int>
        m_alive; // expires with this runner: a data-set thread's callback checks it
};

class LocalRunnerFactory : public RunnerFactory
{
public:
    explicit LocalRunnerFactory(LocalRunner::Options options = {}) : m_options(std::move(options))
    {
    }
    Runner *create(QObject *parent) const override { return new LocalRunner(m_options, parent); }

private:
    LocalRunner::Options m_options;
};

} // namespace torchlab
