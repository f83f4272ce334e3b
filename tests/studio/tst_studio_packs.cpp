// The lab's side of lesson packs (the student's side): install a signed
// pack from a file through the dialogs, open it, get an update that changes a
// starter under the learner's code and drops a lesson, and lose nothing:
// the code stays, the new starter is offered as a diff, the dropped lesson's
// code stays reachable. Links and the single-instance channel too.
#include "helpers/requiredeps.h"
#include "studio/instancechannel.h"
#include "studio/packscontroller.h"
#include "studiofixture.h"

#include "helpers/nginxserver.h"
#include "helpers/packtestutil.h"

#include "core/packs/feedpublisher.h"
#include "core/packs/packarchive.h"
#include "core/packs/subscribelink.h"
#include "core/packs/truststore.h"
#include "widgets/dialogs/installpackdialog.h"
#include "widgets/dialogs/packsdialog.h"
#include "widgets/dialogs/removedlessonsdialog.h"
#include "widgets/dialogs/subscribedialog.h"
#include "widgets/editor/diffdialog.h"
#include "widgets/editor/noticebar.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTreeWidget>

#include <algorithm>

using namespace torchlab;
using namespace torchlab::testing;

namespace {

const QString PackId = QStringLiteral("org.torchlab.example");

// v2 of the example pack: lesson 01's starter gains a line, lesson 02 is gone.
QString makeSecondVersion(const QString &workDir)
{
    const QString pack = packtest::makePack(workDir, PackId, QStringLiteral("0.3.0"));
    const QString exercise = pack + QStringLiteral("/01-squares/exercise.cpp");
    packtest::writeAll(exercise, packtest::readAll(exercise) +
                                     "// New in 0.3.0: squares of negative numbers too.\n");
    QByteArray toml = packtest::readAll(pack + QStringLiteral("/pack.toml"));
    const qsizetype day2 = toml.indexOf("[[days]]", toml.indexOf("[[days]]") + 1);
    toml.truncate(day2);
    packtest::writeAll(pack + QStringLiteral("/pack.toml"), toml);
    QDir(pack + QStringLiteral("/02-fit")).removeRecursively();
    return pack;
}

QString buildAndSign(const packtest::TestKey &key, const QString &pack, const QString &outDir,
                     const QString &version)
{
    QDir().mkpath(outDir);
    const QString archive =
        outDir + QStringLiteral("/example-") + version + QStringLiteral(".tar.gz");
    const BuildResult built = buildPackArchive(pack, archive);
    if (!built.ok)
        return {};
    return packtest::sign(key, archive, PackInstaller::packComment(PackId, version)).isEmpty()
               ? QString()
               : archive;
}

QList<DiffDialog *> openDiffDialogs()
{
    QList<DiffDialog *> dialogs;
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (auto *diff = qobject_cast<DiffDialog *>(widget); diff && diff->isVisible())
            dialogs << diff;
    }
    return dialogs;
}

} // namespace

class TestStudioPacks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void installUpdateKeepsCodeAndOffersTheNewStarter();
    void liveCourseFromAFeedOnNginx();
    void updateAFeedOffersIsShownUntilItArrives();
    void subscribeLinkFillsTheDialog();
    void secondStartHandsItsLinkToTheFirst();

private:
    QTemporaryDir m_dir;
    packtest::TestKey m_key;
};

void TestStudioPacks::initTestCase()
{
    if (!packtest::haveMinisign())
        LAB_SKIP_MISSING("minisign is not installed (.ci/run installs it)");
    m_key = packtest::makeKey(m_dir.path(), QStringLiteral("instructor"));
    QVERIFY(!m_key.key.key.isEmpty());
}

