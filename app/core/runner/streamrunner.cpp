#include "core/runner/streamrunner.h"

#include "core/runner/runnerjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <csignal>

namespace torchlab {

namespace {

constexpr qsizetype kStderrTail = 4096;

} // namespace

StreamRunner::StreamRunner(Command command, QObject *parent)
    : Runner(parent), m_command(std::move(command))
{
    m_killTimer.setSingleShot(true);
    m_ping.setInterval(PingMs);
    connect(&m_ping, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() == QProcess::Running)
            m_process->write("{\"t\":\"ping\"}\n");
    });
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_inSession) {
            // The server did not answer the stop: end the session's command.
            m_inSession = false;
            m_command.session->abandon();
            conclude(-1);
            return;
        }
        if (m_process && m_process->state() != QProcess::NotRunning)
            m_process->kill();
    });
}

StreamRunner::~StreamRunner()
{
    if (m_inSession && m_running)
        m_command.session->abandon();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        disconnect(m_process, nullptr, this, nullptr);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void StreamRunner::start(const RunSpec &spec)
{
    Q_ASSERT(!m_running);
    m_spec = spec;
    m_running = true;
    m_stopped = false;
    m_haveDone = false;
    m_started = false;
    m_noticed = false;
    m_incompatible.clear();
    m_compile = CompileResult();
    m_stderrTail.clear();

    const auto refuse = [this](const QString &why) {
        RunnerResult result;
        result.job.compile.outcome = CompileResult::Outcome::CompilerFailed;
        result.job.compile.summary = why;
        finish(result);
    };
    const QString jobDir = spec.workingDirectory;
    QByteArray bundle;
    if (m_command.bundle) {
        Result<QByteArray> made = m_command.bundle(spec);
        if (!made) {
            refuse(made.error());
            return;
        }
        bundle = std::move(*made);
        if (m_command.session && startInSession(bundle))
            return;
    } else {
        QFile job(jobDir + QStringLiteral("/job.json"));
        if (jobDir.isEmpty() || !job.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            job.write(QJsonDocument(runSpecToJson(spec, jobDir)).toJson()) < 0 || !job.flush()) {
            refuse(tr("The job could not be written to %1.").arg(jobDir));
            return;
        }
        job.close();
    }

    m_reader =
        std::make_unique<RunStreamReader>([this](RunStreamEvent &&e) { onEvent(std::move(e)); });
    m_process = new QProcess(this);
    m_process->setProgram(m_command.program);
    const QString remoteJob =
        (m_command.remoteJobDirectory.isEmpty() ? jobDir : m_command.remoteJobDirectory) +
        QStringLiteral("/job.json");
    if (m_command.bundle)
        m_process->setArguments(m_command.arguments);
    else
        m_process->setArguments(m_command.arguments +
                                QStringList{QStringLiteral("run"), QStringLiteral("--job"),
                                            remoteJob, QStringLiteral("--json-stream")});
    m_process->setProcessEnvironment(spec.environment);
    if (!m_command.bundle)
        m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { m_reader->feed(m_process->readAllStandardOutput()); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderrTail += m_process->readAllStandardError();
        if (m_stderrTail.size() > kStderrTail)
            m_stderrTail = m_stderrTail.right(kStderrTail);
        if (m_command.notice && !m_noticed) {
            const QString notice = m_command.notice(m_stderrTail);
            if (!notice.isEmpty()) {
                m_noticed = true;
                Q_EMIT this->notice(notice);
            }
        }
    });
    connect(m_process, &QProcess::finished, this, &StreamRunner::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onFinished();
    });
    m_process->start();
    if (m_command.bundle) {
        // Written while the connection is made; the pipe takes it as ssh reads.
        m_process->write(bundle);
        // The first heartbeat at once: the server's silence detector is armed
        // by it, and a program that starts within the first interval (a
        // compile found in the object cache) must be covered too.
        m_process->write("{\"t\":\"ping\"}\n");
        m_ping.start();
    }
}

bool StreamRunner::startInSession(const QByteArray &bundle)
{
    StreamSession::Handler handler;
    handler.event = [this](RunStreamEvent &&e) {
        const bool done = e.type == RunStreamEvent::Type::Done;
        onEvent(std::move(e));
        if (done && m_running) {
            m_inSession = false;
            m_killTimer.stop();
            finish(m_done);
        }
    };
    handler.notice = [this](const QString &text) { Q_EMIT notice(text); };
    handler.lost = [this](int exitCode, const QByteArray &said, const QString &incompatible) {
        m_inSession = false;
        m_stderrTail = said.right(kStderrTail);
        if (!incompatible.isEmpty())
            m_incompatible = incompatible;
        conclude(exitCode);
    };
    m_inSession = m_command.session->begin(bundle, handler);
    if (m_inSession)
        m_reader.reset();
    return m_inSession;
}

