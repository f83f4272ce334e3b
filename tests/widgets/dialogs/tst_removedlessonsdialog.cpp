#include "widgets/dialogs/removedlessonsdialog.h"
#include "widgets/style/statusicons.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace torchlab;

namespace {

const QDateTime Monday(QDate(2026, 3, 2), QTime(10, 0), Qt::UTC);

QList<RemovedLessonCode> lessons()
{
    RemovedLessonCode older;
    older.lessonId = QStringLiteral("d1-tensors-warmup");
    older.lastEdited = Monday;
    older.code.insert(QStringLiteral("main.cpp"),
                      QStringLiteral("#include <torch/torch.h>\nint main() { return 0; }\n"));

    RemovedLessonCode newer;
    newer.lessonId = QStringLiteral("d2-custom-autograd");
    newer.lastEdited = Monday.addDays(1);
    newer.code.insert(QStringLiteral("main.cpp"), QStringLiteral("// mine\r\nint main() {}\r\n"));
    newer.code.insert(QStringLiteral("square.h"),
                      QStringLiteral("struct Square : torch::autograd::Function<Square> {};\n"));
    return {older, newer};
}

QStringList tabNames(const RemovedLessonsDialog &dialog)
{
    QStringList names;
    for (int i = 0; i < dialog.fileTabs()->count(); ++i)
        names << dialog.fileTabs()->tabText(i);
    return names;
}

bool showsText(QWidget &dialog, const QString &text)
{
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->isVisibleTo(&dialog) && label->text().contains(text))
            return true;
    return false;
}

} // namespace

class tst_RemovedLessonsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void newestEditFirst();
    void oneReadOnlyMonospaceTabPerFile();
    void selectLessonSwitchesFiles();
    void copyPutsTheShownFileOnTheClipboard();
    void saveShownFileWritesExactlyTheStoredText();
    void saveFailureSaysWhy();
    void saveAsAsksWhereAndSaysWhereItWent();
    void noLessonsDisablesTheButtons();
    void screenshot();
};

void tst_RemovedLessonsDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_RemovedLessonsDialog::newestEditFirst()
{
    RemovedLessonsDialog dialog(lessons());
    QCOMPARE(dialog.lessonCount(), 2);
    QCOMPARE(dialog.lessonList()->count(), 2);
    QVERIFY(dialog.lessonList()->item(0)->text().startsWith(QStringLiteral("d2-custom-autograd")));
    QVERIFY(dialog.lessonList()->item(1)->text().startsWith(QStringLiteral("d1-tensors-warmup")));
    QCOMPARE(dialog.shownLessonId(), QStringLiteral("d2-custom-autograd"));
}

void tst_RemovedLessonsDialog::oneReadOnlyMonospaceTabPerFile()
{
    RemovedLessonsDialog dialog(lessons());
    QCOMPARE(tabNames(dialog),
             (QStringList{QStringLiteral("main.cpp"), QStringLiteral("square.h")}));
    QCOMPARE(dialog.shownFileName(), QStringLiteral("main.cpp"));
    QCOMPARE(dialog.shownText(), QStringLiteral("// mine\nint main() {}\n"));
    for (int i = 0; i < dialog.fileTabs()->count(); ++i) {
        auto *view = qobject_cast<QPlainTextEdit *>(dialog.fileTabs()->widget(i));
        QVERIFY(view);
        QVERIFY(view->isReadOnly());
        QVERIFY(QFontInfo(view->font()).fixedPitch());
    }
    dialog.fileTabs()->setCurrentIndex(1);
    QCOMPARE(dialog.shownFileName(), QStringLiteral("square.h"));
    QVERIFY(dialog.shownText().contains(QStringLiteral("struct Square")));
}

void tst_RemovedLessonsDialog::selectLessonSwitchesFiles()
{
    RemovedLessonsDialog dialog(lessons());
    QVERIFY(dialog.selectLesson(QStringLiteral("d1-tensors-warmup")));
    QCOMPARE(dialog.shownLessonId(), QStringLiteral("d1-tensors-warmup"));
    QCOMPARE(tabNames(dialog), QStringList{QStringLiteral("main.cpp")});
    QVERIFY(dialog.shownText().contains(QStringLiteral("return 0;")));
    QVERIFY(!dialog.selectLesson(QStringLiteral("no-such-lesson")));
    QCOMPARE(dialog.shownLessonId(), QStringLiteral("d1-tensors-warmup"));
}

void tst_RemovedLessonsDialog::copyPutsTheShownFileOnTheClipboard()
{
    RemovedLessonsDialog dialog(lessons());
    dialog.fileTabs()->setCurrentIndex(1);
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), dialog.shownText());
    QVERIFY(QGuiApplication::clipboard()->text().contains(QStringLiteral("struct Square")));
    QVERIFY(showsText(dialog, QStringLiteral("square.h")));
}

void tst_RemovedLessonsDialog::saveShownFileWritesExactlyTheStoredText()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RemovedLessonsDialog dialog(lessons());
    const QString path = dir.filePath(QStringLiteral("saved-main.cpp"));
    QString error;
    QVERIFY2(dialog.saveShownFile(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // The learner's line endings, not the view's.
    QCOMPARE(file.readAll(), QByteArray("// mine\r\nint main() {}\r\n"));
}

void tst_RemovedLessonsDialog::saveFailureSaysWhy()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RemovedLessonsDialog dialog(lessons());
    const QString path = dir.filePath(QStringLiteral("no/such/folder/main.cpp"));
    QString error;
    QVERIFY(!dialog.saveShownFile(path, &error));
    QVERIFY2(error.contains(QStringLiteral("main.cpp")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void tst_RemovedLessonsDialog::saveAsAsksWhereAndSaysWhereItWent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RemovedLessonsDialog dialog(lessons());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.fileTabs()->setCurrentIndex(1);
    const QString path = dir.filePath(QStringLiteral("square-kept.h"));

    bool asked = false;
    std::function<void()> answer = [&] {
        auto *files = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!files) {
            QTimer::singleShot(10, qApp, answer);
            return;
        }
        asked = true;
        QCOMPARE(files->acceptMode(), QFileDialog::AcceptSave);
        files->selectFile(path);
        QMetaObject::invokeMethod(files, "accept"); // a protected slot
    };
    QTimer::singleShot(0, qApp, answer);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QVERIFY(asked);
    QTRY_VERIFY(QFile::exists(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("struct Square"));
    QVERIFY(showsText(dialog, QStringLiteral("square-kept.h")));
}

void tst_RemovedLessonsDialog::noLessonsDisablesTheButtons()
{
    RemovedLessonsDialog dialog({});
    QCOMPARE(dialog.lessonCount(), 0);
    QVERIFY(dialog.shownLessonId().isEmpty());
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QString error;
    QVERIFY(!dialog.saveShownFile(QStringLiteral("/tmp/never-written"), &error));
    QVERIFY(!error.isEmpty());
}

void tst_RemovedLessonsDialog::screenshot()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        RemovedLessonsDialog dialog(lessons());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("removedlessonsdialog-dark")
                                              : QStringLiteral("removedlessonsdialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_RemovedLessonsDialog)
#include "tst_removedlessonsdialog.moc"
