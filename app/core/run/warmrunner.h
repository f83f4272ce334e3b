#pragma once

#include "core/run/sandbox.h"
#include "core/toolchain/toolchaintypes.h"

#include <QByteArray>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <memory>

class QProcess;

namespace torchlab {

class ProcessRunner;
struct RunResult;

// The warm runner: a server process (torchlab-warm serve) that has the
// profile's LibTorch loaded and initialised, and forks a child per Run that
// becomes the learner's program, built as a shared object. It removes
// LibTorch's start-up (about 0.5 s of a 2-core machine) from every Run.
//
// A warm run is started by ProcessRunner like any program, only the program
// is the launcher (torchlab-warm run SOCKET PROGRAM.so ARGS): it gets today's
// process group, limits, stdin, pipes, metrics fd and environment, and hands
// all of them to the server, whose child joins the launcher's group and
// applies the same limits before it calls the program's main(). The launcher
// ends as the child ended. So every guarantee of ProcessRunner holds (group
// kill, limits, verdicts, the RSS watchdog over the group, the escapee sweep
// by environment marker), see docs/performance.md.
//
// Preparing: the primer (an empty shared object linked exactly as learner
// programs are) is linked once per profile into the cache, then the server
// starts and says "ready". It never initialises CUDA; should loading LibTorch
// open the GPU, it refuses and runs fall back to exec. A server that dies is
// started again by the next ensureStarted(). It dies with the lab.
//
// Threading: main thread only.
class WarmRunner : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Off,
        Preparing,
        Ready,
        Failed
    };
    Q_ENUM(State)

    explicit WarmRunner(const ToolchainProfile &profile, QObject *parent = nullptr);
    ~WarmRunner() override;

    // Before ensureStarted(): start the server in the bubblewrap sandbox with
    // `policy` (its writable folders are the roots of the job folders), when
    // this computer can make it. Programs it forks are then sandboxed too,
    // without a PID namespace of their own (docs/sandbox.md).
    void setSandbox(const SandboxPolicy &policy) { m_sandbox = policy; }
    bool isSandboxed() const { return m_sandboxed; }
    // Whether a run with `policy` may be forked by this server: the sandbox
    // holds it when the server is sandboxed with the same network and the
    // run's writable folders lie inside the server's.
    bool holds(const SandboxPolicy &policy) const;

    void ensureStarted();
    void stop();
    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    QString error() const { return m_error; }
    const ToolchainProfile &profile() const { return m_profile; }
    qint64 serverPid() const { return m_serverPid; }
    QString socketPath() const { return m_socket; }
    // "TORCHLAB_WARM_ID=<uuid>", in the server's environment (ProcessSpec::warmMarker).
    QByteArray markerEntry() const { return m_marker; }
    // The server's resident memory (what keeping LibTorch warm costs).
    qint64 residentBytes() const;

    // Why a run cannot be warm; empty when it can. The same answer for the
    // Run and for the background build, so both link the same kind of program.
    static QString whyNotWarm(const WarmRunner *warm, const ToolchainProfile &profile,
                              const QProcessEnvironment &environment, int ranks);
    // The variables LibTorch and its libraries read while loading: a run that
    // sets one differently from the server cannot use the server's LibTorch.
    static bool readAtLoad(const QString &name);

    // What ProcessRunner starts for a warm run of `program` (a shared object).
    QString launcher() const { return m_helper; }
    QStringList launchArguments(const QString &program, const QStringList &arguments) const;

    // The helper binary: TORCHLAB_WARM_HELPER, then next to the program, the
    // installed libexec folder, the build tree. Empty (and `why`) when none.
    static QString findHelper(QString *why = nullptr);
    // The primer's folder for the profile.
    static QString directory(const ToolchainProfile &profile);

Q_SIGNALS:
    void stateChanged(torchlab::WarmRunner::State state);

private:
    void buildPrimer();
    void onPrimerBuilt(const RunResult &result);
    void startServer();
    void onServerOutput();
    void onServerFinished();
    void fail(const QString &why);
    void setState(State state);

    ToolchainProfile m_profile;
    QString m_helper;
    QString m_primer;
    QString m_socket;
    State m_state = State::Off;
    QString m_error;
    ProcessRunner *m_link = nullptr;
    std::unique_ptr<QProcess> m_server;
    QByteArray m_serverOutput;
    QProcessEnvironment m_serverEnvironment;
    qint64 m_serverPid = 0;
    SandboxPolicy m_sandbox;
    bool m_sandboxed = false;
    QByteArray m_marker;
};

} // namespace torchlab
