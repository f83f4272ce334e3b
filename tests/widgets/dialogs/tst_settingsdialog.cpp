#include "dialogfixtures.h"
#include "widgets/dialogs/settingsdialog.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTest>

using namespace torchlab;

namespace {

LabSettings nonDefaults()
{
    LabSettings s;
    s.libtorch = QStringLiteral("debian:/usr");
    s.compiler = QStringLiteral("/usr/bin/g++");
    s.device = QStringLiteral("cpu");
    s.timeScale = 2.5;
    s.memoryMb = 3072;
    s.theme = LabSettings::Theme::Dark;
    s.language = QStringLiteral("zh_CN");
    s.editorFontSize = 15;
    s.quickRuns = true;
    s.windowGeometry = QByteArray("geometry");
    s.windowState = QByteArray("state");
    s.splitterState = QByteArray("splitter");
    s.lastPack = QStringLiteral("torchlab-course");
    s.lastLesson = QStringLiteral("training-loop");
    s.prometheusAddress = QStringLiteral("127.0.0.1:9600");
    return s;
}

void compareSettings(const LabSettings &a, const LabSettings &b)
{
    QCOMPARE(a.libtorch, b.libtorch);
    QCOMPARE(a.compiler, b.compiler);
    QCOMPARE(a.device, b.device);
    QCOMPARE(a.timeScale, b.timeScale);
    QCOMPARE(a.memoryMb, b.memoryMb);
    QCOMPARE(a.theme, b.theme);
    QCOMPARE(a.language, b.language);
    QCOMPARE(a.editorFontSize, b.editorFontSize);
    QCOMPARE(a.quickRuns, b.quickRuns);
    QCOMPARE(a.windowGeometry, b.windowGeometry);
    QCOMPARE(a.windowState, b.windowState);
    QCOMPARE(a.splitterState, b.splitterState);
    QCOMPARE(a.lastPack, b.lastPack);
    QCOMPARE(a.lastLesson, b.lastLesson);
    QCOMPARE(a.prometheusAddress, b.prometheusAddress);
}

// The combo whose entries include `data`.
QComboBox *comboWith(SettingsDialog &dialog, const QVariant &data)
{
    for (QComboBox *combo : dialog.findChildren<QComboBox *>())
        if (combo->findData(data) >= 0)
            return combo;
    return nullptr;
}

} // namespace

class tst_SettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTripsEverySetting();
    void defaultsRoundTrip();
    void editsComeBack();
    void listsInstallsAndCompilers();
    void unknownStoredValuesAreKept();
    void installNamedByItsRootIsSelected();
    void prometheusAddressIsCheckedWhereItIsTyped();
    void screenshot();
};

void tst_SettingsDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_SettingsDialog::roundTripsEverySetting()
{
    const LabSettings s = nonDefaults();
    SettingsDialog dialog(s, dialogfixtures::debianMachine());
    compareSettings(dialog.settings(), s);
}

void tst_SettingsDialog::defaultsRoundTrip()
{
    const LabSettings s;
    SettingsDialog dialog(s, DiscoveryResult());
    compareSettings(dialog.settings(), s);
}

void tst_SettingsDialog::editsComeBack()
{
    SettingsDialog dialog(LabSettings(), dialogfixtures::debianMachine());
    QComboBox *libtorch = comboWith(dialog, QStringLiteral("debian:/usr"));
    QComboBox *compiler = comboWith(dialog, QStringLiteral("/usr/bin/clang++"));
    QComboBox *device = comboWith(dialog, QStringLiteral("cuda"));
    QComboBox *theme = comboWith(dialog, int(LabSettings::Theme::Light));
    QComboBox *language = comboWith(dialog, QStringLiteral("zh_CN"));
    QVERIFY(libtorch && compiler && device && theme && language);
    libtorch->setCurrentIndex(libtorch->findData(QStringLiteral("debian:/usr")));
    compiler->setCurrentIndex(compiler->findData(QStringLiteral("/usr/bin/clang++")));
    device->setCurrentIndex(device->findData(QStringLiteral("cuda")));
    theme->setCurrentIndex(theme->findData(int(LabSettings::Theme::Light)));
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    dialog.findChild<QDoubleSpinBox *>()->setValue(4.0);
    dialog.findChild<QCheckBox *>()->setChecked(true);
    for (QSpinBox *spin : dialog.findChildren<QSpinBox *>())
        spin->setValue(spin->maximum() <= 40 ? 20 : 2048);

    const LabSettings s = dialog.settings();
    QCOMPARE(s.libtorch, QStringLiteral("debian:/usr"));
    QCOMPARE(s.compiler, QStringLiteral("/usr/bin/clang++"));
    QCOMPARE(s.device, QStringLiteral("cuda"));
    QCOMPARE(s.theme, LabSettings::Theme::Light);
    QCOMPARE(s.language, QStringLiteral("en"));
    QCOMPARE(s.timeScale, 4.0);
    QCOMPARE(s.quickRuns, true);
    QCOMPARE(s.editorFontSize, 20);
    QCOMPARE(s.memoryMb, 2048);

    // Back to automatic.
    libtorch->setCurrentIndex(0);
    QVERIFY(dialog.settings().libtorch.isEmpty());
}

