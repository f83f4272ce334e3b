#include "core/run/sandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <mutex>
#include <unistd.h>

namespace torchlab {

namespace {

// Exact names a program may inherit. Everything else is dropped: session
// sockets (SSH_AUTH_SOCK, DBUS_SESSION_BUS_ADDRESS), displays, tokens and
// credentials of every tool that keeps them in the environment.
const QStringList &allowedNames()
{
    static const QStringList names{
        QStringLiteral("PATH"),         QStringLiteral("HOME"),
        QStringLiteral("USER"),         QStringLiteral("LOGNAME"),
        QStringLiteral("LANG"),         QStringLiteral("LANGUAGE"),
        QStringLiteral("TZ"),           QStringLiteral("TERM"),
        QStringLiteral("NO_COLOR"),     QStringLiteral("LD_LIBRARY_PATH"),
        QStringLiteral("MASTER_ADDR"),  QStringLiteral("MASTER_PORT"),
        QStringLiteral("RANK"),         QStringLiteral("WORLD_SIZE"),
        QStringLiteral("LOCAL_RANK"),   QStringLiteral("LOCAL_WORLD_SIZE"),
        QStringLiteral("GROUP_RANK"),   QStringLiteral("GLIBC_TUNABLES"),
        QStringLiteral("SLURM_JOB_ID"), QStringLiteral("SLURM_PROCID"),
    };
    return names;
}

// Prefixes of variables that tune the lab, LibTorch, OpenMP, BLAS, CUDA and
// the c10d backends, and the locale.
const QStringList &allowedPrefixes()
{
    static const QStringList prefixes{
        QStringLiteral("LC_"),       QStringLiteral("TORCHLAB_"), QStringLiteral("OMP_"),
        QStringLiteral("GOMP_"),     QStringLiteral("KMP_"),      QStringLiteral("MKL_"),
        QStringLiteral("OPENBLAS_"), QStringLiteral("MALLOC_"),   QStringLiteral("TORCH_"),
        QStringLiteral("PYTORCH_"),  QStringLiteral("C10_"),      QStringLiteral("CUDA_"),
        QStringLiteral("CUBLAS_"),   QStringLiteral("CUDNN_"),    QStringLiteral("NVIDIA_"),
        QStringLiteral("NCCL_"),     QStringLiteral("GLOO_"),     QStringLiteral("ASAN_"),
        QStringLiteral("UBSAN_"),    QStringLiteral("LSAN_"),
    };
    return prefixes;
}

QString firstLine(const QByteArray &text)
{
    const QString s = QString::fromLocal8Bit(text).trimmed();
    const qsizetype nl = s.indexOf(u'\n');
    return nl < 0 ? s : s.left(nl);
}

QString runtimeFolder()
{
    const QString fromEnv = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStringLiteral("/run/user/%1").arg(::getuid());
}

} // namespace

QString sandboxModeName(SandboxMode mode)
{
    switch (mode) {
    case SandboxMode::Require:
        return QStringLiteral("require");
    case SandboxMode::Off:
        return QStringLiteral("off");
    case SandboxMode::Auto:
        break;
    }
    return QStringLiteral("auto");
}

SandboxMode sandboxModeFromName(const QString &name)
{
    if (name == QLatin1String("require"))
        return SandboxMode::Require;
    if (name == QLatin1String("off"))
        return SandboxMode::Off;
    return SandboxMode::Auto;
}

SandboxMode sandboxModeFromEnvironment(SandboxMode value)
{
    const QString env = qEnvironmentVariable("TORCHLAB_SANDBOX");
    if (env == QLatin1String("require") || env == QLatin1String("off") ||
        env == QLatin1String("auto"))
        return sandboxModeFromName(env);
    return value;
}

Sandbox::Status Sandbox::probe(const QString &bwrapPath)
{
    Status s;
    s.bwrap =
        bwrapPath.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("bwrap")) : bwrapPath;
    if (s.bwrap.isEmpty() || !QFileInfo(s.bwrap).isExecutable()) {
        s.bwrap.clear();
        s.reason = QCoreApplication::translate(
            "torchlab::Sandbox", "bubblewrap (bwrap) is not installed; install the package "
                                 "\"bubblewrap\"");
        return s;
    }
    QProcess version;
    version.start(s.bwrap, {QStringLiteral("--version")});
    if (version.waitForFinished(5000) && version.exitCode() == 0)
        s.version = firstLine(version.readAllStandardOutput());

