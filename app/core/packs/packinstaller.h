#pragma once

#include "core/packs/feedindex.h"
#include "core/packs/minisign.h"
#include "core/packs/statefile.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// One installed pack, as recorded in <packs dir>/installed.json (a StateFile:
// written durably with a checked backup, never rewritten when damaged).
struct InstalledPack
{
    QString id;
    QString version;
    QString source;        // "file:<path>" or the feed's index URL
    QString keyId;         // hex id of the key it was verified with
    QString sha256;        // of the archive
    QDateTime installedAt; // UTC
};

struct PackInstallRequest
{
    QString archive;       // .tar.gz / .tar / .zip
    QString signature;     // its .minisig; empty: archive + ".minisig"
    MinisignPublicKey key; // the key the signature must be made with
    QString source;        // recorded; empty: "file:<archive>"
    std::optional<FeedEntry>
        expected; // from a verified feed index: size, SHA-256, id, version must match
};

struct PackInstallResult
{
    bool ok = false;
    QString error; // one plain, translated sentence when !ok
    QString id;
    QString version;
    QString previousVersion; // empty for a first install
    QString directory;       // where the pack now lives
};

// Installs, updates and removes lesson packs under <packs dir>/installed/<id>.
//
// install() works in this order and stops at the first failure, leaving the
// installed version, the registry and the learner's work as they were:
//  1. copy the archive into <packs dir>/tmp (so it cannot change underneath),
//     counting its size against the cap and hashing it;
//  2. verify its minisign signature with the request's key — nothing of the
//     archive is parsed before this; the signed trusted comment must read
//     "pack <id> <version>";
//  3. from a feed: size, SHA-256, id and version must equal the signed index entry;
//  4. an id already trusted with another key is refused (no silent re-keying);
//     the version must be newer than the installed one, and not older than the
//     highest version ever installed under this id (rollback refused; the
//     TrustStore keeps key and highest version after remove(), so reinstalling
//     a removed pack takes the same version or a newer one, by the same key);
//  5. extractPackArchive() into a fresh staging folder under <packs dir>/staging,
//     PackLoader must find a valid pack with the signed id and version;
//  6. the staging folder is swapped into place with one atomic rename
//     (renameat2 RENAME_EXCHANGE; the old version is deleted only after the
//     registry was written), then key and version are recorded in the TrustStore.
// Learner progress (ProgressStore, keyed by pack id + lesson id under
// LabPaths::dataDir()/progress) is never read or written here.
//
// Synchronous (seconds for large archives); callers in the GUI run it off the
// UI thread. Writers in several processes are serialised with a lock file.
class PackInstaller
{
public:
    static constexpr qint64 MaxArchiveBytes = qint64(256) << 20;

    explicit PackInstaller(const QString &packsDir = QString()); // default defaultPacksDir()
    QString packsDir() const { return m_dir; }

    PackInstallResult install(const PackInstallRequest &request);
    // Deletes the pack's folder and registry entry; progress stays, and so does
    // the pack's trust record (its key and highest version: no re-keying or
    // rollback through remove + install).
    bool remove(const QString &id, QString *error = nullptr);

    QList<InstalledPack> installed() const; // sorted by id; empty when installed.json is damaged
    // The registry, or the message saying installed.json is damaged (StateFile).
    Result<QList<InstalledPack>> loadRegistry() const;
    // Fails when installed.json or trust.json is damaged: install() and
    // remove() then refuse before touching anything, and so do feeds.
    Status status() const;
    // Puts the checked backup installed.json.bak back (StateFile::restoreBackup).
    Status restoreRegistryBackup();
    const StateFile &registryFile() const { return m_registry; }
    std::optional<InstalledPack> find(const QString &id) const;
    QString packDirectory(const QString &id) const; // <packs dir>/installed/<id>

    // "pack <id> <version>" -> {id, version}; nullopt unless exactly that shape
    // with a valid id and semantic version.
    static std::optional<std::pair<QString, QString>>
    parsePackComment(const QString &trustedComment);
    static QString packComment(const QString &id, const QString &version);

private:
    bool writeRegistry(const QList<InstalledPack> &packs, QString *error) const;
    QString m_dir;
    StateFile m_registry; // <packs dir>/installed.json
};

} // namespace torchlab
