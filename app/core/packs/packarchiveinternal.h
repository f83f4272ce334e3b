#pragma once

// What the pack archive's extractor (packextractor.cpp) and builder
// (packbuilder.cpp) share: the translation context, how names and sizes are
// shown in messages, and the path rules. Internal to app/core/packs; callers
// use core/packs/packarchive.h.

#include "core/packs/packarchive.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QtGlobal>

struct archive;

namespace torchlab::packarchive {

// PackArchive::tr(): every message of the extractor and the builder is
// translated in the context "torchlab::PackArchive". A qualified tr() gives
// lupdate and QCoreApplication::translate the same context; a free
// function's tr() would be filed under "torchlab".
struct PackArchive
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackArchive)
};

// `path` in double quotes for a message: control characters escaped as "\xNN",
// cut to 120 characters with "...".
QString quoted(const QString &path);

// "64 MiB" for a whole number of MiB, else "N bytes" (translated).
QString sizeText(qint64 bytes);

// libarchive's error for `a` without a trailing newline or full stop, or
// "no details from libarchive" when it has none.
QString libarchiveMessage(archive *a);

// Checks one entry name against the rules both sides apply (an archive that
// buildPackArchive writes is one that extractPackArchive accepts) and splits
// it into clean components. `raw` is the name as stored in the archive,
// UTF-8 with '/' separators. Refuses empty names, control characters,
// backslashes, ':', absolute paths, invalid UTF-8, names longer than
// `limits.maxPathLength` bytes, empty components ("//"), "..", components
// over 255 bytes and more than `limits.maxDepth` components. "." components
// are dropped. Sets *isDirectoryName when `raw` ends in '/'. Returns an empty
// string when the name is fine, else why not as a translated clause to follow
// the entry's name ("contains \"..\" (…)"); *components is only complete then.
QString checkPath(const QByteArray &raw, const ExtractLimits &limits, bool *isDirectoryName,
                  QStringList *components);

} // namespace torchlab::packarchive
