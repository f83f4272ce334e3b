#include "widgets/dialogs/packsdialog.h"
#include "widgets/style/statusicons.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace torchlab;

namespace {

const QDateTime InstalledAt(QDate(2026, 3, 2), QTime(14, 30), Qt::UTC);

QList<PackRow> threePacks()
{
    PackRow course;
    course.id = QStringLiteral("libtorch-course");
    course.title = QStringLiteral("LibTorch in Three Days");
    course.version = QStringLiteral("1.0.0");
    course.source = QStringLiteral("built-in");
    course.builtIn = true;
    course.open = true;

    PackRow file;
    file.id = QStringLiteral("extra-cnn");
    file.title = QStringLiteral("Extra: CNNs");
    file.version = QStringLiteral("0.3.0");
    file.source = QStringLiteral("file:/home/ada/Downloads/extra-cnn-0.3.0.tar.gz");
    file.keyId = QStringLiteral("E7620F1842B4E81F");
    file.installedAt = InstalledAt;

    PackRow feed;
    feed.id = QStringLiteral("autumn-2026");
    feed.version = QStringLiteral("1.1.0");
    feed.availableVersion = QStringLiteral("1.2.0");
    feed.source = QStringLiteral("https://course.example.org/feed/index.json");
    feed.keyId = QStringLiteral("0123456789ABCDEF");
    feed.installedAt = InstalledAt.addDays(1);
    return {course, file, feed};
}

QList<FeedRow> twoFeeds()
{
    FeedRow ok;
    ok.url = QStringLiteral("https://course.example.org/feed/index.json");
    ok.keyId = QStringLiteral("0123456789ABCDEF");
    ok.lastChecked = InstalledAt.addDays(2);
    ok.lastIssued = InstalledAt.addDays(1);
    FeedRow broken;
    broken.url = QStringLiteral("http://lab.example.net/packs/");
    broken.keyId = QStringLiteral("1111111111111111");
    broken.lastChecked = InstalledAt.addDays(2);
    broken.lastError = QStringLiteral("The feed index expired on 1 March 2026.\nAsk your "
                                      "instructor to publish it again.");
    return {ok, broken};
}

QTreeWidgetItem *packItem(PacksDialog &dialog, const QString &id)
{
    for (int i = 0; i < dialog.packList()->topLevelItemCount(); ++i)
        if (dialog.packList()->topLevelItem(i)->data(0, Qt::UserRole).toString() == id)
            return dialog.packList()->topLevelItem(i);
    return nullptr;
}

QLabel *visibleLabelWith(QWidget *root, QWidget *top, const QString &text)
{
    for (QLabel *label : root->findChildren<QLabel *>())
        if (label->text() == text && label->isVisibleTo(top))
            return label;
    return nullptr;
}

// Answers the next modal QMessageBox with the button whose text is `button`,
// remembering what it said.
struct MessageBoxAnswer
{
    QString text;
    QString informative;
    bool seen = false;

    void arm(const QString &button)
    {
        QTimer::singleShot(0, qApp, [this, button] { answer(button); });
    }
    void answer(const QString &button)
    {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box) {
            QTimer::singleShot(10, qApp, [this, button] { answer(button); });
            return;
        }
        seen = true;
        text = box->text();
        informative = box->informativeText();
        for (QAbstractButton *b : box->buttons())
            if (b->text() == button) {
                b->click();
                return;
            }
        box->reject();
    }
};

} // namespace

class tst_PacksDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsVersionUpdateSourceKeyAndLocalTime();
    void theOpenPackIsBold();
    void feedsShowLastCheckAndErrors();
    void emptyListsSayWhatToDo();
    void buttonsFollowSelection();
    void busyDisablesWorkAndShowsCancel();
    void clicksEmitRequests();
    void doubleClickOpens();
    void removeAsksFirstAndSaysCodeIsKept();
    void removeWithoutConfirmationForControllerTests();
    void selectionSurvivesARefresh();
    void resultInErrorToneAndClearedByTheNextOperation();
    void screenshots();
};

