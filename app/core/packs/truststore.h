#pragma once

#include "core/packs/minisign.h"
#include "core/packs/statefile.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace torchlab {

// Where installed packs and what they are trusted with live:
// $XDG_DATA_HOME/torchlab/packs (LabPaths::dataDir() + "/packs").
QString defaultPacksDir();

// The keys a learner trusts, kept in <packs dir>/trust.json (a StateFile: written
// durably with a checked backup, never rewritten when damaged):
//  - per pack id, the key it was first installed with and the highest version
//    ever installed. A later version of the same id must be signed by the same
//    key (no silent re-keying) and may not be older (no rollback). Both stay
//    after the pack is removed (PackInstaller::remove), so removing a pack
//    cannot be used to install an older version or a pack of the same id from
//    someone else. An author who changes keys publishes under a new pack id; a
//    learner who really wants to start over with an id drops its record with
//    forgetPack() (by hand: delete the id's entry under "packs" in trust.json);
//  - per subscribed feed, its URL, its index key and pack key (when the index
//    names a separate one; both re-pinned only through a signed key-rotation
//    statement, see KeyRotation), the issue time and SHA-256 of the
//    newest index accepted from it (an older index is refused as a rollback,
//    a different one with the same time as a replay).
// Reads the file on every call (it is small), so several instances agree.
// Every change is a read-modify-write under <packs dir>/trust.json.lock, so
// writers in several threads or processes do not lose each other's changes.
class TrustStore
{
public:
    struct Feed
    {
        QString url;           // the index URL (…/index.json)
        MinisignPublicKey key; // signs the index
        // Signs the packs when the index names a separate "pack_key"; empty
        // (no bytes) when the index key signs them too. See packSigningKey().
        MinisignPublicKey packKey;
        // Issue times of the last key-rotation statements accepted for each role.
        QDateTime indexKeyRotatedAt;
        QDateTime packKeyRotatedAt;
        MinisignPublicKey packSigningKey() const { return packKey.key.isEmpty() ? key : packKey; }
        QDateTime lastIssued;    // invalid until an index was accepted
        QString lastIndexSha256; // lower-case hex of that index; empty until then
        QDateTime lastChecked;   // UTC
        QString lastError;       // empty when the last update worked
        // pack id -> version, as the last accepted index lists them: what the
        // feed offers, so that the lab can show an update that did not install.
        QMap<QString, QString> listed;
    };

    struct PackRecord
    {
        MinisignPublicKey key;
        QString highestVersion; // semantic version; empty in records of older labs
    };

    explicit TrustStore(const QString &packsDir = QString());
    QString filePath() const;

    // Fails, with the message to show, when trust.json exists but is damaged
    // (StateFile): then every change below is refused and the readers see
    // nothing trusted. Installs, updates and subscribing check it first.
    Status status() const;
    // Puts the checked backup trust.json.bak back (StateFile::restoreBackup).
    Status restoreBackup();
    const StateFile &file() const { return m_file; }

    std::optional<PackRecord> pack(const QString &packId) const;
    std::optional<MinisignPublicKey> keyForPack(const QString &packId) const;
    // Sets the key and keeps the recorded highest version.
    bool setKeyForPack(const QString &packId, const MinisignPublicKey &key,
                       QString *error = nullptr);
    // After an install: sets the key and raises the highest version to `version`
    // when that is higher (never lowers it).
    bool recordInstall(const QString &packId, const MinisignPublicKey &key, const QString &version,
                       QString *error = nullptr);
    // Every pack pinned to `from` is pinned to `to` instead (highest versions
    // kept): after a key-rotation statement signed by `from` was verified.
    bool repinPacks(const MinisignPublicKey &from, const MinisignPublicKey &to,
                    QString *error = nullptr);
    // Drops the key and the highest version of `packId` (a deliberate fresh start).
    bool forgetPack(const QString &packId, QString *error = nullptr);

    QList<Feed> feeds() const;
    std::optional<Feed> feed(const QString &url) const;
    bool saveFeed(const Feed &feed,
                  QString *error = nullptr); // adds, or replaces the one with the same url
    // Replaces the record with the same url; false (and *error untouched) when
    // there is none, e.g. the learner unsubscribed while an update was running.
    bool updateFeed(const Feed &feed, QString *error = nullptr);
    bool removeFeed(const QString &url, QString *error = nullptr);

private:
    template <typename Change> bool modify(Change change, QString *error);
    QJsonObject readObject() const; // empty when missing or damaged
    QString m_dir;
    StateFile m_file;
};

} // namespace torchlab
