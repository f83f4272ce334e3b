#include "core/remote/remotesession.h"

#include "core/remote/sshtransport.h"

namespace torchlab {

namespace {

constexpr qsizetype kStderrKept = 4096;

} // namespace

RemoteSession::RemoteSession(Target target, QObject *parent)
    : QObject(parent), m_target(std::move(target))
{
    m_ping.setInterval(StreamRunner::PingMs);
    connect(&m_ping, &QTimer::timeout, this, [this] {
        if (m_process && m_job)
            m_process->write("{\"t\":\"ping\"}\n");
    });
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_process && !m_job) {
            m_closing = true;
            m_process->closeWriteChannel(); // the server exits at the end of its stdin
        }
    });
}

RemoteSession::~RemoteSession()
{
    m_job.reset();
    end();
}

void RemoteSession::end()
{
    m_closing = false;
    if (!m_process)
        return;
    QProcess *p = m_process;
    m_process = nullptr;
    disconnect(p, nullptr, this, nullptr);
    p->closeWriteChannel();
    if (!p->waitForFinished(1000)) {
        p->kill();
        p->waitForFinished(1000);
    }
    p->deleteLater();
}

void RemoteSession::open()
{
    if (m_process)
        return;
    const SshTransport ssh(m_target);
    m_stderr.clear();
    m_incompatible.clear();
    m_reader =
        std::make_unique<RunStreamReader>([this](RunStreamEvent &&e) { onEvent(std::move(e)); });
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { m_reader->feed(m_process->readAllStandardOutput()); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > kStderrKept)
            m_stderr = m_stderr.right(kStderrKept);
        if (!m_noticed) {
            const QString notice = SshTransport(m_target).newHostKeyNotice(m_stderr);
            if (!notice.isEmpty()) {
                m_noticed = true;
                if (m_job && m_job->notice)
                    m_job->notice(notice);
                else
                    m_notice = notice;
            }
        }
    });
    connect(m_process, &QProcess::finished, this, &RemoteSession::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onFinished();
    });
    m_process->start(
        SshTransport::program(),
        ssh.arguments(ssh.cliCommand({QStringLiteral("serve"), QStringLiteral("--json-stream")})));
}

bool RemoteSession::begin(const QByteArray &jobLine, Handler handler)
{
    if (m_job)
        return false;
    m_idle.stop();
    if (m_closing)
        end(); // closing for idleness already: this job gets a new session
    open();
    if (!m_notice.isEmpty() && handler.notice) {
        handler.notice(m_notice);
        m_notice.clear();
    }
    m_job = std::move(handler);
    m_stderr.clear();
    m_process->write(jobLine);
    // The first heartbeat at once: it arms the server's silence detector
    // before a quickly compiled program can start (StreamRunner does the same).
    m_process->write("{\"t\":\"ping\"}\n");
    m_ping.start();
    return true;
}

void RemoteSession::stopJob()
{
    if (m_job && m_process)
        m_process->write("{\"t\":\"stop\"}\n");
}

void RemoteSession::abandon()
{
    m_job.reset();
    m_ping.stop();
    end();
}

void RemoteSession::onEvent(RunStreamEvent &&e)
{
    if (e.type == RunStreamEvent::Type::Hello) {
        if (e.protocol != runstream::ProtocolVersion) {
            m_incompatible =
                tr("%1 runs a torchlab-cli that speaks protocol %2; this lab speaks %3. Install "
                   "the same TorchLab version on both (torchlab-cli --version).")
                    .arg(m_target.host)
                    .arg(e.protocol)
                    .arg(runstream::ProtocolVersion);
            m_process->kill();
        }
        return;
    }
    if (!m_job)
        return; // a stop raced the end of its job
    if (e.type == RunStreamEvent::Type::Done) {
        const Handler handler = std::move(*m_job);
        m_job.reset();
        m_ping.stop();
        m_idle.start(idleMs);
        handler.event(std::move(e));
        return;
    }
    m_job->event(std::move(e));
}

void RemoteSession::onFinished()
{
    QProcess *p = m_process;
    if (!p)
        return;
    m_reader->feed(p->readAllStandardOutput());
    m_reader->finish();
    m_stderr += p->readAllStandardError();
    const int exitCode =
        p->exitStatus() == QProcess::NormalExit && p->error() != QProcess::FailedToStart
            ? p->exitCode()
            : -1;
    m_process = nullptr;
    m_closing = false;
    p->deleteLater();
    m_idle.stop();
    m_ping.stop();
    const QString incompatible = m_incompatible;
    m_incompatible.clear();
    if (m_job) {
        const Handler handler = std::move(*m_job);
        m_job.reset();
        handler.lost(exitCode, m_stderr.right(kStderrKept), incompatible);
    }
}

} // namespace torchlab
