// The lab window end to end with the real toolchain: lesson 1 solved, run,
// checked and restored; a compile error on its line; Stop on a runaway
// program with the event loop ticking; live plot points. Slow: it builds the
// precompiled header once (XDG cache of this executable) and compiles five
// times.
#include "helpers/panelshots.h"
#include "helpers/requiredeps.h"
#include "studiofixture.h"

#include "core/monitor/prometheusexporter.h"
#include "core/monitor/runwatch.h"
#include "core/run/warmrunner.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/util/trace.h"
#include "widgets/console/outputconsole.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/editor/noticebar.h"
#include "widgets/editor/problemsview.h"
#include "widgets/plots/lossplot.h"

#include "helpers/labtoolchain.h"

#include <QAction>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace torchlab;
using namespace torchlab::testing;

namespace {

constexpr int CompileAndRunMs = 180000; // generous: a loaded 2-core CI machine
constexpr int WarmupMs = 600000;

// Measures the longest time the event loop went without running a 10 ms
// timer: how long the window would have been frozen.
class EventLoopProbe
{
public:
    EventLoopProbe()
    {
        m_clock.start();
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.elapsed();
            m_maxGap = qMax(m_maxGap, now - m_last);
            m_last = now;
        });
        m_timer.start();
    }
    qint64 stop() // the longest gap, in ms
    {
        m_timer.stop();
        return m_maxGap;
    }

private:
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
};

// Replaces the whole text the way a paste does (one edit, autosaved).
void paste(CodeEditor *editor, const QString &text)
{
    editor->selectAll();
    editor->replaceSelectedText(text);
}

} // namespace

class TestStudioFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void solveLessonOneRunCheckAndRestore();
    void typingBuildsAndRunIsInstant();
    void compileErrorLandsOnItsLine();
    void stopWhileCompilingShowsNoEmptyProblems();
    void stopEndsRunawayAndUiStaysResponsive();
    void trainingRunFeedsThePlot();
    void floodIsBounded();
    void adviceAndMetricsWhileARunGoesOn();
    void gpuMemoryAdviceOpensTheLesson();

private:
    SessionResult runAndWait(QAction *action);

    std::unique_ptr<LearnerHome> m_home;
    std::unique_ptr<Studio> m_studio;
};

void TestStudioFlow::initTestCase()
{
    QString why;
    if (!machineProfile(&why).isValid())
        LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain here: ") + why);
    m_home = std::make_unique<LearnerHome>();
    LabSettings settings;
    settings.quickRuns = true; // lessons train for fewer steps
    QVERIFY(settings.save());

    StudioOptions options;
    options.warmUp = true;
    options.environment = true;
    options.show = true;
    m_studio = openStudio(options);
    QVERIFY(m_studio);
    EnvironmentSession *environment = m_studio->controller->environment();
    QTRY_VERIFY_WITH_TIMEOUT(environment->isReady() ||
                                 environment->state() == EnvironmentSession::State::Unusable,
                             WarmupMs);
    QVERIFY2(environment->isReady(), qPrintable(environment->report().choice.error));
    QVERIFY(environment->pchUsable());
}

void TestStudioFlow::cleanupTestCase()
{
    m_studio.reset();
    m_home.reset();
}

SessionResult TestStudioFlow::runAndWait(QAction *action)
{
    QSignalSpy finished(m_studio->controller.get(), &StudioController::runFinished);
    action->trigger();
    if (!QTest::qWaitFor([&] { return finished.count() > 0; }, CompileAndRunMs))
        return SessionResult();
    return finished.first().first().value<SessionResult>();
}

