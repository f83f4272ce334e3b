#pragma once

#include "core/metrics/linesplitter.h"
#include "core/remote/jobbundle.h"
#include "core/remote/slurmending.h"
#include "core/runner/runstream.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QTimer>

namespace torchlab::cli {

class StdinChannel;

// On a Slurm login host: runs the job through srun (the job's partition,
// generic resources, time limit and name) as `torchlab-cli run --job FILE
// --json-stream` on a node, and relays that stream to the lab. While the job
// waits in the queue it sends queue events (job id, jobs ahead, time waited);
// a stop (or a lost connection) cancels the job with scancel; Slurm's own
// endings (time limit, preemption, node failure, a cancel by someone else)
// become the run's verdict in plain words.
class SlurmRelay : public QObject
{
    Q_OBJECT
public:
    SlurmRelay(JobBundle bundle, QString jobDirectory, RunStreamWriter &stream,
               QObject *parent = nullptr);

    // Runs to the end; returns the exit code the CLI exits with.
    int exec(StdinChannel &control);

private:
    void onStdoutLine(QByteArrayView line);
    void onStderrLine(QByteArrayView line);
    void pollQueue();
    void stop();
    void cancelJob();
    RunnerResult finalResult(int *exitCode);

    JobBundle m_bundle;
    QString m_jobDir;
    RunStreamWriter &m_stream;
    QProcess m_srun;
    LineSplitter m_out{runstream::MaxLineBytes};
    LineSplitter m_err{1 << 16};
    QTimer m_poll;
    QTimer m_kill;
    QElapsedTimer m_queuedFor;
    QString m_jobId;
    bool m_queued = false;
    bool m_stopRequested = false;
    bool m_haveDone = false;
    RunnerResult m_done;
    int m_doneExit = 1;
    SlurmEnding m_ending = SlurmEnding::None;
    QString m_allocationError;
    QByteArray m_stderrTail;
};

} // namespace torchlab::cli
