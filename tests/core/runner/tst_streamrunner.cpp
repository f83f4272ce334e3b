// StreamRunner against a stand-in for `torchlab-cli run --job FILE
// --json-stream`: a shell script that prints a stream written by
// RunStreamWriter, dies half way, fails like an unreachable host, or waits to
// be stopped. A run elsewhere must look like a run here, and every way the
// other side can go away must end in a verdict, never a hang.
#include "core/runner/runstream.h"
#include "core/runner/streamrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

RunnerResult okResult()
{
    RunnerResult r;
    r.job.compile.outcome = CompileResult::Outcome::Ok;
    r.job.ran = true;
    r.job.run.outcome = RunResult::Outcome::Ok;
    r.job.run.exitCode = 0;
    r.job.run.summary = QStringLiteral("ok");
    r.job.run.stdoutText = "step 1\n";
    return r;
}

// The lines a CLI would print up to the program's start, then its output.
QByteArray startOfRun()
{
    QByteArray wire;
    RunStreamWriter w([&wire](const QByteArray &lines) { wire += lines; });
    w.hello(QStringLiteral("gpu01"));
    w.phase(RunPhase::Compiling);
    CompileResult c;
    c.outcome = CompileResult::Outcome::Ok;
    w.compiled(c);
    w.phase(RunPhase::Running);
    w.started(777);
    w.output("step 1\n", false);
    LabEvent loss;
    loss.type = LabEvent::Type::Metric;
    loss.name = QStringLiteral("loss");
    loss.step = 1;
    loss.value = 0.5;
    w.labEvents({loss});
    MemorySample s;
    s.timeMs = 100;
    s.deviceIndex = 0;
    s.deviceUsed = 1 << 30;
    w.sample(s);
    return wire;
}

QByteArray doneLine(const RunnerResult &result, int code)
{
    QByteArray wire;
    RunStreamWriter w([&wire](const QByteArray &lines) { wire += lines; });
    w.done(result, code);
    return wire;
}

} // namespace

class tst_StreamRunner : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return QString();
        return f.fileName();
    }

    // A job folder with one source, as CheckRunner stages it.
    RunSpec spec()
    {
        const QString job = m_dir.filePath(QStringLiteral("job-%1").arg(++m_jobs));
        QDir().mkpath(job + QStringLiteral("/src"));
        QFile f(job + QStringLiteral("/src/exercise.cpp"));
        if (f.open(QIODevice::WriteOnly))
            f.write("int main() {}\n");
        RunSpec s;
        s.sources << SourceFile{f.fileName(), QStringLiteral("exercise.cpp"), true, {}};
        s.workingDirectory = job;
        return s;
    }

    // A stand-in command: `sh -c SCRIPT fake run --job FILE --json-stream`.
    StreamRunner::Command command(const QString &script)
    {
        return StreamRunner::Command{QStringLiteral("/bin/sh"),
                                     {QStringLiteral("-c"), script, QStringLiteral("fake")},
                                     QStringLiteral("gpu01"),
                                     QString()};
    }

    int m_jobs = 0;