void TestStudioFlow::solveLessonOneRunCheckAndRestore()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QCOMPARE(c.currentLessonId(), QStringLiteral("hello"));
    const QString solution = readCourseFile(QStringLiteral("01-hello/solution/exercise.cpp"));
    QVERIFY(!solution.isEmpty());
    paste(m_studio->editor(), solution);

    // Run: the learner's program alone, its output in the console.
    SessionResult result = runAndWait(w.actions().run);
    QVERIFY2(result.outcome == RunResult::Outcome::Ok, qPrintable(w.console()->plainText()));
    w.console()->flush();
    QVERIFY2(w.console()->plainText().contains(QStringLiteral("LibTorch ")),
             qPrintable(w.console()->plainText()));
    QCOMPARE(w.navigator()->status(QStringLiteral("hello")), LessonStatus::InProgress);

    // Check: every check passes and the lesson is marked passed.
    result = runAndWait(w.actions().check);
    const CheckReport &report = result.report;
    QVERIFY(result.graded());
    QVERIFY2(report.passed(), qPrintable(report.message));
    QVERIFY(report.tests.size() >= 5);
    // Every check passes, except one that needs a GPU (pick_cuda), which a CPU
    // machine reports as skipped, with the reason, never as passed.
    QCOMPARE(report.count(CheckResult::Status::Pass) + report.count(CheckResult::Status::Skipped),
             report.tests.size());
    QVERIFY(report.count(CheckResult::Status::Skipped) <= 1);
    QVERIFY(w.checks()->report().passed());
    QCOMPARE(w.navigator()->status(QStringLiteral("hello")), LessonStatus::Passed);
    QCOMPARE(w.navigator()->passedCount(), 1);
    QVERIFY(w.actions().compare->isEnabled()); // a pass unlocks the solution

    // A second window in the same home: the code and the passed status are back.
    c.saveAll();
    auto again = openStudio();
    QVERIFY(again);
    QCOMPARE(again->controller->currentLessonId(), QStringLiteral("hello"));
    QCOMPARE(again->editor()->text(), solution);
    QCOMPARE(again->window->navigator()->status(QStringLiteral("hello")), LessonStatus::Passed);
    again.reset();
}

// Builds while typing, in the window: an error typed shows in the editor and in
// Problems, marked as found while typing; fixed, and Ctrl+R 3 s after the
// last keystroke starts the program built meanwhile, through the warm
// runner. TORCHLAB_TRACE records the window's events; the latency is printed.
void TestStudioFlow::typingBuildsAndRunIsInstant()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("hello")));
    WarmRunner *warm = c.environment()->warm();
    QVERIFY(warm);
    QTRY_VERIFY_WITH_TIMEOUT(warm->state() != WarmRunner::State::Preparing, 120'000);
    QVERIFY2(warm->isReady(), qPrintable(warm->error()));

    QTemporaryDir dir;
    const QString trace = dir.filePath(QStringLiteral("trace.jsonl"));
    qputenv("TORCHLAB_TRACE", trace.toUtf8());
    Trace::reset();

    CodeEditor *editor = m_studio->editor();
    const QString solution = readCourseFile(QStringLiteral("01-hello/solution/exercise.cpp"));
    QSignalSpy built(c.session(), &LabSession::backgroundBuilt);
    QStringList lines = solution.split(QLatin1Char('\n'));
    const int mainLine = int(lines.indexOf(QStringLiteral("int main()"))) + 1;
    QVERIFY(mainLine > 0);
    lines.insert(mainLine + 1, QStringLiteral("    int broken = ;"));
    paste(editor, lines.join(QLatin1Char('\n')));
    QVERIFY(built.wait(CompileAndRunMs));
    QVERIFY(w.problems()->errorCount() >= 1);
    QCOMPARE(w.problems()->source(), ProblemsView::Source::Typing);
    QVERIFY(w.problems()->headerItem()->text(1).contains(QLatin1String("while you typed")));
    QVERIFY(editor->diagnosticLines().contains(mainLine + 2));

    // Fixed: the marks go once the build of the fixed text is done.
    built.clear();
    paste(editor,
          solution + QStringLiteral("// ") + QUuid::createUuid().toString() + QLatin1Char('\n'));
    QVERIFY(built.wait(CompileAndRunMs));
    QVERIFY(built.first().first().value<CompileResult>().ok());
    QCOMPARE(w.problems()->errorCount(), 0);
    QVERIFY(editor->diagnosticLines().isEmpty());
    QTest::qWait(3'000); // the learner stopped typing a while ago

    QSignalSpy finished(&c, &StudioController::runFinished);
    QTest::keyClick(&w, Qt::Key_R, Qt::ControlModifier);
    QVERIFY(finished.wait(CompileAndRunMs));
    const SessionResult result = finished.first().first().value<SessionResult>();
    QVERIFY2(result.outcome == RunResult::Outcome::Ok, qPrintable(w.console()->plainText()));
    QCOMPARE(result.run.job.launch, QStringLiteral("warm"));
    QVERIFY(result.run.job.compile.linkFromCache);

    QFile f(trace);
    QVERIFY(f.open(QIODevice::ReadOnly));
    qint64 requested = -1, shown = -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString ev = o.value(QStringLiteral("ev")).toString();
        if (ev == QLatin1String("run_requested"))
            requested = qint64(o.value(QStringLiteral("t_ms")).toDouble());
        else if (ev == QLatin1String("first_output") && requested >= 0 && shown < 0)
            shown = qint64(o.value(QStringLiteral("t_ms")).toDouble());
    }
    qunsetenv("TORCHLAB_TRACE");
    Trace::reset();
    QVERIFY2(requested >= 0 && shown >= requested, "run_requested and first_output traced");
    qInfo("Ctrl+R -> first output on screen: %lld ms (warm runner, built while typing)",
          shown - requested);
}