    // The same namespaces a run uses, around a program that does nothing.
    QProcess trial;
    trial.setProcessChannelMode(QProcess::MergedChannels);
    trial.setStandardInputFile(QProcess::nullDevice());
    trial.start(s.bwrap,
                {QStringLiteral("--unshare-all"), QStringLiteral("--die-with-parent"),
                 QStringLiteral("--new-session"), QStringLiteral("--ro-bind"), QStringLiteral("/"),
                 QStringLiteral("/"), QStringLiteral("--proc"), QStringLiteral("/proc"),
                 QStringLiteral("--dev"), QStringLiteral("/dev"), QStringLiteral("--tmpfs"),
                 QStringLiteral("/tmp"), QStringLiteral("--"), QStringLiteral("/bin/sh"),
                 QStringLiteral("-c"), QStringLiteral("exit 0")});
    if (!trial.waitForFinished(10000)) {
        trial.kill();
        trial.waitForFinished(1000);
        s.reason = QCoreApplication::translate("torchlab::Sandbox",
                                               "bwrap did not start a sandbox within 10 s");
        return s;
    }
    if (trial.exitStatus() != QProcess::NormalExit || trial.exitCode() != 0) {
        const QString why = firstLine(trial.readAll());
        s.reason = QCoreApplication::translate(
                       "torchlab::Sandbox",
                       "bwrap cannot make a sandbox on this computer (%1); user namespaces are "
                       "probably disabled, as in many containers")
                       .arg(why.isEmpty() ? QStringLiteral("exit %1").arg(trial.exitCode()) : why);
        return s;
    }
    s.available = true;
    return s;
}

Sandbox::Status Sandbox::status()
{
    static std::once_flag once;
    static Status cached;
    std::call_once(once, [] { cached = probe(qEnvironmentVariable("TORCHLAB_BWRAP")); });
    return cached;
}

QStringList Sandbox::hiddenFolders(const QString &home)
{
    QStringList folders;
    if (!home.isEmpty()) {
        static const char *const underHome[] = {
            ".ssh",
            ".gnupg",
            ".password-store",
            ".local/share/keyrings",
            ".pki",
            ".mozilla",
            ".thunderbird",
            ".config/google-chrome",
            ".config/chromium",
            ".config/BraveSoftware",
            ".config/microsoft-edge",
            ".config/Code",
            ".aws",
            ".azure",
            ".kube",
            ".docker",
            ".config/gcloud",
            ".config/gh",
            ".local/share/kwalletd",
        };
        for (const char *relative : underHome)
            folders << QDir(home).filePath(QString::fromLatin1(relative));
    }
    // The session's sockets (D-Bus, the SSH and GPG agents, the keyring,
    // Wayland) and the system bus.
    folders << runtimeFolder() << QStringLiteral("/run/dbus");
    return folders;
}

QStringList Sandbox::hiddenFiles(const QString &home)
{
    QStringList files;
    if (home.isEmpty())
        return files;
    static const char *const underHome[] = {
        ".netrc",        ".git-credentials", ".pgpass",      ".Xauthority",
        ".ICEauthority", ".bash_history",    ".zsh_history", ".python_history",
        ".config/hub",   ".npmrc",           ".pypirc",
    };
    for (const char *relative : underHome)
        files << QDir(home).filePath(QString::fromLatin1(relative));
    return files;
}

