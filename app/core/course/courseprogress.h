#pragma once

#include "core/course/pack.h"
#include "core/course/progressstore.h"

#include <QHash>
#include <QString>

namespace torchlab {

// Pure course navigation over a pack and the learner's records.
namespace CourseProgress {

// The lesson id after / before `lessonId` in course order; empty at the ends or when unknown.
QString nextLesson(const Pack &pack, const QString &lessonId);
QString previousLesson(const Pack &pack, const QString &lessonId);

// Where to start: `preferred` when it exists in the pack, else the first lesson
// that is not passed, else the first lesson.
QString startLesson(const Pack &pack, const QHash<QString, LessonProgress> &records,
                    const QString &preferred = QString());

struct Summary
{
    int lessons = 0;
    int passed = 0;
    int inProgress = 0;
    int percent() const { return lessons ? passed * 100 / lessons : 0; }
};
Summary summarize(const Pack &pack, const QHash<QString, LessonProgress> &records);

// Status of one lesson (NotStarted when there is no record).
LessonStatus statusOf(const QHash<QString, LessonProgress> &records, const QString &lessonId);

} // namespace CourseProgress

} // namespace torchlab
