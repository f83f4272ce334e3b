#include "widgets/editor/noticebar.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

using namespace torchlab;

namespace {

const QString StarterChanged =
    QStringLiteral("This lesson's starter changed in a course update. Your code is unchanged.");
const QList<NoticeAction> StarterActions = {
    {QStringLiteral("compare"), QStringLiteral("Compare")},
    {QStringLiteral("adopt"), QStringLiteral("Use the New Starter")},
    {QStringLiteral("keep"), QStringLiteral("Keep Mine")}};
const QStringList StarterLabels = {QStringLiteral("Compare"), QStringLiteral("Use the New Starter"),
                                   QStringLiteral("Keep Mine")};

QStringList labels(const NoticeBar &bar)
{
    QStringList result;
    for (QPushButton *b : bar.actionButtons())
        result << b->text();
    return result;
}

// The bar's fill, sampled inside its rounded border away from text and buttons.
QColor fill(NoticeBar &bar)
{
    const QImage image = bar.grab().toImage();
    return image.pixelColor(4, image.height() / 2);
}

} // namespace

class tst_NoticeBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hiddenUntilANoticeIsShown();
    void buttonsInOrderEmitTheirIndex();
    void closeHidesAndEmitsDismissed();
    void hideNoticeIsNotADismissal();
    void aNewNoticeReplacesTheButtons();
    void aNewNoticeFromAnActionHandlerIsSafe();
    void textIsNeverMarkup();
    void warningAndInfoLookDifferent();
    void screenshots();
};

void tst_NoticeBar::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
}

void tst_NoticeBar::hiddenUntilANoticeIsShown()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    QVERIFY(!bar->isVisible());
    bar->showNotice(StarterChanged, StarterActions);
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->text(), StarterChanged);
}

void tst_NoticeBar::buttonsInOrderEmitTheirIndex()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    bar->showNotice(StarterChanged, StarterActions);
    QCOMPARE(labels(*bar), StarterLabels);
    QSignalSpy spy(bar, &NoticeBar::actionTriggered);
    QTest::mouseClick(bar->actionButtons().at(1), Qt::LeftButton);
    QTest::mouseClick(bar->actionButtons().at(2), Qt::LeftButton);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(0).first().toString(), QStringLiteral("adopt"));
    QCOMPARE(spy.at(1).first().toString(), QStringLiteral("keep"));
    QVERIFY(bar->isVisible()); // the caller decides when it goes
}

void tst_NoticeBar::closeHidesAndEmitsDismissed()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    bar->showNotice(StarterChanged, StarterActions, NoticeBar::Tone::Warning);
    QSignalSpy dismissed(bar, &NoticeBar::dismissed);
    QSignalSpy action(bar, &NoticeBar::actionTriggered);
    QVERIFY(bar->closeButton()->isVisible());
    QTest::mouseClick(bar->closeButton(), Qt::LeftButton);
    QVERIFY(!bar->isVisible());
    QCOMPARE(dismissed.count(), 1);
    QCOMPARE(action.count(), 0);
}

void tst_NoticeBar::hideNoticeIsNotADismissal()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    bar->showNotice(StarterChanged, {});
    QSignalSpy dismissed(bar, &NoticeBar::dismissed);
    bar->hideNotice();
    QVERIFY(!bar->isVisible());
    QCOMPARE(dismissed.count(), 0);
}

void tst_NoticeBar::aNewNoticeReplacesTheButtons()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    bar->showNotice(StarterChanged, StarterActions);
    QPointer<QPushButton> old = bar->actionButtons().first();
    bar->showNotice(QStringLiteral("A course update arrived: 2 lessons changed."),
                    {{QStringLiteral("show"), QStringLiteral("Show")}});
    QCOMPARE(labels(*bar), QStringList{QStringLiteral("Show")});
    QTRY_VERIFY(old.isNull());
    QCOMPARE(bar->findChildren<QPushButton *>().size(), 1);
    QSignalSpy spy(bar, &NoticeBar::actionTriggered);
    QTest::mouseClick(bar->actionButtons().first(), Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toString(), QStringLiteral("show"));

    bar->showNotice(QStringLiteral("Nothing to do."), {});
    QVERIFY(bar->actionButtons().isEmpty());
}

void tst_NoticeBar::aNewNoticeFromAnActionHandlerIsSafe()
{
    QWidget host;
    auto *bar = new NoticeBar(&host);
    host.show();
    bar->showNotice(StarterChanged, StarterActions);
    connect(bar, &NoticeBar::actionTriggered, bar, [bar](const QString &id) {
        bar->showNotice(QStringLiteral("Chose %1.").arg(id),
                        {{QStringLiteral("undo"), QStringLiteral("Undo")}});
    });
    QTest::mouseClick(bar->actionButtons().at(2), Qt::LeftButton);
    QCOMPARE(bar->text(), QStringLiteral("Chose keep."));
    QCOMPARE(labels(*bar), QStringList{QStringLiteral("Undo")});
}

void tst_NoticeBar::textIsNeverMarkup()
{
    NoticeBar bar;
    bar.showNotice(QStringLiteral("Lesson <b>x</b> & <i>y</i> changed."), {});
    bool plain = false;
    for (QLabel *label : bar.findChildren<QLabel *>())
        if (label->text() == bar.text())
            plain = label->textFormat() == Qt::PlainText;
    QVERIFY(plain);
}

void tst_NoticeBar::warningAndInfoLookDifferent()
{
    NoticeBar bar;
    bar.resize(600, 36);
    bar.showNotice(StarterChanged, {}, NoticeBar::Tone::Info);
    const QColor info = fill(bar);
    bar.showNotice(StarterChanged, {}, NoticeBar::Tone::Warning);
    const QColor warning = fill(bar);
    const QColor window = bar.palette().color(QPalette::Window);
    QVERIFY2(info != window && warning != window, "the bar is tinted");
    QVERIFY2(info.blue() > info.red(), qPrintable(info.name()));          // a blue wash
    QVERIFY2(warning.red() > warning.blue(), qPrintable(warning.name())); // an amber wash
}

void tst_NoticeBar::screenshots()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        QWidget host;
        host.resize(820, 120);
        auto *layout = new QVBoxLayout(&host);
        auto *info = new NoticeBar(&host);
        auto *warning = new NoticeBar(&host);
        layout->addWidget(info);
        layout->addWidget(warning);
        layout->addStretch(1);
        info->showNotice(StarterChanged, StarterActions);
        warning->showNotice(QStringLiteral("The feed could not be reached: the connection timed "
                                           "out after 30 s. Your installed packs still work."),
                            {{QStringLiteral("retry"), QStringLiteral("Retry")}},
                            NoticeBar::Tone::Warning);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        QVERIFY(panelshots::save(host, dark ? QStringLiteral("noticebar-dark")
                                            : QStringLiteral("noticebar")));
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_NoticeBar)
#include "tst_noticebar.moc"
