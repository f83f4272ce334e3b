#include "dialogfixtures.h"
#include "widgets/dialogs/doctordialog.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace torchlab;

namespace {

EnvironmentReport cpuMachineReport()
{
    GpuProbe gpu;
    gpu.state = GpuProbe::State::NoLibrary;
    gpu.reason = QStringLiteral("libnvidia-ml.so.1 is not installed");
    gpu.libraryPath = QStringLiteral("libnvidia-ml.so.1");
    return EnvironmentReport::fromParts(dialogfixtures::debianMachine(), gpu, ProfileRequest());
}

QPushButton *button(DoctorDialog &dialog, const QString &text)
{
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class tst_DoctorDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsEveryVerdictTitle();
    void fullReportInMonospace();
    void copyPutsThePlainReportOnTheClipboard();
    void checkAgainAsksAndBusyDisablesIt();
    void aServerComesFirst();
    void screenshots();
};

void tst_DoctorDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_DoctorDialog::showsEveryVerdictTitle()
{
    const EnvironmentReport report = cpuMachineReport();
    QVERIFY(report.verdicts.size() >= 2);
    QVERIFY(report.hasVerdict(QStringLiteral("no-gpu")));
    DoctorDialog dialog;
    dialog.setReport(report);
    const QString shown = dialog.findingsText();
    for (const Verdict &v : report.verdicts) {
        QVERIFY2(shown.contains(v.title), qPrintable(v.title));
        if (!v.fix.isEmpty())
            QVERIFY2(shown.contains(v.fix.left(40)), qPrintable(v.fix));
    }
}

void tst_DoctorDialog::fullReportInMonospace()
{
    DoctorDialog dialog;
    const EnvironmentReport report = cpuMachineReport();
    dialog.setReport(report);
    QCOMPARE(dialog.reportText(), report.toText());
    QPlainTextEdit *text = dialog.findChild<QPlainTextEdit *>();
    QVERIFY(text);
    QCOMPARE(text->toPlainText(), report.toText());
    QVERIFY(QFontInfo(text->font()).fixedPitch());
}

void tst_DoctorDialog::copyPutsThePlainReportOnTheClipboard()
{
    DoctorDialog dialog;
    QPushButton *copy = button(dialog, QStringLiteral("Copy report"));
    QVERIFY(copy);
    QVERIFY(!copy->isEnabled()); // nothing to copy yet
    const EnvironmentReport report = cpuMachineReport();
    dialog.setReport(report);
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), report.toText());
}

void tst_DoctorDialog::checkAgainAsksAndBusyDisablesIt()
{
    DoctorDialog dialog;
    dialog.setReport(cpuMachineReport());
    QPushButton *again = button(dialog, QStringLiteral("Check again"));
    QVERIFY(again);
    QSignalSpy spy(&dialog, &DoctorDialog::recheckRequested);
    QTest::mouseClick(again, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    dialog.setBusy(true);
    QVERIFY(!again->isEnabled());
    QTest::mouseClick(again, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    dialog.setReport(cpuMachineReport());
    dialog.setBusy(false);
    QVERIFY(again->isEnabled());
}

// Runs on a course server: its findings come first, then this computer's;
// while it is asked, and when it cannot be, the dialog says so.
void tst_DoctorDialog::aServerComesFirst()
{
    DoctorDialog dialog;
    dialog.setReport(cpuMachineReport());
    dialog.setRemote(QStringLiteral("gpu.example.edu"), {}, QString());
    QVERIFY(dialog.findingsText().startsWith(QStringLiteral("Runs happen on gpu.example.edu")));
    QVERIFY(dialog.findingsText().contains(QStringLiteral("Asking the server")));
    dialog.setRemote(QStringLiteral("gpu.example.edu"),
                     {QStringLiteral("GPU: NVIDIA H100; driver 550.54 (CUDA 12.4)"),
                      QStringLiteral("LibTorch: LibTorch 2.5.1 (CUDA 12.4, pip), runs on CUDA")},
                     QString());
    const QString text = dialog.findingsText();
    QVERIFY(text.contains(QStringLiteral("NVIDIA H100")));
    QVERIFY(text.indexOf(QStringLiteral("NVIDIA H100")) <
            text.indexOf(QStringLiteral("This computer")));
    dialog.setRemote(QStringLiteral("gpu.example.edu"), {},
                     QStringLiteral("gpu.example.edu refused your key"));
    QVERIFY(dialog.findingsText().contains(QStringLiteral("refused your key")));
    dialog.setRemote(QString(), {}, QString());
    QVERIFY(!dialog.findingsText().contains(QStringLiteral("gpu.example.edu")));
}

void tst_DoctorDialog::screenshots()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        DoctorDialog dialog;
        dialog.setReport(cpuMachineReport());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("doctordialog-dark")
                                              : QStringLiteral("doctordialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_DoctorDialog)
#include "tst_doctordialog.moc"
