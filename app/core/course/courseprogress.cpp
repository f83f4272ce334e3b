#include "core/course/courseprogress.h"

namespace torchlab::CourseProgress {

namespace {

// Index of the lesson in course order, or -1.
qsizetype indexOf(const Pack &pack, const QString &lessonId)
{
    const Lesson *lesson = lessonId.isEmpty() ? nullptr : pack.lesson(lessonId);
    return lesson ? lesson - pack.lessons.constData() : -1;
}

} // namespace

QString nextLesson(const Pack &pack, const QString &lessonId)
{
    const qsizetype i = indexOf(pack, lessonId);
    return i >= 0 && i + 1 < pack.lessons.size() ? pack.lessons[i + 1].id : QString();
}

QString previousLesson(const Pack &pack, const QString &lessonId)
{
    const qsizetype i = indexOf(pack, lessonId);
    return i > 0 ? pack.lessons[i - 1].id : QString();
}

QString startLesson(const Pack &pack, const QHash<QString, LessonProgress> &records,
                    const QString &preferred)
{
    if (pack.lessons.isEmpty())
        return QString();
    if (const qsizetype i = indexOf(pack, preferred); i >= 0)
        return pack.lessons[i].id;
    for (const Lesson &lesson : pack.lessons)
        if (statusOf(records, lesson.id) != LessonStatus::Passed)
            return lesson.id;
    return pack.lessons.first().id;
}

Summary summarize(const Pack &pack, const QHash<QString, LessonProgress> &records)
{
    Summary s;
    s.lessons = int(pack.lessons.size());
    for (const Lesson &lesson : pack.lessons) {
        const LessonStatus status = statusOf(records, lesson.id);
        if (status == LessonStatus::Passed)
            ++s.passed;
        else if (status == LessonStatus::InProgress)
            ++s.inProgress;
    }
    return s;
}

LessonStatus statusOf(const QHash<QString, LessonProgress> &records, const QString &lessonId)
{
    const auto it = records.constFind(lessonId);
    return it == records.constEnd() ? LessonStatus::NotStarted : it->status;
}

} // namespace torchlab::CourseProgress
