// CourseProgress: the navigator's next/previous lesson, where a learner
// starts, and the progress summary, over a pack built in the test.
#include "core/course/courseprogress.h"

#include <QTest>

using namespace torchlab;

namespace {

Pack pack(const QStringList &ids)
{
    Pack p;
    p.id = QStringLiteral("course");
    for (const QString &id : ids) {
        Lesson l;
        l.id = id;
        l.folder = QStringLiteral("0-") + id;
        p.lessons << l;
    }
    return p;
}

LessonProgress record(const QString &lessonId, LessonStatus status)
{
    LessonProgress r;
    r.packId = QStringLiteral("course");
    r.lessonId = lessonId;
    r.status = status;
    return r;
}

QHash<QString, LessonProgress> records(const QList<std::pair<QString, LessonStatus>> &list)
{
    QHash<QString, LessonProgress> out;
    for (const auto &[id, status] : list)
        out.insert(id, record(id, status));
    return out;
}

} // namespace

class TestCourseProgress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextAndPrevious()
    {
        const Pack p = pack({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QCOMPARE(CourseProgress::nextLesson(p, QStringLiteral("a")), QStringLiteral("b"));
        QCOMPARE(CourseProgress::nextLesson(p, QStringLiteral("b")), QStringLiteral("c"));
        QCOMPARE(CourseProgress::nextLesson(p, QStringLiteral("c")), QString());
        QCOMPARE(CourseProgress::previousLesson(p, QStringLiteral("c")), QStringLiteral("b"));
        QCOMPARE(CourseProgress::previousLesson(p, QStringLiteral("a")), QString());
        QCOMPARE(CourseProgress::nextLesson(p, QStringLiteral("nope")), QString());
        QCOMPARE(CourseProgress::previousLesson(p, QString()), QString());
        // A folder name finds the lesson too (Pack::lesson); the answer is an id.
        QCOMPARE(CourseProgress::nextLesson(p, QStringLiteral("0-a")), QStringLiteral("b"));
        QCOMPARE(CourseProgress::nextLesson(Pack(), QStringLiteral("a")), QString());
    }

    void startLesson()
    {
        const Pack p = pack({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QCOMPARE(CourseProgress::startLesson(p, {}), QStringLiteral("a"));
        const auto some = records({{QStringLiteral("a"), LessonStatus::Passed},
                                   {QStringLiteral("b"), LessonStatus::InProgress}});
        QCOMPARE(CourseProgress::startLesson(p, some), QStringLiteral("b"));
        const auto skipped = records({{QStringLiteral("a"), LessonStatus::Passed},
                                      {QStringLiteral("b"), LessonStatus::Passed}});
        QCOMPARE(CourseProgress::startLesson(p, skipped), QStringLiteral("c"));
        // The last lesson the learner had open wins when it still exists.
        QCOMPARE(CourseProgress::startLesson(p, skipped, QStringLiteral("a")), QStringLiteral("a"));
        QCOMPARE(CourseProgress::startLesson(p, skipped, QStringLiteral("removed")),
                 QStringLiteral("c"));
        const auto all = records({{QStringLiteral("a"), LessonStatus::Passed},
                                  {QStringLiteral("b"), LessonStatus::Passed},
                                  {QStringLiteral("c"), LessonStatus::Passed}});
        QCOMPARE(CourseProgress::startLesson(p, all), QStringLiteral("a"));
        QCOMPARE(CourseProgress::startLesson(Pack(), all, QStringLiteral("a")), QString());
    }

    void summary()
    {
        const Pack p = pack({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        CourseProgress::Summary s = CourseProgress::summarize(p, {});
        QCOMPARE(s.lessons, 3);
        QCOMPARE(s.passed, 0);
        QCOMPARE(s.percent(), 0);
        // Records of lessons a pack update removed do not count.
        s = CourseProgress::summarize(p, records({{QStringLiteral("a"), LessonStatus::Passed},
                                                  {QStringLiteral("b"), LessonStatus::InProgress},
                                                  {QStringLiteral("gone"), LessonStatus::Passed}}));
        QCOMPARE(s.lessons, 3);
        QCOMPARE(s.passed, 1);
        QCOMPARE(s.inProgress, 1);
        QCOMPARE(s.percent(), 33);
        QCOMPARE(CourseProgress::summarize(Pack(), {}).percent(), 0);
    }

    void statusOf()
    {
        const auto r = records({{QStringLiteral("a"), LessonStatus::Passed}});
        QCOMPARE(CourseProgress::statusOf(r, QStringLiteral("a")), LessonStatus::Passed);
        QCOMPARE(CourseProgress::statusOf(r, QStringLiteral("b")), LessonStatus::NotStarted);
    }
};

QTEST_GUILESS_MAIN(TestCourseProgress)
#include "tst_courseprogress.moc"
