// torchlab-cli end to end: doctor, run (plain programs, lab.h programs,
// compile errors, LibTorch errors, runaways, exit codes), warmup from two
// processes at once.
#include "helpers/requiredeps.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject
{
    Q_OBJECT

private:
    struct Result
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    QString m_cache;

    Result cli(const QStringList &args, const QString &cacheHome = QString(),
               int timeoutMs = 600'000)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cacheHome.isEmpty() ? m_cache : cacheHome);
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        p.waitForFinished(timeoutMs);
        Result r;
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    // torchlab-cli in `dir` with `env` over the test's environment.
    Result cliIn(const QStringList &args, const QString &dir, const QProcessEnvironment &extra)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache);
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        env.remove(QStringLiteral("TORCHLAB_SANDBOX"));
        for (const QString &key : extra.keys())
            env.insert(key, extra.value(key));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(dir);
        p.start(QStringLiteral(TORCHLAB_CLI), args);
        p.waitForFinished(600'000);
        Result r;
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    static QString fixture(const char *name)
    {
        return QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/cli/") + QLatin1String(name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
        if (m_cache.isEmpty())
            m_cache = QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/shared-pch-cache");
        const Result doctor = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        const QJsonObject profile = doctor.json().value(QStringLiteral("profile")).toObject();
        if (doctor.code != 0 || profile.isEmpty())
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
    }

    void usage()
    {
        QCOMPARE(cli({}).code, 2);
        Result r = cli({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("run FILE.cpp"));
        r = cli({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("torchlab-cli "));
        r = cli({QStringLiteral("frobnicate")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown command"));
        r = cli({QStringLiteral("run"), QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("--time-limit"));
        r = cli({QStringLiteral("run"), QStringLiteral("/no/such/file.cpp")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no such file"));
        r = cli({QStringLiteral("run"), fixture("args_exit.cpp"), QStringLiteral("--device"),
                 QStringLiteral("tpu")});
        QVERIFY(r.code != 0);
        QVERIFY(r.err.contains("tpu"));
    }

    // This machine has no GPU in CI: the doctor must say so plainly and still succeed.
    void doctorWithoutGpu()
    {
        if (QFile::exists(QStringLiteral("/dev/nvidia0")))
            QSKIP("this machine has an NVIDIA GPU");
        Result r = cli({QStringLiteral("doctor")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("No NVIDIA GPU was found"), r.out.constData());
        r = cli({QStringLiteral("doctor"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonObject o = r.json();
        QVERIFY(!o.isEmpty());
        QCOMPARE(o.value(QStringLiteral("profile"))
                     .toObject()
                     .value(QStringLiteral("useCuda"))
                     .toBool(true),
                 false);
        QCOMPARE(o.value(QStringLiteral("gpu"))
                     .toObject()
                     .value(QStringLiteral("state"))
                     .toString()
                     .isEmpty(),
                 false);
    }

    // Two processes want the same PCH in a fresh cache: one builds, the other
    // waits; both end ready, and only one PCH exists.
    void warmupFromTwoProcesses()
    {
        QTemporaryDir fresh;
        QProcess a, b;
        for (QProcess *p : {&a, &b}) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_CACHE_HOME"), fresh.path());
            p->setProcessEnvironment(env);
        }
        a.start(QStringLiteral(TORCHLAB_CLI), {QStringLiteral("warmup")});
        QVERIFY(a.waitForStarted());
        b.start(QStringLiteral(TORCHLAB_CLI), {QStringLiteral("warmup")});
        QVERIFY(a.waitForFinished(900'000));
        QVERIFY(b.waitForFinished(900'000));
        const QByteArray errA = a.readAllStandardError(), errB = b.readAllStandardError();
        QVERIFY2(a.exitCode() == 0, errA.constData());
        QVERIFY2(b.exitCode() == 0, errB.constData());
        QCOMPARE(a.readAllStandardOutput().trimmed(),
                 b.readAllStandardOutput().trimmed().split('\n').last());
        QVERIFY2((errA + errB).contains("Waiting for another TorchLab process") ||
                     (errA + errB).contains("already ready"),
                 (errA + errB).constData());
        // Progress was reported while building.
        QVERIFY((errA + errB).contains("%]"));
    }

    // The Done-when program: a standalone LibTorch regression prints its loss lines.
    // docs/reliability.md rows 26-28 through the CLI: a program run with
    // `torchlab-cli run` cannot write the home folder, sees no agent socket and
    // reaches no listener on 127.0.0.1, but writes where it was run from;
    // --network, --sandbox off and a computer without bubblewrap change that,
    // each said on the verdict line; --sandbox require refuses to run there.
    void runIsSandboxed()
    {
        QTemporaryDir root(QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/cli-sandbox-XXXXXX"));
        QVERIFY(root.isValid());
        const QString home = root.filePath(QStringLiteral("home"));
        const QString work = root.filePath(QStringLiteral("work"));
        QVERIFY(QDir().mkpath(home) && QDir().mkpath(work));
        QFile bashrc(home + QStringLiteral("/.bashrc"));
        QVERIFY(bashrc.open(QIODevice::WriteOnly));
        bashrc.write("# mine\n");
        bashrc.close();
        QVERIFY(QFile::copy(fixture("sandbox_probe.cpp"), work + QStringLiteral("/probe.cpp")));
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        const QString port = QString::number(listener.serverPort());
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("SSH_AUTH_SOCK"), QStringLiteral("/run/user/1000/agent.sock"));
        const QStringList run{QStringLiteral("run"), QStringLiteral("probe.cpp")};
        const QStringList args{QStringLiteral("--"), port};
        auto bashrcText = [&home] {
            QFile f(home + QStringLiteral("/.bashrc"));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("unreadable");
        };

        Result r = cliIn(run + args, work, env);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("SSH_AUTH_SOCK=[]\n"), r.out.constData());
        QVERIFY(r.out.contains("bashrc written: 0\n"));
        QVERIFY(r.out.contains("current folder written: 1\n"));
        QVERIFY(r.out.contains("loopback: refused\n"));
        QVERIFY2(r.err.contains(", sandboxed\n"), r.err.constData());
        QCOMPARE(bashrcText(), QByteArray("# mine\n"));
        QVERIFY(QFileInfo::exists(work + QStringLiteral("/probe-output.txt")));

        r = cliIn(run + QStringList{QStringLiteral("--network")} + args, work, env);
        QVERIFY2(r.out.contains("loopback: connected\n"), (r.out + r.err).constData());
        QVERIFY(r.out.contains("bashrc written: 0\n"));

        // Without the sandbox the same program does reach both: the probe
        // can tell, so the refusals above are the sandbox's doing.
        r = cliIn(run + QStringList{QStringLiteral("--sandbox"), QStringLiteral("off")} + args,
                  work, env);
        QVERIFY2(r.out.contains("bashrc written: 1\n"), (r.out + r.err).constData());
        QVERIFY(r.out.contains("loopback: connected\n"));
        QVERIFY(r.out.contains("SSH_AUTH_SOCK=[]\n")); // the allow-list holds without bwrap
        QVERIFY2(r.err.contains("(not sandboxed: "), r.err.constData());
        QVERIFY(bashrcText().contains("pwned"));

        // A computer without bubblewrap: auto runs and says so, require refuses.
        QProcessEnvironment noBwrap = env;
        noBwrap.insert(QStringLiteral("TORCHLAB_BWRAP"), root.filePath(QStringLiteral("no-bwrap")));
        r = cliIn(run + args, work, noBwrap);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.err.contains("(not sandboxed: bubblewrap (bwrap) is not installed"),
                 r.err.constData());
        r = cliIn(run + QStringList{QStringLiteral("--sandbox"), QStringLiteral("require")} + args,
                  work, noBwrap);
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("could not start") && r.err.contains("sandbox is required"),
                 r.err.constData());
        QVERIFY(!r.out.contains("SSH_AUTH_SOCK"));
    }

    void runsStandaloneRegression()
    {
        const Result r =
            cli({QStringLiteral("run"),
                 QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/samples/regression.cpp")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY(r.out.contains("step 200  loss"));
        QVERIFY(r.out.contains("step  20  loss"));
        QVERIFY(r.err.contains("finished successfully"));
    }

    void runPassesArgumentsAndExitCode()
    {
        const Result r = cli({QStringLiteral("run"), fixture("args_exit.cpp"), QStringLiteral("--"),
                              QStringLiteral("7"), QStringLiteral("two words")});
        QCOMPARE(r.code, 7);
        QVERIFY(r.out.contains("arg 7\narg two words\n"));
        QVERIFY(r.err.contains("to stderr"));
        QVERIFY(r.err.contains("exit code 7") || r.err.contains("exited with code 7") ||
                r.err.contains("status 7"));
    }

    void runJsonCompileError()
    {
        const Result r =
            cli({QStringLiteral("run"), QStringLiteral("--json"), fixture("compile_error.cpp")});
        QCOMPARE(r.code, 1);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("compile_errors"));
        const QJsonArray diags = o.value(QStringLiteral("compile"))
                                     .toObject()
                                     .value(QStringLiteral("diagnostics"))
                                     .toArray();
        QVERIFY(!diags.isEmpty());
        const QJsonObject d = diags.first().toObject();
        QCOMPARE(d.value(QStringLiteral("file")).toString(), QStringLiteral("compile_error.cpp"));
        QCOMPARE(d.value(QStringLiteral("line")).toInt(), 7);
        QCOMPARE(d.value(QStringLiteral("severity")).toString(), QStringLiteral("error"));
        QVERIFY(!o.contains(QStringLiteral("run")));
    }

    void runJsonTorchError()
    {
        const Result r =
            cli({QStringLiteral("run"), QStringLiteral("--json"), fixture("shape_error.cpp")});
        QCOMPARE(r.code, 128 + 6); // SIGABRT from the uncaught c10::Error
        const QJsonObject run = r.json().value(QStringLiteral("run")).toObject();
        QCOMPARE(run.value(QStringLiteral("outcome")).toString(), QStringLiteral("torch_error"));
        QVERIFY(run.value(QStringLiteral("detail"))
                    .toString()
                    .contains(QLatin1String("shapes cannot be multiplied (2x3 and 4x5)")));
        QVERIFY(!run.value(QStringLiteral("explanation")).toString().isEmpty());
    }

    void runLabMetrics()
    {
        const Result r =
            cli({QStringLiteral("run"), QStringLiteral("--json"), fixture("lab_metrics.cpp")});
        QVERIFY2(r.code == 0, r.out.constData());
        const QJsonObject o = r.json();
        const QJsonObject loss =
            o.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("loss")).toObject();
        // 50 real ones; the program's own fake "@torchlab" print on stdout is not a metric.
        QCOMPARE(loss.value(QStringLiteral("count")).toInt(), 50);
        QCOMPARE(loss.value(QStringLiteral("last")).toDouble(), 1.0 / 50);
        QCOMPARE(loss.value(QStringLiteral("min")).toDouble(), 1.0 / 50);
        QCOMPARE(loss.value(QStringLiteral("max")).toDouble(), 1.0);
        const QJsonArray checks = o.value(QStringLiteral("checks")).toArray();
        QCOMPARE(checks.size(), 1);
        QCOMPARE(checks.first().toObject().value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(
            o.value(QStringLiteral("hello")).toObject().value(QStringLiteral("device")).toString(),
            QStringLiteral("cpu"));
        QVERIFY(o.value(QStringLiteral("run"))
                    .toObject()
                    .value(QStringLiteral("stdout"))
                    .toString()
                    .contains(QLatin1String("done")));
    }

    void runawayHitsTimeLimit()
    {
        const Result r =
            cli({QStringLiteral("run"), QStringLiteral("--json"), QStringLiteral("--time-limit"),
                 QStringLiteral("2"), fixture("runaway.cpp")});
        QCOMPARE(r.code, 1);
        const QJsonObject run = r.json().value(QStringLiteral("run")).toObject();
        QCOMPARE(run.value(QStringLiteral("outcome")).toString(), QStringLiteral("time_limit"));
        QVERIFY(run.value(QStringLiteral("stdout")).toString().contains(QLatin1String("spinning")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
