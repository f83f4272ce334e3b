#pragma once

#include "core/course/pack.h"
#include "core/course/problem.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace torchlab {

// Text -> values for the two manifest files of a pack (docs/lesson-packs.md).
// Pure functions over bytes: no file system access, so they are what the
// fuzz target exercises. Every problem found is appended with `file` (the
// name to print) and the line/column toml++ reports. Malformed input of any
// kind gives problems, never an exception or a crash.

struct ManifestLocation
{
    int line = 0;
    int column = 0;
};

struct PackManifest
{
    Pack pack; // `directory` and `lessons` are left empty
    struct LessonRef
    {
        QString folder;
        int day = 0; // 1-based index into pack.days
        ManifestLocation at;
    };
    QList<LessonRef> lessonRefs; // every entry of every day's "lessons", in order
    bool parsed = false;         // false: the TOML did not parse (one syntax error was reported)
};

struct LessonManifest
{
    Lesson lesson; // `folder` and `directory` are left empty
    struct FileRef
    {
        QString path; // relative to the lesson folder, already checked to stay inside it
        QString role; // "starter", "solution", "check source", "text (zh_CN)"
        ManifestLocation at;
    };
    QList<FileRef> files; // every file the lesson names, for the loader to look for
    struct NameRef
    {
        QString name;
        ManifestLocation at;
    };
    QList<NameRef>
        checkNames; // names of kind = "check" checks, for the loader to find in the check sources
    ManifestLocation idAt;
    ManifestLocation dayAt;
    bool parsed = false;
};

PackManifest parsePackManifest(QByteArrayView text, const QString &file, QList<Problem> *problems);
LessonManifest parseLessonManifest(QByteArrayView text, const QString &file,
                                   QList<Problem> *problems);

// Data sets the lab can provide to a lesson (requires.datasets).
QStringList knownDatasets();

} // namespace torchlab
