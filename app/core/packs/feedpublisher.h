#pragma once

#include "core/packs/feedindex.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace torchlab {

struct FeedPublishResult
{
    bool ok = false;
    QString error;   // one plain sentence when !ok
    FeedIndex index; // what was written to <feed dir>/index.json
    QStringList warnings;
};

// `torchlab-cli feed publish`: for every .tar.gz / .tar / .zip in `archiveDir`
// (each with its .minisig next to it, made by `pack sign`), extracts it safely
// into a temporary folder to read id and version from its pack.toml, copies
// archive and signature into `feedDir`, and writes feedDir/index.json listing
// id, version, file, size and SHA-256, issued at `issued` and expiring
// `validDays` later (1 to FeedIndex::MaxValidDays). The index still has to be signed (`feed sign`),
// with the trusted comment index.trustedComment(). Two archives of one pack id: the newest version
// is listed, the other is skipped with a warning. `packKey`, when set, is written as the index's
// "pack_key": the archives are then signed with that key and the index with another
// (docs/lesson-packs.md).
FeedPublishResult publishFeed(const QString &archiveDir, const QString &feedDir, int validDays = 30,
                              const QDateTime &issued = QDateTime::currentDateTimeUtc(),
                              const std::optional<MinisignPublicKey> &packKey = std::nullopt);

} // namespace torchlab
