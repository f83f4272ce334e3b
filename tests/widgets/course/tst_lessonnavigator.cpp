#include "core/course/packloader.h"
#include "widgets/course/lessonnavigator.h"
#include "widgets/style/theme.h"

#include "helpers/panelshots.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace torchlab;

namespace {

Pack coursePack()
{
    const PackLoadResult result =
        PackLoader::load(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course"));
    if (!result.valid())
        qFatal("the course pack does not load");
    return result.pack;
}

QImage iconImage(const QTreeWidgetItem *item)
{
    return item->icon(0).pixmap(16, 16).toImage();
}

QTreeWidgetItem *itemOf(LessonNavigator &nav, const QString &id)
{
    QTreeWidget *tree = nav.tree();
    for (int d = 0; d < tree->topLevelItemCount(); ++d)
        for (int l = 0; l < tree->topLevelItem(d)->childCount(); ++l) {
            QTreeWidgetItem *item = tree->topLevelItem(d)->child(l);
            if (item->data(0, Qt::UserRole + 1).toString() == id)
                return item;
        }
    return nullptr;
}

QString summaryText(LessonNavigator &nav)
{
    for (QLabel *label : nav.findChildren<QLabel *>())
        if (label->text().contains(QStringLiteral("passed")) ||
            label->text().contains(QStringLiteral("通过")))
            return label->text();
    return QString();
}

} // namespace

class tst_LessonNavigator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsEveryDayAndLessonOfTheCourse();
    void titlesFollowTheLanguage();
    void statusesChangeIconsAndTheCount();
    void statusesSetBeforeThePackApply();
    void currentLessonIsBoldSelectedAndVisible();
    void clickActivatesALesson();
    void enterActivatesALesson();
    void dayRowsActivateNothing();
    void dayTitlesThatSayTheDayAreNotNumberedTwice();
    void screenshot();

private:
    Pack m_pack;
};

void tst_LessonNavigator::initTestCase()
{
    applyTheme(*qApp, LabSettings::Theme::Light);
    m_pack = coursePack();
    QCOMPARE(m_pack.days.size(), 4);
    QCOMPARE(m_pack.lessons.size(), 21);
}

void tst_LessonNavigator::showsEveryDayAndLessonOfTheCourse()
{
    LessonNavigator nav;
    nav.setPack(m_pack, QStringLiteral("en"));
    QTreeWidget *tree = nav.tree();
    QCOMPARE(tree->topLevelItemCount(), int(m_pack.days.size()));
    int lessons = 0;
    for (int d = 0; d < tree->topLevelItemCount(); ++d) {
        QTreeWidgetItem *day = tree->topLevelItem(d);
        QVERIFY(day->text(0).contains(localized(m_pack.days[d].title, QStringLiteral("en"))));
        QVERIFY(day->isExpanded());
        QCOMPARE(day->childCount(), int(m_pack.days[d].lessons.size()));
        lessons += day->childCount();
    }
    QCOMPARE(lessons, 21);
    const QTreeWidgetItem *first = itemOf(nav, m_pack.lessons.first().id);
    QVERIFY(first);
    QCOMPARE(first->text(0), QStringLiteral("01  ") +
                                 localized(m_pack.lessons.first().title, QStringLiteral("en")));
    QVERIFY(itemOf(nav, m_pack.lessons.last().id)->text(0).startsWith(QStringLiteral("21  ")));
    QCOMPARE(nav.passedCount(), 0);
    QCOMPARE(summaryText(nav), QStringLiteral("0 of 21 lessons passed"));
}

void tst_LessonNavigator::titlesFollowTheLanguage()
{
    LessonNavigator nav;
    nav.setPack(m_pack, QStringLiteral("zh_CN"));
    const Lesson &lesson = m_pack.lessons.at(8);
    const QString zh = localized(lesson.title, QStringLiteral("zh_CN"));
    QVERIFY(zh != localized(lesson.title, QStringLiteral("en")));
    QVERIFY(itemOf(nav, lesson.id)->text(0).endsWith(zh));
    QVERIFY(nav.tree()->topLevelItem(0)->text(0).contains(
        localized(m_pack.days[0].title, QStringLiteral("zh_CN"))));
    // Titles cut off in a narrow list are whole in their tooltips.
    for (int d = 0; d < nav.tree()->topLevelItemCount(); ++d) {
        QTreeWidgetItem *day = nav.tree()->topLevelItem(d);
        QCOMPARE(day->toolTip(0), day->text(0));
        for (int i = 0; i < day->childCount(); ++i)
            QVERIFY(day->child(i)->toolTip(0).startsWith(day->child(i)->text(0)));
    }
}

