#include "widgets/editor/problemsview.h"

#include "shots.h"

#include <QHeaderView>
#include <QSignalSpy>
#include <QTest>

using namespace torchlab;

namespace {

Diagnostic diag(Diagnostic::Severity severity, const QString &file, int line, int column,
                const QString &message)
{
    Diagnostic d;
    d.severity = severity;
    d.file = file;
    d.line = line;
    d.column = column;
    d.message = message;
    return d;
}

QList<Diagnostic> sample()
{
    Diagnostic syntax = diag(Diagnostic::Severity::Error, "exercise.cpp", 5, 66,
                             "expected ';' after return statement");
    syntax.learnerFile = "exercise.cpp";
    syntax.learnerLine = 5;
    syntax.learnerColumn = 66;

    Diagnostic header =
        diag(Diagnostic::Severity::Error, "/usr/include/torch/csrc/api/include/torch/nn/pimpl.h",
             97, 22, "no matching function for call to 'NetImpl::NetImpl(int)'");
    header.learnerFile = "exercise.cpp";
    header.learnerLine = 13;
    header.learnerColumn = 9;
    header.notes << diag(Diagnostic::Severity::Note, "exercise.cpp", 4, 5,
                         "candidate: 'NetImpl::NetImpl()'")
                 << diag(Diagnostic::Severity::Note, "exercise.cpp", 4, 5,
                         "candidate expects 0 arguments, 1 provided");

    Diagnostic unused =
        diag(Diagnostic::Severity::Warning, "exercise.cpp", 12, 9, "unused variable 'unused'");
    unused.learnerFile = "exercise.cpp";
    unused.learnerLine = 12;
    unused.learnerColumn = 9;

    Diagnostic link =
        diag(Diagnostic::Severity::Error, QString(), 0, 0, "undefined reference to `train(Net&)'");
    link.tool = Diagnostic::Tool::Linker;
    link.symbol = "train(Net&)";
    return {syntax, header, unused, link};
}

} // namespace

class TestProblemsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsNotesAndCounts()
    {
        ProblemsView view;
        QSignalSpy counts(&view, &ProblemsView::countsChanged);
        view.setDiagnostics(sample());
        QCOMPARE(view.topLevelItemCount(), 4);
        QCOMPARE(view.errorCount(), 3);
        QCOMPARE(view.warningCount(), 1);
        QCOMPARE(counts.count(), 1);
        QCOMPARE(counts.at(0).at(0).toInt(), 3);
        QCOMPARE(counts.at(0).at(1).toInt(), 1);

        QCOMPARE(view.topLevelItem(0)->text(0), "exercise.cpp:5:66");
        QCOMPARE(view.topLevelItem(0)->text(1), "expected ';' after return statement");
        // The header error is listed where the learner can act.
        QCOMPARE(view.topLevelItem(1)->text(0), "exercise.cpp:13:9");
        QVERIFY(view.topLevelItem(1)->toolTip(1).contains("pimpl.h:97:22"));
        QCOMPARE(view.topLevelItem(1)->childCount(), 2);
        QCOMPARE(view.topLevelItem(1)->child(0)->text(1), "candidate: 'NetImpl::NetImpl()'");
        QCOMPARE(view.topLevelItem(3)->text(0), "linker");

        view.resize(640, 200);
        view.expandAll();
        view.header()->resizeSections(QHeaderView::ResizeToContents);
        saveShot(&view, "problemsview");

        view.clearDiagnostics();
        QCOMPARE(view.topLevelItemCount(), 0);
        QCOMPARE(view.errorCount(), 0);
        QCOMPARE(counts.count(), 2);
        QCOMPARE(counts.at(1).at(0).toInt(), 0);
    }

    void enterActivatesTheLearnerLocation()
    {
        ProblemsView view;
        view.setDiagnostics(sample());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &ProblemsView::activated);
        view.setFocus();
        view.setCurrentItem(view.topLevelItem(1));
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), "exercise.cpp");
        QCOMPARE(activated.at(0).at(1).toInt(), 13);
        QCOMPARE(activated.at(0).at(2).toInt(), 9);

        // A note jumps to its own line.
        view.expandAll();
        view.setCurrentItem(view.topLevelItem(1)->child(0));
        QTest::keyClick(&view, Qt::Key_Enter);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(1).toInt(), 4);

        // A link error has no line: nothing to jump to.
        view.setCurrentItem(view.topLevelItem(3));
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(activated.count(), 2);
    }

    void doubleClickActivates()
    {
        ProblemsView view;
        view.setDiagnostics(sample());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &ProblemsView::activated);
        const QRect rect = view.visualItemRect(view.topLevelItem(2));
        // The widget overload of mouseDClick sends only the double-click
        // event; a real one follows a press on the same row.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(1).toInt(), 12);
        QCOMPARE(activated.at(0).at(2).toInt(), 9);
    }
};

QTEST_MAIN(TestProblemsView)
#include "tst_problemsview.moc"
