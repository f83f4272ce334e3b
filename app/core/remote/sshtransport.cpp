#include "core/remote/sshtransport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

namespace {

struct SshText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::SshTransport)
};

bool contains(QByteArrayView text, const char *needle)
{
    return text.contains(QByteArrayView(needle));
}

// The folder exists, is ours and nobody else may enter it.
bool privateFolder(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    return S_ISDIR(st.st_mode) && st.st_uid == ::getuid() && (st.st_mode & 077) == 0;
}

} // namespace

SshTransport::SshTransport(Target target) : m_target(std::move(target)) {}

QString SshTransport::program()
{
    return QStandardPaths::findExecutable(QStringLiteral("ssh"));
}

QString SshTransport::controlDirectory()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString path =
        !runtime.isEmpty() && QFileInfo(runtime).isDir()
            ? runtime + QStringLiteral("/torchlab-ssh")
            : QDir::tempPath() + QStringLiteral("/torchlab-ssh-%1").arg(::getuid());
    ::mkdir(QFile::encodeName(path).constData(), 0700);
    // A folder someone else made (in a shared /tmp) could hand our
    // connection to them: then no shared connection at all.
    return privateFolder(path) ? path : QString();
}

QString SshTransport::quote(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    if (word.startsWith(QLatin1String("~/")))
        return QStringLiteral("~/") + (word.size() > 2 ? quote(word.mid(2)) : QString());
    if (!word.isEmpty() && plain.match(word).hasMatch())
        return word;
    QString out = word;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QStringList SshTransport::options() const
{
    QStringList o;
    const QString config = qEnvironmentVariable("TORCHLAB_SSH_CONFIG");
    if (!config.isEmpty())
        o << QStringLiteral("-F") << config;
    o << QStringLiteral("-T") << QStringLiteral("-o") << QStringLiteral("BatchMode=yes")
      << QStringLiteral("-o") << QStringLiteral("StrictHostKeyChecking=accept-new")
      << QStringLiteral("-o") << QStringLiteral("ConnectTimeout=10") << QStringLiteral("-o")
      << QStringLiteral("ServerAliveInterval=2") << QStringLiteral("-o")
      << QStringLiteral("ServerAliveCountMax=3");
    const QString control = controlDirectory();
    if (!control.isEmpty()) {
        o << QStringLiteral("-o") << QStringLiteral("ControlMaster=auto") << QStringLiteral("-o")
          << QStringLiteral("ControlPath=%1/%C").arg(control) << QStringLiteral("-o")
          << QStringLiteral("ControlPersist=600");
    } else {
        o << QStringLiteral("-o") << QStringLiteral("ControlMaster=no");
    }
    if (m_target.port > 0)
        o << QStringLiteral("-p") << QString::number(m_target.port);
    if (!m_target.identity.isEmpty())
        o << QStringLiteral("-i") << m_target.identity << QStringLiteral("-o")
          << QStringLiteral("IdentitiesOnly=yes");
    return o;
}

QStringList SshTransport::arguments(const QStringList &remoteCommand) const
{
    QStringList words;
    for (const QString &w : remoteCommand)
        words << quote(w);
    return options() << QStringLiteral("--") << m_target.destination()
                     << words.join(QLatin1Char(' '));
}

QStringList SshTransport::cliCommand(const QStringList &arguments) const
{
    return QStringList{m_target.remoteCli} + arguments;
}

void SshTransport::closeConnection() const
{
    if (controlDirectory().isEmpty())
        return;
    QStringList args = options();
    args << QStringLiteral("-O") << QStringLiteral("exit") << QStringLiteral("--")
         << m_target.destination();
    QProcess ssh;
    ssh.setStandardInputFile(QProcess::nullDevice());
    ssh.start(program(), args);
    ssh.waitForFinished(5000);
}

SshTransport::Diagnosis SshTransport::diagnose(int exitCode, QByteArrayView said,
                                               bool connected) const
{
    Diagnosis d;
    const QString host = m_target.host;
    const QString words = QString::fromUtf8(said).trimmed();
    if (program().isEmpty()) {
        d.failure = Failure::Other;
        d.summary = SshText::tr("no ssh on this computer");
        d.explanation = SshText::tr("Runs on a course server need the OpenSSH client (ssh). "
                                    "Install it (Debian and Ubuntu: apt install openssh-client), "
                                    "or switch Run on to this computer.");
        return d;
    }
    if (contains(said, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        contains(said, "Host key verification failed")) {
        d.failure = Failure::HostKeyChanged;
        d.summary = SshText::tr("%1's identity has changed").arg(host);
        d.explanation =
            SshText::tr("The server at %1 answered with a different key than the one remembered "
                        "from your first connection. That happens when the server was "
                        "reinstalled, and also when someone is in between. The lab refuses to "
                        "connect. Ask your instructor whether the server changed; if it did, "
                        "remove the old key with: ssh-keygen -R %1")
                .arg(host);
    } else if (contains(said, "Permission denied")) {
        d.failure = Failure::KeyRefused;
        d.summary = SshText::tr("%1 refused your key").arg(host);
        d.explanation =
            SshText::tr("The server did not accept any of your SSH keys. The lab never asks for "
                        "passwords: send your public key (~/.ssh/id_ed25519.pub) to your "
                        "instructor, or name the right key with torchlab-cli target add … "
                        "--identity FILE.");
    } else if (contains(said, "Could not resolve hostname") ||
               contains(said, "Connection refused") || contains(said, "No route to host") ||
               contains(said, "Network is unreachable") ||
               (!connected && contains(said, "timed out"))) {
        d.failure = Failure::Unreachable;
        d.summary = SshText::tr("%1 cannot be reached").arg(host);
        d.explanation = SshText::tr("No connection to %1 could be made. Check the network (a VPN "
                                    "for a university server?), the host name and the port, or "
                                    "switch Run on to this computer.")
                            .arg(host);
    } else if (exitCode == 127 && (contains(said, "srun") || contains(said, "scancel"))) {
        d.failure = Failure::SlurmMissing;
        d.summary = SshText::tr("no Slurm on %1").arg(host);
        d.explanation = SshText::tr("The login host %1 has no srun command. Is it the cluster's "
                                    "login node? Ask your instructor for the right host.")
                            .arg(host);
    } else if (contains(said, "Invalid partition name") || contains(said, "invalid partition")) {
        d.failure = Failure::PartitionUnknown;
        d.summary = SshText::tr("no partition %1 on %2").arg(m_target.partition, host);
        d.explanation = SshText::tr("Slurm on %1 knows no partition named %2. sinfo on the login "
                                    "host lists them; change the target with torchlab-cli target "
                                    "add … --slurm PARTITION.")
                            .arg(host, m_target.partition);
    } else if (exitCode == 127) {
        d.failure = Failure::NoRemoteCli;
        d.summary = SshText::tr("no torchlab-cli on %1").arg(host);
        d.explanation =
            SshText::tr("The server answered, but has no %1. TorchLab must be installed there "
                        "(docs/course-server.md); if it lives elsewhere, name it with "
                        "torchlab-cli target add … --remote-cli PATH.")
                .arg(m_target.remoteCli);
    } else if (connected || contains(said, "Broken pipe") || contains(said, "Connection reset") ||
               contains(said, "Timeout, server") || contains(said, "closed by remote host") ||
               contains(said, "Connection closed")) {
        d.failure = Failure::ConnectionLost;
        d.summary = SshText::tr("connection to %1 lost").arg(host);
        d.explanation = SshText::tr("The connection to %1 was lost. Your code is kept here; run "
                                    "it again when the network is back.")
                            .arg(host);
    } else {
        d.failure = Failure::Other;
        d.summary = SshText::tr("ssh to %1 failed").arg(host);
        d.explanation = SshText::tr("ssh ended with status %1.").arg(exitCode);
    }
    if (!words.isEmpty())
        d.explanation += QStringLiteral("\n") + SshText::tr("ssh said: %1").arg(words.right(600));
    return d;
}

QString SshTransport::newHostKeyNotice(QByteArrayView said) const
{
    // "Warning: Permanently added '[127.0.0.1]:2222' (ED25519) to the list of known hosts."
    static const QRegularExpression added(
        QStringLiteral("Permanently added '([^']+)' \\(([A-Z0-9-]+)\\)"));
    const QRegularExpressionMatch m = added.match(QString::fromUtf8(said));
    if (!m.hasMatch())
        return QString();
    const QString pattern = m.captured(1);
    QString knownHosts = QDir::homePath() + QStringLiteral("/.ssh/known_hosts");
    {
        // Where ssh keeps known keys for this host, after ~/.ssh/config.
        QProcess g;
        QStringList args = options();
        args << QStringLiteral("-G") << QStringLiteral("--") << m_target.destination();
        g.start(program(), args);
        if (g.waitForFinished(5000)) {
            for (const QByteArray &line : g.readAllStandardOutput().split('\n')) {
                if (line.startsWith("userknownhostsfile ")) {
                    const QList<QByteArray> files = line.mid(19).split(' ');
                    if (!files.isEmpty())
                        knownHosts = QDir::fromNativeSeparators(QString::fromUtf8(files.first()));
                    break;
                }
            }
        }
    }
    if (knownHosts.startsWith(QLatin1String("~/")))
        knownHosts = QDir::homePath() + knownHosts.mid(1);
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-F"), pattern,
                                                QStringLiteral("-f"), knownHosts});
    QString fingerprint;
    if (keygen.waitForFinished(5000)) {
        static const QRegularExpression sha(QStringLiteral("(SHA256:[A-Za-z0-9+/=]+)"));
        const QRegularExpressionMatch f =
            sha.match(QString::fromUtf8(keygen.readAllStandardOutput()));
        if (f.hasMatch())
            fingerprint = f.captured(1);
    }
    if (fingerprint.isEmpty())
        return SshText::tr("First connection to %1: its %2 key was remembered.")
            .arg(pattern, m.captured(2));
    return SshText::tr("First connection to %1: its %2 key %3 was remembered. Compare it with the "
                       "fingerprint your instructor published; from now on a different key is "
                       "refused.")
        .arg(pattern, m.captured(2), fingerprint);
}

} // namespace torchlab
