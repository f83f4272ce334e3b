#include "core/course/courseupdate.h"

#include "core/course/lessonworkspace.h"

#include <QSet>

#include <algorithm>

namespace torchlab {

QList<StarterChange> changedStarters(const Pack &pack, const LessonProgress &progress,
                                     const QString &language)
{
    QList<StarterChange> changes;
    const Lesson *lesson = pack.lesson(progress.lessonId);
    if (!lesson || !progress.hasCode())
        return changes;
    for (const QString &fileName : LessonWorkspace::starterFiles(*lesson)) {
        const auto code = progress.code.constFind(fileName);
        const QString began = progress.starterHash.value(fileName);
        // No hash: saved before hashes were kept, so there is nothing to compare with.
        if (code == progress.code.constEnd() || began.isEmpty())
            continue;
        const QString starter = LessonWorkspace::starterText(*lesson, fileName, language);
        // The learner began from one translation of the starter or another;
        // any of them unchanged, or the code equal to one, is no change.
        const QStringList versions = LessonWorkspace::starterTexts(*lesson, fileName);
        if (std::any_of(versions.cbegin(), versions.cend(), [&](const QString &version) {
                return ProgressStore::sha256Hex(version) == began || *code == version;
            }))
            continue;
        changes.append({progress.lessonId, fileName, *code, starter, began});
    }
    return changes;
}

QList<StarterChange> changedStarters(const Pack &pack,
                                     const QHash<QString, LessonProgress> &records,
                                     const QString &language)
{
    QList<StarterChange> changes;
    for (const Lesson &lesson : pack.lessons) {
        const auto record = records.constFind(lesson.id);
        if (record != records.constEnd())
            changes += changedStarters(pack, *record, language);
    }
    return changes;
}

QList<LessonProgress> removedLessonsWithCode(const Pack &pack,
                                             const QHash<QString, LessonProgress> &records)
{
    QSet<QString> present;
    for (const Lesson &lesson : pack.lessons)
        present.insert(lesson.id);
    QList<LessonProgress> removed;
    for (const LessonProgress &record : records) {
        if (!present.contains(record.lessonId) && record.hasCode())
            removed.append(record);
    }
    std::sort(removed.begin(), removed.end(), [](const LessonProgress &a, const LessonProgress &b) {
        if (a.lastEdited != b.lastEdited)
            return a.lastEdited > b.lastEdited;
        return a.lessonId < b.lessonId;
    });
    return removed;
}

LessonProgress acknowledgeStarterChange(const LessonProgress &progress, const StarterChange &change,
                                        bool adoptStarter)
{
    LessonProgress updated = progress;
    updated.starterHash.insert(change.fileName, ProgressStore::sha256Hex(change.newStarter));
    if (adoptStarter)
        updated.code.insert(change.fileName, change.newStarter);
    return updated;
}

} // namespace torchlab
