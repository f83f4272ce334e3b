// LabSession through the runner seam: a scripted Runner stands where the
// compiler and the program would be, so the session's states, stores, bounds,
// verdicts and its one finished() per request are tested headless and fast.
// (tests/studio and tests/core/grading run the real toolchain.)
#include "core/course/packloader.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/toolchain/profilechooser.h"
#include "helpers/labevents.h"

#include <QFile>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace torchlab;
using namespace torchlab::testing;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

// What the runners of one factory were asked (they are deleted after their run).
struct RunnerLog
{
    RunSpec lastSpec;
    int created = 0;
    int stops = 0;
};

// Plays a script instead of compiling and running; stop() ends it as a real
// runner does (a stopped verdict), unless the script says otherwise.
class ScriptedRunner : public Runner
{
public:
    using Script = std::function<void(ScriptedRunner &, const RunSpec &)>;
    ScriptedRunner(Script script, std::shared_ptr<RunnerLog> log, QObject *parent)
        : Runner(parent), m_script(std::move(script)), m_log(std::move(log))
    {
    }

    void start(const RunSpec &spec) override
    {
        m_running = true;
        m_log->lastSpec = spec;
        QTimer::singleShot(0, this, [this, spec] { m_script(*this, spec); });
    }
    void stop() override
    {
        ++m_log->stops;
        if (!m_running)
            return;
        RunnerResult r;
        r.job.compile.outcome = CompileResult::Outcome::Ok;
        r.job.ran = true;
        r.job.run.outcome = RunResult::Outcome::Stopped;
        r.job.run.summary = QStringLiteral("stopped");
        finish(r);
    }
    bool isRunning() const override { return m_running; }
    QString where() const override { return QStringLiteral("the script"); }

    void compileOk()
    {
        Q_EMIT phaseChanged(RunPhase::Compiling);
        CompileResult c;
        c.outcome = CompileResult::Outcome::Ok;
        Q_EMIT compiled(c);
        Q_EMIT phaseChanged(RunPhase::Running);
        Q_EMIT started(4242);
    }
    void finish(const RunnerResult &result)
    {
        m_running = false;
        Q_EMIT phaseChanged(RunPhase::Finished);
        Q_EMIT done(result);
    }
    static RunnerResult ok()
    {
        RunnerResult r;
        r.job.compile.outcome = CompileResult::Outcome::Ok;
        r.job.ran = true;
        r.job.run.outcome = RunResult::Outcome::Ok;
        r.job.run.exitCode = 0;
        r.job.run.summary = QStringLiteral("ok");
        return r;
    }

private:
    Script m_script;
    std::shared_ptr<RunnerLog> m_log;
    bool m_running = false;
};

class ScriptedFactory : public RunnerFactory
{
public:
    explicit ScriptedFactory(ScriptedRunner::Script script) : m_script(std::move(script)) {}
    Runner *create(QObject *parent) const override
    {
        ++log->created;
        return new ScriptedRunner(m_script, log, parent);
    }
    std::shared_ptr<RunnerLog> log = std::make_shared<RunnerLog>();

private:
    ScriptedRunner::Script m_script;
};

// A profile that needs no toolchain: the scripted runner never compiles.
ToolchainProfile fakeProfile()
{
    ToolchainProfile p;
    p.compiler.path = QStringLiteral("/usr/bin/true");
    p.libtorch.root = QStringLiteral("/nonexistent/libtorch");
    return p;
}

RunSpec programSpec()
{
    RunSpec spec;
    spec.sources << SourceFile{QStringLiteral("/tmp/x.cpp"), QStringLiteral("x.cpp"), true, {}};
    spec.profile = fakeProfile();
    return spec;
}

} // namespace

class tst_LabSession : public QObject
{
    Q_OBJECT

    Lesson m_squares;

    std::unique_ptr<LabSession> session(ScriptedRunner::Script script,
                                        std::shared_ptr<ScriptedFactory> *factory = nullptr)
    {
        auto s = std::make_unique<LabSession>();
        auto f = std::make_shared<ScriptedFactory>(std::move(script));
        s->setRunnerFactory(f);
        s->environment()->useProfile(fakeProfile(), false);
        if (factory)
            *factory = f;
        return s;
    }

