#include "core/packs/subscribelink.h"
#include "packdialogfixtures.h"
#include "widgets/dialogs/subscribedialog.h"
#include "widgets/style/statusicons.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QClipboard>
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

const QUrl Feed(QStringLiteral("https://course.example.org/dl-autumn/feed/"));

SubscribeLink courseLink()
{
    SubscribeLink link;
    link.feed = Feed;
    link.key = fx::key('c');
    link.name = QStringLiteral("Deep Learning, Autumn 2026");
    return link;
}

bool showsText(QWidget &dialog, const QString &text)
{
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->isVisibleTo(&dialog) && label->text().contains(text))
            return true;
    return false;
}

} // namespace

class tst_SubscribeDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void emptyDialogSaysWhatToPaste();
    void saysWhatAPacksCodeCanDo();
    void pastingALinkFillsBothFields();
    void typedLinkFillsBothFieldsToo();
    void setLinkLeavesOnlyConfirming();
    void editingTheUrlDropsTheLinkName();
    void badLinkSaysWhy();
    void onlyHttpAndHttps();
    void badKeyShowsTheProblemAndDisablesSubscribe();
    void keyFromFile();
    void keyShortcutFocusesTheKeyTextThenItsButton();
    void plainHttpElsewhereGetsANote();
    void subscribeAcceptsWhenComplete();
    void screenshot();
};

void tst_SubscribeDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_SubscribeDialog::emptyDialogSaysWhatToPaste()
{
    SubscribeDialog dialog;
    QVERIFY(!dialog.isComplete());
    QVERIFY(!dialog.subscribeButton()->isEnabled());
    QVERIFY(dialog.problem().contains(QStringLiteral("torchlab://")));
    QVERIFY(showsText(dialog, dialog.problem()));
}

// The trust model in plain words, before anything is subscribed to: with the
// sandbox (CI has bubblewrap) what the code can and cannot reach; without it
// (TORCHLAB_SANDBOX=off) that it can do everything the account can.
void tst_SubscribeDialog::saysWhatAPacksCodeCanDo()
{
    {
        SubscribeDialog dialog;
        const auto *note = dialog.findChild<QLabel *>(QStringLiteral("trustNote"));
        QVERIFY(note);
        QVERIFY2(note->text().contains(QStringLiteral("runs in a sandbox")) &&
                     note->text().contains(QStringLiteral("SSH keys")) &&
                     note->text().contains(QStringLiteral("no network")),
                 qPrintable(note->text()));
    }
    qputenv("TORCHLAB_SANDBOX", "off");
    SubscribeDialog dialog;
    qunsetenv("TORCHLAB_SANDBOX");
    const auto *note = dialog.findChild<QLabel *>(QStringLiteral("trustNote"));
    QVERIFY(note);
    QVERIFY2(note->text().contains(QStringLiteral("everything your account can")) &&
                 note->text().contains(QStringLiteral("turned off")),
             qPrintable(note->text()));
}

void tst_SubscribeDialog::pastingALinkFillsBothFields()
{
    SubscribeDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const SubscribeLink link = courseLink();
    QGuiApplication::clipboard()->setText(QStringLiteral("  ") + link.toString() +
                                          QStringLiteral("\n"));
    dialog.urlEdit()->setFocus();
    QTest::keySequence(dialog.urlEdit(), QKeySequence::Paste);

    QCOMPARE(dialog.urlEdit()->text(), Feed.toString());
    QCOMPARE(dialog.feedUrl(), Feed);
    QCOMPARE(dialog.keyEdit()->toPlainText(), link.key.toBase64());
    QVERIFY(dialog.key());
    QCOMPARE(*dialog.key(), link.key);
    QCOMPARE(dialog.linkName(), link.name);
    QVERIFY(showsText(dialog, link.name));
    QVERIFY2(dialog.isComplete(), qPrintable(dialog.problem()));
    QVERIFY(dialog.subscribeButton()->isEnabled());
}

void tst_SubscribeDialog::typedLinkFillsBothFieldsToo()
{
    SubscribeDialog dialog;
    const SubscribeLink link = courseLink();
    dialog.setUrlText(link.toString());
    QCOMPARE(dialog.feedUrl(), Feed);
    QCOMPARE(*dialog.key(), link.key);
    QCOMPARE(dialog.linkName(), link.name);
    QVERIFY(dialog.isComplete());
}

void tst_SubscribeDialog::setLinkLeavesOnlyConfirming()
{
    SubscribeDialog dialog;
    SubscribeLink link = courseLink();
    link.name.clear();
    dialog.setLink(link);
    QCOMPARE(dialog.feedUrl(), Feed);
    QCOMPARE(*dialog.key(), link.key);
    QVERIFY(dialog.linkName().isEmpty());
    QVERIFY(dialog.isComplete());
    QVERIFY(dialog.subscribeButton()->isEnabled());
    QVERIFY(dialog.subscribeButton()->isDefault());
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->text().contains(link.key.keyIdHex()))
            QCOMPARE(label->palette().color(QPalette::WindowText),
                     dialog.palette().color(QPalette::WindowText));
    QVERIFY(showsText(dialog, link.key.keyIdHex()));
}

void tst_SubscribeDialog::editingTheUrlDropsTheLinkName()
{
    SubscribeDialog dialog;
    dialog.setLink(courseLink());
    QVERIFY(!dialog.linkName().isEmpty());
    dialog.setUrlText(QStringLiteral("https://elsewhere.example.net/feed/"));
    QVERIFY(dialog.linkName().isEmpty());
    QVERIFY(!showsText(dialog, courseLink().name));
    QVERIFY(dialog.isComplete()); // the key stays
}

