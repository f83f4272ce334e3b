#pragma once

#include "core/packs/minisign.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// A signed key-rotation statement: how an instructor replaces a feed's key
// without every student subscribing again (docs/lesson-packs.md, "Replacing a
// key"). It lies beside index.json as key-rotation-<role>.json with its
// .minisig:
//   { "schema": "torchlab-key-rotation/1", "role": "index",
//     "new_key": "RW...", "issued": "2025-03-01T09:00:00Z" }
// signed with minisign by the key being replaced, with the trusted comment
// "rotate <role> <new key id> <issued>". The role is "index" (the key that
// signs index.json) or "packs" (the key that signs the archives, named by the
// index as "pack_key"). A packs statement may also be signed by the feed's
// index key, so that a lost pack key can be replaced.
struct KeyRotation
{
    enum class Role
    {
        Index,
        Packs
    };
    static constexpr qint64 MaxBytes = 4096;
    static inline const QString Schema = QStringLiteral("torchlab-key-rotation/1");

    Role role = Role::Index;
    MinisignPublicKey newKey;
    QDateTime issued; // UTC, whole seconds

    static QString roleName(Role role); // "index", "packs"
    static std::optional<Role> roleFromName(const QString &name);
    static QString fileName(Role role); // "key-rotation-index.json"
    // Strict: exactly the four keys above, a valid key and time.
    static Result<KeyRotation> parse(const QByteArray &json);
    QByteArray toJson() const;
    QString trustedComment() const; // "rotate index 0123456789ABCDEF 2025-03-01T09:00:00Z"
};

// What a client checks before it re-pins a key, in this order: the size, the
// signature with one of `signers` (the pinned key of the role; for packs also
// the pinned index key), the parse, the role, the trusted comment against the
// statement, an issue time no more than FeedIndex::MaxClockSkewSecs after
// `now` and after `lastRotation` (so an older statement cannot be replayed to
// take a key back), and a new key that differs from `current`.
Result<KeyRotation> verifyKeyRotation(const QByteArray &json, const QByteArray &signature,
                                      KeyRotation::Role role,
                                      const QList<MinisignPublicKey> &signers,
                                      const MinisignPublicKey &current, const QDateTime &now,
                                      const QDateTime &lastRotation = QDateTime());

} // namespace torchlab
