// The lab window's everyday flows that need no compiler: opening the course,
// moving between lessons from the keyboard, autosave and restore, reset,
// the solution policy, the Chinese texts, the no-GPU sentence and the
// Environment dialog. tst_studio_flow covers Run and Check.
#include "studiofixture.h"

#include "core/course/courseprogress.h"
#include "core/course/localizedtext.h"
#include "core/remote/target.h"
#include "core/session/environmentsession.h"
#include "helpers/uichinese.h"
#include "studio/targetcontroller.h"
#include "widgets/console/outputconsole.h"
#include "widgets/course/checksview.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/dialogs/doctordialog.h"
#include "widgets/dialogs/settingsdialog.h"
#include "widgets/editor/diffdialog.h"
#include "widgets/editor/lessonview.h"
#include "widgets/editor/noticebar.h"
#include "widgets/editor/problemsview.h"
#include "widgets/plots/memoryplot.h"
#include "widgets/style/theme.h"

#include <QAction>
#include <QComboBox>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>
#include <QTreeWidget>

using namespace torchlab;
using namespace torchlab::testing;

class TestStudio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void opensOnFirstLessonWithCourseLoaded();
    void keyboardMovesBetweenLessons();
    void runWaitsForToolchainAndEscapeStopsIt();
    void typedCodeIsAutosavedAndRestored();
    void resetToStarterIsUndoable();
    void damagedSaveIsRecoveredAndSaid();
    void hintsAndLocationsAndLayout();
    void compareFollowsAfterFailuresPolicy();
    void compareFollowsAfterPassPolicy();
    void chineseShowsChineseTexts();
    void settingsApplyAndPersist();
    void runOnTargetIsShownAndFailsPlainly();
    void aPackOffersItsServerOnce();
    void noGpuExplainsAndEnvironmentDialogShowsReport();

private:
    std::unique_ptr<LearnerHome> m_home;
};

void TestStudio::init()
{
    m_home = std::make_unique<LearnerHome>();
}

void TestStudio::cleanup()
{
    m_home.reset();
}

void TestStudio::opensOnFirstLessonWithCourseLoaded()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    QCOMPARE(c.pack().lessons.size(), 21);
    QCOMPARE(c.currentLessonId(), QStringLiteral("hello"));
    QCOMPARE(c.currentLesson()->day, 1);
    QCOMPARE(studio->window->navigator()->currentLesson(), QStringLiteral("hello"));
    // The lesson alone: the window system adds the application's display
    // name ("Hello LibTorch — TorchLab"), so it must not be in the title twice.
    QCOMPARE(studio->window->windowTitle(), QStringLiteral("Hello LibTorch"));

    QCOMPARE(studio->window->editorTabs()->count(), 1);
    QCOMPARE(studio->window->editorTabs()->tabText(0), QStringLiteral("exercise.cpp"));
    QCOMPARE(studio->editor()->text(), readCourseFile(QStringLiteral("01-hello/exercise.cpp")));
    QVERIFY(studio->window->lessonView()->toPlainText().contains(QStringLiteral("LibTorch")));
    QVERIFY(studio->window->actions().run->isEnabled());
    QVERIFY(!studio->window->actions().stop->isEnabled());
    QVERIFY(!studio->window->actions().previousLesson->isEnabled());

    // Lesson 13 has a C++ and a CUDA starter: one tab each.
    QVERIFY(c.openLesson(QStringLiteral("13-cuda-kernel")));
    QCOMPARE(studio->window->editorTabs()->count(), 2);
    QCOMPARE(studio->window->editorTabs()->tabText(1), QStringLiteral("kernel.cu"));
    QCOMPARE(studio->window->editors().at(1)->text(),
             readCourseFile(QStringLiteral("13-cuda-kernel/kernel.cu")));
}

