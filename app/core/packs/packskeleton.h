#pragma once

#include <QString>
#include <QStringList>

namespace torchlab {

struct SkeletonOptions
{
    QString id;    // the pack id; empty: "org.example." + the folder's name, cleaned up
    QString title; // the English title; empty: the folder's name
};

struct SkeletonResult
{
    bool ok = false;
    QString error;     // one plain sentence when !ok (translated)
    QString id;        // the id written into pack.toml
    QStringList files; // relative paths written, sorted
};

// Writes a small pack that `pack validate --strict` accepts into `directory`
// (missing or empty; never overwrites anything): pack.toml and one lesson,
// 01-first-lesson, with English and Simplified Chinese texts, a starter that
// fails its hidden check, a solution that passes it, and check.cpp. Meant as
// the instructor's starting point for `torchlab-cli pack new DIR`.
SkeletonResult writePackSkeleton(const QString &directory,
                                 const SkeletonOptions &options = SkeletonOptions());

struct LessonSkeletonOptions
{
    int day = 0;   // 1-based; 0: the last day; one past the last adds a day
    QString title; // the English (and, until translated, Chinese) title; empty: the id
};

// Adds a lesson to the pack in `packDirectory`: a folder "NN-<id>" (NN the
// lesson's place in the course) with the same files as `pack new` writes,
// and the folder appended to the day's `lessons` in pack.toml (the rest of
// pack.toml is kept byte for byte). Refuses an id or folder the pack already
// has, a day past the next one, and a pack that does not load; never
// overwrites a file. `files` are relative to the pack.
SkeletonResult addLessonSkeleton(const QString &packDirectory, const QString &lessonId,
                                 const LessonSkeletonOptions &options = LessonSkeletonOptions());

// The default id for a pack folder: "org.example." + its lower-cased name
// with every character outside [a-z0-9._-] turned into '-'.
QString defaultPackId(const QString &directory);

} // namespace torchlab