    SessionResult waitFinished(QSignalSpy &finished)
    {
        if (!QTest::qWaitFor([&] { return finished.size() > 0; }, 10000))
            return SessionResult();
        return finished.first().first().value<SessionResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const PackLoadResult loaded = PackLoader::load(kExample);
        QVERIFY(loaded.valid());
        m_squares = *loaded.pack.lesson(QStringLiteral("squares"));
    }

    void aProgramRunFillsTheStores()
    {
        auto s = session([](ScriptedRunner &r, const RunSpec &) {
            r.compileOk();
            Q_EMIT r.stdoutData("hello\n");
            Q_EMIT r.labEvents({metric("loss", 1, 2.0), metric("loss", 2, 1.0)});
            LabEvent memory;
            memory.type = LabEvent::Type::Memory;
            memory.allocated = 1 << 20;
            memory.reserved = 2 << 20;
            memory.peak = 1 << 20;
            Q_EMIT r.labEvents({memory});
            MemorySample rss;
            rss.timeMs = 50;
            rss.processUsed = 100 << 20;
            Q_EMIT r.sample(rss);
            r.finish(ScriptedRunner::ok());
        });
        QSignalSpy states(s.get(), &LabSession::stateChanged);
        QSignalSpy output(s.get(), &LabSession::output);
        QSignalSpy started(s.get(), &LabSession::programStarted);
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        QVERIFY(s->isBusy());
        QVERIFY(!s->startProgram(programSpec())); // one run at a time
        const SessionResult result = waitFinished(finished);
        QCOMPARE(finished.size(), 1);
        QVERIFY(result.started);
        QVERIFY(!result.lesson);
        QCOMPARE(result.outcome, RunResult::Outcome::Ok);
        QCOMPARE(result.statusText(), QStringLiteral("ok"));
        QVERIFY(!result.card());
        QList<LabSession::State> seen;
        for (const QList<QVariant> &args : states)
            seen << args.first().value<LabSession::State>();
        QCOMPARE(seen,
                 (QList<LabSession::State>{LabSession::State::Compiling, LabSession::State::Running,
                                           LabSession::State::Idle}));
        QCOMPARE(output.first().first().toByteArray(), QByteArray("hello\n"));
        QCOMPARE(started.first().first().toLongLong(), 4242);
        QCOMPARE(s->metrics().series(QStringLiteral("loss"))->size(), 2);
        QCOMPARE(s->memory().curve(MemorySeriesStore::Allocated).size(), 1);
        QCOMPARE(s->memory().curve(MemorySeriesStore::Rss).bytes.front(), double(100 << 20));
        QVERIFY(!s->isBusy());

        // The CSV export is the session's.
        QTemporaryDir dir;
        const Status csv = s->exportMetricsCsv(dir.filePath("m.csv"));
        QVERIFY2(csv.ok(), qPrintable(csv.error()));
        QFile file(dir.filePath("m.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("step,loss\n1,2\n2,1\n"));
    }

    // docs/reliability.md row 34, at the session: names, notes and check
    // reports past the bounds are counted and said in plain words.
    void floodsAreBoundedAndSaid()
    {
        auto s = session([](ScriptedRunner &r, const RunSpec &) {
            r.compileOk();
            QList<LabEvent> batch;
            for (int i = 0; i < 10'000; ++i)
                batch << metric(QStringLiteral("loss_%1").arg(i), 0, i);
            for (int i = 0; i < 1'500; ++i)
                batch << note(QStringLiteral("note %1").arg(i));
            Q_EMIT r.labEvents(batch);
            RunnerResult result = ScriptedRunner::ok();
            LabEvent check;
            check.type = LabEvent::Type::Check;
            check.name = QStringLiteral("inside_loop");
            check.ok = true;
            for (int i = 0; i < 20'000; ++i)
                result.job.checks.add(check);
            r.finish(result);
        });
        QSignalSpy notes(s.get(), &LabSession::note);
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        const SessionResult result = waitFinished(finished);
        QCOMPARE(notes.size(), LabSession::MaxNotes);
        QCOMPARE(s->metrics().seriesCount(), 64);
        QVERIFY(result.drops.any());
        QCOMPARE(result.drops.metrics.names, 10'000 - 64);
        QCOMPARE(result.drops.notesNotShown, 500);
        QCOMPARE(result.drops.checksReceived, 20'000);
        QCOMPARE(result.drops.checksNotKept, 10'000);
        const QStringList said = result.drops.sentences(64);
        QCOMPARE(said.size(), 3);
        const QLocale locale;
        QVERIFY2(said[0].contains(locale.toString(9'936) + QStringLiteral(" more names")),
                 qPrintable(said[0]));
        QVERIFY(said[1].contains(
            QStringLiteral("lab::check was called %1 times").arg(locale.toString(20'000))));
        QVERIFY(said[2].contains(locale.toString(500) + QStringLiteral(" more lab::note lines")));
    }

    // A lesson's Check goes through CheckRunner and the same seam: the hidden
    // checks are graded on what the runner reports.
    void aCheckIsGradedOnWhatTheRunnerReports()
    {
        std::shared_ptr<ScriptedFactory> factory;
        auto s = session(
            [](ScriptedRunner &r, const RunSpec &) {
                r.compileOk();
                Q_EMIT r.stdoutData("sum of squares of [1, 2, 3]: 14\n");
                LabEvent error = metric(QStringLiteral("error"), 1, 0.0);
                Q_EMIT r.labEvents({error});
                RunnerResult result = ScriptedRunner::ok();
                result.job.run.stdoutText = "sum of squares of [1, 2, 3]: 14\n";
                result.job.run.wallMs = 100;
                for (const char *name : {"small", "random"}) {
                    LabEvent check;
                    check.type = LabEvent::Type::Check;
                    check.name = QString::fromLatin1(name);
                    check.ok = true;
                    result.job.checks.add(check);
                }
                r.finish(result);
            },
            &factory);
        QSignalSpy states(s.get(), &LabSession::stateChanged);
        QSignalSpy finished(s.get(), &LabSession::finished);
        CheckRequest request;
        request.use = CheckRequest::Use::Solution;
        request.quick = true;
        QVERIFY(s->start(RunMode::Check, m_squares, request));
        const SessionResult result = waitFinished(finished);
        QVERIFY(result.graded());
        QVERIFY2(result.passed(), qPrintable(result.report.message));
        QCOMPARE(result.statusText(), QStringLiteral("All checks passed"));
        QCOMPARE(result.outcome, RunResult::Outcome::Ok);
        QVERIFY(states.contains(QList<QVariant>{QVariant::fromValue(LabSession::State::Checking)}));
        // The spec the runner got: the staged units with the hidden check, the
        // lesson's limits, quick mode as a variable that travels.
        const RunSpec &spec = factory->log->lastSpec;
        QCOMPARE(spec.sources.size(), 2);
        QVERIFY(spec.sources[1].path.endsWith(QStringLiteral("/check/check.cpp")));
        QCOMPARE(spec.variables.value(QStringLiteral("TORCHLAB_QUICK")), QStringLiteral("1"));
        QCOMPARE(spec.limits.wallMs, 60'000);
    }

    void stopEndsTheRunWithAStoppedVerdict()
    {
        std::shared_ptr<ScriptedFactory> factory;
        auto s = session([](ScriptedRunner &r, const RunSpec &) { r.compileOk(); }, &factory);
        QSignalSpy started(s.get(), &LabSession::programStarted);
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        QTRY_COMPARE(started.size(), 1);
        s->stop();
        const SessionResult result = waitFinished(finished);
        QCOMPARE(factory->log->stops, 1);
        QVERIFY(result.stopped);
        QCOMPARE(result.statusText(), QStringLiteral("Stopped"));
        QVERIFY(!result.card());
    }

    void aLostConnectionIsAVerdictWithACard()
    {
        auto s = session([](ScriptedRunner &r, const RunSpec &) {
            r.compileOk();
            RunnerResult result = ScriptedRunner::ok();
            result.job.run.outcome = RunResult::Outcome::ConnectionLost;
            result.job.run.summary = QStringLiteral("connection lost");
            result.job.run.explanation = QStringLiteral("The connection to gpu01 was lost.");
            r.finish(result);
        });
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        const SessionResult result = waitFinished(finished);
        QCOMPARE(result.outcome, RunResult::Outcome::ConnectionLost);
        const std::optional<OutcomeCard> card = result.card();
        QVERIFY(card);
        QCOMPARE(card->title, QStringLiteral("Connection lost"));
        QVERIFY(card->tips.first().contains(QStringLiteral("nothing was lost")));
    }

    // Before the toolchain is known a request waits; Stop ends the wait with
    // one finished() and nothing starts later behind the learner's back.
    void aWaitingRequestCanBeStopped()
    {
        std::shared_ptr<ScriptedFactory> factory;
        LabSession s;
        factory = std::make_shared<ScriptedFactory>(
            [](ScriptedRunner &r, const RunSpec &) { r.finish(ScriptedRunner::ok()); });
        s.setRunnerFactory(factory);
        s.environment()->start(ProfileRequest(), false); // gathering takes a while
        QSignalSpy finished(&s, &LabSession::finished);
        QVERIFY(s.startProgram(programSpec()));
        QCOMPARE(s.state(), LabSession::State::Preparing); // waiting for the toolchain
        s.stop();
        QCOMPARE(finished.size(), 1);
        const SessionResult result = finished.first().first().value<SessionResult>();
        QVERIFY(!result.started);
        QVERIFY(result.stopped);
        QCOMPARE(result.statusText(), QStringLiteral("Stopped"));
        QCOMPARE(s.state(), LabSession::State::Idle);
        QTRY_VERIFY_WITH_TIMEOUT(s.environment()->hasReport(), 120'000);
        QTest::qWait(50);
        QCOMPARE(factory->log->created, 0);
        QCOMPARE(finished.size(), 1);
    }

    // No usable toolchain: the request ends at once, saying why.
    void anUnusableToolchainIsSaid()
    {
        LabSession s;
        ProfileRequest request;
        request.libtorch = QStringLiteral("/nonexistent/libtorch");
        request.libtorchOrigin = QStringLiteral("test");
        s.startEnvironment(request, false);
        QTRY_VERIFY_WITH_TIMEOUT(s.environment()->state() == EnvironmentSession::State::Unusable,
                                 120'000);
        QSignalSpy finished(&s, &LabSession::finished);
        QVERIFY(s.startProgram(programSpec()));
        QCOMPARE(finished.size(), 1);
        const SessionResult result = finished.first().first().value<SessionResult>();
        QVERIFY(!result.started);
        QVERIFY(result.notStartedReason.startsWith(QStringLiteral("Cannot compile: ")));
        QCOMPARE(result.statusText(), QStringLiteral("Not started"));
    }

    // A lesson left mid-run: the run ends and nothing is reported for it.
    void abandonDropsTheRunSilently()
    {
        std::shared_ptr<ScriptedFactory> factory;
        auto s = session([](ScriptedRunner &r, const RunSpec &) { r.compileOk(); }, &factory);
        QSignalSpy started(s.get(), &LabSession::programStarted);
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        QTRY_COMPARE(started.size(), 1);
        s->abandon();
        QCOMPARE(s->state(), LabSession::State::Idle);
        QTest::qWait(50);
        QCOMPARE(finished.size(), 0);
        QVERIFY(s->startProgram(programSpec())); // and the session is free again
    }

    void aCompileErrorIsNotRun()
    {
        auto s = session([](ScriptedRunner &r, const RunSpec &) {
            Q_EMIT r.phaseChanged(RunPhase::Compiling);
            CompileResult c;
            c.outcome = CompileResult::Outcome::CompileErrors;
            c.summary = QStringLiteral("1 error in x.cpp");
            Q_EMIT r.compiled(c);
            RunnerResult result;
            result.job.compile = c;
            r.finish(result);
        });
        QSignalSpy compiled(s.get(), &LabSession::compiled);
        QSignalSpy finished(s.get(), &LabSession::finished);
        QVERIFY(s->startProgram(programSpec()));
        const SessionResult result = waitFinished(finished);
        QCOMPARE(compiled.size(), 1);
        QVERIFY(result.compileFailed);
        QVERIFY(!result.outcome);
        QCOMPARE(result.statusText(), QStringLiteral("Does not compile"));
    }
};

QTEST_GUILESS_MAIN(tst_LabSession)
#include "tst_labsession.moc"
