#include "packdialogfixtures.h"
#include "widgets/dialogs/installpackdialog.h"
#include "widgets/style/statusicons.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;
namespace fx = packdialogfixtures;

namespace {

QLabel *shownLabel(QWidget &dialog, const QString &text)
{
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->text() == text && label->isVisibleTo(&dialog))
            return label;
    return nullptr;
}

} // namespace

class tst_InstallPackDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void emptyDialogSaysWhatToDoFirst();
    void archiveGuessesItsSignature();
    void guessNeverReplacesAChosenSignature();
    void missingFilesAreNamed();
    void badKeyShowsTheProblemAndDisablesInstall();
    void goodKeyEnablesInstallAndShowsItsId();
    void keyFromAMinisignPubFile();
    void unreadableOrWrongKeyFileSaysWhy();
    void installAcceptsOnlyWhenComplete();
    void keyFieldIsMonospace();
    void keyShortcutThenTabReachesTheBrowseButtons();
    void screenshot();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_archive;
    QString m_signature;
};

void tst_InstallPackDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_InstallPackDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_archive = m_dir->filePath(QStringLiteral("extra-cnn-0.3.0.tar.gz"));
    m_signature = m_archive + QStringLiteral(".minisig");
    QVERIFY(fx::writeFile(m_archive, "not really gzip: the dialog does not open it"));
    QVERIFY(fx::writeFile(m_signature, "untrusted comment: signature\n"));
}

void tst_InstallPackDialog::emptyDialogSaysWhatToDoFirst()
{
    InstallPackDialog dialog;
    QVERIFY(!dialog.isComplete());
    QVERIFY(!dialog.installButton()->isEnabled());
    QVERIFY(dialog.problem().contains(QStringLiteral("archive")));
    QVERIFY(shownLabel(dialog, dialog.problem()));
    // A step still to take is not an error.
    QCOMPARE(shownLabel(dialog, dialog.problem())->palette().color(QPalette::WindowText),
             dialog.palette().color(QPalette::WindowText));
}

void tst_InstallPackDialog::archiveGuessesItsSignature()
{
    InstallPackDialog dialog;
    dialog.setArchive(m_archive);
    QCOMPARE(dialog.archive(), m_archive);
    QCOMPARE(dialog.signature(), m_signature);

    // Another archive without a .minisig beside it: the old guess goes.
    const QString other = m_dir->filePath(QStringLiteral("other.zip"));
    QVERIFY(fx::writeFile(other, "zip"));
    dialog.setArchive(other);
    QVERIFY(dialog.signature().isEmpty());
    QVERIFY(dialog.problem().contains(QStringLiteral("signature")));

    // Typing the path guesses too.
    dialog.archiveEdit()->clear();
    QTest::keyClicks(dialog.archiveEdit(), m_archive);
    QCOMPARE(dialog.signature(), m_signature);
}

void tst_InstallPackDialog::guessNeverReplacesAChosenSignature()
{
    InstallPackDialog dialog;
    const QString chosen = m_dir->filePath(QStringLiteral("from-email.minisig"));
    QVERIFY(fx::writeFile(chosen, "sig"));
    dialog.setSignature(chosen);
    dialog.setArchive(m_archive);
    QCOMPARE(dialog.signature(), chosen);
}

void tst_InstallPackDialog::missingFilesAreNamed()
{
    InstallPackDialog dialog;
    dialog.setKeyText(fx::key().toBase64());
    const QString missing = m_dir->filePath(QStringLiteral("missing.tar.gz"));
    dialog.setArchive(missing);
    QVERIFY(!dialog.isComplete());
    QVERIFY(dialog.problem().contains(QStringLiteral("missing.tar.gz")));
    QCOMPARE(shownLabel(dialog, dialog.problem())->palette().color(QPalette::WindowText),
             statusColor(StatusGlyph::Error, dialog.palette()));

    dialog.setArchive(m_archive);
    dialog.setSignature(m_dir->filePath(QStringLiteral("gone.minisig")));
    QVERIFY(!dialog.isComplete());
    QVERIFY(dialog.problem().contains(QStringLiteral("gone.minisig")));
    QVERIFY(!dialog.installButton()->isEnabled());

    dialog.setArchive(m_dir->path()); // a folder
    QVERIFY(!dialog.isComplete());
    QVERIFY(dialog.problem().contains(QStringLiteral("folder")));
}

void tst_InstallPackDialog::badKeyShowsTheProblemAndDisablesInstall()
{
    InstallPackDialog dialog;
    dialog.setArchive(m_archive);
    const QString bad = QStringLiteral("RWQnot-a-key");
    QString expected;
    QVERIFY(!MinisignPublicKey::parse(bad, &expected));
    QVERIFY(!expected.isEmpty());

    QTest::keyClicks(dialog.keyEdit(), bad);
    QCOMPARE(dialog.problem(), expected);
    QVERIFY(!dialog.key());
    QVERIFY(!dialog.installButton()->isEnabled());
    QLabel *label = shownLabel(dialog, expected);
    QVERIFY(label);
    QCOMPARE(label->palette().color(QPalette::WindowText),
             statusColor(StatusGlyph::Error, dialog.palette()));
}

