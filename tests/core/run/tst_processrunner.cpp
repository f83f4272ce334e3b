// ProcessRunner's own contract against the fake child (tests/helpers/fakechild):
// one done() per start() in every case, FailedToStart, stop(), destruction,
// restarting from done(), stdin, metrics-channel isolation, and the clean-up
// of leftover and escaped processes (docs/reliability.md row 4). The limit rows
// are in tst_runnerlimits.cpp.

#include "runnertest.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <sys/resource.h>

using namespace torchlab;
using namespace runnertest;

class tst_ProcessRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { initRunner(); }

    void echoRunsInOwnGroupWithMarker()
    {
        ProcessRunner runner;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(
            runner,
            spec(QStringLiteral("echo"), {QStringLiteral("one"), QStringLiteral("two words")}), &r,
            &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.ok());
        QVERIFY(r.stdoutText.contains("arg one\narg two words\n"));
#ifdef RUNNERTEST_WARM
        // The server's child joined the launcher's group (the group ProcessRunner made).
        QVERIFY2(QRegularExpression(QStringLiteral("pid \\d+ pgid %1\n").arg(pgid))
                     .match(QString::fromLatin1(r.stdoutText))
                     .hasMatch(),
                 r.stdoutText.constData());
#else
        QVERIFY(r.stdoutText.contains(
            QStringLiteral("pid %1 pgid %1\n").arg(pgid).toLatin1())); // own process group
#endif
        QVERIFY(QRegularExpression(QStringLiteral("env TORCHLAB_RUN_ID=[0-9a-f-]{36}\n"))
                    .match(QString::fromLatin1(r.stdoutText))
                    .hasMatch());
        QCOMPARE(r.stderrText, QByteArray("echo on stderr\n"));
        // Lower priority than the host (RunLimits::niceIncrement) and a large
        // stdout pipe (ChildSetup).
        const int hostNice = ::getpriority(PRIO_PROCESS, 0);
        QVERIFY(r.stdoutText.contains(QStringLiteral("nice %1\n")
                                          .arg(qMin(19, hostNice + RunLimits().niceIncrement))
                                          .toLatin1()));
        QVERIFY(r.stdoutText.contains("stdout pipe 1048576\n"));
        QCOMPARE(r.stdoutBytes, qint64(r.stdoutText.size()));
        QVERIFY(!r.outputTruncated);
        QVERIFY(groupGone(pgid));
    }

    void exitCodeIsReported()
    {
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, spec(QStringLiteral("exit-code"), {QStringLiteral("3")}), &r);
        QCOMPARE(r.outcome, RunResult::Outcome::ExitCode);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.signal, 0);
        QCOMPARE(outcomeName(r.outcome), QStringLiteral("exit_code"));
    }

    void runnerCanBeReused()
    {
        ProcessRunner runner;
        RunResult first;
        RunResult second;
        RUN_TO_DONE(runner, spec(QStringLiteral("exit-code"), {QStringLiteral("5")}), &first);
        RUN_TO_DONE(runner, spec(QStringLiteral("echo")), &second);
        QCOMPARE(first.exitCode, 5);
        QCOMPARE(second.outcome, RunResult::Outcome::Ok);
        QVERIFY(!second.stdoutText.contains("arg 5"));
    }

    // Row 2: reading stdin never blocks: it is /dev/null.
    void stdinIsDevNull()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("read-stdin"));
        s.limits.wallMs = 10'000;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        QVERIFY2(r.stdoutText.contains("stdin=/dev/null\n"), r.stdoutText.constData());
        QVERIFY(r.stdoutText.contains("stdin: eof after 0 bytes\n"));
    }

    // Row 4: a grandchild that called setsid() and outlived its parent is
    // found by the marker, killed, and leaves nothing behind.
    void escapeeIsKilledAfterNormalExit()
    {
        ProcessRunner runner;
        ProcessSpec s = spec(QStringLiteral("escape"));
        s.metricsChannel = true; // the escapee holds the metrics pipe open too
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, s, &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        const auto match = QRegularExpression(QStringLiteral("escapee (\\d+)"))
                               .match(QString::fromLatin1(r.stdoutText));
        QVERIFY2(match.hasMatch(), r.stdoutText.constData());
        const qint64 escapee = match.captured(1).toLongLong();
        QVERIFY(escapee != pgid);
        QCOMPARE(r.escapeesKilled, 1);
        QVERIFY(processDead(escapee)); // done() came only once it was dead
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(escapee), 0) == -1 && errno == ESRCH, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    // A background process that stayed in the group is killed with it when
    // the program itself exits normally.
    void leftoverWorkerIsKilled()
    {
        ProcessRunner runner;
        RunResult r;
        qint64 pgid = 0;
        RUN_TO_DONE(runner, spec(QStringLiteral("orphan")), &r, &pgid);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        const auto match = QRegularExpression(QStringLiteral("worker (\\d+)"))
                               .match(QString::fromLatin1(r.stdoutText));
        QVERIFY2(match.hasMatch(), r.stdoutText.constData());
        const qint64 worker = match.captured(1).toLongLong();
        QCOMPARE(r.escapeesKilled, 0); // it never left the group
        QVERIFY(processDead(worker));
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    void escapeeIsKilledOnStop()
    {
        ProcessRunner runner;
        QSignalSpy done(&runner, &ProcessRunner::done);
        QByteArray out;
        connect(&runner, &ProcessRunner::stdoutData, this,
                [&out](const QByteArray &chunk) { out += chunk; });
        runner.start(spec(QStringLiteral("escape"), {QStringLiteral("stay")}));
        QTRY_VERIFY_WITH_TIMEOUT(out.contains('\n'), 10'000);
        const qint64 escapee =
            QString::fromLatin1(out).section(QLatin1Char(' '), 1).trimmed().toLongLong();
        QVERIFY(escapee > 0);
        QVERIFY(!processDead(escapee));
        const qint64 pgid = runner.pid();
        runner.stop();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10'000);
        settle();
        QCOMPARE(done.count(), 1);
        const RunResult r = done.at(0).at(0).value<RunResult>();
        QCOMPARE(r.outcome, RunResult::Outcome::Stopped);
        QCOMPARE(r.escapeesKilled, 1);
        QVERIFY(processDead(escapee));
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    void failedToStart_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("missing absolute path") << "missing";
        QTest::newRow("missing program on PATH") << "not-on-path";
        QTest::newRow("not executable") << "not-executable";
        QTest::newRow("missing working directory") << "bad-cwd";
    }

    void failedToStart()
    {
        QFETCH(QString, what);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ProcessSpec s = spec(QStringLiteral("echo"));
        if (what == QLatin1String("missing")) {
            s.program = dir.filePath(QStringLiteral("no-such-program"));
        } else if (what == QLatin1String("not-on-path")) {
            s.program = QStringLiteral("torchlab-no-such-program-on-path");
        } else if (what == QLatin1String("not-executable")) {
            QFile file(dir.filePath(QStringLiteral("plain.txt")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("#!/bin/sh\necho hi\n");
            file.close();
            QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
            s.program = file.fileName();
        } else {
            s.workingDirectory = dir.filePath(QStringLiteral("no-such-dir"));
        }
        ProcessRunner runner;
        QSignalSpy started(&runner, &ProcessRunner::started);
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::FailedToStart);
        QVERIFY(!r.detail.isEmpty());
        QVERIFY(!r.explanation.isEmpty());
        QCOMPARE(started.count(), 0);
        QCOMPARE(outcomeName(r.outcome), QStringLiteral("failed_to_start"));
    }

    // A set-up step that fails between fork and exec is reported as
    // FailedToStart with the step's reason (through ChildSetup's error pipe).
    void setupFailureIsFailedToStart()
    {
        if (::geteuid() == 0)
            QSKIP("as root every set-up step succeeds (a non-root run switches to uid 0 and "
                  "fails); tst_childsetup covers the error channel itself");
        ProcessSpec s = spec(QStringLiteral("echo"));
        s.runAsUid = 0;
        s.runAsGid = 0;
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::FailedToStart);
        QVERIFY2(r.detail.contains(QLatin1String("switch")), qPrintable(r.detail));
        QVERIFY(!r.stdoutText.contains("arg"));
    }

    void stopKillsRunawayGroup()
    {
        ProcessRunner runner;
        QSignalSpy started(&runner, &ProcessRunner::started);
        QSignalSpy done(&runner, &ProcessRunner::done);
        runner.start(spec(QStringLiteral("busy")));
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 10'000);
        const qint64 pgid = started.at(0).at(0).toLongLong();
        QCOMPARE(runner.pid(), pgid);
        QVERIFY(!groupGone(pgid));
        runner.stop();
        runner.stop(); // a second stop changes nothing
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10'000);
        settle();
        QCOMPARE(done.count(), 1);
        const RunResult r = done.at(0).at(0).value<RunResult>();
        QCOMPARE(r.outcome, RunResult::Outcome::Stopped);
        QCOMPARE(r.signal, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
        runner.stop(); // stopping an idle runner is harmless
    }

    // stop() before the child has even exec'd still gives one Stopped.
    void stopRightAfterStart()
    {
        ProcessRunner runner;
        QSignalSpy done(&runner, &ProcessRunner::done);
        runner.start(spec(QStringLiteral("busy")));
        const qint64 pgid = runner.pid();
        QVERIFY(pgid > 0);
        runner.stop();
        QCOMPARE(done.count(), 0); // never from inside stop()
        QVERIFY(done.wait(10'000));
        settle();
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.at(0).at(0).value<RunResult>().outcome, RunResult::Outcome::Stopped);
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
    }

    void startWhileRunningIsIgnored()
    {
        ProcessRunner runner;
        QSignalSpy done(&runner, &ProcessRunner::done);
        runner.start(spec(QStringLiteral("sleep"), {QStringLiteral("60")}));
        const qint64 pid = runner.pid();
        QTest::ignoreMessage(QtWarningMsg,
                             "ProcessRunner::start() while a run is in progress; ignored");
        runner.start(spec(QStringLiteral("echo")));
        QCOMPARE(runner.pid(), pid);
        runner.stop();
        QVERIFY(done.wait(10'000));
        settle();
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.at(0).at(0).value<RunResult>().outcome, RunResult::Outcome::Stopped);
    }

    // A receiver may start the next run straight from done().
    void restartFromDone()
    {
        ProcessRunner runner;
        QList<RunResult> results;
        connect(&runner, &ProcessRunner::done, this, [&](const RunResult &r) {
            results.append(r);
            if (results.size() == 1)
                runner.start(spec(QStringLiteral("exit-code"), {QStringLiteral("7")}));
        });
        runner.start(spec(QStringLiteral("echo")));
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 20'000);
        settle();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(0).outcome, RunResult::Outcome::Ok);
        QCOMPARE(results.at(1).exitCode, 7);
    }

    void destructionKillsGroup()
    {
        auto runner = std::make_unique<ProcessRunner>();
        int doneCount = 0;
        connect(runner.get(), &ProcessRunner::done, this, [&doneCount] { ++doneCount; });
        QSignalSpy started(runner.get(), &ProcessRunner::started);
        QByteArray out;
        connect(runner.get(), &ProcessRunner::stdoutData, this,
                [&out](const QByteArray &chunk) { out += chunk; });
        runner->start(spec(QStringLiteral("escape"), {QStringLiteral("stay")}));
        QTRY_VERIFY_WITH_TIMEOUT(out.contains('\n'), 10'000);
        QCOMPARE(started.count(), 1);
        const qint64 pgid = started.at(0).at(0).toLongLong();
        const qint64 escapee =
            QString::fromLatin1(out).section(QLatin1Char(' '), 1).trimmed().toLongLong();
        QElapsedTimer clock;
        clock.start();
        runner.reset();
        qInfo("destructor returned after %lld ms", clock.elapsed());
        QTRY_VERIFY_WITH_TIMEOUT(groupGone(pgid), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(processDead(escapee), 5000);
        settle();
        QCOMPARE(doneCount, 0); // documented: no done() from the destructor
    }

    // A program's own printing can never reach the metrics channel.
    void metricsChannelIsIsolated()
    {
        ProcessSpec s = spec(QStringLiteral("metrics"));
        s.metricsChannel = true;
        ProcessRunner runner;
        QByteArray metrics;
        connect(&runner, &ProcessRunner::metricsData, this,
                [&metrics](const QByteArray &chunk) { metrics += chunk; });
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        QCOMPARE(metrics,
                 QByteArray("{\"event\":\"metric\",\"name\":\"loss\",\"step\":1,\"value\":0.5}\n"));
        QVERIFY(r.stdoutText.contains("\"value\":99"));
        QVERIFY(!r.stdoutText.contains("\"value\":0.5"));
    }

    void metricsVariableOnlyWithChannel()
    {
        ProcessSpec s = spec(QStringLiteral("echo"));
        s.environment.insert(ProcessRunner::metricsFdVariable(), QStringLiteral("1"));
        ProcessRunner runner;
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QVERIFY(r.stdoutText.contains("env TORCHLAB_METRICS_FD=<unset>\n"));

        s.metricsChannel = true;
        RUN_TO_DONE(runner, s, &r);
        const auto match = QRegularExpression(QStringLiteral("env TORCHLAB_METRICS_FD=(\\d+)\n"))
                               .match(QString::fromLatin1(r.stdoutText));
        QVERIFY(match.hasMatch());
        QVERIFY(match.captured(1).toInt() >= 3);
    }

    // Row 11's runner half: a huge line without a newline on the metrics pipe
    // is drained to the end and delivered in bounded chunks.
    void metricsLongLineIsDrained()
    {
        const qint64 bytes = 64LL << 20;
        ProcessSpec s = spec(QStringLiteral("metrics-longline"));
        s.metricsChannel = true;
        s.environment.insert(QStringLiteral("FAKECHILD_BYTES"), QString::number(bytes));
        ProcessRunner runner;
        qint64 received = 0;
        qint64 largestChunk = 0;
        QByteArray end;
        connect(&runner, &ProcessRunner::metricsData, this, [&](const QByteArray &chunk) {
            received += chunk.size();
            largestChunk = qMax<qint64>(largestChunk, chunk.size());
            end = (end + chunk).right(100);
        });
        RunResult r;
        RUN_TO_DONE(runner, s, &r);
        QCOMPARE(r.outcome, RunResult::Outcome::Ok);
        const QByteArray after =
            "\n{\"event\":\"metric\",\"name\":\"after\",\"step\":1,\"value\":1}\n";
        QCOMPARE(received, bytes + after.size());
        QVERIFY(end.endsWith(after));
        QVERIFY(largestChunk <= (2 << 20));
    }
};

QTEST_GUILESS_MAIN(tst_ProcessRunner)
#include "tst_processrunner.moc"