private Q_SLOTS:
    void aWholeStreamIsARun()
    {
        const QString stream = write("whole.jsonl", startOfRun() + doneLine(okResult(), 0));
        // The script also proves it was handed the job file, with relative paths.
        StreamRunner runner(
            command(QStringLiteral("test \"$1 $2 $4\" = 'run --job --json-stream' && "
                                   "grep -q '\"src/exercise.cpp\"' \"$3\" && cat '%1'")
                        .arg(stream)));
        QSignalSpy phases(&runner, &Runner::phaseChanged);
        QSignalSpy compiled(&runner, &Runner::compiled);
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy out(&runner, &Runner::stdoutData);
        QSignalSpy lab(&runner, &Runner::labEvents);
        QSignalSpy samples(&runner, &Runner::sample);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec());
        QVERIFY(runner.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QVERIFY(!runner.isRunning());
        QCOMPARE(compiled.size(), 1);
        QCOMPARE(started.first().first().toLongLong(), 777);
        QCOMPARE(out.first().first().toByteArray(), QByteArray("step 1\n"));
        QCOMPARE(lab.size(), 1);
        QCOMPARE(samples.first().first().value<MemorySample>().deviceUsed, 1 << 30);
        QCOMPARE(phases.last().first().value<RunPhase>(), RunPhase::Finished);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY(r.job.ok());
        QCOMPARE(r.job.run.stdoutText, QByteArray("step 1\n"));
        QCOMPARE(runner.where(), QStringLiteral("gpu01"));
    }

    // The connection drops after the program started: a verdict of its own,
    // in words, with what the transport said.
    void aStreamThatStopsIsALostConnection()
    {
        const QString stream = write("half.jsonl", startOfRun());
        StreamRunner runner(command(
            QStringLiteral("cat '%1'; echo 'Connection to gpu01 closed by remote host.' >&2; "
                           "exit 255")
                .arg(stream)));
        QSignalSpy done(&runner, &Runner::done);
        QElapsedTimer clock;
        clock.start();
        runner.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QVERIFY(clock.elapsed() < 10000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY(r.job.ran);
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::ConnectionLost);
        QVERIFY(r.job.run.explanation.contains(QStringLiteral("gpu01")));
        QVERIFY(r.job.run.explanation.contains(QStringLiteral("Your code is kept")));
        QCOMPARE(r.job.run.detail, QStringLiteral("Connection to gpu01 closed by remote host."));
    }

    // Nothing came back at all (an unreachable host, a refused key).
    void noAnswerIsNotACompileError()
    {
        StreamRunner runner(command(QStringLiteral("echo 'ssh: Could not resolve hostname gpu01: "
                                                   "Name or service not known' >&2; exit 255")));
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QVERIFY(!r.job.ran);
        QCOMPARE(r.job.compile.outcome, CompileResult::Outcome::CompilerFailed);
        QVERIFY(r.job.compile.diagnostics.isEmpty());
        QVERIFY(r.job.compile.explanation.contains(QStringLiteral("Could not resolve hostname")));
    }

    void aMissingCommandEndsTheRun()
    {
        StreamRunner runner(StreamRunner::Command{
            QStringLiteral("/nonexistent/torchlab-cli"), {}, QStringLiteral("gpu01"), QString()});
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QVERIFY(!done.first().first().value<RunnerResult>().job.ran);
    }

    // Stop asks the other side to stop; it still reports (as the CLI does on SIGTERM).
    void stopIsAskedAndReported()
    {
        RunnerResult stopped = okResult();
        stopped.job.run.outcome = RunResult::Outcome::Stopped;
        stopped.job.run.summary = QStringLiteral("stopped");
        const QString start = write("start.jsonl", startOfRun());
        const QString end = write("stopped.jsonl", doneLine(stopped, 1));
        StreamRunner runner(command(QStringLiteral("trap 'cat \"%2\"; exit 1' TERM; cat '%1'; "
                                                   "while :; do sleep 0.05; done")
                                        .arg(start, end)));
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
        runner.stop();
        runner.stop(); // twice is harmless
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QCOMPARE(done.first().first().value<RunnerResult>().job.run.outcome,
                 RunResult::Outcome::Stopped);
    }

    // A side that ignores the request is killed after the grace period.
    void aDeafSideIsKilled()
    {
        const QString start = write("deaf.jsonl", startOfRun());
        StreamRunner runner(command(
            QStringLiteral("trap '' TERM; cat '%1'; while :; do sleep 0.05; done").arg(start)));
        runner.stopGraceMs = 300;
        QSignalSpy started(&runner, &Runner::started);
        QSignalSpy done(&runner, &Runner::done);
        runner.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
        QElapsedTimer clock;
        clock.start();
        runner.stop();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QVERIFY(clock.elapsed() < 5000);
        const RunnerResult r = done.first().first().value<RunnerResult>();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::Stopped);
    }

    void anUnwritableJobFolderIsSaid()
    {
        RunSpec s = spec();
        s.workingDirectory = QStringLiteral("/nonexistent/job");
        StreamRunner runner(command(QStringLiteral("true")));
        QSignalSpy done(&runner, &Runner::done);
        runner.start(s);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 5000);
        QVERIFY(done.first().first().value<RunnerResult>().job.compile.summary.contains(
            QStringLiteral("/nonexistent/job")));
    }
};

QTEST_GUILESS_MAIN(tst_StreamRunner)
#include "tst_streamrunner.moc"
