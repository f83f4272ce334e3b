#pragma once

#include "packs/minisign.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// Where installed packs and what they are trusted with live:
// $XDG_DATA_HOME/torchlab/packs (LabPaths::dataDir() + "/packs").
QString defaultPacksDir();

// The keys a learner trusts, kept in <packs dir>/trust.json (written atomically):
//  - per pack id, the key its installed version was verified with. A later
//    version of the same id must be signed by the same key (no silent re-keying);
//  - per subscribed feed, its URL, its key, and the issue time of the newest
//    index accepted from it (an older index is refused as a rollback).
// Reads the file on every call (it is small), so several instances agree.
// Not thread-safe; PackInstaller serialises writers with a lock file.
class TrustStore
{
public:
    struct Feed
    {
        QString url; // the index URL (…/index.json)
        MinisignPublicKey key;
        QDateTime lastIssued;  // invalid until an index was accepted
        QDateTime lastChecked; // UTC
        QString lastError;     // empty when the last update worked
    };

    explicit TrustStore(const QString &packsDir = QString());
    QString filePath() const;

    std::optional<MinisignPublicKey> keyForPack(const QString &packId) const;
    bool setKeyForPack(const QString &packId, const MinisignPublicKey &key,
                       QString *error = nullptr);
    bool forgetPack(const QString &packId, QString *error = nullptr);

    QList<Feed> feeds() const;
    std::optional<Feed> feed(const QString &url) const;
    bool saveFeed(const Feed &feed,
                  QString *error = nullptr); // adds, or replaces the one with the same url
    bool removeFeed(const QString &url, QString *error = nullptr);

private:
    QString m_dir;
};

} // namespace torchlab
