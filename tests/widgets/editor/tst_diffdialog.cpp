#include "widgets/editor/diffdialog.h"

#include "core/editor/linediff.h"
#include "shots.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTest>
#include <QTextEdit>

using namespace torchlab;

namespace {

const QString kMine =
    "#include <torch/torch.h>\n\nint main()\n{\n    auto x = torch::rand({2, 3});\n"
    "    std::cout << x << \"\\n\";\n}\n";
const QString kSolution =
    "#include <torch/torch.h>\n\nint main()\n{\n    auto x = torch::rand({2, 3});\n"
    "    std::cout << x.sizes() << \"\\n\";\n    return 0;\n}\n";

} // namespace

class TestDiffDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheUnifiedDiff()
    {
        DiffDialog dialog("Compare with the solution", "your code", kMine, "solution", kSolution);
        QCOMPARE(dialog.changedLineCount(), 3);
        QCOMPARE(dialog.diffText(), unifiedDiff(kMine, kSolution, "your code", "solution"));
        QVERIFY(dialog.diffText().contains("-    std::cout << x << \"\\n\";\n"));
        QVERIFY(dialog.diffText().contains("+    return 0;\n"));

        auto *view = dialog.findChild<QTextEdit *>();
        QVERIFY(view);
        QVERIFY(view->isReadOnly());
        QCOMPARE(view->toPlainText() + '\n', dialog.diffText());
        QVERIFY(view->document()->defaultFont().fixedPitch() ||
                QFontInfo(view->document()->defaultFont()).fixedPitch());
        saveShot(&dialog, "diffdialog");
    }

    void copyPutsTheDiffOnTheClipboard()
    {
        DiffDialog dialog("Compare", "a", kMine, "b", kSolution);
        QApplication::clipboard()->clear();
        QPushButton *copy = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (button->text().contains("Copy"))
                copy = button;
        }
        QVERIFY(copy);
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), dialog.diffText());
    }

    void identicalTexts()
    {
        QString windows = kMine;
        windows.replace("\n", "\r\n");
        DiffDialog dialog("Compare", "a", kMine, "b", windows);
        QCOMPARE(dialog.changedLineCount(), 0);
        QVERIFY(dialog.diffText().isEmpty());
    }
};

QTEST_MAIN(TestDiffDialog)
#include "tst_diffdialog.moc"
