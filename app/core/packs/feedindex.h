#pragma once

#include "core/packs/minisign.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// One pack of a feed: what the signed index promises about its archive.
struct FeedEntry
{
    QString id;      // pack id, [a-z0-9][a-z0-9._-]{0,99}
    QString version; // semantic version
    QString file;    // archive file name next to index.json (no folders); its signature is file +
                     // ".minisig"
    qint64 size = 0; // exact archive size in bytes
    QString sha256;  // lower-case hex of the archive
};

// A feed's index.json (docs/instructors.md, "The feed"):
//   { "schema": "torchlab-feed/1",
//     "issued": "2025-03-01T09:00:00Z", "expires": "2025-03-15T09:00:00Z",
//     "packs": [ { "id": "...", "version": "1.2.0", "file": "....tar.gz",
//                  "size": 12345, "sha256": "<64 hex>" } ],
//     "pack_key": "RW..." }            (optional)
// signed with minisign as index.json.minisig whose trusted comment is
// "feed <issued> <expires>" with the same two times, so that an old index
// cannot be replayed under a new date.
//
// parse() is strict: the whole document must match this shape; unknown keys,
// wrong types, duplicate pack ids, bad ids/versions/file names/hashes,
// sizes <= 0 or > MaxPackBytes, more than MaxPacks packs or more than
// MaxBytes of text are errors. Times are UTC ISO 8601 with a "Z".
struct FeedIndex
{
    static constexpr qint64 MaxBytes = 1 << 20;
    static constexpr int MaxPacks = 1000;
    static constexpr qint64 MaxPackBytes = qint64(1) << 30;
    // How far a client's clock may be behind the instructor's: an index issued
    // later than now + this is refused (docs/reliability.md row 32). Accepting
    // it would raise the feed's rollback floor into the future and freeze the
    // feed until then.
    static constexpr qint64 MaxClockSkewSecs = 24 * 3600;
    // The longest validity accepted (expires - issued): an index valid for
    // years could be replayed by a mirror for years. Refused, not clamped, so
    // that the instructor hears of it at once.
    static constexpr int MaxValidDays = 90;
    static inline const QString Schema = QStringLiteral("torchlab-feed/1");

    QDateTime issued;
    QDateTime expires;
    QList<FeedEntry> packs;
    // "pack_key": the key that signs the archives when it is not the index's
    // own key (docs/lesson-packs.md, "Two keys"). Pinned by the student at
    // subscribe time; a different one later needs a key-rotation statement.
    std::optional<MinisignPublicKey> packKey;

    static std::optional<FeedIndex> parse(const QByteArray &json, QString *error = nullptr);
    QByteArray toJson() const;      // what parse() reads; packs in the given order
    QString trustedComment() const; // "feed <issued> <expires>"
    const FeedEntry *find(const QString &id) const;

    static QString formatTime(const QDateTime &time); // "2025-03-01T09:00:00Z"
    static bool isValidPackId(const QString &id);
    static bool isValidFileName(const QString &name);
};

struct FeedIndexCheck
{
    bool ok = false;
    QString error; // one plain sentence when !ok
    FeedIndex index;
    QString sha256; // lower-case hex of `json`, when ok (for TrustStore::Feed::lastIndexSha256)
};

// Everything a client does with a downloaded index, in this order: the
// signature with `key` (before the JSON is parsed), the parse, the trusted
// comment against the index's times, an issue time no more than
// MaxClockSkewSecs after `now`, a validity of at most MaxValidDays, expiry
// against `now`, and freshness:
// an index issued before `lastIssued` (the newest one accepted from this feed
// so far; invalid for none) is refused as a rollback. An index issued at
// exactly `lastIssued` is the same index read again only when its bytes hash
// to `lastIndexSha256`; a different one with that time is refused (a re-signed
// or replayed index: a new index needs a new issue time). With no hash
// recorded (a record from an older lab) an index with the same time is accepted.
FeedIndexCheck verifyFeedIndex(const QByteArray &json, const QByteArray &signature,
                               const MinisignPublicKey &key, const QDateTime &now,
                               const QDateTime &lastIssued = QDateTime(),
                               const QString &lastIndexSha256 = QString());

} // namespace torchlab