void tst_PacksDialog::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_PacksDialog::listsVersionUpdateSourceKeyAndLocalTime()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    QCOMPARE(dialog.packList()->topLevelItemCount(), 3);

    QTreeWidgetItem *course = packItem(dialog, QStringLiteral("libtorch-course"));
    QVERIFY(course);
    QVERIFY(course->text(0).contains(QStringLiteral("LibTorch in Three Days")));
    QCOMPARE(course->text(1), QStringLiteral("1.0.0"));
    QVERIFY(course->text(2).isEmpty()); // up to date
    QCOMPARE(course->text(3), QStringLiteral("Built in"));

    QTreeWidgetItem *file = packItem(dialog, QStringLiteral("extra-cnn"));
    QVERIFY(file);
    QVERIFY(file->text(0).contains(QStringLiteral("Extra: CNNs")));
    QVERIFY(file->text(0).contains(QStringLiteral("extra-cnn")));
    QCOMPARE(file->text(3), QStringLiteral("extra-cnn-0.3.0.tar.gz")); // file name, not path
    QVERIFY(file->toolTip(3).contains(QStringLiteral("/home/ada/Downloads")));
    QCOMPARE(file->text(4), QStringLiteral("E7620F1842B4E81F"));
    QCOMPARE(file->text(5), QLocale().toString(InstalledAt.toLocalTime(), QLocale::ShortFormat));

    QTreeWidgetItem *feed = packItem(dialog, QStringLiteral("autumn-2026"));
    QVERIFY(feed);
    QCOMPARE(feed->text(0), QStringLiteral("autumn-2026")); // no title: the id
    QCOMPARE(feed->text(2), QStringLiteral("→ 1.2.0"));
    QCOMPARE(feed->text(3), QStringLiteral("course.example.org")); // the feed's host
}

void tst_PacksDialog::theOpenPackIsBold()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    QVERIFY(packItem(dialog, QStringLiteral("libtorch-course"))->font(0).bold());
    QVERIFY(!packItem(dialog, QStringLiteral("extra-cnn"))->font(0).bold());
}

void tst_PacksDialog::feedsShowLastCheckAndErrors()
{
    PacksDialog dialog;
    dialog.setFeeds(twoFeeds());
    QTreeWidget *feeds = dialog.feedList();
    QCOMPARE(feeds->topLevelItemCount(), 2);
    QTreeWidgetItem *ok = feeds->topLevelItem(0);
    QCOMPARE(ok->text(0), QStringLiteral("https://course.example.org/feed/index.json"));
    QCOMPARE(ok->text(1),
             QLocale().toString(InstalledAt.addDays(2).toLocalTime(), QLocale::ShortFormat));
    QVERIFY(ok->text(2).startsWith(QStringLiteral("OK")));

    QTreeWidgetItem *broken = feeds->topLevelItem(1);
    QCOMPARE(broken->text(2), QStringLiteral("The feed index expired on 1 March 2026."));
    QVERIFY(broken->toolTip(2).contains(QStringLiteral("publish it again")));
    QCOMPARE(broken->foreground(2).color(), statusColor(StatusGlyph::Error, dialog.palette()));

    FeedRow never;
    never.url = QStringLiteral("https://x.example/");
    dialog.setFeeds({never});
    QCOMPARE(feeds->topLevelItem(0)->text(1), QStringLiteral("Never"));
}

void tst_PacksDialog::emptyListsSayWhatToDo()
{
    PacksDialog dialog;
    dialog.setPacks({});
    dialog.setFeeds({});
    const QString noFeeds =
        QStringLiteral("No feeds yet. Ask your instructor for a subscribe link.");
    QVERIFY(visibleLabelWith(dialog.feedList(), &dialog, noFeeds));
    QVERIFY(dialog.packList()->viewport()->findChildren<QLabel *>().size() == 1);
    QVERIFY(dialog.packList()->viewport()->findChild<QLabel *>()->isVisibleTo(&dialog));

    dialog.setFeeds(twoFeeds());
    dialog.setPacks(threePacks());
    QVERIFY(!visibleLabelWith(dialog.feedList(), &dialog, noFeeds));
    QVERIFY(!dialog.packList()->viewport()->findChild<QLabel *>()->isVisibleTo(&dialog));
}

void tst_PacksDialog::buttonsFollowSelection()
{
    PacksDialog dialog;
    QVERIFY(dialog.installButton()->isEnabled());
    QVERIFY(dialog.subscribeButton()->isEnabled());
    QVERIFY(!dialog.updateButton()->isEnabled()); // no feed to check
    dialog.setPacks(threePacks());
    dialog.setFeeds(twoFeeds());
    QVERIFY(dialog.updateButton()->isEnabled());
    QVERIFY(!dialog.removeButton()->isEnabled());
    QVERIFY(!dialog.openButton()->isEnabled());
    QVERIFY(!dialog.unsubscribeButton()->isEnabled());
    QVERIFY(!dialog.cancelButton()->isVisibleTo(&dialog));

    QVERIFY(dialog.selectPack(QStringLiteral("libtorch-course")));
    QCOMPARE(dialog.selectedPackId(), QStringLiteral("libtorch-course"));
    QVERIFY(dialog.openButton()->isEnabled());
    QVERIFY(!dialog.removeButton()->isEnabled()); // built in

    QVERIFY(dialog.selectPack(QStringLiteral("extra-cnn")));
    QVERIFY(dialog.removeButton()->isEnabled());
    QVERIFY(!dialog.selectPack(QStringLiteral("no-such-pack")));

    dialog.feedList()->setCurrentItem(dialog.feedList()->topLevelItem(1));
    QCOMPARE(dialog.selectedFeedUrl(), QStringLiteral("http://lab.example.net/packs/"));
    QVERIFY(dialog.unsubscribeButton()->isEnabled());
}

