// The lab window end to end with the real toolchain: lesson 1 solved, run,
// checked and restored; a compile error on its line; Stop on a runaway
// program with the event loop ticking; live plot points. Slow: it builds the
// precompiled header once (XDG cache of this executable) and compiles five
// times.
#include "studiofixture.h"

#include "widgets/console/outputconsole.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/editor/problemsview.h"
#include "studio/environmentsession.h"
#include "widgets/plots/lossplot.h"

#include "helpers/labtoolchain.h"

#include <QAction>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace torchlab;
using namespace torchlab::testing;

namespace {

constexpr int CompileAndRunMs = 180000; // generous: a loaded 2-core CI machine
constexpr int WarmupMs = 600000;

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
    void compileErrorLandsOnItsLine();
    void stopEndsRunawayAndUiStaysResponsive();
    void trainingRunFeedsThePlot();

private:
    CheckReport runAndWait(QAction *action);

    std::unique_ptr<LearnerHome> m_home;
    std::unique_ptr<Studio> m_studio;
};

void TestStudioFlow::initTestCase()
{
    QString why;
    if (!machineProfile(&why).isValid())
        QSKIP(qPrintable(QStringLiteral("no LibTorch toolchain here: ") + why));
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

CheckReport TestStudioFlow::runAndWait(QAction *action)
{
    QSignalSpy finished(m_studio->controller.get(), &StudioController::runFinished);
    action->trigger();
    if (!QTest::qWaitFor([&] { return finished.count() > 0; }, CompileAndRunMs))
        return CheckReport();
    return finished.first().first().value<CheckReport>();
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
    CheckReport report = runAndWait(w.actions().run);
    QVERIFY2(report.runOutcome == QLatin1String("ok"), qPrintable(w.console()->plainText()));
    w.console()->flush();
    QVERIFY2(w.console()->plainText().contains(QStringLiteral("LibTorch ")),
             qPrintable(w.console()->plainText()));
    QCOMPARE(w.navigator()->status(QStringLiteral("hello")), LessonStatus::InProgress);

    // Check: every check passes and the lesson is marked passed.
    report = runAndWait(w.actions().check);
    QVERIFY2(report.passed(), qPrintable(report.message));
    QVERIFY(report.tests.size() >= 5);
    QCOMPARE(report.count(CheckResult::Status::Pass), report.tests.size());
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

    const CheckReport report = runAndWait(w.actions().run);
    Q_UNUSED(report);
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
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 maxGap = 0;
    QTimer probe;
    probe.setInterval(10);
    connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 now = clock.elapsed();
        maxGap = qMax(maxGap, now - last);
        last = now;
    });
    probe.start();
    QTest::qWait(300); // let it spin a little
    QTest::keyClick(&w, Qt::Key_Period, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QTest::qWait(100);
    probe.stop();
    const CheckReport report = finished.first().first().value<CheckReport>();
    QCOMPARE(report.runOutcome, QStringLiteral("stopped"));
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
    const CheckReport report = runAndWait(w.actions().run);
    QVERIFY2(report.runOutcome == QLatin1String("ok"), qPrintable(w.console()->plainText()));
    const MetricSeries *loss = c.metrics().series(QStringLiteral("loss"));
    QVERIFY(loss);
    QVERIFY(loss->size() > 10);
    QVERIFY(w.lossPlot()->graphCount() >= 1);
    QVERIFY(w.lossPlot()->drawnPointCount() > 0);
}

QTEST_MAIN(TestStudioFlow)
#include "tst_studio_flow.moc"
