#pragma once

#include "core/metrics/checklog.h"
#include "core/metrics/labevent.h"
#include "core/metrics/linesplitter.h"
#include "core/metrics/metricsdecoder.h"
#include "core/run/processrunner.h"
#include "core/runner/runner.h"
#include "core/toolchain/toolchaintypes.h"

#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QTimer>

#include <memory>

namespace torchlab {

// Prefixes every complete line of one rank's output with "[rank N] " so that
// the ranks' output can be shown merged. Lines split across chunks are held
// back until their end arrives (LineSplitter, so at most maxLineBytes are
// held); a longer line is left out and a one-line notice takes its place.
// flush() gives the unfinished last line.
class RankLinePrefixer
{
public:
    explicit RankLinePrefixer(int rank, qsizetype maxLineBytes = LineSplitter::DefaultMaxLineBytes);
    QByteArray feed(QByteArrayView chunk); // the complete lines in `chunk`, prefixed
    QByteArray flush(); // what is left, prefixed and ended by '\n'; empty if nothing
    qsizetype bufferCapacity() const { return m_splitter.bufferCapacity(); }

private:
    void take(QByteArray &out, QByteArrayView line);

    QByteArray m_prefix;
    LineSplitter m_splitter;
};

// The c10d backend ranks should use, and why (for notes and logs).
struct RankBackend
{
    QString name;   // "nccl", "gloo", or empty when neither is usable
    QString reason; // one plain sentence
};

// Ranks 1..N-1 of a multi-rank lesson, launched the way torchrun does: the
// same program with RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT in the environment. Rank 0 is run by RunJob
// with the variables from rankEnvironment(). Emits finished() once every
// rank it started has ended.
//
// A rank that dies leaves the others blocked in a collective: once one rank
// has ended badly, or rank 0 has ended, the rest get `graceMs` and are then
// stopped.
class RankGroup : public QObject
{
    Q_OBJECT
public:
    explicit RankGroup(QObject *parent = nullptr);
    ~RankGroup() override;

    // The environment of rank `rank` of `worldSize`, on 127.0.0.1:`port`.
    // A non-empty `backend` is passed as TORCHLAB_DIST_BACKEND ("nccl" or "gloo").
    static QProcessEnvironment rankEnvironment(QProcessEnvironment base, int rank, int worldSize,
                                               int port, const QString &backend = QString());
    // A TCP port on 127.0.0.1 that was free a moment ago (0 when none was found).
    static int freePort();
    // NCCL on a CUDA profile whose LibTorch has it, when every rank gets a GPU
    // of its own (NCCL refuses two ranks on one GPU); Gloo otherwise, when the
    // LibTorch has it. `gpuCount`: GPUs the ranks may use.
    static RankBackend chooseBackend(const ToolchainProfile &profile, int gpuCount, int worldSize);

    // Starts ranks 1..worldSize-1 of `program`, each in `sandbox`.
    void start(const QString &program, const QString &workingDirectory,
               const QProcessEnvironment &environment, const RunLimits &limits, int worldSize,
               int port, const SandboxPolicy &sandbox = {});
    void rankZeroFinished(bool ok); // starts the grace period
    void stop();
    bool isRunning() const;

    QList<RankRun> results() const { return m_results; }
    const CheckLog &checks() const { return m_checks; }

    int graceMs = 10'000;

Q_SIGNALS:
    void rankFailed(int rank, const torchlab::RunResult &result); // rank 0 should be stopped soon
    // Output of ranks 1.., whole lines prefixed "[rank N] " (RankLinePrefixer);
    // a last unfinished line arrives when its rank ends.
    void rankOutput(int rank, const QByteArray &lines, bool isStderr);
    void finished();

private:
    void onRankDone(int rank, const RunResult &result);

    struct Rank
    {
        int rank = 0;
        ProcessRunner *runner = nullptr;
        MetricsDecoder decoder;
        std::unique_ptr<RankLinePrefixer> out;
        std::unique_ptr<RankLinePrefixer> err;
        bool done = false;
    };
    QList<Rank *> m_ranks;
    QList<RankRun> m_results;
    CheckLog m_checks;
    QTimer m_grace;
};

} // namespace torchlab