void TestStudioFlow::compileErrorLandsOnItsLine()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("hello")));
    CodeEditor *editor = m_studio->editor();
    QStringList lines =
        readCourseFile(QStringLiteral("01-hello/solution/exercise.cpp")).split(QLatin1Char('\n'));
    // A bad statement inside main(), on a known 1-based line.
    const int mainLine = int(lines.indexOf(QStringLiteral("int main()"))) + 1;
    QVERIFY(mainLine > 0);
    const int badLine = mainLine + 2; // after "int main()" and "{"
    lines.insert(badLine - 1, QStringLiteral("    int broken = ;"));
    paste(editor, lines.join(QLatin1Char('\n')));

    const SessionResult result = runAndWait(w.actions().run);
    QVERIFY(result.compileFailed);
    QVERIFY(!result.outcome);
    QVERIFY2(
        editor->diagnosticLines().contains(badLine),
        qPrintable(QStringLiteral("diagnostic lines: %1").arg(editor->diagnosticLines().size())));
    QVERIFY(!editor->diagnosticMessage(badLine).isEmpty());
    QVERIFY(w.problems()->errorCount() >= 1);
    QCOMPARE(w.currentBottomTab(), MainWindow::BottomTab::Problems);
    QCOMPARE(w.runStateText(), QStringLiteral("Does not compile"));
    int line = 0;
    int column = 0;
    editor->getCursorPosition(&line, &column);
    QCOMPARE(line + 1, badLine); // the cursor jumped to the first error
    // The compile's summary is said once, not again as the run's.
    const QString console = w.console()->toPlainText();
    QVERIFY2(console.count(QStringLiteral("1 error in exercise.cpp")) == 1, qPrintable(console));

    // Fixing the line takes its marks away at once, before any compile.
    editor->setSelection(badLine - 1, 0, badLine - 1, editor->text(badLine - 1).size());
    editor->replaceSelectedText(QStringLiteral("    int fixed = 1;"));
    QTRY_VERIFY(!editor->diagnosticLines().contains(badLine));
}

void TestStudioFlow::stopWhileCompilingShowsNoEmptyProblems()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("hello")));
    // Text no earlier compile has seen, so the object cache cannot answer.
    paste(m_studio->editor(), readCourseFile(QStringLiteral("01-hello/solution/exercise.cpp")) +
                                  QStringLiteral("\nstatic int unique_%1 = 0;\n")
                                      .arg(QDateTime::currentMSecsSinceEpoch()));
    QSignalSpy finished(&c, &StudioController::runFinished);
    w.actions().run->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(w.runStateText(), QStringLiteral("Compiling…"), CompileAndRunMs);
    QCOMPARE(finished.count(), 0);
    w.actions().stop->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    // Nothing was found: the Output tab stays, with one line saying why.
    QCOMPARE(w.currentBottomTab(), MainWindow::BottomTab::Output);
    QCOMPARE(w.problems()->errorCount(), 0);
    const QString console = w.console()->toPlainText();
    QVERIFY2(console.count(QStringLiteral("Compile cancelled.")) <= 1, qPrintable(console));
}

void TestStudioFlow::stopEndsRunawayAndUiStaysResponsive()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("tensors")));
    // for(;;){} with a volatile counter: an empty infinite loop is undefined
    // behaviour and the optimiser may drop it.
    paste(m_studio->editor(), QStringLiteral("#include <torch/torch.h>\n"
                                             "int main()\n{\n"
                                             "    volatile unsigned long spins = 0;\n"
                                             "    for (;;) { ++spins; }\n"
                                             "}\n"));
    QSignalSpy started(&c, &StudioController::programStarted);
    QSignalSpy finished(&c, &StudioController::runFinished);
    w.actions().run->trigger();
    QVERIFY(QTest::qWaitFor([&] { return started.count() > 0 || finished.count() > 0; },
                            CompileAndRunMs));
    QCOMPARE(finished.count(), 0);
    QVERIFY(w.actions().stop->isEnabled());

    // Probe the event loop while the program spins and while it is stopped.
    EventLoopProbe probe;
    QTest::qWait(300); // let it spin a little
    QTest::keyClick(&w, Qt::Key_Period, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QTest::qWait(100);
    const qint64 maxGap = probe.stop();
    const SessionResult result = finished.first().first().value<SessionResult>();
    QCOMPARE(result.outcome, RunResult::Outcome::Stopped);
    QVERIFY(result.stopped);
    QCOMPARE(w.runStateText(), QStringLiteral("Stopped"));
    qInfo("longest event-loop gap while running and stopping: %lld ms",
          static_cast<long long>(maxGap));
    QVERIFY2(maxGap < 1000, qPrintable(QString::number(maxGap)));
    QVERIFY(w.actions().run->isEnabled());
    QVERIFY(!w.actions().stop->isEnabled());
}