void tst_PacksDialog::busyDisablesWorkAndShowsCancel()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    dialog.setFeeds(twoFeeds());
    dialog.selectPack(QStringLiteral("extra-cnn"));
    dialog.feedList()->setCurrentItem(dialog.feedList()->topLevelItem(0));

    dialog.setBusy(true, QStringLiteral("Downloading autumn-2026 1.2.0…"));
    for (QPushButton *b : {dialog.installButton(), dialog.subscribeButton(), dialog.updateButton(),
                           dialog.removeButton(), dialog.openButton(), dialog.unsubscribeButton()})
        QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
    QVERIFY(dialog.cancelButton()->isVisibleTo(&dialog));
    QVERIFY(dialog.cancelButton()->isEnabled());
    QVERIFY(dialog.findChild<QProgressBar *>()->isVisibleTo(&dialog));
    QVERIFY(visibleLabelWith(&dialog, &dialog, QStringLiteral("Downloading autumn-2026 1.2.0…")));

    QSignalSpy cancel(&dialog, &PacksDialog::cancelRequested);
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancel.count(), 1);

    // A double-click while busy starts nothing either.
    QSignalSpy open(&dialog, &PacksDialog::openRequested);
    Q_EMIT dialog.packList()->itemDoubleClicked(packItem(dialog, QStringLiteral("extra-cnn")), 0);
    QCOMPARE(open.count(), 0);

    dialog.setBusy(false);
    QVERIFY(!dialog.cancelButton()->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QProgressBar *>()->isVisibleTo(&dialog));
    for (QPushButton *b : {dialog.installButton(), dialog.subscribeButton(), dialog.updateButton(),
                           dialog.removeButton(), dialog.openButton(), dialog.unsubscribeButton()})
        QVERIFY2(b->isEnabled(), qPrintable(b->text()));
}

void tst_PacksDialog::clicksEmitRequests()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    dialog.setFeeds(twoFeeds());
    QSignalSpy install(&dialog, &PacksDialog::installFromFileRequested);
    QSignalSpy subscribe(&dialog, &PacksDialog::subscribeRequested);
    QSignalSpy update(&dialog, &PacksDialog::updateRequested);
    QSignalSpy open(&dialog, &PacksDialog::openRequested);
    QSignalSpy unsubscribe(&dialog, &PacksDialog::unsubscribeRequested);

    QTest::mouseClick(dialog.installButton(), Qt::LeftButton);
    QTest::mouseClick(dialog.subscribeButton(), Qt::LeftButton);
    QTest::mouseClick(dialog.updateButton(), Qt::LeftButton);
    QCOMPARE(install.count(), 1);
    QCOMPARE(subscribe.count(), 1);
    QCOMPARE(update.count(), 1);

    dialog.selectPack(QStringLiteral("autumn-2026"));
    QTest::mouseClick(dialog.openButton(), Qt::LeftButton);
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().first().toString(), QStringLiteral("autumn-2026"));

    dialog.feedList()->setCurrentItem(dialog.feedList()->topLevelItem(1));
    QTest::mouseClick(dialog.unsubscribeButton(), Qt::LeftButton);
    QCOMPARE(unsubscribe.count(), 1);
    QCOMPARE(unsubscribe.first().first().toString(),
             QStringLiteral("http://lab.example.net/packs/"));
}

void tst_PacksDialog::doubleClickOpens()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy open(&dialog, &PacksDialog::openRequested);
    QTreeWidget *list = dialog.packList();
    const QRect rect = list->visualItemRect(packItem(dialog, QStringLiteral("extra-cnn")));
    QVERIFY(rect.isValid());
    // QAbstractItemView opens on a double-click only over the item the press was on.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.first().first().toString(), QStringLiteral("extra-cnn"));
}

