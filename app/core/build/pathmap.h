#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace torchlab {

// Maps the paths a compiler or linker printed (temp job paths such as
// /home/u/.cache/torchlab/jobs/abc/exercise.cpp) back to what the learner knows
// ("exercise.cpp"). A value type; pure string work, never touches the disk.
struct PathMap
{
    // Real path as handed to the tool -> name shown to the learner. Every key is a
    // learner file. Keys may be absolute or relative to workingDirectory.
    QHash<QString, QString> realToShown;
    // Directory the tool ran in; relative paths in its output are resolved against it.
    QString workingDirectory;
    // Include directories (e.g. /usr/include/torch/csrc/api/include), used only by
    // displayPath() to shorten header paths. Longest matching root wins.
    QStringList includeRoots;

    struct Mapped
    {
        QString file;         // shown name for learner files, else the path as printed (cleaned)
        bool learner = false; // true when the path is one of realToShown's keys
    };

    // Looks a printed path up: exact key, then cleaned/resolved against workingDirectory,
    // then -- for a bare file name with no directory, as linkers print it from debug
    // info or symbol tables ("exercise.cpp", "tmpxft_..._exercise.cudafe1.cpp") -- the
    // one learner file with that name (or the one .cu learner file with that stem, for
    // nvcc's cudafe1 intermediates).
    Mapped map(const QString &printedPath) const;

    // Short form for display: learner files as shown; headers relative to the longest
    // matching include root, or to the ".../include/" directory they sit under
    // ("torch/nn/module.h", "c++/12/bits/stl_vector.h"); anything else unchanged.
    QString displayPath(const QString &file) const;
};

} // namespace torchlab