void tst_SubscribeDialog::badLinkSaysWhy()
{
    SubscribeDialog dialog;
    const QString bad = QStringLiteral("torchlab://subscribe?feed=ftp%3A%2F%2Fx.example%2F&key=") +
                        fx::key().toBase64();
    QString expected;
    QVERIFY(!SubscribeLink::parse(bad, &expected));
    dialog.setUrlText(bad);
    QCOMPARE(dialog.problem(), expected);
    QVERIFY(!dialog.subscribeButton()->isEnabled());
    QVERIFY(dialog.keyEdit()->toPlainText().isEmpty()); // nothing taken from a bad link
    QVERIFY(showsText(dialog, expected));
}

void tst_SubscribeDialog::onlyHttpAndHttps()
{
    SubscribeDialog dialog;
    dialog.setKeyText(fx::key().toBase64());
    for (const QString &url :
         {QStringLiteral("ftp://course.example.org/feed/"), QStringLiteral("course.example.org"),
          QStringLiteral("file:///home/ada/feed/index.json"), QStringLiteral("https://"),
          QStringLiteral("https://ada:secret@course.example.org/feed/")}) {
        dialog.setUrlText(url);
        QVERIFY2(!dialog.isComplete(), qPrintable(url));
        QVERIFY2(!dialog.subscribeButton()->isEnabled(), qPrintable(url));
        QVERIFY2(!dialog.problem().isEmpty(), qPrintable(url));
    }
    dialog.setUrlText(QStringLiteral("https://course.example.org/feed/index.json"));
    QVERIFY2(dialog.isComplete(), qPrintable(dialog.problem()));
}

void tst_SubscribeDialog::badKeyShowsTheProblemAndDisablesSubscribe()
{
    SubscribeDialog dialog;
    dialog.setUrlText(Feed.toString());
    const QString bad = QStringLiteral("RWQ0000");
    QString expected;
    QVERIFY(!MinisignPublicKey::parse(bad, &expected));
    QTest::keyClicks(dialog.keyEdit(), bad);
    QCOMPARE(dialog.problem(), expected);
    QVERIFY(!dialog.subscribeButton()->isEnabled());
    for (QLabel *label : dialog.findChildren<QLabel *>())
        if (label->text() == expected)
            QCOMPARE(label->palette().color(QPalette::WindowText),
                     statusColor(StatusGlyph::Error, dialog.palette()));
    QVERIFY(showsText(dialog, expected));
}

void tst_SubscribeDialog::keyFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SubscribeDialog dialog;
    dialog.setUrlText(Feed.toString());
    const QString pub = dir.filePath(QStringLiteral("instructor.pub"));
    QVERIFY(fx::writeFile(pub, fx::pubFile(fx::key('q'))));
    QVERIFY(dialog.loadKeyFile(pub));
    QCOMPARE(*dialog.key(), fx::key('q'));
    QVERIFY(dialog.isComplete());

    QVERIFY(!dialog.loadKeyFile(dir.filePath(QStringLiteral("absent.pub"))));
    QVERIFY(dialog.problem().contains(QStringLiteral("absent.pub")));
    QVERIFY(!dialog.subscribeButton()->isEnabled());
}

void tst_SubscribeDialog::keyShortcutFocusesTheKeyTextThenItsButton()
{
    SubscribeDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QTest::keyClick(&dialog, Qt::Key_K, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), dialog.keyEdit());
    QTest::keyClick(dialog.keyEdit(), Qt::Key_Tab);
    auto *load = qobject_cast<QPushButton *>(QApplication::focusWidget());
    QVERIFY(load);
    QCOMPARE(load->text(), QStringLiteral("Load from File…"));
}

void tst_SubscribeDialog::plainHttpElsewhereGetsANote()
{
    SubscribeDialog dialog;
    dialog.setKeyText(fx::key().toBase64());
    dialog.setUrlText(QStringLiteral("http://lab.example.net/packs/"));
    QVERIFY(dialog.plainHttpNote()->isVisibleTo(&dialog));
    QVERIFY(showsText(dialog, QStringLiteral("signed")));
    QVERIFY(dialog.isComplete()); // a note, not a refusal

    for (const QString &quiet :
         {QStringLiteral("https://lab.example.net/packs/"),
          QStringLiteral("http://127.0.0.1:8080/"), QStringLiteral("http://localhost/feed/"),
          QStringLiteral("http://[::1]:9000/feed/")}) {
        dialog.setUrlText(quiet);
        QVERIFY2(!dialog.plainHttpNote()->isVisibleTo(&dialog), qPrintable(quiet));
    }
}

void tst_SubscribeDialog::subscribeAcceptsWhenComplete()
{
    SubscribeDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setUrlText(Feed.toString());
    Q_EMIT dialog.buttons()->accepted();
    QVERIFY(dialog.isVisible()); // no key yet
    dialog.setKeyText(fx::key().toBase64());
    QTest::mouseClick(dialog.subscribeButton(), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void tst_SubscribeDialog::screenshot()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        SubscribeDialog dialog;
        SubscribeLink link = courseLink();
        link.feed = QUrl(QStringLiteral("http://lab.example.net/dl-autumn/feed/"));
        dialog.setLink(link);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("subscribedialog-dark")
                                              : QStringLiteral("subscribedialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
    SubscribeDialog empty;
    empty.show();
    QVERIFY(QTest::qWaitForWindowExposed(&empty));
    QVERIFY(panelshots::save(empty, QStringLiteral("subscribedialog-empty")));
}

QTEST_MAIN(tst_SubscribeDialog)
#include "tst_subscribedialog.moc"
