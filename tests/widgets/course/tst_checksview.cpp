#include "widgets/course/checksview.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace torchlab;

namespace {

// What a learner sees after a check of lesson 07 with one mistake: two checks
// pass, a metric is out of bounds, and a hidden check reports a wrong shape.
CheckReport sampleReport()
{
    CheckReport r;
    r.lessonId = QStringLiteral("training-loop");
    r.lessonFolder = QStringLiteral("07-training-loop");
    r.lessonTitle = QStringLiteral("A training loop");
    r.source = QStringLiteral("exercise.cpp");
    r.language = QStringLiteral("en");
    r.status = CheckResult::Status::Fail;
    r.message = QStringLiteral("2 of 4 checks passed.");
    r.compileMs = 1730;
    r.runMs = 4210;
    r.notes << QStringLiteral("Ran on the CPU: no NVIDIA GPU was found.");

    CheckResult compiles;
    compiles.name = QStringLiteral("compiles");
    compiles.kind = Check::Kind::Compiles;
    compiles.status = CheckResult::Status::Pass;
    CheckResult exits;
    exits.name = QStringLiteral("exits_ok");
    exits.kind = Check::Kind::ExitsOk;
    exits.status = CheckResult::Status::Pass;
    CheckResult metric;
    metric.name = QStringLiteral("metric loss final <= 0.5");
    metric.kind = Check::Kind::Metric;
    metric.status = CheckResult::Status::Fail;
    metric.message =
        QStringLiteral("The loss should end below 0.5. Did you call optimizer.zero_grad() "
                       "before backward() in every step?");
    metric.output = QStringLiteral("loss: final 1.874 (after 300 steps)");
    CheckResult hidden;
    hidden.name = QStringLiteral("predict_shape");
    hidden.kind = Check::Kind::Check;
    hidden.status = CheckResult::Status::Fail;
    hidden.message = QStringLiteral("predict() must return one row per input.");
    hidden.output = QStringLiteral("expected [8, 10], got [10]\n"
                                   "/tmp/tljob-x/exercise.cpp:42:12: note: predict() returns here");
    r.tests = {compiles, exits, metric, hidden};
    return r;
}

QTreeWidgetItem *findRow(QTreeWidgetItem *parent, const QString &text)
{
    for (int i = 0; i < parent->childCount(); ++i)
        if (parent->child(i)->text(0).contains(text))
            return parent->child(i);
    return nullptr;
}

void saveShot(QWidget &w, const QString &name)
{
    QVERIFY(panelshots::save(w, name));
}

} // namespace

class tst_ChecksView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rendersAReport();
    void passingReportSaysSo();
    void outputLocationsAreClickable();
    void runningStateAndClear();
    void hintsRevealOneAtATime();
    void noHintsNoButton();
    void solutionButtonFollowsAvailability();
    void explanationCard();
    void titlesAreShownAndIdsKept();
    void skippedChecksAreNotPasses();
    void screenshots();
};

void tst_ChecksView::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_ChecksView::rendersAReport()
{
    ChecksView view;
    view.setReport(sampleReport());
    QCOMPARE(view.report().tests.size(), 4);

    const QLabel *verdict = view.findChild<QLabel *>(QStringLiteral("verdict"));
    QVERIFY(verdict);
    QVERIFY2(verdict->text().contains(QStringLiteral("2 of 4 checks passed")),
             qPrintable(verdict->text()));

    QTreeWidget *list = view.checkList();
    QCOMPARE(list->topLevelItemCount(), 4);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("compiles"));
    QVERIFY(!list->topLevelItem(0)->isExpanded());
    QCOMPARE(list->topLevelItem(0)->childCount(), 0);
    // Pass and fail rows differ in icon and weight.
    QVERIFY(list->topLevelItem(0)->icon(0).pixmap(16).toImage() !=
            list->topLevelItem(2)->icon(0).pixmap(16).toImage());
    QVERIFY(list->topLevelItem(2)->font(0).bold());

    QTreeWidgetItem *metric = list->topLevelItem(2);
    QVERIFY(metric->isExpanded());
    QVERIFY(findRow(metric, QStringLiteral("optimizer.zero_grad()")));
    QTreeWidgetItem *output = findRow(metric, QStringLiteral("final 1.874"));
    QVERIFY(output);
    QVERIFY(output->font(0).fixedPitch() || output->font(0).styleHint() == QFont::TypeWriter ||
            output->font(0) != metric->font(0));

    const QLabel *detail = view.findChild<QLabel *>(QStringLiteral("detail"));
    QVERIFY(detail && !detail->isHidden());
    QVERIFY(detail->text().contains(QStringLiteral("Ran on the CPU")));
    QVERIFY(detail->text().contains(QStringLiteral("1.7")));
}

void tst_ChecksView::passingReportSaysSo()
{
    ChecksView view;
    CheckReport r = sampleReport();
    for (CheckResult &t : r.tests) {
        t.status = CheckResult::Status::Pass;
        t.message.clear();
        t.output.clear();
    }
    r.status = CheckResult::Status::Pass;
    r.message.clear();
    view.setReport(r);
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("verdict"))
                ->text()
                .contains(QStringLiteral("All 4 checks passed")));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(view.checkList()->topLevelItem(i)->childCount(), 0);
}