void tst_PacksDialog::removeAsksFirstAndSaysCodeIsKept()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.selectPack(QStringLiteral("extra-cnn"));
    QSignalSpy remove(&dialog, &PacksDialog::removeRequested);

    MessageBoxAnswer no;
    no.arm(QStringLiteral("Cancel"));
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QVERIFY(no.seen);
    QVERIFY(no.text.contains(QStringLiteral("Extra: CNNs")));
    QVERIFY2(no.informative.contains(QStringLiteral("code and progress")),
             qPrintable(no.informative));
    QVERIFY(no.informative.contains(QStringLiteral("kept")));
    QCOMPARE(remove.count(), 0);

    MessageBoxAnswer yes;
    yes.arm(QStringLiteral("Remove"));
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QVERIFY(yes.seen);
    QCOMPARE(remove.count(), 1);
    QCOMPARE(remove.first().first().toString(), QStringLiteral("extra-cnn"));
}

void tst_PacksDialog::removeWithoutConfirmationForControllerTests()
{
    PacksDialog dialog;
    dialog.setConfirmRemovals(false);
    dialog.setPacks(threePacks());
    QSignalSpy remove(&dialog, &PacksDialog::removeRequested);
    dialog.selectPack(QStringLiteral("libtorch-course"));
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton); // disabled: built in
    QCOMPARE(remove.count(), 0);
    dialog.selectPack(QStringLiteral("autumn-2026"));
    QTest::mouseClick(dialog.removeButton(), Qt::LeftButton);
    QCOMPARE(remove.count(), 1);
    QCOMPARE(remove.first().first().toString(), QStringLiteral("autumn-2026"));
}

void tst_PacksDialog::selectionSurvivesARefresh()
{
    PacksDialog dialog;
    dialog.setPacks(threePacks());
    dialog.setFeeds(twoFeeds());
    dialog.selectPack(QStringLiteral("autumn-2026"));
    dialog.feedList()->setCurrentItem(dialog.feedList()->topLevelItem(1));
    QList<PackRow> updated = threePacks();
    updated[2].version = QStringLiteral("1.2.0");
    updated[2].availableVersion.clear();
    dialog.setPacks(updated);
    dialog.setFeeds(twoFeeds());
    QCOMPARE(dialog.selectedPackId(), QStringLiteral("autumn-2026"));
    QCOMPARE(dialog.selectedFeedUrl(), QStringLiteral("http://lab.example.net/packs/"));
    QVERIFY(packItem(dialog, QStringLiteral("autumn-2026"))->text(2).isEmpty());

    dialog.setPacks(updated.mid(0, 2)); // removed elsewhere
    QVERIFY(dialog.selectedPackId().isEmpty());
    QVERIFY(!dialog.removeButton()->isEnabled());
}

void tst_PacksDialog::resultInErrorToneAndClearedByTheNextOperation()
{
    PacksDialog dialog;
    const QString error = QStringLiteral("The signature was made with key A, not with the trusted "
                                         "key B.\nNothing was installed.");
    dialog.showResult(error, true);
    QCOMPARE(dialog.resultText(), error);
    QLabel *label = visibleLabelWith(&dialog, &dialog, error);
    QVERIFY(label);
    QCOMPARE(label->palette().color(QPalette::WindowText),
             statusColor(StatusGlyph::Error, dialog.palette()));

    dialog.showResult(QStringLiteral("Installed extra-cnn 0.3.0."), false);
    QCOMPARE(label->palette().color(QPalette::WindowText),
             dialog.palette().color(QPalette::WindowText));

    dialog.setBusy(true, QStringLiteral("Checking feeds…"));
    QVERIFY(dialog.resultText().isEmpty());
}

void tst_PacksDialog::screenshots()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        PacksDialog dialog;
        dialog.setPacks(threePacks());
        dialog.setFeeds(twoFeeds());
        dialog.selectPack(QStringLiteral("autumn-2026"));
        dialog.setBusy(true, QStringLiteral("Downloading autumn-2026 1.2.0 (1.4 of 3.0 MB)…"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(panelshots::save(dialog, dark ? QStringLiteral("packsdialog-dark")
                                              : QStringLiteral("packsdialog")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
    PacksDialog empty;
    empty.setPacks({});
    empty.setFeeds({});
    empty.showResult(QStringLiteral("The feed index expired on 1 March 2026. Nothing was "
                                    "installed."),
                     true);
    empty.show();
    QVERIFY(QTest::qWaitForWindowExposed(&empty));
    QVERIFY(panelshots::save(empty, QStringLiteral("packsdialog-empty")));
}

QTEST_MAIN(tst_PacksDialog)
#include "tst_packsdialog.moc"
