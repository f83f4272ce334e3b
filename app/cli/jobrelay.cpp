#include "cli/jobrelay.h"

#include "cli/stdinchannel.h"

#include "core/runner/runnerjson.h"
#include "core/util/uilanguage.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cstdio>
#include <unistd.h>

namespace torchlab::cli {

namespace {

constexpr int kPollMs = 1000;
constexpr int kStopGraceMs = 20'000;

void writeLine(QByteArrayView line)
{
    std::fwrite(line.data(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace

JobRelay::JobRelay(JobBundle bundle, QString jobDirectory, RunStreamWriter &stream, QObject *parent)
    : QObject(parent), m_bundle(std::move(bundle)), m_jobDir(std::move(jobDirectory)),
      m_stream(stream)
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &JobRelay::pollQueue);
    m_kill.setSingleShot(true);
    connect(&m_kill, &QTimer::timeout, this, [this] { m_child.kill(); });
}

int JobRelay::exec(StdinChannel &control)
{
    QString program = QCoreApplication::applicationFilePath();
    QStringList args;
    if (m_bundle.slurm) {
        program = QStandardPaths::findExecutable(QStringLiteral("srun"));
        if (program.isEmpty()) {
            m_stream.done(RunnerResult::notStarted(
                              tr("No Slurm on %1").arg(QSysInfo::machineHostName()),
                              tr("The login host has no srun command. Is it the cluster's "
                                 "login node? Ask your instructor for the right host.")),
                          1);
            return 1;
        }
        const SlurmRequest &s = *m_bundle.slurm;
        args = QStringList{QStringLiteral("--partition"), s.partition,
                           QStringLiteral("--job-name"),  s.jobName,
                           QStringLiteral("--nodes"),     QStringLiteral("1"),
                           QStringLiteral("--ntasks"),    QStringLiteral("1"),
                           QStringLiteral("--input"),     QStringLiteral("none")};
        if (!s.gres.isEmpty())
            args << QStringLiteral("--gres") << s.gres;
        if (s.timeMinutes > 0)
            args << QStringLiteral("--time") << QString::number(s.timeMinutes);
        args << QCoreApplication::applicationFilePath();
    }
    args << QStringLiteral("run") << QStringLiteral("--job")
         << m_jobDir + QStringLiteral("/job.json") << QStringLiteral("--json-stream")
         << QStringLiteral("--lang") << UiLanguage::normalized(m_bundle.language);

    QEventLoop loop;
    connect(&m_child, &QProcess::readyReadStandardOutput, this, [this] {
        m_out.feed(m_child.readAllStandardOutput(), [this](QByteArrayView l) { onStdoutLine(l); });
    });
    connect(&m_child, &QProcess::readyReadStandardError, this, [this] {
        m_err.feed(m_child.readAllStandardError(), [this](QByteArrayView l) { onStderrLine(l); });
    });
    connect(&m_child, &QProcess::finished, &loop, &QEventLoop::quit);
    connect(&m_child, &QProcess::errorOccurred, &loop, [&loop](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            loop.quit();
    });
    connect(&control, &StdinChannel::stopRequested, this, [this](bool lost) {
        m_controlEnded = m_controlEnded || lost;
        stop();
    });
    control.watch();
    m_child.setStandardInputFile(QProcess::nullDevice());
    m_child.start(program, args);
    loop.exec();
    control.unwatch();
    disconnect(&control, nullptr, this, nullptr);
    m_poll.stop();
    m_kill.stop();
    m_out.feed(m_child.readAllStandardOutput(), [this](QByteArrayView l) { onStdoutLine(l); });
    m_out.finish([this](QByteArrayView l) { onStdoutLine(l); });
    m_err.feed(m_child.readAllStandardError(), [this](QByteArrayView l) { onStderrLine(l); });
    m_err.finish([this](QByteArrayView l) { onStderrLine(l); });

    int code = 1;
    const RunnerResult result = finalResult(&code);
    m_stream.done(result, code);
    return code;
}

void JobRelay::onStdoutLine(QByteArrayView line)
{
    if (m_queued) {
        // The node answered: the wait is over.
        m_queued = false;
        m_poll.stop();
    }
    // Lab events and output are the bulk and pass as they are; the rest is
    // small enough to read (its keys come in any order).
    if (line.startsWith("{\"t\":\"lab\"") || line.startsWith("{\"t\":\"std")) {
        writeLine(line);
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(line.toByteArray()).object();
    const QString type = o.value(QStringLiteral("t")).toString();
    if (type == QLatin1String("hello")) {
        const QString job = o.value(QStringLiteral("slurm_job")).toString();
        if (!job.isEmpty())
            m_jobId = job;
        if (m_bundle.slurm)
            m_stream.note(tr("Running on %1 (Slurm job %2).")
                              .arg(o.value(QStringLiteral("where")).toString(), m_jobId));
        return; // the lab has our own hello
    }
    if (type == QLatin1String("done")) {
        Result<RunnerResult> r = runnerResultFromJson(o.value(QStringLiteral("result")).toObject());
        if (r) {
            m_haveDone = true;
            m_done = std::move(*r);
            m_doneExit = o.value(QStringLiteral("exit_code")).toInt(1);
        }
        return; // sent once srun has ended and Slurm said why
    }
    writeLine(line);
}

void JobRelay::onStderrLine(QByteArrayView line)
{
    m_stderrTail += line.toByteArray() + '\n';
    if (m_stderrTail.size() > 4096)
        m_stderrTail = m_stderrTail.right(4096);
    static const QRegularExpression queued(QStringLiteral("job (\\d+) queued and waiting"));
    static const QRegularExpression allocated(QStringLiteral("job (\\d+) has been allocated"));
    static const QRegularExpression refused(QStringLiteral("Unable to allocate resources: (.*)$"));
    const QString text = QString::fromUtf8(line);
    if (const QRegularExpressionMatch m = queued.match(text); m.hasMatch()) {
        m_jobId = m.captured(1);
        m_queued = true;
        m_queuedFor.start();
        m_stream.phase(RunPhase::Queued);
        pollQueue();
        m_poll.start();
        if (m_stopRequested)
            cancelJob();
        return;
    }
    if (const QRegularExpressionMatch m = allocated.match(text); m.hasMatch()) {
        m_jobId = m.captured(1);
        m_queued = false;
        m_poll.stop();
        return;
    }
    if (const QRegularExpressionMatch m = refused.match(text); m.hasMatch()) {
        m_allocationError = m.captured(1).trimmed();
        return;
    }
    const SlurmEnding ending = slurmEndingOf(line);
    if (ending != SlurmEnding::None && m_ending == SlurmEnding::None)
        m_ending = ending;
}

void JobRelay::pollQueue()
{
    QueueState state;
    state.job = m_jobId;
    state.waitedMs = m_queuedFor.isValid() ? m_queuedFor.elapsed() : 0;
    // Pending jobs of the partition in the order Slurm will start them.
    QProcess squeue;
    squeue.start(QStringLiteral("squeue"),
                 {QStringLiteral("-h"), QStringLiteral("-p"), m_bundle.slurm->partition,
                  QStringLiteral("-t"), QStringLiteral("PD"), QStringLiteral("--sort=-p,i"),
                  QStringLiteral("-o"), QStringLiteral("%i")});
    if (squeue.waitForFinished(3000) && squeue.exitCode() == 0) {
        const QList<QByteArray> ids = squeue.readAllStandardOutput().split('\n');
        for (qsizetype i = 0; i < ids.size(); ++i)
            if (ids[i].trimmed() == m_jobId.toUtf8())
                state.ahead = int(i);
    }
    m_stream.queue(state);
}

void JobRelay::cancelJob()
{
    QProcess scancel;
    QStringList args;
    if (!m_jobId.isEmpty())
        args << m_jobId;
    else
        args << QStringLiteral("--name") << m_bundle.slurm->jobName << QStringLiteral("--user")
             << QString::number(::getuid());
    scancel.start(QStringLiteral("scancel"), args);
    scancel.waitForFinished(5000);
}

void JobRelay::stop()
{
    if (m_stopRequested || m_child.state() == QProcess::NotRunning)
        return;
    m_stopRequested = true;
    if (m_bundle.slurm && (!m_jobId.isEmpty() || m_queued))
        cancelJob();
    else
        m_child.terminate(); // the CLI stops its program and reports; srun withdraws its request
    m_kill.start(kStopGraceMs);
}

RunnerResult JobRelay::finalResult(int *exitCode)
{
    const QString host = QSysInfo::machineHostName();
    if (m_ending != SlurmEnding::None && !m_stopRequested) {
        RunnerResult r = m_haveDone ? m_done : RunnerResult();
        r.job.ran = true;
        RunResult &run = r.job.run;
        run.signal = 0;
        run.exitCode = -1;
        *exitCode = 1;
        switch (m_ending) {
        case SlurmEnding::TimeLimit:
            run.outcome = RunResult::Outcome::TimeLimit;
            run.summary = tr("Slurm's time limit ran out");
            run.explanation =
                m_bundle.slurm->timeMinutes > 0
                    ? tr("Slurm ended the job when its time limit of %n minute(s) ran out. Make "
                         "the program faster (fewer epochs, a smaller model), or ask for a longer "
                         "limit: torchlab-cli target add … --time MINUTES.",
                         nullptr, m_bundle.slurm->timeMinutes)
                    : tr("Slurm ended the job when the partition's time limit ran out. Make the "
                         "program faster (fewer epochs, a smaller model), or ask your instructor "
                         "for a longer limit.");
            break;
        case SlurmEnding::Preempted:
            run.outcome = RunResult::Outcome::EndedByCluster;
            run.summary = tr("preempted by Slurm");
            run.explanation = tr("Slurm gave the GPU to a job of higher priority and ended this "
                                 "one. Run it again to queue it anew.");
            break;
        case SlurmEnding::NodeFailure:
            run.outcome = RunResult::Outcome::EndedByCluster;
            run.summary = tr("the node failed");
            run.explanation = tr("The cluster node that ran the job failed. Run it again: Slurm "
                                 "will pick another node.");
            break;
        case SlurmEnding::Cancelled:
        case SlurmEnding::None:
            run.outcome = RunResult::Outcome::EndedByCluster;
            run.summary = tr("cancelled on the cluster");
            run.explanation = tr("The job was cancelled on the cluster, not by you (an "
                                 "administrator, or scancel in another window). Run it again "
                                 "when the cluster is available.");
            break;
        }
        return r;
    }
    if (m_haveDone) {
        *exitCode = m_doneExit;
        return m_done;
    }
    *exitCode = 1;
    if (m_stopRequested) {
        RunnerResult r;
        r.job.compile.outcome = CompileResult::Outcome::Cancelled;
        r.job.compile.summary = tr("Stopped.");
        return r;
    }
    if (!m_bundle.slurm)
        return RunnerResult::notStarted(
            tr("The run on %1 ended without a result").arg(host),
            tr("torchlab-cli ended with status %1 before it reported.").arg(m_child.exitCode()));
    if (m_child.error() == QProcess::FailedToStart)
        return RunnerResult::notStarted(
            tr("No Slurm on %1").arg(host),
            tr("srun could not be started: %1").arg(m_child.errorString()));
    if (m_allocationError.contains(QLatin1String("partition"), Qt::CaseInsensitive))
        return RunnerResult::notStarted(
            tr("No partition %1 on %2").arg(m_bundle.slurm->partition, host),
            tr("Slurm said: %1. sinfo on the login host lists the partitions; "
               "change the target with torchlab-cli target add … --slurm "
               "PARTITION.")
                .arg(m_allocationError));
    if (!m_allocationError.isEmpty())
        return RunnerResult::notStarted(tr("Slurm refused the job"),
                                        tr("Slurm said: %1").arg(m_allocationError));
    return RunnerResult::notStarted(tr("srun ended without a result"),
                                    tr("srun ended with status %1. It said:\n%2")
                                        .arg(m_child.exitCode())
                                        .arg(QString::fromUtf8(m_stderrTail).trimmed()));
}

} // namespace torchlab::cli
