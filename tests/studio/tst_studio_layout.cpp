// The lab window on the screens a course uses: a laptop on a projector
// (1280 x 720) gets the compact arrangement with an editor of at least 30
// lines x 80 columns; every panel hides and comes back (and is remembered);
// focus and presenter modes; splitters that shrink; and the stale state a
// learner must not see after a lesson change or a reset.
#include "studiofixture.h"

#include "widgets/console/outputconsole.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/editor/lessonview.h"
#include "widgets/editor/problemsview.h"
#include "widgets/plots/lossplot.h"
#include "widgets/plots/memoryplot.h"

#include "widgets/plots/qcp.h"

#include <QAction>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>

using namespace torchlab;
using namespace torchlab::testing;

class TestStudioLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_home = std::make_unique<LearnerHome>(); }
    void cleanup() { m_home.reset(); }

    void projectorLaptopGetsAWideEditor();
    void largeWindowKeepsEveryPanel();
    void panelsHideComeBackAndAreRemembered();
    void focusModeLeavesEditorAndOutput();
    void presenterModeEnlargesEverything();
    void splittersShrinkAndStayPut();
    void verdictCardShowsEverything();
    void nothingStaleAfterLessonChangeOrReset();

private:
    static bool shown(QWidget *w) { return w->isVisible() && w->width() > 0 && w->height() > 0; }
    std::unique_ptr<LearnerHome> m_home;
};

void TestStudioLayout::projectorLaptopGetsAWideEditor()
{
    StudioOptions options;
    options.show = true;
    options.size = QSize(1280, 720);
    options.lesson = QStringLiteral("02-tensors");
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    QTRY_VERIFY(w.isCompact());
    QCOMPARE(w.size(), QSize(1280, 720));
    CodeEditor *editor = studio->editor();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    QTest::qWait(50);
    // Measured from the widget as laid out: whole lines and columns of text.
    const int lines = editor->visibleLines();
    const int columns = editor->visibleColumns();
    qInfo("1280x720 compact: editor %d lines x %d columns", lines, columns);
    QVERIFY2(lines >= 30, qPrintable(QString::number(lines)));
    QVERIFY2(columns >= 80, qPrintable(QString::number(columns)));

    // The lesson text is one click away: a tab beside the editor, in front
    // when a lesson opens.
    QTabWidget *tabs = w.compactTabs();
    QVERIFY(shown(tabs));
    QCOMPARE(tabs->currentWidget(), w.lessonView());
    QVERIFY(shown(w.lessonView()));
    QVERIFY(w.lessonView()->toPlainText().contains(QStringLiteral("broadcast")));
    // Run brings the output forward; a click on "Lesson" brings the text back.
    w.showBottomTab(MainWindow::BottomTab::Output);
    QVERIFY(shown(w.console()));
    const int lessonTab = tabs->indexOf(w.lessonView());
    QVERIFY(lessonTab >= 0);
    QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {},
                      tabs->tabBar()->tabRect(lessonTab).center());
    QCOMPARE(tabs->currentWidget(), w.lessonView());
    // The plots are a tab too: Ctrl+4 brings them forward, again hides them.
    QVERIFY(tabs->indexOf(w.lossPlot()->parentWidget()) >= 0);
    w.actions().showPlots->trigger();
    QCOMPARE(tabs->currentWidget(), w.lossPlot()->parentWidget());
    QVERIFY(w.actions().showPlots->isChecked());
    w.actions().showPlots->trigger();
    QVERIFY(!tabs->isTabVisible(tabs->indexOf(w.lossPlot()->parentWidget())));
    w.actions().showPlots->trigger();
    QVERIFY(shown(w.lossPlot()));
    // The lesson list is a shortcut away.
    QVERIFY(!w.navigator()->isVisible());
    w.actions().showLessons->trigger();
    QVERIFY(shown(w.navigator()));
    QVERIFY(w.actions().showLessons->isChecked());
    w.actions().showLessons->trigger();
    QVERIFY(!w.navigator()->isVisible());

    // Growing the window returns to the wide arrangement by itself.
    w.resize(1600, 1000);
    QTRY_VERIFY(!w.isCompact());
    QTRY_VERIFY(shown(w.navigator()));
    QVERIFY(shown(w.lessonView()));
    QVERIFY(shown(w.lossPlot()));
}