void TestStudioFlow::trainingRunFeedsThePlot()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("04-autograd")));
    paste(m_studio->editor(), readCourseFile(QStringLiteral("04-autograd/solution/exercise.cpp")));
    const SessionResult result = runAndWait(w.actions().run);
    QVERIFY2(result.outcome == RunResult::Outcome::Ok, qPrintable(w.console()->plainText()));
    const MetricSeries *loss = c.metrics().series(QStringLiteral("loss"));
    QVERIFY(loss);
    QVERIFY(loss->size() > 10);
    QVERIFY(w.lossPlot()->graphCount() >= 1);
    QVERIFY(w.lossPlot()->drawnPointCount() > 0);
}

namespace {

// The lab's own resident memory, from /proc (bytes).
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return 0;
}

} // namespace

// docs/reliability.md row 34: a program that reports 10,000 metric names,
// calls lab::check a million times and writes thousands of notes leaves the
// lab's memory bounded, says what it dropped, and the window stays live.
void TestStudioFlow::floodIsBounded()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("tensors")));
    paste(m_studio->editor(),
          QStringLiteral(
              "#include <torch/torch.h>\n"
              "#include <torchlab/lab.h>\n"
              "#include <string>\n"
              "int main()\n{\n"
              "    for (int i = 0; i < 10000; ++i)\n"
              "        lab::metric(\"loss_\" + std::to_string(i), 0, i * 0.5);\n"
              "    for (int i = 0; i < 1000000; ++i)\n"
              "        lab::check(\"inside_loop\", true, \"step \" + std::to_string(i % 7));\n"
              "    for (int i = 0; i < 5000; ++i)\n"
              "        lab::note(\"note \" + std::to_string(i));\n"
              "    return 0;\n}\n"));
    // A first flood fills the bounded stores and warms the allocator; a second
    // one must not make the lab any bigger.
    const qint64 beforeFirst = residentBytes();
    QVERIFY(runAndWait(w.actions().run).outcome == RunResult::Outcome::Ok);
    const qint64 before = residentBytes();

    EventLoopProbe probe;
    const SessionResult result = runAndWait(w.actions().run);
    const qint64 maxGap = probe.stop();
    const qint64 after = residentBytes();
    QVERIFY2(result.outcome == RunResult::Outcome::Ok, qPrintable(w.console()->plainText()));

    const MetricStore &metrics = c.metrics();
    QCOMPARE(metrics.seriesCount(), metrics.limits().maxSeries);
    QCOMPARE(result.drops.metrics.names, 10000 - metrics.limits().maxSeries);
    QCOMPARE(result.drops.checksReceived, 1000000);
    QCOMPARE(result.drops.checksNotKept, 1000000 - CheckLog::MaxEvents);
    QCOMPARE(result.run.job.checks.events().size(), CheckLog::MaxEvents);
    QCOMPARE(result.run.job.checks.tally(QStringLiteral("inside_loop"))->reports, 1000000);
    QCOMPARE(result.drops.notesNotShown, 5000 - LabSession::MaxNotes);
    // The learner is told, in the console and on the plot.
    w.console()->flush();
    const QString console = w.console()->plainText();
    const QLocale locale; // the numbers are written for the learner's locale
    QVERIFY2(console.contains(locale.toString(9936) + QStringLiteral(" more names")),
             qPrintable(console.right(2000)));
    QVERIFY(console.contains(
        QStringLiteral("lab::check was called %1 times").arg(locale.toString(1000000))));
    QVERIFY(console.contains(locale.toString(4000) +
                             QStringLiteral(" more lab::note lines were not shown")));
    QVERIFY(!console.contains(QStringLiteral("note 1000\n")));
    QCOMPARE(w.lossPlot()->graphCount(), metrics.limits().maxSeries);

    qInfo("flood: lab resident memory %.1f MiB before the first flood, %.1f MiB after it, %.1f MiB "
          "after the second (%+.1f MiB); longest event-loop gap %lld ms",
          beforeFirst / 1048576.0, before / 1048576.0, after / 1048576.0,
          (after - before) / 1048576.0, static_cast<long long>(maxGap));
    QVERIFY2(after - before < 64LL << 20,
             qPrintable(QStringLiteral("grew by %1 MiB").arg((after - before) >> 20)));
    QVERIFY2(maxGap < 1000, qPrintable(QString::number(maxGap)));
}