void StreamRunner::onEvent(RunStreamEvent &&e)
{
    using Type = RunStreamEvent::Type;
    switch (e.type) {
    case Type::Hello:
        if (e.protocol != runstream::ProtocolVersion && m_incompatible.isEmpty()) {
            m_incompatible =
                tr("%1 runs a torchlab-cli that speaks protocol %2; this lab speaks %3. Install "
                   "the same TorchLab version on both (torchlab-cli --version).")
                    .arg(m_command.where)
                    .arg(e.protocol)
                    .arg(runstream::ProtocolVersion);
            if (m_process)
                m_process->kill();
        }
        break;
    case Type::Queue:
        Q_EMIT phaseChanged(RunPhase::Queued);
        Q_EMIT queued(e.queue);
        break;
    case Type::Note:
    case Type::Other:
        break;
    case Type::Phase:
        if (e.phase != RunPhase::Finished)
            Q_EMIT phaseChanged(e.phase);
        break;
    case Type::PchProgress:
        Q_EMIT pchProgress(e.percent, e.text);
        break;
    case Type::Compiled:
        m_compile = e.compile;
        Q_EMIT compiled(e.compile);
        break;
    case Type::Started:
        m_started = true;
        m_clock.start();
        Q_EMIT started(e.pid);
        break;
    case Type::Stdout:
        Q_EMIT stdoutData(e.data);
        break;
    case Type::Stderr:
        Q_EMIT stderrData(e.data);
        break;
    case Type::Lab:
        Q_EMIT labEvents({e.lab});
        break;
    case Type::Sample:
        Q_EMIT sample(e.memory);
        break;
    case Type::Done:
        m_haveDone = true;
        m_done = std::move(e.result);
        break;
    }
}

RunnerResult StreamRunner::lostResult() const
{
    RunnerResult r;
    r.job.compile = m_compile;
    const QString said = QString::fromUtf8(m_stderrTail).trimmed();
    if (!m_started && !m_compile.ok()) {
        // Nothing ran: say so as a compile-stage failure with the transport's words.
        r.job.compile.outcome = CompileResult::Outcome::CompilerFailed;
        r.job.compile.summary = tr("No answer from %1").arg(m_command.where);
        r.job.compile.explanation =
            tr("The run on %1 ended before it reported a result. Your code is kept here; run it "
               "again when the connection is back.")
                .arg(m_command.where) +
            (said.isEmpty() ? QString() : QLatin1Char('\n') + said);
        return r;
    }
    r.job.ran = true;
    RunResult &run = r.job.run;
    run.outcome = RunResult::Outcome::ConnectionLost;
    run.summary = tr("connection lost");
    run.detail = said;
    run.explanation = tr("The connection to %1 was lost while the program ran, and the run there "
                         "was ended. Your code is kept here; run it again when the connection is "
                         "back.")
                          .arg(m_command.where);
    run.wallMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    return r;
}

void StreamRunner::onFinished()
{
    if (!m_running)
        return;
    if (m_process)
        m_reader->feed(m_process->readAllStandardOutput());
    m_reader->finish();
    conclude(m_process && m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode()
                                                                          : -1);
}

void StreamRunner::conclude(int exitCode)
{
    if (!m_running)
        return;
    m_killTimer.stop();
    if (!m_incompatible.isEmpty()) {
        RunnerResult r;
        r.job.compile.outcome = CompileResult::Outcome::CompilerFailed;
        r.job.compile.summary = tr("Incompatible TorchLab on %1").arg(m_command.where);
        r.job.compile.explanation = m_incompatible;
        finish(r);
        return;
    }
    if (m_haveDone) {
        finish(m_done);
        return;
    }
    if (m_stopped) {
        RunnerResult r;
        r.job.compile = m_compile;
        if (m_started) {
            r.job.ran = true;
            r.job.run.outcome = RunResult::Outcome::Stopped;
            r.job.run.summary = tr("stopped");
        } else {
            r.job.compile.outcome = CompileResult::Outcome::Cancelled;
            r.job.compile.summary = tr("Stopped.");
        }
        finish(r);
        return;
    }
    RunnerResult lost = lostResult();
    if (m_command.explainLost)
        m_command.explainLost(exitCode, m_stderrTail, lost);
    finish(lost);
}

void StreamRunner::finish(RunnerResult result)
{
    // A stop the learner asked for ends the program with the cluster's or the
    // server's signal (scancel sends SIGTERM to every process of the job, the
    // sandbox's included), which can reach the program before its runner has
    // read the stop: that is the stop, not a crash.
    RunResult &run = result.job.run;
    if (m_stopped && result.job.ran && run.outcome == RunResult::Outcome::Crashed &&
        (run.signal == SIGTERM || run.signal == SIGKILL || run.signal == SIGINT ||
         run.signal == SIGHUP)) {
        run.outcome = RunResult::Outcome::Stopped;
        run.summary = tr("stopped");
        run.explanation.clear();
        run.detail.clear();
    }
    m_running = false;
    m_ping.stop();
    Q_EMIT phaseChanged(RunPhase::Finished);
    QMetaObject::invokeMethod(
        this, [this, result] { Q_EMIT done(result); }, Qt::QueuedConnection);
}

void StreamRunner::stop()
{
    if (!m_running || m_stopped)
        return;
    m_stopped = true;
    if (m_inSession) {
        m_command.session->stopJob(); // the server stops its program and reports
        m_killTimer.start(stopGraceMs);
        return;
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        if (m_command.bundle)
            m_process->write("{\"t\":\"stop\"}\n"); // the server stops its program and reports
        else
            m_process->terminate(); // the CLI stops its program and still reports
        m_killTimer.start(stopGraceMs);
    }
}

} // namespace torchlab