QStringList Sandbox::arguments(const SandboxPolicy &policy, const QString &program,
                               const QStringList &arguments, const QString &workingDirectory,
                               const QString &home)
{
    QStringList a{QStringLiteral("--die-with-parent")};
    if (policy.sharedSession) {
        // --unshare-all without the PID namespace.
        a << QStringLiteral("--unshare-user-try") << QStringLiteral("--unshare-ipc")
          << QStringLiteral("--unshare-uts") << QStringLiteral("--unshare-cgroup-try");
        if (policy.network == SandboxPolicy::Network::None)
            a << QStringLiteral("--unshare-net");
    } else {
        a << QStringLiteral("--new-session") << QStringLiteral("--unshare-all");
        if (policy.network != SandboxPolicy::Network::None)
            a << QStringLiteral("--share-net");
    }
    a << QStringLiteral("--ro-bind") << QStringLiteral("/") << QStringLiteral("/")
      << QStringLiteral("--proc") << QStringLiteral("/proc") << QStringLiteral("--dev")
      << QStringLiteral("/dev");
    if (policy.gpu) {
        const QFileInfoList nodes =
            QDir(QStringLiteral("/dev"))
                .entryInfoList({QStringLiteral("nvidia*")},
                               QDir::System | QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot);
        for (const QFileInfo &node : nodes)
            a << QStringLiteral("--dev-bind") << node.absoluteFilePath() << node.absoluteFilePath();
    }
    const QString size = QString::number(qMax<qint64>(policy.tmpBytes, 1 << 20));
    a << QStringLiteral("--size") << size << QStringLiteral("--tmpfs") << QStringLiteral("/tmp")
      << QStringLiteral("--size") << size << QStringLiteral("--tmpfs")
      << QStringLiteral("/dev/shm");
    for (const QString &folder : hiddenFolders(home)) {
        const QFileInfo info(folder);
        if (!info.isDir() || info.isSymLink())
            continue;
        // An empty one-page folder where the secrets were (not remounted
        // read-only: a folder the policy binds may have to be made inside).
        a << QStringLiteral("--size") << QStringLiteral("4096") << QStringLiteral("--tmpfs")
          << folder;
    }
    for (const QString &file : hiddenFiles(home)) {
        const QFileInfo info(file);
        if (info.isFile() && !info.isSymLink())
            a << QStringLiteral("--ro-bind") << QStringLiteral("/dev/null") << file;
    }
    // Last, so that folders inside a hidden place (or /tmp) still work.
    for (const QString &folder : policy.readable) {
        const QString real = QFileInfo(folder).canonicalFilePath();
        if (!real.isEmpty() && QFileInfo(real).isDir() && !policy.writable.contains(folder))
            a << QStringLiteral("--ro-bind") << real << real;
    }
    for (const QString &folder : policy.writable) {
        const QString real = QFileInfo(folder).canonicalFilePath();
        if (!real.isEmpty() && QFileInfo(real).isDir())
            a << QStringLiteral("--bind") << real << real;
    }
    if (!workingDirectory.isEmpty()) {
        const QString real = QFileInfo(workingDirectory).canonicalFilePath();
        a << QStringLiteral("--chdir") << (real.isEmpty() ? workingDirectory : real);
    }
    a << QStringLiteral("--") << program << arguments;
    return a;
}

bool Sandbox::allowed(const QString &variable)
{
    if (allowedNames().contains(variable))
        return true;
    for (const QString &prefix : allowedPrefixes())
        if (variable.startsWith(prefix))
            return true;
    return false;
}

QProcessEnvironment Sandbox::environment(const QProcessEnvironment &environment)
{
    QProcessEnvironment result;
    const QStringList keys = environment.keys();
    for (const QString &key : keys)
        if (allowed(key))
            result.insert(key, environment.value(key));
    if (!result.contains(QStringLiteral("PATH")))
        result.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    return result;
}

int Sandbox::signalFromExitCode(int exitCode)
{
    return exitCode > 128 && exitCode <= 128 + 64 ? exitCode - 128 : 0;
}

} // namespace torchlab
