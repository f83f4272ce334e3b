#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace torchlab {

// How strictly programs that are not the lab's own (a learner's exercise, a
// pack's checks and solutions) are isolated. The setting "sandbox" in the
// lab's settings file and TORCHLAB_SANDBOX choose it.
enum class SandboxMode
{
    Auto,    // bubblewrap when this computer can make the sandbox, else the plain limits
    Require, // refuse to run a program the sandbox cannot hold
    Off,     // never use bubblewrap (the environment is still built from the allow-list)
};

QString sandboxModeName(SandboxMode mode);                 // "auto", "require", "off"
SandboxMode sandboxModeFromName(const QString &name);      // Auto for anything unknown
SandboxMode sandboxModeFromEnvironment(SandboxMode value); // TORCHLAB_SANDBOX overrides `value`

// What one untrusted program may touch. See docs/sandbox.md for the whole picture.
struct SandboxPolicy
{
    enum class Network
    {
        None,     // only a private loopback of its own
        Loopback, // the computer's loopback (several ranks talking to each other)
        Host,     // the computer's network (`run --network`, a lesson that declares it)
    };

    bool untrusted = false; // false: the lab's own tools (compiler, linker): no sandbox
    SandboxMode mode = SandboxMode::Auto;
    QStringList writable; // folders bound read-write: the job folder, `run`'s current folder
    QStringList readable; // folders the program reads that may lie under /tmp (the data sets,
                          // LibTorch): bound read-only over the private /tmp
    Network network = Network::None;
    bool gpu = false; // pass /dev/nvidia* through
    // The warm server (WarmRunner): no PID namespace and no new session, so
    // that the programs it forks can join their launcher's process group.
    bool sharedSession = false;
    // Set on a warm run's launcher: the program runs in the warm server's
    // sandbox; the launcher itself is not wrapped (the environment still is).
    bool insideWarmServer = false;
    qint64 tmpBytes = 512LL << 20; // size of the private /tmp and of the private /dev/shm
};

// The bubblewrap sandbox: whether this computer can make it, and the command
// line that puts one program into it. Pure apart from status(), which runs
// bwrap once per process to find out.
//
// The program sees the whole filesystem read-only, with the places that hold
// secrets (~/.ssh, ~/.gnupg, keyrings, browser profiles, the session's
// runtime folder with the SSH agent and D-Bus sockets) replaced by empty
// folders; writable are only the policy's folders and a private /tmp and
// /dev/shm of bounded size. It has its own PID namespace (everything it starts
// dies with it, whatever it does to its session or environment), its own
// network namespace unless the policy shares the network, a new session (no
// terminal to inject input into), and dies with the lab.
class Sandbox
{
public:
    struct Status
    {
        bool available = false;
        QString bwrap;   // the bwrap found ("" when none)
        QString version; // "bubblewrap 0.8.0"
        QString reason;  // why it is not available, in plain words (translated)
    };

    static Status status();                        // cached: bwrap is probed once per process
    static Status probe(const QString &bwrapPath); // uncached; an empty path searches PATH

    // The arguments to give bwrap to run `program` with `arguments` in
    // `workingDirectory` under `policy`. `home` is the user's home folder.
    static QStringList arguments(const SandboxPolicy &policy, const QString &program,
                                 const QStringList &arguments, const QString &workingDirectory,
                                 const QString &home);

    // The environment a program gets: only the allow-listed variables of
    // `environment` (the locale, PATH, the lab's own, LibTorch's and CUDA's
    // tuning variables, the rank variables). Session secrets (SSH_AUTH_SOCK,
    // DBUS_SESSION_BUS_ADDRESS, tokens, X11/Wayland displays) never pass.
    static QProcessEnvironment environment(const QProcessEnvironment &environment);
    static bool allowed(const QString &variable);

    // Places under `home` (and elsewhere) hidden inside the sandbox.
    static QStringList hiddenFolders(const QString &home);
    static QStringList hiddenFiles(const QString &home);

    // A bwrap'd program that died of signal N exits with 128 + N, as a shell
    // reports it; the signal, or 0 when `exitCode` is an ordinary status.
    static int signalFromExitCode(int exitCode);
};

} // namespace torchlab