QTEST_MAIN(TestStudioFlow)
// A run whose loss becomes NaN: the advice bar says so while it goes on, and
// with Settings ▸ Runs ▸ Prometheus on, a scrape sees the run.
void TestStudioFlow::adviceAndMetricsWhileARunGoesOn()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    LabSettings settings = LabSettings::load();
    settings.prometheusAddress = QStringLiteral("127.0.0.1:0");
    c.applySettings(settings);
    QVERIFY(c.exporter() && c.exporter()->isListening());
    QVERIFY(c.openLesson(QStringLiteral("tensors")));
    paste(m_studio->editor(), QStringLiteral("#include <torchlab/lab.h>\n"
                                             "#include <cmath>\n"
                                             "int main()\n{\n"
                                             "    for (int step = 0; step < 20; ++step)\n"
                                             "        lab::loss(step, step < 3 ? 1.0 : NAN);\n"
                                             "    return 0;\n}\n"));
    QVERIFY(w.adviceBar()->isHidden());
    const SessionResult result = runAndWait(w.actions().run);
    QVERIFY2(result.outcome == RunResult::Outcome::Ok, qPrintable(w.console()->plainText()));
    QVERIFY(!w.adviceBar()->isHidden());
    QVERIFY2(w.adviceBar()->text().contains(QLatin1String("NaN at step 3")),
             qPrintable(w.adviceBar()->text()));
    QVERIFY(panelshots::save(w, QStringLiteral("advice-nan-loss")));

    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(c.exporter()->port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /metrics HTTP/1.0\r\n\r\n");
    QByteArray reply;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        reply += socket.readAll();
    reply += socket.readAll();
    QVERIFY2(
        reply.contains("torchlab_program_metric_nonfinite{lesson=\"tensors\",metric=\"loss\"} 1"),
        reply.constData());
    QVERIFY2(reply.contains("torchlab_run_verdicts_total{mode=\"run\",verdict=\"ok\"} 1"),
             reply.constData());

    // The next run starts without the last one's advice; the setting turned off stops serving.
    settings.prometheusAddress.clear();
    c.applySettings(settings);
    QVERIFY(!c.exporter());
    paste(m_studio->editor(), QStringLiteral("#include <torchlab/lab.h>\nint main()\n{\n"
                                             "    lab::loss(0, 1.0);\n    return 0;\n}\n"));
    QVERIFY(runAndWait(w.actions().run).outcome == RunResult::Outcome::Ok);
    QVERIFY(w.adviceBar()->isHidden());
}

// "GPU memory nearly full" offers the lesson that teaches the way out.
void TestStudioFlow::gpuMemoryAdviceOpensTheLesson()
{
    StudioController &c = *m_studio->controller;
    MainWindow &w = *m_studio->window;
    QVERIFY(c.openLesson(QStringLiteral("tensors")));
    RunWatch *watch = c.runWatch();
    const RunWatch::Limits limits = watch->limits();
    RunWatch::Limits now = limits;
    now.memoryHoldMs = 0;
    watch->setLimits(now);
    watch->runStarted();
    watch->programStarted();
    MemorySample sample;
    sample.deviceIndex = 0;
    sample.deviceTotal = 16LL << 30;
    sample.deviceUsed = 15LL << 30;
    watch->memorySample(sample);
    watch->runEnded();
    watch->setLimits(limits);
    QVERIFY(!w.adviceBar()->isHidden());
    QVERIFY2(w.adviceBar()->text().contains(QLatin1String("94%")),
             qPrintable(w.adviceBar()->text()));
    QVERIFY(panelshots::save(w, QStringLiteral("advice-gpu-memory")));
    const QList<QPushButton *> buttons = w.adviceBar()->actionButtons();
    QCOMPARE(buttons.size(), 1);
    QVERIFY2(buttons.first()->text().contains(QLatin1String("Gradient accumulation")),
             qPrintable(buttons.first()->text()));
    buttons.first()->click();
    QCOMPARE(c.currentLesson()->id, QStringLiteral("grad-accumulation"));
    QVERIFY(w.adviceBar()->isHidden());
}

#include "tst_studio_flow.moc"