void tst_InstallPackDialog::goodKeyEnablesInstallAndShowsItsId()
{
    InstallPackDialog dialog;
    dialog.setArchive(m_archive);
    const MinisignPublicKey key = fx::key();
    dialog.setKeyText(QStringLiteral("  ") + key.toBase64() + QStringLiteral("\n"));
    QVERIFY2(dialog.isComplete(), qPrintable(dialog.problem()));
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.installButton()->isEnabled());
    QCOMPARE(*dialog.key(), key);
    QLabel *id = nullptr;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->isVisibleTo(&dialog) && label->text().contains(key.keyIdHex()))
            id = label;
    QVERIFY(id);
    // Something to compare, not something wrong.
    QCOMPARE(id->palette().color(QPalette::WindowText),
             dialog.palette().color(QPalette::WindowText));

    // Deleting the archive afterwards: no longer complete.
    QVERIFY(QFile::remove(m_archive));
    dialog.setArchive(m_archive);
    QVERIFY(!dialog.installButton()->isEnabled());
}

void tst_InstallPackDialog::keyFromAMinisignPubFile()
{
    InstallPackDialog dialog;
    dialog.setArchive(m_archive);
    const MinisignPublicKey key = fx::key('z');
    const QString pub = m_dir->filePath(QStringLiteral("minisign.pub"));
    QVERIFY(fx::writeFile(pub, fx::pubFile(key)));
    QVERIFY(dialog.loadKeyFile(pub));
    QCOMPARE(*dialog.key(), key);
    QVERIFY(dialog.isComplete());
}

void tst_InstallPackDialog::unreadableOrWrongKeyFileSaysWhy()
{
    InstallPackDialog dialog;
    dialog.setArchive(m_archive);
    const QString missing = m_dir->filePath(QStringLiteral("nokey.pub"));
    QVERIFY(!dialog.loadKeyFile(missing));
    QVERIFY(dialog.problem().contains(QStringLiteral("nokey.pub")));
    QVERIFY(!dialog.installButton()->isEnabled());

    const QString wrong = m_dir->filePath(QStringLiteral("notes.txt"));
    QVERIFY(fx::writeFile(wrong, "Bring a laptop on Monday.\n"));
    QVERIFY(!dialog.loadKeyFile(wrong));
    QVERIFY(dialog.problem().contains(QStringLiteral("notes.txt")));
    QVERIFY(dialog.problem().contains(QStringLiteral("public key")));

    const QString huge = m_dir->filePath(QStringLiteral("huge.pub"));
    QVERIFY(fx::writeFile(huge, QByteArray(100000, 'R')));
    QVERIFY(!dialog.loadKeyFile(huge));
    QVERIFY(dialog.problem().contains(QStringLiteral("too large")));

    // Typing a key clears the file's complaint.
    dialog.setKeyText(fx::key().toBase64());
    QVERIFY(dialog.isComplete());
}

void tst_InstallPackDialog::installAcceptsOnlyWhenComplete()
{
    InstallPackDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setArchive(m_archive);
    Q_EMIT dialog.buttons()->accepted(); // e.g. Enter with an incomplete form
    QVERIFY(dialog.isVisible());
    dialog.setKeyText(fx::key().toBase64());
    QTest::mouseClick(dialog.installButton(), Qt::LeftButton);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.archive(), m_archive);
    QCOMPARE(dialog.signature(), m_signature);
}

void tst_InstallPackDialog::keyFieldIsMonospace()
{
    InstallPackDialog dialog;
    QVERIFY(QFontInfo(dialog.keyEdit()->font()).fixedPitch());
}

void tst_InstallPackDialog::keyShortcutThenTabReachesTheBrowseButtons()
{
    InstallPackDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClick(&dialog, Qt::Key_K, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), dialog.keyEdit());
    // The fields first, then the buttons beside them.
    QTest::keyClick(dialog.keyEdit(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget()->accessibleName(),
             QStringLiteral("Browse for the pack archive"));
}

void tst_InstallPackDialog::screenshot()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        InstallPackDialog dialog;
        dialog.setArchive(m_archive);
        dialog.setKeyText(
            QStringLiteral("RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("installpackdialog-dark")
                                              : QStringLiteral("installpackdialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
    InstallPackDialog bad;
    bad.setArchive(m_archive);
    bad.setKeyText(QStringLiteral("RWQ this is not it"));
    bad.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bad));
    QVERIFY(panelshots::save(bad, QStringLiteral("installpackdialog-badkey")));
}

QTEST_MAIN(tst_InstallPackDialog)
#include "tst_installpackdialog.moc"