void tst_SettingsDialog::listsInstallsAndCompilers()
{
    SettingsDialog dialog(LabSettings(), dialogfixtures::debianMachine());
    QComboBox *libtorch = comboWith(dialog, QStringLiteral("debian:/usr"));
    QCOMPARE(libtorch->count(), 3); // Automatic, Debian, the broken zip
    QVERIFY(libtorch->itemText(0).startsWith(QStringLiteral("Automatic")));
    QVERIFY(libtorch->itemText(1).contains(QStringLiteral("1.13.0")));
    const int broken = libtorch->findData(QStringLiteral("zip:/opt/libtorch"));
    QVERIFY(broken > 0);
    auto *model = qobject_cast<QStandardItemModel *>(libtorch->model());
    QVERIFY(!model->item(broken)->isEnabled());
    QVERIFY(libtorch->itemData(broken, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("torch.h is missing")));

    QComboBox *compiler = comboWith(dialog, QStringLiteral("/usr/bin/g++"));
    QCOMPARE(compiler->count(), 3);
    QCOMPARE(compiler->itemData(0).toString(), QString());
}

void tst_SettingsDialog::unknownStoredValuesAreKept()
{
    LabSettings s;
    s.libtorch = QStringLiteral("/home/me/libtorch-gone");
    s.compiler = QStringLiteral("/opt/gcc-99/bin/g++");
    SettingsDialog dialog(s, dialogfixtures::debianMachine());
    QComboBox *libtorch = comboWith(dialog, QStringLiteral("debian:/usr"));
    QVERIFY(libtorch->currentText().contains(QStringLiteral("not found")));
    compareSettings(dialog.settings(), s);
}

void tst_SettingsDialog::installNamedByItsRootIsSelected()
{
    LabSettings s;
    s.libtorch = QStringLiteral("/usr");
    SettingsDialog dialog(s, dialogfixtures::debianMachine());
    QComboBox *libtorch = comboWith(dialog, QStringLiteral("debian:/usr"));
    QCOMPARE(libtorch->currentData().toString(), QStringLiteral("debian:/usr"));
    QCOMPARE(dialog.settings().libtorch, QStringLiteral("/usr")); // untouched: stored as it was
}

void tst_SettingsDialog::prometheusAddressIsCheckedWhereItIsTyped()
{
    SettingsDialog dialog{LabSettings(), DiscoveryResult()};
    QCheckBox *serve = nullptr;
    for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
        if (box->text().contains(QLatin1String("Prometheus")))
            serve = box;
    auto *address = dialog.findChild<QLineEdit *>();
    auto *problem = dialog.findChild<QLabel *>(QStringLiteral("prometheusProblem"));
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(serve && address && problem && ok);
    // Off by default, with the usual address ready.
    QVERIFY(!serve->isChecked());
    QVERIFY(!address->isEnabled());
    QCOMPARE(address->text(), QStringLiteral("127.0.0.1:9477"));
    QVERIFY(dialog.settings().prometheusAddress.isEmpty());

    serve->setChecked(true);
    QVERIFY(address->isEnabled());
    QCOMPARE(dialog.settings().prometheusAddress, QStringLiteral("127.0.0.1:9477"));
    address->setText(QStringLiteral("9477"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(!problem->isHidden());
    QVERIFY2(problem->text().contains(QLatin1String("HOST:PORT")), qPrintable(problem->text()));
    address->setText(QStringLiteral("127.0.0.1:70000"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(problem->text().contains(QLatin1String("65535")));
    // Unticking makes a wrong address irrelevant.
    serve->setChecked(false);
    QVERIFY(ok->isEnabled());
    QVERIFY(problem->isHidden());
    serve->setChecked(true);
    address->setText(QStringLiteral(" [::1]:9500 "));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.settings().prometheusAddress, QStringLiteral("[::1]:9500"));
}

void tst_SettingsDialog::screenshot()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        SettingsDialog dialog(nonDefaults(), dialogfixtures::debianMachine());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("settingsdialog-dark")
                                              : QStringLiteral("settingsdialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
