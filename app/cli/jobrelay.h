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

// The server's side of one job of `torchlab-cli serve`, and of a Slurm job:
// runs `torchlab-cli run --job FILE --json-stream` as a child and relays its
// stream to the lab (its hello swallowed, its done held until the child has
// ended). A stop (or a lost connection) asks the child to stop.
//
// With a Slurm request (a login host), the child runs through srun (the
// job's partition, generic resources, time limit and name) on a node. While
// the job waits in the queue the relay sends queue events (job id, jobs
// ahead, time waited); a stop cancels the job with scancel; Slurm's own
// endings (time limit, preemption, node failure, a cancel by someone else)
// become the run's verdict in plain words.
class JobRelay : public QObject
{
    Q_OBJECT
public:
    JobRelay(JobBundle bundle, QString jobDirectory, RunStreamWriter &stream,
             QObject *parent = nullptr);

    // Runs to the end (the done event written); returns the job's exit code.
    int exec(StdinChannel &control);
    // A stop line or the end of stdin came during the job.
    bool controlEnded() const { return m_controlEnded; }

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
    QProcess m_child;
    LineSplitter m_out{runstream::MaxLineBytes};
    LineSplitter m_err{1 << 16};
    QTimer m_poll;
    QTimer m_kill;
    QElapsedTimer m_queuedFor;
    QString m_jobId;
    bool m_queued = false;
    bool m_stopRequested = false;
    bool m_controlEnded = false;
    bool m_haveDone = false;
    RunnerResult m_done;
    int m_doneExit = 1;
    SlurmEnding m_ending = SlurmEnding::None;
    QString m_allocationError;
    QByteArray m_stderrTail;
};

} // namespace torchlab::cli
