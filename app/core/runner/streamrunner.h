#pragma once

#include "core/runner/runner.h"
#include "core/runner/runstream.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTimer>

#include <functional>
#include <memory>

namespace torchlab {

// A long-lived command that runs one job after another and answers each with
// its stream (`torchlab-cli serve --json-stream` on a course server): a warm
// session, so that a Run does not pay for starting a shell and torchlab-cli
// there. One job at a time.
class StreamSession
{
public:
    struct Handler
    {
        std::function<void(RunStreamEvent &&event)> event; // the job's events, its done last
        std::function<void(const QString &text)> notice;   // for the learner, once
        // The job ended without its done: the command ended (its exit code,
        // -1 when it crashed, and the tail of its stderr), or it speaks
        // another protocol (`incompatible` says so).
        std::function<void(int exitCode, const QByteArray &stderrTail, const QString &incompatible)>
            lost;
    };
    virtual ~StreamSession() = default;
    // Sends the job line; false when a job runs already (the caller then uses
    // a command of its own).
    virtual bool begin(const QByteArray &jobLine, Handler handler) = 0;
    // Asks the job that runs to stop; its done follows.
    virtual void stopJob() = 0;
    // Drops the job's handler and ends the command (the server stops the job
    // when its stdin ends); the next begin() starts a new one.
    virtual void abandon() = 0;
};

// A runner whose work is done by a command that speaks the JSON event stream:
// `torchlab-cli run --job FILE --json-stream`, here (tests, a second
// toolchain) or through a transport such as `ssh HOST` on a course server.
// It writes the job file into the spec's job folder, starts the command, and
// turns every line it prints into the Runner signals, so a run elsewhere looks
// exactly like one here.
//
// Endings: the stream's done event is the result. A command that ends without
// one (the connection or the remote program died) ends the run with the
// verdict RunResult::Outcome::ConnectionLost, whose explanation quotes what
// the transport said on stderr. stop() asks the command to stop (SIGTERM: the
// CLI stops the program and still sends done); one that has not ended after
// stopGraceMs is killed and the run reported as stopped.
class StreamRunner : public Runner
{
    Q_OBJECT
public:
    struct Command
    {
        QString program;       // e.g. build/app/cli/torchlab-cli, or ssh
        QStringList arguments; // put before `run --job FILE --json-stream`
        QString where;         // for the learner: "this computer", the host name
        // How the job folder is named on the side that runs it: the command
        // sees the job file at remoteJobDirectory + "/job.json". Empty: the
        // local folder (the command runs here).
        QString remoteJobDirectory;

        // A transport to a server (core/remote): `bundle` makes the first line
        // the command reads on stdin (the job with its files; the arguments
        // already name `run --job - --json-stream`). stdin then stays open:
        // stop() writes {"t":"stop"}, and a server that loses it stops too.
        std::function<Result<QByteArray>(const RunSpec &spec)> bundle;
        // Explains an ending without a done event (the transport failed or
        // the connection dropped) from the exit code and stderr's tail:
        // fills `result`, which holds the compile result seen so far and, when
        // the program had started, job.ran.
        std::function<void(int exitCode, const QByteArray &stderrTail, RunnerResult &result)>
            explainLost;
        // Something the learner should read once, from what the transport
        // printed on stderr so far (a new host key), or "".
        std::function<QString(const QByteArray &stderrText)> notice;
        // With a bundle: a warm session to send it to, when it is free;
        // otherwise the command runs for this job alone.
        std::shared_ptr<StreamSession> session;
    };

    StreamRunner(Command command, QObject *parent = nullptr);
    ~StreamRunner() override;

    // The spec's sources and -I folders must lie in spec.workingDirectory
    // (the job folder); CheckRunner stages them there.
    void start(const RunSpec &spec) override;
    void stop() override;
    bool isRunning() const override { return m_running; }
    QString where() const override { return m_command.where; }

    int stopGraceMs = 5000;
    // A server that hears nothing for 10 s while a job runs takes the lab for
    // gone and stops the job (a network that went quiet without closing).
    static constexpr int PingMs = 2000;

private:
    void onEvent(RunStreamEvent &&event);
    void onFinished();
    // The end without a done event: `exitCode` of the command (-1: crashed).
    void conclude(int exitCode);
    bool startInSession(const QByteArray &bundle);
    void finish(RunnerResult result);
    RunnerResult lostResult() const;

    Command m_command;
    RunSpec m_spec;
    QProcess *m_process = nullptr;
    std::unique_ptr<RunStreamReader> m_reader;
    QByteArray m_stderrTail; // the transport's last words, for a lost connection
    QTimer m_killTimer;
    QTimer m_ping; // heartbeats on the stdin of a command that got a bundle
    QElapsedTimer m_clock;
    bool m_running = false;
    bool m_stopped = false;
    bool m_haveDone = false;
    bool m_started = false;
    bool m_noticed = false;
    bool m_inSession = false; // the job went to m_command.session
    QString m_incompatible;   // why the other side's stream cannot be used
    CompileResult m_compile;
    RunnerResult m_done;
};

} // namespace torchlab
