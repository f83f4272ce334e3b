#pragma once
// A real OpenSSH server for the remote-target tests, started by the tests
// themselves on 127.0.0.1 and a free port: a host key and a user key made at
// test time, key login only, and a client configuration (ssh -F, through
// TORCHLAB_SSH_CONFIG) whose alias "torchlab-test" reaches it with that key.
// The "server" is this machine; sessions get `setEnv` (the shared
// precompiled-header cache, SLURM_CONF). Everything it started is killed when
// it stops. .ci/run installs Debian's openssh-server.

#include "helpers/loopback.h"
#include "helpers/procfs.h"

#include "helpers/diewithtest.h"
#include <QDir>
#include <QFile>

#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTest>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

namespace torchlab::testing {

class SshServer
{
public:
    SshServer() = default;
    SshServer(const SshServer &) = delete;
    SshServer &operator=(const SshServer &) = delete;
    ~SshServer() { stop(); }

    static QString sshd()
    {
        return QStandardPaths::findExecutable(
            QStringLiteral("sshd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    }
    static QString alias() { return QStringLiteral("torchlab-test"); }
    // An alias of the same server whose key the server does not know.
    static QString wrongKeyAlias() { return QStringLiteral("torchlab-test-wrongkey"); }

    // Keys, configurations and logs go to `dir`.
    bool start(const QString &dir, const QStringList &setEnv, QString *error)
    {
        m_dir = dir;
        m_setEnv = setEnv;
        if (sshd().isEmpty()) {
            *error = QStringLiteral("sshd (openssh-server) is not installed");
            return false;
        }
        QDir().mkpath(dir);
        QDir().mkpath(QStringLiteral("/run/sshd")); // sshd's privilege-separation folder
        if (!keygen(QStringLiteral("host_ed25519"), error) ||
            !keygen(QStringLiteral("user_ed25519"), error) ||
            !keygen(QStringLiteral("other_ed25519"), error))
            return false;
        QFile::remove(dir + QStringLiteral("/authorized_keys"));
        if (!QFile::copy(dir + QStringLiteral("/user_ed25519.pub"),
                         dir + QStringLiteral("/authorized_keys"))) {
            *error = QStringLiteral("cannot write authorized_keys");
            return false;
        }
        m_port = freeLoopbackPort();
        const passwd *pw = ::getpwuid(::getuid());
        const QString user = pw ? QString::fromLocal8Bit(pw->pw_name) : QStringLiteral("root");
        const QString client = QStringLiteral(R"(Host %1
  HostName 127.0.0.1
  Port %2
  User %3
  IdentityFile %4/user_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile %4/known_hosts
  GlobalKnownHostsFile /dev/null
Host %5
  HostName 127.0.0.1
  Port %2
  User %3
  IdentityFile %4/other_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile %4/known_hosts
  GlobalKnownHostsFile /dev/null
)")
                                   .arg(alias())
                                   .arg(m_port)
                                   .arg(user, dir, wrongKeyAlias());
        if (!write(QStringLiteral("ssh_config"), client, error))
            return false;
        return launch(error);
    }

    // The same server with a new host key (a reinstalled server, or someone
    // in between), on the same port.
    bool restartWithNewHostKey(QString *error)
    {
        stop();
        QFile::remove(m_dir + QStringLiteral("/host_ed25519"));
        QFile::remove(m_dir + QStringLiteral("/host_ed25519.pub"));
        return keygen(QStringLiteral("host_ed25519"), error) && launch(error);
    }

    // Cuts every connection as a network failure would: the server's
    // session processes die, what they ran (torchlab-cli) is left to notice.
    int cutConnections()
    {
        int killed = 0;
        for (qint64 pid : descendantsOf(m_process.processId()))
            if (commandOf(pid) == "sshd" && ::kill(pid_t(pid), SIGKILL) == 0)
                ++killed;
        return killed;
    }

    // The network goes quiet without closing anything: the server's session
    // processes stop answering (SIGSTOP); cutConnections() ends them.
    int freezeConnections()
    {
        int frozen = 0;
        for (qint64 pid : descendantsOf(m_process.processId()))
            if (commandOf(pid) == "sshd" && ::kill(pid_t(pid), SIGSTOP) == 0)
                ++frozen;
        return frozen;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        const QList<qint64> below = descendantsOf(m_process.processId());
        m_process.kill();
        for (qint64 pid : below)
            ::kill(pid_t(pid), SIGKILL);
        m_process.waitForFinished(5000);
    }

    int port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QString clientConfig() const { return m_dir + QStringLiteral("/ssh_config"); }
    QString log() const
    {
        QFile f(m_dir + QStringLiteral("/sshd.log"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private:
    bool keygen(const QString &name, QString *error)
    {
        const QString path = m_dir + QLatin1Char('/') + name;
        if (QFile::exists(path))
            return true;
        QProcess p;
        p.start(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                 QStringLiteral("-N"), QString(), QStringLiteral("-f"), path});
        if (!p.waitForFinished(20'000) || p.exitCode() != 0) {
            *error = QStringLiteral("ssh-keygen failed: ") + QString::fromUtf8(p.readAll());
            return false;
        }
        return true;
    }

    bool write(const QString &name, const QString &text, QString *error)
    {
        QFile f(m_dir + QLatin1Char('/') + name);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text.toUtf8()) < 0) {
            *error = QStringLiteral("cannot write ") + f.fileName();
            return false;
        }
        return true;
    }

    bool launch(QString *error)
    {
        QString config = QStringLiteral(R"(Port %1
ListenAddress 127.0.0.1
HostKey %2/host_ed25519
PidFile %2/sshd.pid
AuthorizedKeysFile %2/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
X11Forwarding no
PrintMotd no
LogLevel ERROR
)")
                             .arg(m_port)
                             .arg(m_dir);
        if (!m_setEnv.isEmpty())
            config +=
                QStringLiteral("SetEnv ") + m_setEnv.join(QLatin1Char(' ')) + QLatin1Char('\n');
        if (!write(QStringLiteral("sshd_config"), config, error))
            return false;
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(m_dir + QStringLiteral("/sshd.log"), QIODevice::Append);
        dieWithTest(m_process);
        m_process.start(sshd(), {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                                 m_dir + QStringLiteral("/sshd_config")});
        if (!m_process.waitForStarted()) {
            *error = m_process.errorString();
            return false;
        }
        if (!waitForListener(m_port, m_process)) {
            *error = QStringLiteral("sshd did not start: ") + log();
            stop();
            return false;
        }
        return true;
    }

    QString m_dir;
    QStringList m_setEnv;
    QProcess m_process;
    int m_port = 0;
};

} // namespace torchlab::testing
