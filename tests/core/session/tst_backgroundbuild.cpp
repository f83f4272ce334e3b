// Builds while typing, through LabSession with the real toolchain: the
// background build compiles the text once typing pauses, a Run of that text
// reuses it (or waits for it), a keystroke abandons it, a running program
// holds it, and its diagnostics arrive. TORCHLAB_TRACE records the events.
#include "core/build/objectcache.h"
#include "core/course/packloader.h"
#include "core/run/warmrunner.h"
#include "core/session/backgroundbuild.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/toolchain/profilechooser.h"
#include "core/util/trace.h"
#include "helpers/labtoolchain.h"
#include "helpers/requiredeps.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace torchlab;

namespace {

const QString kCourse = QStringLiteral(TORCHLAB_COURSE_DIR);

} // namespace

class TestBackgroundBuild : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Pack m_pack;
    std::unique_ptr<LabSession> m_session;
    QString m_trace;

    const Lesson &hello() const { return *m_pack.lesson(QStringLiteral("hello")); }

    // The solution of lesson 1 with `extra` appended: a text no earlier run compiled.
    QMap<QString, QString> text(const QString &extra)
    {
        QFile f(hello().filePath(hello().solution.first()));
        f.open(QIODevice::ReadOnly);
        return {{QStringLiteral("exercise.cpp"), QString::fromUtf8(f.readAll()) + extra}};
    }
    QString fresh() const
    {
        return QStringLiteral("\n// ") + QUuid::createUuid().toString() + QLatin1Char('\n');
    }
    void edit(const QMap<QString, QString> &files)
    {
        m_session->codeEdited(QStringLiteral("course"), hello(), files,
                              {QStringLiteral("exercise.cpp")}, CheckRequest());
    }
    // A Run of `files` in lesson 1; its output into `out` when given.
    SessionResult runLesson(const QMap<QString, QString> &files, QByteArray *out = nullptr)
    {
        QSignalSpy finished(m_session.get(), &LabSession::finished);
        QByteArray collected;
        connect(m_session.get(), &LabSession::output, this,
                [&collected](const QByteArray &chunk, bool) { collected += chunk; });
        const bool started =
            m_session->startWithCode(RunMode::Run, QStringLiteral("course"), hello(), files,
                                     {QStringLiteral("exercise.cpp")}, CheckRequest());
        const bool ended = started && finished.wait(240'000);
        disconnect(m_session.get(), &LabSession::output, this, nullptr);
        if (out)
            *out = collected;
        if (!ended) {
            qWarning("the run did not %s", started ? "finish" : "start");
            return SessionResult();
        }
        return finished.first().first().value<SessionResult>();
    }
    QList<QJsonObject> traceEvents() const
    {
        QList<QJsonObject> events;
        QFile f(m_trace);
        if (!f.open(QIODevice::ReadOnly))
            return events;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.isEmpty())
                events << QJsonDocument::fromJson(line).object();
        return events;
    }
    int count(const QString &event) const
    {
        int n = 0;
        for (const QJsonObject &o : traceEvents())
            n += o.value(QStringLiteral("ev")).toString() == event;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<CompileResult>();
        qRegisterMetaType<SessionResult>();
        testing::useSharedCache(); // the precompiled header the CLI tests share
        m_trace = m_dir.filePath(QStringLiteral("trace.jsonl"));
        qputenv("TORCHLAB_TRACE", m_trace.toUtf8());
        Trace::reset();
        const PackLoadResult loaded = PackLoader::load(kCourse);
        QVERIFY(loaded.valid());
        m_pack = loaded.pack;
        QString why;
        if (!testing::machineProfile(&why).isValid())
            LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain: ") + why);

        m_session = std::make_unique<LabSession>();
        m_session->backgroundBuild()->setDelayMs(150);
        m_session->environment()->setWarmRunnerEnabled(true);
        m_session->startEnvironment(ProfileRequest(), true);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->environment()->isReady(), 600'000);
        WarmRunner *warm = m_session->environment()->warm();
        QVERIFY(warm);
        QTRY_VERIFY_WITH_TIMEOUT(warm->state() != WarmRunner::State::Preparing, 120'000);
        QVERIFY2(warm->isReady(), qPrintable(warm->error()));
    }

    // docs/reliability.md row 37 for the sandbox: a warm run's program is the
    // sandboxed server's child, so it cannot write the home folder, sees no
    // session secret and reaches no network, yet it is warm.
    void warmRunIsSandboxed()
    {
        const QString probe = QStringLiteral(".torchlab-warm-probe-") +
                              QUuid::createUuid().toString(QUuid::Id128).left(12);
        const QString homeFile = QDir::home().filePath(probe);
        QMap<QString, QString> files = text(fresh());
        files[QStringLiteral("exercise.cpp")] +=
            QStringLiteral("\n#include <cstdio>\n#include <cstdlib>\n"
                           "static const int probeHome = [] {\n"
                           "    std::FILE *f = std::fopen(\"%1\", \"w\");\n"
                           "    std::printf(\"home writable: %d\\n\", f ? 1 : 0);\n"
                           "    if (f) std::fclose(f);\n"
                           "    const char *agent = std::getenv(\"SSH_AUTH_SOCK\");\n"
                           "    std::printf(\"agent: [%s]\\n\", agent ? agent : \"\");\n"
                           "    return 0;\n"
                           "}();\n")
                .arg(homeFile);
        qputenv("SSH_AUTH_SOCK", "/run/user/0/agent.sock");
        QByteArray out;
        const SessionResult result = runLesson(files, &out);
        qunsetenv("SSH_AUTH_SOCK");
        const bool leaked = QFile::exists(homeFile);
        QFile::remove(homeFile);
        QVERIFY(result.started);
        QCOMPARE(result.run.job.launch, QStringLiteral("warm"));
        QVERIFY(result.run.job.run.sandboxed);
        QVERIFY2(out.contains("home writable: 0\n"), out.constData());
        QVERIFY2(out.contains("agent: []\n"), out.constData());
        QVERIFY(!leaked);
    }

    // Typing pauses: the text is built; Run then compiles nothing and its
    // program is the one built while typing.
    void runReusesTheBackgroundBuild()
    {
        const QMap<QString, QString> files = text(fresh());
        QSignalSpy built(m_session.get(), &LabSession::backgroundBuilt);
        edit(files);
        QVERIFY(built.wait(240'000));
        const CompileResult background = built.first().first().value<CompileResult>();
        QVERIFY2(background.ok(), qPrintable(background.output));
        QCOMPARE(background.unitsFromCache, 0);

        QSignalSpy compiled(m_session.get(), &LabSession::compiled);
        QByteArray out;
        const SessionResult result = runLesson(files, &out);
        QVERIFY(result.started);
        const CompileResult run = compiled.first().first().value<CompileResult>();
        QVERIFY(run.ok());
        QCOMPARE(run.unitsFromCache, 1);
        QVERIFY(run.linkFromCache);
        QVERIFY2(out.contains("LibTorch"), out.constData());
        QVERIFY(result.outcome && *result.outcome == RunResult::Outcome::Ok);
        // Started by the warm runner: the background build linked what it loads.
        QCOMPARE(result.run.job.launch, QStringLiteral("warm"));
        // ... whose server is in the sandbox (CI has bubblewrap): so is the run.
        QVERIFY(m_session->environment()->warm()->isSandboxed());
        QVERIFY(result.run.job.run.sandboxed);
        QCOMPARE(result.report.sandbox, QStringLiteral("bubblewrap"));

        // The trace has the loop in order.
        QStringList order;
        for (const QJsonObject &o : traceEvents()) {
            const QString ev = o.value(QStringLiteral("ev")).toString();
            QVERIFY(o.value(QStringLiteral("t_ms")).toDouble() > 0);
            if (order.isEmpty() || order.last() != ev)
                order << ev;
        }
        const QStringList expected{
            QStringLiteral("build_start"),     QStringLiteral("build_done"),
            QStringLiteral("run_requested"),   QStringLiteral("compile_start"),
            QStringLiteral("compile_done"),    QStringLiteral("launch"),
            QStringLiteral("program_started"), QStringLiteral("output_received"),
            QStringLiteral("run_done")};
        QVERIFY2(order.mid(order.size() - expected.size()) == expected,
                 qPrintable(order.join(QLatin1Char(' '))));
    }

    // A keystroke abandons the build in flight: only the last text is built
    // and reported.
    void aKeystrokeAbandonsTheBuild()
    {
        QSignalSpy started(m_session.get(), &LabSession::backgroundBuildStarted);
        QSignalSpy built(m_session.get(), &LabSession::backgroundBuilt);
        const int doneBefore = count(QStringLiteral("build_done"));
        edit(text(fresh()));
        QVERIFY(started.wait(10'000));
        QVERIFY(m_session->backgroundBuild()->isBuilding());
        const QMap<QString, QString> last = text(fresh());
        edit(last);
        QVERIFY(!m_session->backgroundBuild()->isBuilding()); // abandoned at once
        QVERIFY(built.wait(240'000));
        QCOMPARE(built.count(), 1);
        QCOMPARE(started.count(), 2);
        QCOMPARE(count(QStringLiteral("build_done")), doneBefore + 1); // the first never finished
        QVERIFY(built.first().first().value<CompileResult>().ok());
    }

    // Run pressed while the same text is still building: the Run waits for
    // that build instead of compiling it a second time.
    void runWaitsForTheBuildInFlight()
    {
        QSignalSpy started(m_session.get(), &LabSession::backgroundBuildStarted);
        const QMap<QString, QString> files = text(fresh());
        edit(files);
        QVERIFY(started.wait(10'000));
        QSignalSpy compiled(m_session.get(), &LabSession::compiled);
        QSignalSpy finished(m_session.get(), &LabSession::finished);
        QVERIFY(m_session->startWithCode(RunMode::Run, QStringLiteral("course"), hello(), files,
                                         {QStringLiteral("exercise.cpp")}, CheckRequest()));
        QVERIFY(finished.wait(240'000));
        const CompileResult run = compiled.first().first().value<CompileResult>();
        QVERIFY2(run.ok(), qPrintable(run.output));
        QCOMPARE(run.unitsAwaited, 1);
        QCOMPARE(run.unitsFromCache, 1);
    }

    // Errors found while typing reach the session with their lines.
    void diagnosticsWhileTyping()
    {
        QSignalSpy built(m_session.get(), &LabSession::backgroundBuilt);
        QMap<QString, QString> files = text(fresh());
        files[QStringLiteral("exercise.cpp")] += QStringLiteral("int broken() { return nope; }\n");
        edit(files);
        QVERIFY(built.wait(240'000));
        const CompileResult r = built.first().first().value<CompileResult>();
        QCOMPARE(r.outcome, CompileResult::Outcome::CompileErrors);
        QVERIFY(!r.diagnostics.isEmpty());
        const Diagnostic &d = r.diagnostics.first();
        QCOMPARE(QFileInfo(d.file).fileName(), QStringLiteral("exercise.cpp"));
        QCOMPARE(d.line, int(files.value(QStringLiteral("exercise.cpp")).count(QLatin1Char('\n'))));
    }

    // While the learner's program runs nothing is built; afterwards the
    // pending text is.
    void heldWhileAProgramRuns()
    {
        QMap<QString, QString> slow = text(fresh());
        slow[QStringLiteral("exercise.cpp")].replace(
            QStringLiteral("int main("),
            QStringLiteral("#include <thread>\nstatic const bool slept = [] { "
                           "std::this_thread::sleep_for(std::chrono::seconds(4)); return true; "
                           "}();\nint main("));
        QSignalSpy programStarted(m_session.get(), &LabSession::programStarted);
        QSignalSpy finished(m_session.get(), &LabSession::finished);
        QVERIFY(m_session->startWithCode(RunMode::Run, QStringLiteral("course"), hello(), slow,
                                         {QStringLiteral("exercise.cpp")}, CheckRequest()));
        QVERIFY(programStarted.wait(240'000));
        QSignalSpy started(m_session.get(), &LabSession::backgroundBuildStarted);
        QSignalSpy built(m_session.get(), &LabSession::backgroundBuilt);
        edit(text(fresh()));
        QTest::qWait(1'000); // well past the pause
        QCOMPARE(started.count(), 0);
        QVERIFY(m_session->backgroundBuild()->hasPending());
        QVERIFY(finished.wait(60'000));
        QVERIFY(built.wait(240'000));
        QCOMPARE(started.count(), 1);
    }

    // A run whose environment sets a variable LibTorch reads as it loads
    // cannot use the server's LibTorch: it is exec'd, says why, and still
    // reuses the units built while typing (only the link differs).
    void loadTimeVariableMeansExec()
    {
        const QMap<QString, QString> files = text(fresh());
        CheckRequest request;
        request.environment.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("1"));
        QSignalSpy built(m_session.get(), &LabSession::backgroundBuilt);
        m_session->codeEdited(QStringLiteral("course"), hello(), files,
                              {QStringLiteral("exercise.cpp")}, request);
        QVERIFY(built.wait(240'000));
        QSignalSpy compiled(m_session.get(), &LabSession::compiled);
        QSignalSpy finished(m_session.get(), &LabSession::finished);
        QVERIFY(m_session->startWithCode(RunMode::Run, QStringLiteral("course"), hello(), files,
                                         {QStringLiteral("exercise.cpp")}, request));
        QVERIFY(finished.wait(120'000));
        const SessionResult result = finished.first().first().value<SessionResult>();
        QVERIFY(result.outcome && *result.outcome == RunResult::Outcome::Ok);
        QVERIFY2(result.run.job.launch.startsWith(QLatin1String("exec: ")) &&
                     result.run.job.launch.contains(QLatin1String("OMP_NUM_THREADS")),
                 qPrintable(result.run.job.launch));
        const CompileResult run = compiled.first().first().value<CompileResult>();
        QCOMPARE(run.unitsFromCache, 1);
        QVERIFY(run.linkFromCache);
    }

    void offWhenTurnedOff()
    {
        m_session->backgroundBuild()->setEnabled(false);
        QSignalSpy started(m_session.get(), &LabSession::backgroundBuildStarted);
        edit(text(fresh()));
        QTest::qWait(800);
        QCOMPARE(started.count(), 0);
        m_session->backgroundBuild()->setEnabled(true);
        QVERIFY(started.wait(10'000));
    }

    void cleanupTestCase() { m_session.reset(); }
};

QTEST_GUILESS_MAIN(TestBackgroundBuild)
#include "tst_backgroundbuild.moc"