void TestStudioLayout::largeWindowKeepsEveryPanel()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    QCOMPARE(w.size(), QSize(1600, 1000));
    QVERIFY(!w.isCompact());
    for (QWidget *panel :
         std::initializer_list<QWidget *>{w.navigator(), w.lessonView(), studio->editor(),
                                          w.console(), w.lossPlot(), w.memoryPlot()})
        QVERIFY2(shown(panel), panel->metaObject()->className());
    // The lesson text is not squeezed into a ribbon.
    QVERIFY(w.lessonView()->width() >= 300);
    qInfo("1600x1000 wide: editor %d lines x %d columns, lesson text %d px",
          studio->editor()->visibleLines(), studio->editor()->visibleColumns(),
          w.lessonView()->width());
    QVERIFY(studio->editor()->visibleColumns() >= 55);
    for (QAction *a : {w.actions().showLessons, w.actions().showLessonText, w.actions().showOutput,
                       w.actions().showPlots})
        QVERIFY(a->isChecked());
    QVERIFY(w.actions().layoutAutomatic->isChecked());
}

void TestStudioLayout::panelsHideComeBackAndAreRemembered()
{
    {
        StudioOptions options;
        options.show = true;
        auto studio = openStudio(options);
        QVERIFY(studio);
        MainWindow &w = *studio->window;
        const int editorWidth = studio->editor()->width();
        w.actions().showLessonText->trigger();
        QVERIFY(!w.lessonView()->isVisible());
        QVERIFY(!w.actions().showLessonText->isChecked());
        w.actions().showPlots->trigger();
        QVERIFY(!w.lossPlot()->isVisible());
        // The room goes to the editor.
        QTRY_VERIFY(studio->editor()->width() > editorWidth + 300);
        w.actions().showOutput->trigger();
        QVERIFY(!w.bottomTabs()->isVisible());
        w.actions().showOutput->trigger();
        QVERIFY(shown(w.bottomTabs()));
        w.actions().showLessons->trigger();
        QVERIFY(!w.navigator()->isVisible());
        studio->close();
    }
    StudioOptions options;
    options.show = true;
    auto again = openStudio(options);
    QVERIFY(again);
    MainWindow &w = *again->window;
    QVERIFY(!w.lessonView()->isVisible());
    QVERIFY(!w.lossPlot()->isVisible());
    QVERIFY(!w.navigator()->isVisible());
    QVERIFY(shown(w.console()));
    QVERIFY(!w.actions().showPlots->isChecked());
    // And back, from the View menu's actions.
    w.actions().showLessonText->trigger();
    w.actions().showPlots->trigger();
    w.actions().showLessons->trigger();
    QVERIFY(shown(w.lessonView()));
    QVERIFY(shown(w.lossPlot()));
    QVERIFY(shown(w.navigator()));
    QVERIFY(w.lessonView()->width() >= 180);
}

void TestStudioLayout::focusModeLeavesEditorAndOutput()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    QVERIFY(w.actions().focusMode->shortcuts().contains(QKeySequence(Qt::Key_F11)));
    QTest::keyClick(studio->editor(), Qt::Key_F11);
    QVERIFY(w.focusMode());
    QVERIFY(!w.navigator()->isVisible());
    QVERIFY(!w.lessonView()->isVisible());
    QVERIFY(!w.lossPlot()->isVisible());
    QVERIFY(shown(studio->editor()));
    QVERIFY(shown(w.console()));
    QTRY_VERIFY(studio->editor()->visibleColumns() >= 120);
    // Again: everything as before.
    QTest::keyClick(studio->editor(), Qt::Key_F11);
    QVERIFY(!w.focusMode());
    QVERIFY(shown(w.navigator()));
    QVERIFY(shown(w.lessonView()));
    QVERIFY(shown(w.lossPlot()));

    // Focus mode in the compact arrangement keeps the output tab.
    w.setArrangement(MainWindow::Arrangement::Compact);
    QVERIFY(w.isCompact());
    w.actions().focusMode->trigger();
    QVERIFY(shown(w.console()));
    QVERIFY(!w.compactTabs()->isTabVisible(w.compactTabs()->indexOf(w.lessonView())));
    // Asking for a panel ends focus mode.
    w.actions().showLessonText->trigger();
    QVERIFY(!w.focusMode());
    QCOMPARE(w.compactTabs()->currentWidget(), w.lessonView());
}

