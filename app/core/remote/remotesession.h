#pragma once

#include "core/remote/target.h"
#include "core/runner/runstream.h"
#include "core/runner/streamrunner.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

#include <memory>
#include <optional>

namespace torchlab {

// A warm session with a course server: one `ssh … torchlab-cli serve
// --json-stream` kept open while the learner works, so that a Run costs the
// job's upload and the server's compile, not an ssh session, the account's
// shell start-up (~/.bashrc: conda, pyenv) and torchlab-cli's start each time.
// Jobs go one after another on its stdin; each answers with its events and a
// done line. A session idle for idleMs closes (stdin ends, the server exits);
// the next job opens a new one. When the command dies mid-job (the
// connection dropped), that job ends as lost and the server, whose stdin
// ended, stops it.
class RemoteSession : public QObject, public StreamSession
{
    Q_OBJECT
public:
    explicit RemoteSession(Target target, QObject *parent = nullptr);
    ~RemoteSession() override;

    // Connects now (a target was chosen: the first Run is then warm too).
    void open();
    bool isOpen() const { return m_process != nullptr; }
    const Target &target() const { return m_target; }

    bool begin(const QByteArray &jobLine, Handler handler) override;
    void stopJob() override;
    void abandon() override;

    int idleMs = 600'000;

private:
    void onEvent(RunStreamEvent &&event);
    void onFinished();
    void end();

    Target m_target;
    QProcess *m_process = nullptr;
    std::unique_ptr<RunStreamReader> m_reader;
    std::optional<Handler> m_job;
    QByteArray m_stderr;
    QString m_incompatible;
    QString m_notice; // a new host key seen before any job took it
    bool m_noticed = false;
    bool m_closing = false; // stdin closed for idleness; the server is exiting
    QTimer m_idle;
    QTimer m_ping; // heartbeats while a job runs (StreamRunner::PingMs)
};

} // namespace torchlab