void tst_LessonNavigator::statusesChangeIconsAndTheCount()
{
    LessonNavigator nav;
    nav.setPack(m_pack, QStringLiteral("en"));
    const QString a = m_pack.lessons[0].id;
    const QString b = m_pack.lessons[1].id;
    const QString c = m_pack.lessons[2].id;
    const QImage notStarted = iconImage(itemOf(nav, a));
    QVERIFY(!notStarted.isNull());

    nav.setStatus(b, LessonStatus::InProgress);
    const QImage inProgress = iconImage(itemOf(nav, b));
    QVERIFY(inProgress != notStarted);
    QCOMPARE(nav.passedCount(), 0);

    nav.setStatuses(
        {{a, LessonStatus::Passed}, {b, LessonStatus::Passed}, {c, LessonStatus::InProgress}});
    const QImage passed = iconImage(itemOf(nav, a));
    QVERIFY(passed != notStarted);
    QVERIFY(passed != inProgress);
    QCOMPARE(iconImage(itemOf(nav, c)), inProgress);
    QCOMPARE(nav.status(a), LessonStatus::Passed);
    QCOMPARE(nav.status(m_pack.lessons[5].id), LessonStatus::NotStarted);
    QCOMPARE(nav.passedCount(), 2);
    QCOMPARE(summaryText(nav), QStringLiteral("2 of 21 lessons passed"));
    QCOMPARE(nav.findChild<QProgressBar *>()->value(), 2);
    QCOMPARE(nav.findChild<QProgressBar *>()->maximum(), 21);
    QCOMPARE(nav.tree()->topLevelItem(0)->text(1), QStringLiteral("2/5"));

    // setStatuses replaces: a lesson missing from the new map is not started.
    nav.setStatuses({{c, LessonStatus::Passed}});
    QCOMPARE(nav.passedCount(), 1);
    QCOMPARE(iconImage(itemOf(nav, a)), notStarted);
}

void tst_LessonNavigator::statusesSetBeforeThePackApply()
{
    LessonNavigator nav;
    nav.setStatuses({{m_pack.lessons[3].id, LessonStatus::Passed}});
    nav.setPack(m_pack, QStringLiteral("en"));
    QCOMPARE(nav.passedCount(), 1);
}

void tst_LessonNavigator::currentLessonIsBoldSelectedAndVisible()
{
    LessonNavigator nav;
    nav.resize(320, 200); // too short for every lesson: the current one must be scrolled to
    nav.show();
    QVERIFY(QTest::qWaitForWindowExposed(&nav));
    nav.setPack(m_pack, QStringLiteral("en"));
    const QString id = m_pack.lessons[15].id;
    nav.setCurrentLesson(id);
    QCOMPARE(nav.currentLesson(), id);
    QTreeWidgetItem *item = itemOf(nav, id);
    QVERIFY(item->font(0).bold());
    QVERIFY(item->isSelected());
    QCOMPARE(nav.tree()->currentItem(), item);
    QVERIFY(nav.tree()->viewport()->rect().contains(nav.tree()->visualItemRect(item)));

    nav.setCurrentLesson(m_pack.lessons[0].id);
    QVERIFY(!item->font(0).bold());
    QVERIFY(!item->isSelected());
    QVERIFY(itemOf(nav, m_pack.lessons[0].id)->font(0).bold());

    // A new pack keeps the current lesson when it still exists.
    nav.setPack(m_pack, QStringLiteral("zh_CN"));
    QVERIFY(itemOf(nav, m_pack.lessons[0].id)->font(0).bold());
}

void tst_LessonNavigator::clickActivatesALesson()
{
    LessonNavigator nav;
    nav.resize(320, 600);
    nav.show();
    QVERIFY(QTest::qWaitForWindowExposed(&nav));
    nav.setPack(m_pack, QStringLiteral("en"));
    QSignalSpy spy(&nav, &LessonNavigator::lessonActivated);
    QTreeWidgetItem *item = itemOf(nav, m_pack.lessons[6].id);
    QTest::mouseClick(nav.tree()->viewport(), Qt::LeftButton, {},
                      nav.tree()->visualItemRect(item).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toString(), m_pack.lessons[6].id);
    // The navigator only reports; the window decides what becomes current.
    QVERIFY(nav.currentLesson().isEmpty());
}

