#pragma once
// A one-node Slurm cluster for the remote-target tests, configured and
// started by the tests themselves on localhost: munged (its own key and
// socket), slurmctld and slurmd from Debian's munge and slurm-wlm, on free
// ports, with state, spool and logs in a folder of the test. One partition
// "debug" of one node with two CPUs; KillWait 2 s so that a time limit ends a
// job quickly. Client commands (srun, squeue, scancel) find it through
// SLURM_CONF. Every daemon listens on 127.0.0.1 only (NoInAddrAny).
// Everything is killed when it stops.

#include "helpers/loopback.h"
#include "helpers/sshserver.h"

#include "helpers/diewithtest.h"
#include <QDir>
#include <QFile>

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

namespace torchlab::testing {

class SlurmCluster
{
public:
    SlurmCluster() = default;
    SlurmCluster(const SlurmCluster &) = delete;
    SlurmCluster &operator=(const SlurmCluster &) = delete;
    ~SlurmCluster() { stop(); }

    // "" when all of munged, slurmctld, slurmd and srun are installed.
    static QString missing()
    {
        const QStringList sbin{QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")};
        for (const char *daemon : {"munged", "slurmctld", "slurmd"})
            if (QStandardPaths::findExecutable(QLatin1String(daemon), sbin).isEmpty() &&
                QStandardPaths::findExecutable(QLatin1String(daemon)).isEmpty())
                return QLatin1String(daemon) +
                       QStringLiteral(" is not installed (munge, slurm-wlm)");
        for (const char *client : {"srun", "squeue", "scancel", "sinfo"})
            if (QStandardPaths::findExecutable(QLatin1String(client)).isEmpty())
                return QLatin1String(client) + QStringLiteral(" is not installed (slurm-client)");
        return QString();
    }

    static QString partition() { return QStringLiteral("debug"); }
    QString config() const { return m_dir + QStringLiteral("/slurm.conf"); }

    bool start(const QString &dir, QString *error)
    {
        m_dir = dir;
        for (const char *sub : {"state", "spool", "log", "munge"})
            QDir().mkpath(dir + QLatin1Char('/') + QLatin1String(sub));
        QFile::setPermissions(dir + QStringLiteral("/munge"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString key = dir + QStringLiteral("/munge/munge.key");
        {
            QFile f(key);
            QByteArray bytes(1024, '\0');
            QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                                  bytes.size() / 4);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != 1024) {
                *error = QStringLiteral("cannot write the munge key");
                return false;
            }
            f.setPermissions(QFile::ReadOwner);
        }
        const QString socket = dir + QStringLiteral("/munge/munge.socket");
        if (!launch(m_munged, QStringLiteral("munged"),
                    {QStringLiteral("-F"), QStringLiteral("-f"),
                     QStringLiteral("--socket=") + socket, QStringLiteral("--key-file=") + key,
                     QStringLiteral("--log-file=") + dir + QStringLiteral("/log/munged.log"),
                     QStringLiteral("--pid-file=") + dir + QStringLiteral("/munge/munged.pid"),
                     QStringLiteral("--seed-file=") + dir + QStringLiteral("/munge/munged.seed")},
                    error))
            return false;
        if (!QTest::qWaitFor([&] { return QFile::exists(socket); }, 10'000)) {
            *error =
                QStringLiteral("munged did not start: ") + read(QStringLiteral("log/munged.log"));
            return false;
        }
        const passwd *pw = ::getpwuid(::getuid());
        const QString user = pw ? QString::fromLocal8Bit(pw->pw_name) : QStringLiteral("root");
        const QString conf = QStringLiteral(R"(ClusterName=torchlabtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=%1
SlurmdPort=%2
SlurmUser=%3
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=%4
CredType=cred/munge
StateSaveLocation=%5/state
SlurmdSpoolDir=%5/spool
SlurmctldPidFile=%5/slurmctld.pid
SlurmdPidFile=%5/slurmd.pid
SlurmctldLogFile=%5/log/slurmctld.log
SlurmdLogFile=%5/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SchedulerType=sched/backfill
ReturnToService=2
KillWait=2
InactiveLimit=0
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=%6 Nodes=localhost Default=YES MaxTime=60 State=UP
)")
                                 .arg(freeLoopbackPort())
                                 .arg(freeLoopbackPort())
                                 .arg(user, socket, dir, partition());
        {
            QFile f(config());
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(conf.toUtf8()) < 0) {
                *error = QStringLiteral("cannot write slurm.conf");
                return false;
            }
        }
        qputenv("SLURM_CONF", config().toUtf8());
        if (!launch(m_ctld, QStringLiteral("slurmctld"),
                    {QStringLiteral("-D"), QStringLiteral("-i"), QStringLiteral("-f"), config()},
                    error) ||
            !launch(m_slurmd, QStringLiteral("slurmd"),
                    {QStringLiteral("-D"), QStringLiteral("-N"), QStringLiteral("localhost"),
                     QStringLiteral("-f"), config()},
                    error))
            return false;
        const bool idle = QTest::qWaitFor(
            [&] {
                QProcess sinfo;
                sinfo.start(QStringLiteral("sinfo"),
                            {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%T")});
                sinfo.waitForFinished(5000);
                return sinfo.readAllStandardOutput().trimmed() == "idle";
            },
            60'000);
        if (!idle) {
            *error = QStringLiteral("the Slurm node did not become idle: ") +
                     read(QStringLiteral("log/slurmctld.log")).right(2000) +
                     read(QStringLiteral("log/slurmd.log")).right(2000);
            return false;
        }
        return true;
    }

    // Job ids in the queue with this name (any state).
    QStringList jobs(const QString &name) const
    {
        QProcess squeue;
        squeue.start(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-n"), name,
                                                QStringLiteral("-o"), QStringLiteral("%i")});
        squeue.waitForFinished(5000);
        return QString::fromUtf8(squeue.readAllStandardOutput())
            .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    void stop()
    {
        for (QProcess *p : {&m_slurmd, &m_ctld, &m_munged}) {
            if (p->state() == QProcess::NotRunning)
                continue;
            const QList<qint64> below = descendantsOf(p->processId());
            p->kill();
            for (qint64 pid : below)
                ::kill(pid_t(pid), SIGKILL);
            p->waitForFinished(5000);
        }
        // Job steps outlive slurmd by design: end the ones of this cluster.
        for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            bool isPid = false;
            const qint64 pid = entry.toLongLong(&isPid);
            if (isPid && commandOf(pid).startsWith("slurmstepd")) {
                ::kill(pid_t(pid), SIGKILL);
                for (qint64 child : descendantsOf(pid))
                    ::kill(pid_t(child), SIGKILL);
            }
        }
    }

    QString read(const QString &name) const
    {
        QFile f(m_dir + QLatin1Char('/') + name);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private:
    bool launch(QProcess &p, const QString &name, const QStringList &args, QString *error)
    {
        QString path = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (path.isEmpty())
            path = QStandardPaths::findExecutable(name);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setStandardOutputFile(m_dir + QStringLiteral("/log/") + name + QStringLiteral(".out"));
        dieWithTest(p);
        p.start(path, args);
        if (!p.waitForStarted(10'000)) {
            *error = name + QStringLiteral(": ") + p.errorString();
            return false;
        }
        return true;
    }

    QString m_dir;
    QProcess m_munged;
    QProcess m_ctld;
    QProcess m_slurmd;
};

} // namespace torchlab::testing
