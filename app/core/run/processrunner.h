#pragma once

#include "core/run/runlimits.h"
#include "core/run/runresult.h"
#include "core/run/sandbox.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <memory>

namespace torchlab {

// What to start. Program + argument list, never a shell string.
struct ProcessSpec
{
    QString program;
    QStringList arguments;
    QString workingDirectory; // empty: the current directory
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    RunLimits limits;
    // When true the child gets a dedicated pipe for lab.h events; its fd number
    // is put into the environment as TORCHLAB_METRICS_FD. Anything the program
    // prints on stdout/stderr can never reach that pipe.
    bool metricsChannel = false;
    // Tests only: when the host runs as root, switch the child to this uid/gid
    // before exec so that RLIMIT_NPROC is enforced (fork-bomb containment).
    int runAsUid = -1;
    int runAsGid = -1;
    // A warm run (WarmRunner): the server's "TORCHLAB_WARM_ID=<uuid>" entry.
    // The program is a forked child of the server, whose /proc environ is the
    // server's, so processes started after this run that carry this entry
    // belong to it too (the server itself started before and is never one).
    QByteArray warmMarker;
    // A learner's or a pack's program: its environment is built from
    // Sandbox's allow-list, it runs in the bubblewrap sandbox when this
    // computer can make one (SandboxPolicy::mode), and without a cgroup
    // a non-root run gets a default RLIMIT_NPROC. The result says how it ran
    // (RunResult::sandboxed, sandboxNote).
    SandboxPolicy sandbox;
};

// Runs one child in its own process group with limits, drains stdout, stderr
// and the metrics pipe continuously, and emits exactly one done() per start(),
// also when the program cannot be started. Stopping, a limit, or destroying the
// runner kills the whole process group and reaps escapees (processes that
// called setsid/double-forked are found by an environment marker and killed).
//
// Threading: lives in the thread that created it; all signals are emitted there.
//
// done() is always delivered from the event loop, never from inside start()
// or stop(), so a receiver may start() again or deleteLater() the runner
// (do not `delete` it from inside one of its own signals). Destroying a
// running runner kills the group and escapees without waiting for them to be
// reaped, and emits no done(). start() while a run is in progress is ignored
// with a warning. The child's stdin is /dev/null.
class ProcessRunner : public QObject
{
    Q_OBJECT
public:
    explicit ProcessRunner(QObject *parent = nullptr);
    ~ProcessRunner() override;

    void start(const ProcessSpec &spec);
    void stop();            // kill the group; done() reports Outcome::Stopped
    bool isRunning() const; // from start() until done() has been emitted
    qint64 pid() const;     // 0 when not running (also once the child exited)

    static QString markerVariable() { return QStringLiteral("TORCHLAB_RUN_ID"); }
    static QString metricsFdVariable() { return QStringLiteral("TORCHLAB_METRICS_FD"); }
    static QString warmMarkerVariable() { return QStringLiteral("TORCHLAB_WARM_ID"); }

Q_SIGNALS:
    void started(qint64 pid);
    void stdoutData(const QByteArray &chunk); // live, as read; every byte, even past the kept cap
    void stderrData(const QByteArray &chunk);
    void metricsData(const QByteArray &chunk); // raw bytes from the metrics pipe
    void rssSample(qint64 bytes);              // group RSS at each watchdog tick (after exec)
    void done(const torchlab::RunResult &result);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace torchlab