void tst_LessonNavigator::enterActivatesALesson()
{
    LessonNavigator nav;
    nav.show();
    QVERIFY(QTest::qWaitForWindowExposed(&nav));
    nav.setPack(m_pack, QStringLiteral("en"));
    nav.setCurrentLesson(m_pack.lessons[2].id);
    nav.tree()->setFocus();
    QSignalSpy spy(&nav, &LessonNavigator::lessonActivated);
    QTest::keyClick(nav.tree(), Qt::Key_Down);
    QTest::keyClick(nav.tree(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toString(), m_pack.lessons[3].id);
}

void tst_LessonNavigator::dayRowsActivateNothing()
{
    LessonNavigator nav;
    nav.resize(320, 600);
    nav.show();
    QVERIFY(QTest::qWaitForWindowExposed(&nav));
    nav.setPack(m_pack, QStringLiteral("en"));
    QSignalSpy spy(&nav, &LessonNavigator::lessonActivated);
    QTest::mouseClick(nav.tree()->viewport(), Qt::LeftButton, {},
                      nav.tree()->visualItemRect(nav.tree()->topLevelItem(1)).center());
    QCOMPARE(spy.count(), 0);
}

void tst_LessonNavigator::dayTitlesThatSayTheDayAreNotNumberedTwice()
{
    Pack pack;
    const auto day = [](const QString &en, const QString &zh) {
        PackDay d;
        d.title.insert(QStringLiteral("en"), en);
        d.title.insert(QStringLiteral("zh_CN"), zh);
        return d;
    };
    pack.days = {day(QStringLiteral("Tensors"), QStringLiteral("张量")),
                 day(QStringLiteral("Day 2"), QStringLiteral("第二天")),
                 day(QStringLiteral("Day 3: models"), QStringLiteral("第 3 天：模型")),
                 day(QString(), QString())};
    LessonNavigator nav;
    nav.setPack(pack, QStringLiteral("en"));
    QCOMPARE(nav.tree()->topLevelItem(0)->text(0), QStringLiteral("Day 1 · Tensors"));
    QCOMPARE(nav.tree()->topLevelItem(1)->text(0), QStringLiteral("Day 2"));
    QCOMPARE(nav.tree()->topLevelItem(2)->text(0), QStringLiteral("Day 3: models"));
    QCOMPARE(nav.tree()->topLevelItem(3)->text(0), QStringLiteral("Day 4"));
    nav.setPack(pack, QStringLiteral("zh_CN"));
    QVERIFY2(nav.tree()->topLevelItem(2)->text(0) == QStringLiteral("第 3 天：模型"),
             qPrintable(nav.tree()->topLevelItem(2)->text(0)));
    QVERIFY(nav.tree()->topLevelItem(1)->text(0).endsWith(QStringLiteral("第二天")));
}

void tst_LessonNavigator::screenshot()
{
    for (const bool dark : {false, true}) {
        applyTheme(*qApp, dark ? LabSettings::Theme::Dark : LabSettings::Theme::Light);
        for (const QString &language : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
            LessonNavigator nav;
            nav.resize(340, 600);
            nav.setPack(m_pack, language);
            QHash<QString, LessonStatus> statuses;
            for (int i = 0; i < 6; ++i)
                statuses.insert(m_pack.lessons[i].id, LessonStatus::Passed);
            statuses.insert(m_pack.lessons[6].id, LessonStatus::InProgress);
            statuses.insert(m_pack.lessons[8].id, LessonStatus::InProgress);
            nav.setStatuses(statuses);
            nav.setCurrentLesson(m_pack.lessons[6].id);
            nav.show();
            QVERIFY(QTest::qWaitForWindowExposed(&nav));
            QVERIFY(panelshots::save(
                nav, QStringLiteral("lessonnavigator-%1%2")
                         .arg(language, dark ? QStringLiteral("-dark") : QString())));
        }
    }
    applyTheme(*qApp, LabSettings::Theme::Light);
}

QTEST_MAIN(tst_LessonNavigator)
#include "tst_lessonnavigator.moc"