void TestStudioPacks::installUpdateKeepsCodeAndOffersTheNewStarter()
{
    LearnerHome home;
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController *controller = studio->controller.get();
    MainWindow *window = studio->window.get();
    PacksController packs(controller, window, courseDirectory());
    QSignalSpy finished(&packs, &PacksController::operationFinished);

    // Course → Packs… → Install from file…: archive, its .minisig next to it, the key pasted.
    const QString v1Pack =
        packtest::makePack(m_dir.path() + QStringLiteral("/v1"), PackId, QStringLiteral("0.2.0"));
    const QString v1 =
        buildAndSign(m_key, v1Pack, m_dir.path() + QStringLiteral("/out"), QStringLiteral("0.2.0"));
    QVERIFY(!v1.isEmpty());
    window->actions().packs->trigger();
    QVERIFY(packs.packsDialog() && packs.packsDialog()->isVisible());
    QCOMPARE(packs.packsDialog()->packList()->topLevelItemCount(), 1); // the built-in course
    packs.packsDialog()->installButton()->click();
    InstallPackDialog *install = packs.installDialog();
    QVERIFY(install && install->isVisible());
    install->setArchive(v1);
    QCOMPARE(install->signature(), v1 + QStringLiteral(".minisig"));
    install->setKeyText(m_key.key.toBase64());
    QVERIFY2(install->isComplete(), qPrintable(install->problem()));
    install->installButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    auto result = finished.takeFirst().at(0).value<PackOperationResult>();
    QVERIFY2(result.ok, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(packs.packsDialog()->packList()->topLevelItemCount(), 2);
    QVERIFY(packs.packsDialog()->resultText().contains(QStringLiteral("0.2.0")));

    // Open it and work in both lessons.
    QSignalSpy opened(controller, &StudioController::courseOpened);
    QVERIFY(packs.openPack(PackId));
    QCOMPARE(controller->pack().id, PackId);
    QCOMPARE(opened.size(), 1);
    QVERIFY(controller->openLesson(QStringLiteral("02-fit")));
    const QString fitCode = QStringLiteral("// my fit\nint main() { return 0; }\n");
    studio->editor()->setText(fitCode);
    controller->saveNow();
    QVERIFY(controller->openLesson(QStringLiteral("01-squares")));
    const QString mine = studio->editor()->text() + QStringLiteral("// my squares\n");
    studio->editor()->setText(mine);
    controller->saveNow();
    QVERIFY(window->noticeBar()->isHidden());

    // The instructor's 0.3.0 arrives while the learner is in lesson 01.
    const QString v2 = buildAndSign(m_key, makeSecondVersion(m_dir.path() + QStringLiteral("/v2")),
                                    m_dir.path() + QStringLiteral("/out"), QStringLiteral("0.3.0"));
    QVERIFY(!v2.isEmpty());
    studio->editor()->setCursorPosition(2, 4); // the learner is typing on line 3
    packs.service()->installFile(v2, QString(), m_key.key);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    result = finished.takeFirst().at(0).value<PackOperationResult>();
    QVERIFY2(result.ok, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.changes.size(), 1);
    QCOMPARE(result.changes.first().previousVersion, QStringLiteral("0.2.0"));
    QTRY_COMPARE(opened.size(), 2); // reloaded in place
    QCOMPARE(controller->pack().version, QStringLiteral("0.3.0"));
    QCOMPARE(controller->currentLessonId(), QStringLiteral("squares"));
    QCOMPARE(studio->editor()->text(), mine); // the learner's code, not the new starter
    int line = -1, index = -1;
    studio->editor()->getCursorPosition(&line, &index);
    QCOMPARE(line, 2); // and the cursor where it was
    QCOMPARE(index, 4);
    QVERIFY(controller->pack().lesson(QStringLiteral("fit")) == nullptr);

    // The changed starter is offered, not forced.
    NoticeBar *notice = window->noticeBar();
    QVERIFY(!notice->isHidden());
    QVERIFY(notice->text().contains(QStringLiteral("exercise.cpp")));
    QCOMPARE(controller->pendingStarterChanges().size(), 1);
    QCOMPARE(notice->actionButtons().size(), 3);
    notice->actionButtons().at(0)->click(); // Compare…
    QTRY_COMPARE(openDiffDialogs().size(), 1);
    DiffDialog *diff = openDiffDialogs().first();
    QVERIFY(diff->diffText().contains(QStringLiteral("New in 0.3.0")));
    QVERIFY(diff->diffText().contains(QStringLiteral("my squares")));
    diff->close();
    notice->actionButtons().at(2)->click(); // Keep My Code
    QVERIFY(notice->isHidden());
    QCOMPARE(studio->editor()->text(), mine);

    // Decided once: opening the lesson again does not ask again.
    controller->reloadCourse();
    QVERIFY(window->noticeBar()->isHidden());
    QCOMPARE(studio->editor()->text(), mine);

    // The dropped lesson's code is still there, read-only.
    QVERIFY(window->actions().removedLessons->isEnabled());
    window->actions().removedLessons->trigger();
    RemovedLessonsDialog *removed = packs.removedLessonsDialog();
    QVERIFY(removed && removed->isVisible());
    QCOMPARE(removed->lessonCount(), 1);
    QCOMPARE(removed->shownLessonId(), QStringLiteral("fit"));
    QCOMPARE(removed->shownText(), fitCode);
    removed->close();

    // "Use the New Starter" on another learner's copy: same update, the other answer.
    ProgressStore store;
    LessonProgress record = store.load(PackId, QStringLiteral("squares"));
    record.starterHash.insert(QStringLiteral("exercise.cpp"), QStringLiteral("0000"));
    QVERIFY(store.save(record));
    controller->reloadCourse();
    QVERIFY(!window->noticeBar()->isHidden());
    window->noticeBar()->actionButtons().at(1)->click();
    QVERIFY(window->noticeBar()->isHidden());
    QVERIFY(studio->editor()->text().contains(QStringLiteral("New in 0.3.0")));
    studio->editor()->undo(); // the learner's code is one undo away
    QCOMPARE(studio->editor()->text(), mine);

    // Removing the open pack goes back to the built-in course; the progress stays on disk.
    Q_EMIT packs.packsDialog()->removeRequested(PackId);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    result = finished.takeFirst().at(0).value<PackOperationResult>();
    QVERIFY2(result.ok, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(controller->pack().id != PackId);
    QCOMPARE(packs.packsDialog()->packList()->topLevelItemCount(), 1);
    QCOMPARE(store.load(PackId, QStringLiteral("fit")).code.value(QStringLiteral("exercise.cpp")),
             fitCode);
}

void TestStudioPacks::liveCourseFromAFeedOnNginx()
{
    if (packtest::NginxServer::executable().isEmpty())
        LAB_SKIP_MISSING("nginx is not installed (.ci/run installs nginx-light)");
    const QString root = m_dir.path() + QStringLiteral("/live");
    const QString www = root + QStringLiteral("/www");
    const QString feedDir = www + QStringLiteral("/course");
    packtest::NginxServer nginx;
    QString error;
    QVERIFY2(nginx.start(www, root + QStringLiteral("/nginx"), &error), qPrintable(error));
    // The instructor: build, sign, publish, sign the index (docs/instructors.md).
    QDateTime issued = QDateTime::currentDateTimeUtc().addSecs(-600);
    auto release = [&](const QString &pack, const QString &version) {
        const QString out = root + QStringLiteral("/release-") + version;
        if (buildAndSign(m_key, pack, out, version).isEmpty())
            return false;
        issued = issued.addSecs(60);
        const FeedPublishResult published = publishFeed(out, feedDir, 30, issued);
        return published.ok && !packtest::sign(m_key, feedDir + QStringLiteral("/index.json"),
                                               published.index.trustedComment())
                                    .isEmpty();
    };
    QVERIFY(
        release(packtest::makePack(root + QStringLiteral("/v1"), PackId, QStringLiteral("0.2.0")),
                QStringLiteral("0.2.0")));

    // The student clicks the instructor's link and confirms.
    LearnerHome home;
    auto studio = openStudio();
    QVERIFY(studio);
    StudioController *controller = studio->controller.get();
    PacksController packs(controller, studio->window.get(), courseDirectory());
    QSignalSpy finished(&packs, &PacksController::operationFinished);
    SubscribeLink link;
    link.feed = QUrl(nginx.url(QStringLiteral("course/")));
    link.key = m_key.key;
    QVERIFY(packs.handleLink(link.toString()));
    QVERIFY(packs.subscribeDialog()->isComplete());
    packs.subscribeDialog()->subscribeButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    auto result = finished.takeFirst().at(0).value<PackOperationResult>();
    QVERIFY2(result.ok, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QCOMPARE(result.changes.size(), 1);
    QCOMPARE(packs.feedRows().size(), 1);
    QVERIFY(packs.packsDialog()->isVisible()); // where the outcome is shown
    QVERIFY(packs.packsDialog()->resultText().contains(QStringLiteral("0.2.0")));
    QVERIFY(packs.openPack(PackId));
    const QString mine = studio->editor()->text() + QStringLiteral("// mine, from the feed\n");
    studio->editor()->setText(mine);
    controller->saveNow();

    // 0.3.0 is published; Course → Check for Course Updates brings it in.
    QVERIFY(release(makeSecondVersion(root + QStringLiteral("/v2")), QStringLiteral("0.3.0")));
    studio->window->actions().checkUpdates->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    result = finished.takeFirst().at(0).value<PackOperationResult>();
    QVERIFY2(result.ok, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(!result.background);
    QTRY_COMPARE(controller->pack().version, QStringLiteral("0.3.0"));
    QCOMPARE(studio->editor()->text(), mine);
    QVERIFY(!studio->window->noticeBar()->isHidden());

    // 0.4.0 arrives by itself: the lab polls while it runs.
    const QString v3 =
        packtest::makePack(root + QStringLiteral("/v3"), PackId, QStringLiteral("0.4.0"), "polled");
    QVERIFY(release(v3, QStringLiteral("0.4.0")));
    packs.startPolling(0, 500);
    QTRY_COMPARE_WITH_TIMEOUT(controller->pack().version, QStringLiteral("0.4.0"), 60000);
    QVERIFY(!finished.isEmpty());
    QVERIFY(finished.last().at(0).value<PackOperationResult>().background);
    QCOMPARE(ProgressStore()
                 .load(PackId, QStringLiteral("squares"))
                 .code.value(QStringLiteral("exercise.cpp")),
             mine);
    packs.service()->setAutoUpdateInterval(0);
}

void TestStudioPacks::updateAFeedOffersIsShownUntilItArrives()
{
    LearnerHome home;
    auto studio = openStudio();
    QVERIFY(studio);
    PacksController packs(studio->controller.get(), studio->window.get(), courseDirectory());
    QSignalSpy finished(&packs, &PacksController::operationFinished);
    const QString pack = packtest::makePack(m_dir.path() + QStringLiteral("/offer"), PackId,
                                            QStringLiteral("0.2.0"));
    const QString archive = buildAndSign(m_key, pack, m_dir.path() + QStringLiteral("/offer-out"),
                                         QStringLiteral("0.2.0"));
    packs.service()->installFile(archive, QString(), m_key.key);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);

    // A feed listed 0.4.0 but its download failed: the row says an update exists and why.
    TrustStore::Feed feed;
    feed.url = QStringLiteral("https://courses.example.org/feed/index.json");
    feed.key = m_key.key;
    feed.lastChecked = QDateTime::currentDateTimeUtc();
    feed.lastError = QStringLiteral("example-0.4.0.tar.gz: the download stalled");
    feed.listed.insert(PackId, QStringLiteral("0.4.0"));
    feed.listed.insert(QStringLiteral("org.example.other"), QStringLiteral("9.0.0"));
    QVERIFY(TrustStore(packs.service()->packsDir()).saveFeed(feed));
    const QList<PackRow> rows = packs.packRows();
    const auto row =
        std::find_if(rows.cbegin(), rows.cend(), [](const PackRow &r) { return r.id == PackId; });
    QVERIFY(row != rows.cend());
    QCOMPARE(row->version, QStringLiteral("0.2.0"));
    QCOMPARE(row->availableVersion, QStringLiteral("0.4.0"));
    QCOMPARE(packs.feedRows().size(), 1);
    QCOMPARE(packs.feedRows().first().lastError, feed.lastError);

    // Once the installed version caught up, nothing is offered.
    feed.listed.insert(PackId, QStringLiteral("0.2.0"));
    QVERIFY(TrustStore(packs.service()->packsDir()).saveFeed(feed));
    for (const PackRow &r : packs.packRows())
        QVERIFY2(r.availableVersion.isEmpty(), qPrintable(r.id));
}

void TestStudioPacks::subscribeLinkFillsTheDialog()
{
    LearnerHome home;
    auto studio = openStudio();
    QVERIFY(studio);
    PacksController packs(studio->controller.get(), studio->window.get(), courseDirectory());
    SubscribeLink link;
    link.feed = QUrl(QStringLiteral("https://courses.example.org/dl/feed/"));
    link.key = m_key.key;
    link.name = QStringLiteral("Deep Learning, Autumn");
    QVERIFY(packs.handleLink(link.toString()));
    SubscribeDialog *dialog = packs.subscribeDialog();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->feedUrl(), link.feed);
    QVERIFY(dialog->key() && *dialog->key() == m_key.key);
    QCOMPARE(dialog->linkName(), link.name);
    QVERIFY(dialog->isComplete());
    dialog->reject();

    QVERIFY(!packs.handleLink(QStringLiteral("torchlab://subscribe?feed=ftp://x/&key=RW")));
    QVERIFY(studio->window->statusBar()->currentMessage().contains(QStringLiteral("link")));
}

void TestStudioPacks::secondStartHandsItsLinkToTheFirst()
{
    LearnerHome home;
    const QString path = m_dir.path() + QStringLiteral("/lab.sock");
    InstanceChannel first(path);
    QVERIFY(!first.forward({QStringLiteral("raise")}, 500)); // nobody listens yet
    QVERIFY(first.listen());
    QSignalSpy received(&first, &InstanceChannel::messageReceived);

    // The second start blocks on its socket: it runs in its own thread here.
    bool handedOver = false;
    QThread *second = QThread::create([&] {
        InstanceChannel channel(path);
        handedOver =
            channel.forward({QStringLiteral("raise"), QStringLiteral("link torchlab://subscribe?x"),
                             QStringLiteral("two\nlines")});
    });
    second->start();
    QTRY_VERIFY(second->isFinished());
    delete second;
    QVERIFY(handedOver);
    QCOMPARE(received.size(), 2); // the message with a newline is never sent
    QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("raise"));
    QCOMPARE(received.at(1).at(0).toString(), QStringLiteral("link torchlab://subscribe?x"));

    // A socket file left by a crashed lab does not stop the next one.
    InstanceChannel afterCrash(m_dir.path() + QStringLiteral("/stale.sock"));
    QVERIFY(packtest::writeAll(afterCrash.socketPath(), "stale"));
    QVERIFY(!afterCrash.forward({QStringLiteral("raise")}, 500));
    QVERIFY(afterCrash.listen());
}

QTEST_MAIN(TestStudioPacks)
#include "tst_studio_packs.moc"