void TestStudio::keyboardMovesBetweenLessons()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    studio->editor()->setFocus();
    QTRY_VERIFY(studio->editor()->hasFocus());

    // From inside the editor, which claims most keys for itself.
    QTest::keyClick(studio->editor(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("tensors"));
    QTest::keyClick(studio->window.get(), Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("devices"));
    QCOMPARE(studio->window->navigator()->currentLesson(), QStringLiteral("devices"));
    QTest::keyClick(studio->window.get(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("tensors"));
    studio->editor()->setFocus();
    QTest::keyClick(studio->editor(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("hello"));
    // Nothing before the first lesson.
    QVERIFY(!studio->window->actions().previousLesson->isEnabled());
    QTest::keyClick(studio->window.get(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("hello"));

    // Across days: lesson 05 -> 06 (day 2).
    QVERIFY(c.openLesson(QStringLiteral("05-custom-function")));
    QTest::keyClick(studio->window.get(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(c.currentLessonId(), QStringLiteral("module"));
    QCOMPARE(c.currentLesson()->day, 2);
}

void TestStudio::runWaitsForToolchainAndEscapeStopsIt()
{
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    QCOMPARE(c.environment()->state(), EnvironmentSession::State::Idle);

    // Run before the toolchain is known: it waits visibly, the GUI stays live.
    QTest::keyClick(studio->editor(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(c.state(), LabSession::State::Preparing);
    QCOMPARE(studio->window->runStateText(),
             QStringLiteral("Waiting for LibTorch to be prepared…"));
    QVERIFY(studio->window->actions().stop->isEnabled());
    QVERIFY(!studio->window->actions().run->isEnabled());

    // Esc in the editor (which claims Esc for itself) stops the waiting run.
    QTest::keyClick(studio->editor(), Qt::Key_Escape);
    QCOMPARE(c.state(), LabSession::State::Idle);
    QCOMPARE(studio->window->runStateText(), QStringLiteral("Stopped"));

    // When the toolchain arrives, nothing starts behind the learner's back.
    QTRY_VERIFY_WITH_TIMEOUT(c.environment()->hasReport(), 120000);
    QCOMPARE(c.state(), LabSession::State::Idle);
    QVERIFY(studio->window->actions().run->isEnabled());
}

void TestStudio::typedCodeIsAutosavedAndRestored()
{
    QString typed;
    {
        StudioOptions options;
        options.show = true;
        auto studio = openStudio(options);
        QVERIFY(studio);
        StudioController &c = *studio->controller;
        c.nextLesson();
        c.nextLesson();
        QCOMPARE(c.currentLessonId(), QStringLiteral("devices"));
        QSignalSpy saved(&c, &StudioController::codeSaved);

        CodeEditor *editor = studio->editor();
        editor->setFocus();
        editor->setCursorPosition(0, 0);
        QTest::keyClicks(editor, QStringLiteral("// my notes"));
        QTest::keyClick(editor, Qt::Key_Return);
        // Text a keyboard cannot type easily: CJK, tabs, trailing blanks.
        editor->insert(QStringLiteral("// 张量 \t tab  \n"));
        typed = editor->text();
        QVERIFY(typed.startsWith(QStringLiteral("// my notes\n// 张量 \t tab  \n")));

        // Saved once typing pauses, without closing anything.
        QTRY_VERIFY(saved.count() > 0);
        const LessonProgress stored =
            c.progressStore().load(c.pack().id, QStringLiteral("devices"));
        QCOMPARE(stored.code.value(QStringLiteral("exercise.cpp")), typed);
        QCOMPARE(stored.status, LessonStatus::InProgress);
        QCOMPARE(studio->window->navigator()->status(QStringLiteral("devices")),
                 LessonStatus::InProgress);

        // More typing right before closing: the close saves it.
        QTest::keyClicks(editor, QStringLiteral("x"));
        typed = editor->text();
        studio->close();
    }

    // A new window in the same home: same lesson, the code exactly as typed.
    auto again = openStudio();
    QVERIFY(again);
    QCOMPARE(again->controller->currentLessonId(), QStringLiteral("devices"));
    QCOMPARE(again->editor()->text(), typed);
    QCOMPARE(again->window->navigator()->status(QStringLiteral("devices")),
             LessonStatus::InProgress);
    // Other lessons were not touched.
    QVERIFY(again->controller->openLesson(QStringLiteral("hello")));
    QCOMPARE(again->editor()->text(), readCourseFile(QStringLiteral("01-hello/exercise.cpp")));
}

void TestStudio::resetToStarterIsUndoable()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    const QString starter = readCourseFile(QStringLiteral("01-hello/exercise.cpp"));
    CodeEditor *editor = studio->editor();
    editor->setText(QStringLiteral("int main() { return 1; }\n"));
    const QString mine = editor->text();

    studio->window->actions().reset->trigger();
    QCOMPARE(editor->text(), starter);
    editor->undo();
    QCOMPARE(editor->text(), mine);
    editor->redo();
    QCOMPARE(editor->text(), starter);

    // What was reset is what gets saved.
    c.saveNow();
    QCOMPARE(c.progressStore()
                 .load(c.pack().id, QStringLiteral("hello"))
                 .code.value(QStringLiteral("exercise.cpp")),
             starter);
}

void TestStudio::damagedSaveIsRecoveredAndSaid()
{
    QString path;
    {
        auto studio = openStudio();
        QVERIFY(studio);
        StudioController &c = *studio->controller;
        studio->editor()->setText(QStringLiteral("// first\n"));
        c.saveNow();
        studio->editor()->setText(QStringLiteral("// second\n"));
        c.saveNow(); // the first save is now the backup
        path = c.progressStore().filePath(c.pack().id, QStringLiteral("hello"));
        studio->close();
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{\"truncated");
    file.close();

    auto again = openStudio();
    QVERIFY(again);
    QVERIFY(!again->editor()->text().isEmpty());
    QVERIFY(again->editor()->text().startsWith(QStringLiteral("// ")));
    const QString message = again->window->statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("restored")), qPrintable(message));
}

void TestStudio::hintsAndLocationsAndLayout()
{
    QList<int> sizes;
    {
        StudioOptions options;
        options.show = true;
        auto studio = openStudio(options);
        QVERIFY(studio);
        StudioController &c = *studio->controller;
        ChecksView *checks = studio->window->checks();
        QCOMPARE(checks->revealedHints(), 0);
        Q_EMIT checks->hintRequested();
        QCOMPARE(checks->revealedHints(), 1);
        QCOMPARE(c.progressStore().load(c.pack().id, QStringLiteral("hello")).hintsRevealed, 1);

        // A Problems row or a console link puts the cursor on that line.
        Q_EMIT studio->window->problems()->activated(QStringLiteral("exercise.cpp"), 10, 5);
        int line = 0;
        int column = 0;
        studio->editor()->getCursorPosition(&line, &column);
        QCOMPARE(line, 9);
        QCOMPARE(column, 4);
        Q_EMIT studio->window->console()->locationActivated(QStringLiteral("exercise.cpp"), 3, 1);
        studio->editor()->getCursorPosition(&line, &column);
        QCOMPARE(line, 2);

        auto *outer = qobject_cast<QSplitter *>(studio->window->centralWidget());
        QVERIFY(outer);
        sizes = outer->sizes();
        sizes[0] += 40;
        sizes[1] -= 40;
        outer->setSizes(sizes);
        sizes = outer->sizes();
        studio->close();
    }
    StudioOptions options;
    options.show = true;
    auto again = openStudio(options);
    QVERIFY(again);
    QCOMPARE(again->window->checks()->revealedHints(), 1);
    auto *outer = qobject_cast<QSplitter *>(again->window->centralWidget());
    QCOMPARE(outer->sizes(), sizes);
}

void TestStudio::compareFollowsAfterFailuresPolicy()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    QAction *compare = studio->window->actions().compare;
    const Lesson *hello = c.currentLesson();
    QCOMPARE(hello->showSolution.when, SolutionPolicy::When::AfterFailures);
    const int needed = hello->showSolution.afterFailures;
    QVERIFY(needed > 1);
    QVERIFY(!compare->isEnabled());

    auto reopen = [&] {
        c.nextLesson();
        c.previousLesson();
    };
    for (int i = 0; i < needed - 1; ++i)
        QVERIFY(c.progressStore().recordCheck(c.pack().id, QStringLiteral("hello"), false));
    reopen();
    QVERIFY(!compare->isEnabled());
    compare->trigger(); // refused: no dialog
    QVERIFY(studio->window->findChildren<DiffDialog *>().isEmpty());

    QVERIFY(c.progressStore().recordCheck(c.pack().id, QStringLiteral("hello"), false));
    reopen();
    QVERIFY(compare->isEnabled());
    compare->trigger();
    const QList<DiffDialog *> dialogs = studio->window->findChildren<DiffDialog *>();
    QCOMPARE(dialogs.size(), 1);
    QVERIFY(dialogs.first()->isVisible());
    QVERIFY(dialogs.first()->changedLineCount() > 0); // the starter is not the solution
}

void TestStudio::compareFollowsAfterPassPolicy()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    QVERIFY(c.openLesson(QStringLiteral("17-capstone")));
    QCOMPARE(c.currentLesson()->showSolution.when, SolutionPolicy::When::AfterPass);
    QAction *compare = studio->window->actions().compare;
    for (int i = 0; i < 10; ++i)
        QVERIFY(c.progressStore().recordCheck(c.pack().id, QStringLiteral("capstone"), false));
    c.previousLesson();
    c.nextLesson();
    QVERIFY(!compare->isEnabled());

    QVERIFY(c.progressStore().recordCheck(c.pack().id, QStringLiteral("capstone"), true));
    c.previousLesson();
    c.nextLesson();
    QVERIFY(compare->isEnabled());
    QCOMPARE(studio->window->navigator()->status(QStringLiteral("capstone")), LessonStatus::Passed);
}

void TestStudio::chineseShowsChineseTexts()
{
    testing::UiChinese chinese;
    const QStringList loaded = chinese.loaded();
    // Our own strings are embedded in the binary.
    QVERIFY2(!loaded.isEmpty() && loaded.first() == QStringLiteral(":/i18n/torchlab_zh_CN.qm"),
             qPrintable(loaded.join(QLatin1Char(','))));

    StudioOptions options;
    options.language = QStringLiteral("zh_CN");
    auto studio = openStudio(options);
    QVERIFY(studio);
    const QString readme = readCourseFile(QStringLiteral("01-hello/README.zh_CN.md"));
    const QString heading =
        readme.section(QLatin1Char('\n'), 0, 0).remove(QLatin1Char('#')).trimmed();
    QVERIFY(!heading.isEmpty());
    QVERIFY2(studio->window->lessonView()->toPlainText().contains(heading), qPrintable(heading));
    QVERIFY(studio->window->windowTitle().contains(QStringLiteral("你好，LibTorch")));

    // The navigator's lesson and day titles are the Chinese ones.
    const QList<QTreeWidgetItem *> items = studio->window->navigator()->tree()->findItems(
        QStringLiteral("你好"), Qt::MatchContains | Qt::MatchRecursive);
    QVERIFY(!items.isEmpty());
    // And the window's own words are translated.
    QVERIFY2(studio->window->actions().check->text() != QStringLiteral("&Check"),
             qPrintable(studio->window->actions().check->text()));
}

void TestStudio::settingsApplyAndPersist()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    studio->window->actions().settings->trigger();
    const QList<SettingsDialog *> dialogs = studio->window->findChildren<SettingsDialog *>();
    QCOMPARE(dialogs.size(), 1);
    QVERIFY(dialogs.first()->isVisible());
    dialogs.first()->reject();

    LabSettings changed = c.settings();
    changed.theme = LabSettings::Theme::Dark;
    changed.editorFontSize = 17;
    changed.quickRuns = true;
    changed.language = QStringLiteral("zh_CN");
    c.applySettings(changed);
    auto light = qScopeGuard([] { applyTheme(*qApp, LabSettings::Theme::Light); });
    QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 128); // dark at once
    QVERIFY(studio->window->statusBar()->currentMessage().contains(QStringLiteral("next time")));
    const LabSettings stored = LabSettings::load();
    QCOMPARE(stored.editorFontSize, 17);
    QCOMPARE(stored.theme, LabSettings::Theme::Dark);
    QVERIFY(stored.quickRuns);
    QCOMPARE(stored.language, QStringLiteral("zh_CN"));
    QCOMPARE(stored.lastLesson, QStringLiteral("hello")); // not lost by the dialog's copy
}

// Settings → Run on lists the saved targets; the status bar says where runs
// happen; a server that cannot be reached is said in the notice bar with a
// way back to this computer, which the settings keep.
void TestStudio::runOnTargetIsShownAndFailsPlainly()
{
    Target closed = *Target::fromUrl(QStringLiteral("course"), QStringLiteral("ssh://127.0.0.1:1"));
    QVERIFY(TargetStore().add(closed));
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    QCOMPARE(studio->window->targetText(), QStringLiteral("Runs on this computer"));

    studio->window->actions().settings->trigger();
    const QList<SettingsDialog *> dialogs = studio->window->findChildren<SettingsDialog *>();
    QCOMPARE(dialogs.size(), 1);
    QComboBox *runOn = nullptr;
    for (QComboBox *combo : dialogs.first()->findChildren<QComboBox *>())
        if (combo->findData(QStringLiteral("course")) >= 0)
            runOn = combo;
    QVERIFY(runOn);
    QCOMPARE(runOn->itemData(0).toString(), QString()); // this computer first
    runOn->setCurrentIndex(runOn->findData(QStringLiteral("course")));
    QCOMPARE(dialogs.first()->settings().runTarget, QStringLiteral("course"));
    dialogs.first()->reject();

    // What the server's doctor said last time: the status bar and the memory
    // plot speak of the server's toolchain and GPU, not this computer's.
    const QJsonObject server{
        {QStringLiteral("gpu"), QJsonObject{{QStringLiteral("hasGpu"), true}}},
        {QStringLiteral("profile"),
         QJsonObject{{QStringLiteral("useCuda"), true},
                     {QStringLiteral("libtorch"),
                      QJsonObject{{QStringLiteral("version"), QStringLiteral("2.5.1+cu124")},
                                  {QStringLiteral("cudaVersion"), QStringLiteral("12.4")}}},
                     {QStringLiteral("compiler"),
                      QJsonObject{{QStringLiteral("kind"), QStringLiteral("gcc")}}}}}};
    QVERIFY(TargetStore::saveDoctor(QStringLiteral("course"), server));
    QSignalSpy checked(c.targets(), &TargetController::serverChecked);
    LabSettings changed = c.settings();
    changed.runTarget = QStringLiteral("course");
    c.applySettings(changed);
    QCOMPARE(studio->window->targetText(), QStringLiteral("Runs on 127.0.0.1"));
    QVERIFY2(studio->window->profileText().contains(QLatin1String("CUDA 12.4")),
             qPrintable(studio->window->profileText()));
    QVERIFY(studio->window->memoryPlot()->noGpuReason().isEmpty());
    checked.clear();
    QCOMPARE(LabSettings::load().runTarget, QStringLiteral("course"));
    QVERIFY(checked.wait(30'000));
    QVERIFY2(c.targets()->serverError().contains(QLatin1String("cannot be reached")),
             qPrintable(c.targets()->serverError()));
    NoticeBar *bar = studio->window->noticeBar();
    QVERIFY(bar->isVisible() || !bar->text().isEmpty());
    QVERIFY2(bar->text().contains(QLatin1String("cannot be used now")), qPrintable(bar->text()));
    QPushButton *local = nullptr;
    for (QPushButton *b : bar->actionButtons())
        if (b->text() == QLatin1String("Run on This Computer"))
            local = b;
    QVERIFY(local);
    local->click();
    QCOMPARE(studio->window->targetText(), QStringLiteral("Runs on this computer"));
    QVERIFY(!studio->window->profileText().contains(QLatin1String("CUDA 12.4")));
    QCOMPARE(LabSettings::load().runTarget, QString());
}

void TestStudio::aPackOffersItsServerOnce()
{
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController &c = *studio->controller;
    Pack pack = c.pack();
    pack.id = QStringLiteral("org.example.gpu101");
    pack.server.host = QStringLiteral("127.0.0.1");
    pack.server.port = 1;
    NoticeBar *bar = studio->window->noticeBar();

    // Not now: said once, remembered, not asked again.
    c.targets()->offer(pack, c.settings().declinedTargets);
    QVERIFY2(bar->text().contains(QLatin1String("127.0.0.1")), qPrintable(bar->text()));
    QCOMPARE(bar->actionButtons().size(), 2);
    bar->actionButtons().at(1)->click();
    QVERIFY(TargetStore().load()->isEmpty()); // nothing was added
    QCOMPARE(LabSettings::load().declinedTargets,
             QStringList{QStringLiteral("org.example.gpu101:127.0.0.1")});
    bar->hideNotice();
    c.targets()->offer(pack, c.settings().declinedTargets);
    QVERIFY(bar->isHidden());

    // Run there: a target of the pack's name, chosen and kept.
    c.targets()->offer(pack, {});
    QVERIFY(!bar->isHidden());
    QVERIFY(bar->text().contains(QLatin1String("Run your code there")));
    bar->actionButtons().at(0)->click();
    Result<Target> added = TargetStore().find(QStringLiteral("gpu101"));
    QVERIFY2(added, qPrintable(added.error()));
    QCOMPARE(added->url(), QStringLiteral("ssh://127.0.0.1:1"));
    QCOMPARE(c.targets()->target().name, QStringLiteral("gpu101"));
    QCOMPARE(LabSettings::load().runTarget, QStringLiteral("gpu101"));
    // A server that is a target already is not offered again.
    bar->hideNotice();
    c.targets()->offer(pack, {});
    QVERIFY(bar->isHidden() || !bar->text().contains(QLatin1String("Run your code there")));
}

void TestStudio::noGpuExplainsAndEnvironmentDialogShowsReport()
{
    // The probe loads this library; a path that does not exist is a machine without the driver.
    qputenv("TORCHLAB_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
    auto unset = qScopeGuard([] { qunsetenv("TORCHLAB_NVML_LIBRARY"); });
    StudioOptions options;
    options.show = true;
    auto studio = openStudio(options);
    QVERIFY(studio);
    QSignalSpy ready(studio->controller.get(), &StudioController::environmentReady);
    studio->controller->startEnvironment();

    // The window is usable before the doctor has finished.
    studio->window->actions().environment->trigger();
    const QList<DoctorDialog *> dialogs = studio->window->findChildren<DoctorDialog *>();
    QCOMPARE(dialogs.size(), 1);
    QVERIFY(dialogs.first()->isVisible());

    QTRY_VERIFY_WITH_TIMEOUT(studio->controller->environment()->hasReport(), 120000);
    QCOMPARE(ready.count(), 1);
    const EnvironmentReport &report = studio->controller->environment()->report();
    QVERIFY(!report.gpu.hasGpu());
    const QString reason = studio->window->memoryPlot()->noGpuReason();
    QVERIFY2(reason.contains(QStringLiteral("No NVIDIA GPU")), qPrintable(reason));
    QCOMPARE(reason, report.verdict(QStringLiteral("no-gpu"))->explanation);

    QVERIFY(dialogs.first()->reportText().contains(QStringLiteral("LibTorch")));
    if (report.choice.ok)
        QVERIFY(studio->window->profileText().contains(QStringLiteral("LibTorch")));
}

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
