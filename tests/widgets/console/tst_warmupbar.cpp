#include "widgets/console/warmupbar.h"

#include "helpers/panelshots.h"

#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace torchlab;

class tst_WarmupBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hiddenUntilProgress();
    void progressShowsPercentAndMessage();
    void cancelEmits();
    void successHides();
    void failureStaysReadable();
    void unknownProgressIsBusy();
};

void tst_WarmupBar::hiddenUntilProgress()
{
    WarmupBar bar;
    QVERIFY(bar.isHidden());
}

void tst_WarmupBar::progressShowsPercentAndMessage()
{
    QWidget window;
    auto *bar = new WarmupBar(&window);
    window.resize(520, 40);
    window.show();
    bar->setProgress(42, QStringLiteral("Preparing LibTorch (first start) …"));
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->percent(), 42);
    QCOMPARE(bar->message(), QStringLiteral("Preparing LibTorch (first start) …"));
    QCOMPARE(bar->findChild<QProgressBar *>()->value(), 42);
    bar->adjustSize();
    QVERIFY(panelshots::save(*bar, QStringLiteral("warmupbar")));
}

void tst_WarmupBar::cancelEmits()
{
    WarmupBar bar;
    bar.setProgress(10, QStringLiteral("Preparing"));
    QSignalSpy spy(&bar, &WarmupBar::cancelRequested);
    QTest::mouseClick(bar.findChild<QToolButton *>(), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
}

void tst_WarmupBar::successHides()
{
    WarmupBar bar;
    bar.setProgress(90, QStringLiteral("Preparing"));
    bar.finish(true, QStringLiteral("Ready"));
    QVERIFY(bar.isHidden());
}

void tst_WarmupBar::failureStaysReadable()
{
    WarmupBar bar;
    bar.setProgress(30, QStringLiteral("Preparing"));
    bar.finish(false, QStringLiteral("Could not prepare LibTorch: see Help › Environment"));
    QVERIFY(!bar.isHidden());
    QCOMPARE(bar.message(), QStringLiteral("Could not prepare LibTorch: see Help › Environment"));
    QVERIFY(bar.findChild<QToolButton *>()->isHidden());
}

void tst_WarmupBar::unknownProgressIsBusy()
{
    WarmupBar bar;
    bar.setProgress(-1, QStringLiteral("Looking for LibTorch"));
    QCOMPARE(bar.percent(), -1);
    QCOMPARE(bar.findChild<QProgressBar *>()->maximum(), 0);
}

QTEST_MAIN(tst_WarmupBar)
#include "tst_warmupbar.moc"