void TestStudioLayout::presenterModeEnlargesEverything()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    const double windowPoints = w.font().pointSizeF();
    const double consolePoints = w.console()->font().pointSizeF();
    const double lessonPoints = w.lessonView()->font().pointSizeF();
    const long zoom = studio->editor()->SendScintilla(QsciScintillaBase::SCI_GETZOOM);
    const int lines = studio->editor()->visibleLines();

    QTest::keyClick(studio->editor(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(w.presenterMode());
    QVERIFY(w.actions().presenterMode->isChecked());
    QVERIFY(w.font().pointSizeF() >= windowPoints * 1.4);
    QVERIFY(w.console()->font().pointSizeF() >= consolePoints * 1.4);
    QVERIFY(w.lessonView()->font().pointSizeF() >= lessonPoints * 1.4);
    QVERIFY(w.navigator()->font().pointSizeF() >= windowPoints * 1.4); // inherited
    QVERIFY(studio->editor()->SendScintilla(QsciScintillaBase::SCI_GETZOOM) >= zoom + 5);
    QTRY_VERIFY(studio->editor()->visibleLines() < lines);
    QVERIFY(w.lossPlot()->presentation());
    QVERIFY(w.memoryPlot()->presentation());
    QVERIFY(w.lossPlot()->plot()->xAxis->tickLabelFont().pointSizeF() >= windowPoints * 1.4);
    // A lesson opened now is large too.
    QVERIFY(studio->controller->openLesson(QStringLiteral("03-devices")));
    QVERIFY(studio->editor()->SendScintilla(QsciScintillaBase::SCI_GETZOOM) >= zoom + 5);

    // The same shortcut: back to normal.
    QTest::keyClick(studio->editor(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!w.presenterMode());
    QCOMPARE(w.font().pointSizeF(), windowPoints);
    QCOMPARE(w.console()->font().pointSizeF(), consolePoints);
    QCOMPARE(studio->editor()->SendScintilla(QsciScintillaBase::SCI_GETZOOM), zoom);
    QVERIFY(!w.lossPlot()->presentation());
}

void TestStudioLayout::splittersShrinkAndStayPut()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    auto *centre = qobject_cast<QSplitter *>(w.bottomTabs()->parentWidget());
    QVERIFY(centre);
    // Dragging the handle down: the bottom panel goes down to its tab bar
    // and a few lines, whatever its pages would like.
    const QList<int> sizes = centre->sizes();
    centre->setSizes({sizes[0] + sizes[1] - 10, 10});
    QTRY_VERIFY(w.bottomTabs()->height() <= 110);
    // Its height does not jump when a report and a card arrive.
    const int height = w.bottomTabs()->height();
    CheckReport report;
    report.status = CheckResult::Status::Fail;
    for (int i = 0; i < 12; ++i) {
        CheckResult r;
        r.name = QStringLiteral("check_%1").arg(i);
        r.title = QStringLiteral("Check number %1 holds").arg(i);
        r.status = CheckResult::Status::Fail;
        r.message = QStringLiteral("A long message that wraps over more than one line.");
        report.tests << r;
    }
    w.checks()->setReport(report);
    w.checks()->showExplanation(QStringLiteral("Out of memory"), QStringLiteral("Too much."),
                                {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    w.showBottomTab(MainWindow::BottomTab::Checks);
    QTest::qWait(50);
    QCOMPARE(w.bottomTabs()->height(), height);

    // The navigator and the plots shrink as far as their minimums, not 300 px.
    auto *outer = qobject_cast<QSplitter *>(w.centralWidget());
    QVERIFY(outer);
    const QList<int> o = outer->sizes();
    outer->setSizes({10, o[0] + o[1] + o[2] - 20, 10});
    QTRY_VERIFY(w.navigator()->width() <= 160);
    QVERIFY(w.lossPlot()->width() <= 210);
}

void TestStudioLayout::verdictCardShowsEverything()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    ChecksView *checks = w.checks();
    w.showBottomTab(MainWindow::BottomTab::Checks);
    const QString last = QStringLiteral("On a slow computer, raise the time scale in Settings.");
    checks->showExplanation(QStringLiteral("Time limit"),
                            QStringLiteral("The program ran longer than the lesson allows and "
                                           "was stopped. Nothing is wrong with the computer."),
                            {QStringLiteral("Look for a loop that never ends."),
                             QStringLiteral("Print the step number every 100 steps."),
                             QStringLiteral("Use quick mode for a first try."), last});
    // A Run's card has no "Press Check" headline above it.
    QVERIFY(!checks->verdictVisible());
    QTest::qWait(50);
    QVERIFY(checks->explanationFullyShown());
    // In a short panel the page scrolls down to the last tip.
    auto *centre = qobject_cast<QSplitter *>(w.bottomTabs()->parentWidget());
    const QList<int> sizes = centre->sizes();
    centre->setSizes({sizes[0] + sizes[1] - 150, 150});
    QTest::qWait(50);
    QVERIFY(checks->explanationFullyShown());
    QScrollBar *bar = checks->scrollArea()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    auto *tips = checks->findChild<QLabel *>(QStringLiteral("cardTips"));
    QVERIFY(tips);
    checks->scrollArea()->ensureWidgetVisible(tips, 0, 0);
    QVERIFY(tips->text().contains(QStringLiteral("raise the time scale")));
    const QPoint bottom =
        tips->mapTo(checks->scrollArea()->viewport(), QPoint(0, tips->height() - 1));
    QVERIFY2(checks->scrollArea()->viewport()->rect().contains(bottom),
             qPrintable(QStringLiteral("the last tip cannot be scrolled into view: tip bottom at "
                                       "%1 in a viewport %2 high, content %3 high")
                            .arg(bottom.y())
                            .arg(checks->scrollArea()->viewport()->height())
                            .arg(checks->scrollArea()->widget()->height())));
}

void TestStudioLayout::nothingStaleAfterLessonChangeOrReset()
{
    StudioOptions options;
    options.show = true;
    options.lesson = QStringLiteral("04-autograd");
    auto studio = openStudio(options);
    QVERIFY(studio);
    MainWindow &w = *studio->window;
    StudioController &c = *studio->controller;

    // An out-of-memory card from the last run goes with Reset to Starter.
    w.checks()->showExplanation(QStringLiteral("Out of memory"), QStringLiteral("Too much."),
                                {QStringLiteral("Use a smaller batch.")});
    QVERIFY(w.checks()->explanationVisible());
    w.actions().reset->trigger();
    QVERIFY(!w.checks()->explanationVisible());
    QVERIFY(w.checks()->verdictVisible());

    // The last run's time and the status bar's messages stay with their lesson.
    w.setRunState(QStringLiteral("Running…"), true);
    QTest::qWait(150);
    w.setRunState(QStringLiteral("Finished"), false);
    QVERIFY(!w.elapsedText().isEmpty());
    w.statusBar()->showMessage(QStringLiteral("Compiled while you typed"), 60000);
    QVERIFY(c.openLesson(QStringLiteral("05-custom-function")));
    QVERIFY(w.elapsedText().isEmpty());
    QVERIFY(w.statusBar()->currentMessage().isEmpty());
    QCOMPARE(w.runStateText(), QStringLiteral("Ready"));
}

QTEST_MAIN(TestStudioLayout)
#include "tst_studio_layout.moc"