void tst_ChecksView::outputLocationsAreClickable()
{
    ChecksView view;
    view.setLinkFiles({QStringLiteral("exercise.cpp")});
    view.resize(600, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setReport(sampleReport());
    QTreeWidget *list = view.checkList();
    QTreeWidgetItem *row = findRow(list->topLevelItem(3), QStringLiteral("exercise.cpp:42"));
    QVERIFY(row);
    QVERIFY(row->font(0).underline());
    QSignalSpy spy(&view, &ChecksView::locationActivated);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(row).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toString(), QStringLiteral("exercise.cpp"));
    QCOMPARE(spy.first().at(1).toInt(), 42);
    QCOMPARE(spy.first().at(2).toInt(), 12);
    // A row without a location emits nothing.
    QTest::mouseClick(
        list->viewport(), Qt::LeftButton, {},
        list->visualItemRect(findRow(list->topLevelItem(3), QStringLiteral("expected [8")))
            .center());
    QCOMPARE(spy.count(), 1);
}

void tst_ChecksView::runningStateAndClear()
{
    ChecksView view;
    view.setReport(sampleReport());
    view.setRunning(QStringLiteral("Checking… (compiling)"));
    QCOMPARE(view.checkList()->topLevelItemCount(), 0);
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("verdict"))
                ->text()
                .contains(QStringLiteral("compiling")));
    QVERIFY(!view.findChild<QWidget *>(QStringLiteral("busy"))->isHidden());
    view.setReport(sampleReport());
    QVERIFY(view.findChild<QWidget *>(QStringLiteral("busy"))->isHidden());
    view.clearReport();
    QCOMPARE(view.checkList()->topLevelItemCount(), 0);
    QVERIFY(view.report().tests.isEmpty());
}

void tst_ChecksView::hintsRevealOneAtATime()
{
    ChecksView view;
    const QStringList hints{QStringLiteral("Look at where you compute the loss."),
                            QStringLiteral("Gradients add up unless you clear them."),
                            QStringLiteral("Call `optimizer.zero_grad()` first in each step.")};
    view.setHints(hints, 0);
    auto *button = view.findChild<QPushButton *>(QStringLiteral("hintButton"));
    auto *shown = view.findChild<QTextBrowser *>(QStringLiteral("hintsView"));
    QVERIFY(button && shown);
    QCOMPARE(button->text(), QStringLiteral("Show a hint (1 of 3)"));
    QVERIFY(shown->isHidden());

    QSignalSpy spy(&view, &ChecksView::hintRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.revealedHints(), 1);
    QVERIFY(!shown->isHidden());
    QVERIFY(shown->toPlainText().contains(hints[0]));
    QVERIFY(!shown->toPlainText().contains(hints[1]));
    QCOMPARE(button->text(), QStringLiteral("Show a hint (2 of 3)"));

    QTest::mouseClick(button, Qt::LeftButton);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 3);
    QCOMPARE(view.revealedHints(), 3);
    QVERIFY(shown->toPlainText().contains(QStringLiteral("optimizer.zero_grad()")));
    QVERIFY(!button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 3);

    // Restored progress: two already revealed.
    view.setHints(hints, 2);
    QCOMPARE(button->text(), QStringLiteral("Show a hint (3 of 3)"));
    QVERIFY(shown->toPlainText().contains(hints[1]));
    QVERIFY(!shown->toPlainText().contains(QStringLiteral("zero_grad")));
}

void tst_ChecksView::noHintsNoButton()
{
    ChecksView view;
    view.setHints({}, 0);
    QVERIFY(view.findChild<QPushButton *>(QStringLiteral("hintButton"))->isHidden());
}

void tst_ChecksView::solutionButtonFollowsAvailability()
{
    ChecksView view;
    auto *button = view.findChild<QPushButton *>(QStringLiteral("solutionButton"));
    QVERIFY(button);
    view.setSolutionAvailable(
        false, QStringLiteral("The solution opens after 3 failed checks (1 so far)."));
    QVERIFY(!button->isEnabled());
    QCOMPARE(button->toolTip(),
             QStringLiteral("The solution opens after 3 failed checks (1 so far)."));
    view.setSolutionAvailable(true);
    QVERIFY(button->isEnabled());
    QSignalSpy spy(&view, &ChecksView::solutionRequested);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
}

