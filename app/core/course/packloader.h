#pragma once

#include "core/course/pack.h"
#include "core/course/problem.h"

#include <QList>
#include <QString>

namespace torchlab {

struct PackLoadResult
{
    Pack pack; // what could be read; lessons whose manifest did not parse are left out
    QList<Problem> problems; // sorted by file and line
    bool valid() const { return !hasErrors(problems); }
};

// Reads a pack folder (pack.toml plus one folder per lesson) into values and
// validates it: TOML syntax, missing files and texts, duplicate ids, lessons
// listed but missing (errors) or present but not listed (warnings), unknown
// check kinds, bad bounds and patterns, unknown keys (warnings). Problem paths
// start with `directory` exactly as given, so they read well where the user
// typed it ("lessons/course/01-hello/lesson.toml:14:1").
//
// Synchronous; reads only small files (manifests are capped at 1 MiB, check
// sources are read to find check names). Safe on any input: malformed files
// give problems, never a crash.
class PackLoader
{
public:
    static PackLoadResult load(const QString &directory);

    static constexpr qint64 MaxManifestBytes = 1 << 20;
};

} // namespace torchlab