void tst_ChecksView::explanationCard()
{
    ChecksView view;
    QVERIFY(!view.explanationVisible());
    view.showExplanation(
        QStringLiteral("GPU out of memory"),
        QStringLiteral("The program asked for 2.00 GiB more than the GPU had free."),
        {QStringLiteral("Use a smaller batch size."),
         QStringLiteral("Free tensors you no longer need.")});
    QVERIFY(view.explanationVisible());
    QCOMPARE(view.explanationTitle(), QStringLiteral("GPU out of memory"));
    const QLabel *tips = view.findChild<QLabel *>(QStringLiteral("cardTips"));
    QVERIFY(tips->text().contains(QStringLiteral("<li>Use a smaller batch size.</li>")));
    view.showExplanation(QString(), QString());
    QVERIFY(!view.explanationVisible());
    QVERIFY(view.explanationTitle().isEmpty());

    // A Run's card without a Check report: no "Press Check" headline over it.
    view.clearReport();
    QVERIFY(view.verdictVisible());
    view.showExplanation(QStringLiteral("Time limit"), QStringLiteral("Stopped after 60 s."));
    QVERIFY(!view.verdictVisible());
    view.showExplanation(QString(), QString());
    QVERIFY(view.verdictVisible());
    // With a report, its headline stays above the card.
    view.setReport(sampleReport());
    view.showExplanation(QStringLiteral("Time limit"), QStringLiteral("Stopped after 60 s."));
    QVERIFY(view.verdictVisible());
    QVERIFY(view.verdictText().contains(QStringLiteral("2 of 4 checks passed")));
}

void tst_ChecksView::titlesAreShownAndIdsKept()
{
    CheckReport r = sampleReport();
    r.tests[2].title = QStringLiteral("loss 的最终值不超过 0.5");
    r.tests[3].title = QStringLiteral("predict() returns one row per input");
    ChecksView view;
    view.setReport(r);
    QTreeWidget *list = view.checkList();
    QCOMPARE(list->topLevelItem(2)->text(0), QStringLiteral("loss 的最终值不超过 0.5"));
    QCOMPARE(list->topLevelItem(3)->text(0), QStringLiteral("predict() returns one row per input"));
    QCOMPARE(list->topLevelItem(3)->toolTip(0), QStringLiteral("predict_shape"));
    // Without a title (an old report), the id.
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("compiles"));
}

// A check that could not run here (no GPU) shows as skipped, with its reason,
// and the headline does not call the lesson "all passed".
void tst_ChecksView::skippedChecksAreNotPasses()
{
    CheckReport r = sampleReport();
    for (CheckResult &t : r.tests) {
        t.status = CheckResult::Status::Pass;
        t.message.clear();
        t.output.clear();
    }
    r.tests[3].status = CheckResult::Status::Skipped;
    r.tests[3].message = QStringLiteral("No GPU here: the kernel was not run.");
    r.status = CheckResult::Status::Pass;
    r.message = QStringLiteral("1 check could not run here and was skipped.");
    ChecksView view;
    view.setReport(r);
    const QString verdict = view.findChild<QLabel *>(QStringLiteral("verdict"))->text();
    QVERIFY2(verdict.contains(QStringLiteral("3 of 4 checks passed, 1 skipped")),
             qPrintable(verdict));
    QVERIFY2(!verdict.contains(QStringLiteral("All")), qPrintable(verdict));
    QTreeWidgetItem *skipped = view.checkList()->topLevelItem(3);
    QCOMPARE(skipped->data(0, Qt::AccessibleDescriptionRole).toString(), QStringLiteral("skipped"));
    QVERIFY(skipped->isExpanded());
    QVERIFY(findRow(skipped, QStringLiteral("No GPU here")));
    QVERIFY(skipped->font(0).bold());
}

void tst_ChecksView::screenshots()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        const QString suffix = dark ? QStringLiteral("-dark") : QString();
        {
            ChecksView view;
            view.setLinkFiles({QStringLiteral("exercise.cpp")});
            view.resize(520, 620);
            view.setReport(sampleReport());
            view.setHints({QStringLiteral("Look at where you compute the loss."),
                           QStringLiteral("Gradients add up unless you clear them."),
                           QStringLiteral("Call `optimizer.zero_grad()` first in each step.")},
                          1);
            view.setSolutionAvailable(false, QStringLiteral("The solution opens after you pass."));
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            saveShot(view, QStringLiteral("checksview") + suffix);
        }
        {
            ChecksView view;
            view.resize(520, 520);
            CheckReport r = sampleReport();
            r.status = CheckResult::Status::Error;
            r.message = QStringLiteral("The program ran out of GPU memory.");
            r.tests[1].status = CheckResult::Status::Error;
            r.tests[1].message = QStringLiteral("CUDA out of memory: tried to allocate 2.00 GiB.");
            r.tests.resize(2);
            view.setReport(r);
            view.showExplanation(
                QStringLiteral("GPU out of memory"),
                QStringLiteral(
                    "Your program asked the GPU for 2.00 GiB while 76.5 GiB were already "
                    "allocated by PyTorch and only 1.06 GiB were free."),
                {QStringLiteral("Use a smaller batch size."),
                 QStringLiteral(
                     "Wrap evaluation in torch::NoGradGuard so activations are not kept."),
                 QStringLiteral("Free tensors you no longer need before the next step.")});
            view.setSolutionAvailable(true);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            saveShot(view, QStringLiteral("checksview-oom") + suffix);
        }
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_ChecksView)
#include "tst_checksview.moc"
