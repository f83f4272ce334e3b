#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace torchlab {

// An Ed25519 public key in minisign's format: base64 of "Ed" + 8-byte key id +
// 32-byte key ("RW..." , 56 characters). See https://jedisct1.github.io/minisign/.
struct MinisignPublicKey
{
    QByteArray keyId; // 8 bytes, as stored (little-endian number)
    QByteArray key;   // 32 bytes

    // Accepts the bare base64 line ("RWQ...") or the contents of a minisign.pub
    // file ("untrusted comment: ..." line, then the key line). nullopt with a
    // plain sentence in *error when it is anything else.
    static std::optional<MinisignPublicKey> parse(const QString &text, QString *error = nullptr);
    // `textOrPath` is either a key ("RW...") or the path of a key file (read up to 4 KiB).
    static std::optional<MinisignPublicKey> fromTextOrFile(const QString &textOrPath,
                                                           QString *error = nullptr);

    QString toBase64() const; // the "RW..." line
    QString keyIdHex() const; // 16 upper-case hex digits (minisign prints the same number
                              // without leading zeros)
    bool operator==(const MinisignPublicKey &other) const = default;
};

// A parsed .minisig file (four lines). Nothing in it is trusted until verified.
struct MinisignSignature
{
    bool prehashed = false; // "ED": BLAKE2b-512 of the file was signed; "Ed": legacy, whole file
    QByteArray keyId;       // 8 bytes
    QByteArray signature;   // 64 bytes
    QString untrustedComment;
    QByteArray trustedComment;  // UTF-8, without the "trusted comment: " prefix
    QByteArray globalSignature; // 64 bytes, over signature || trustedComment

    static constexpr qint64 MaxFileBytes = 8192;
    static std::optional<MinisignSignature> parse(const QByteArray &text, QString *error = nullptr);
};

struct MinisignVerification
{
    bool ok = false;
    QString error;          // one plain, translated sentence when !ok
    QString trustedComment; // the signed comment, only when ok
    QString keyIdHex;
};

// Verifies a detached minisign signature over `message` with `key`. Only the
// prehashed "ED" form (minisign's default since 0.9) is accepted: legacy "Ed"
// signatures are refused with a message saying to re-sign. Checks, in order:
// format, key id, the signature over BLAKE2b-512(message), the global
// signature over the trusted comment. Needs no parsing of the message.
MinisignVerification verifyMinisign(const QByteArray &message, const QByteArray &signatureText,
                                    const MinisignPublicKey &key);

// Same for a file, hashed in 64 KiB chunks (never held in memory). Fails when
// the file is larger than `maxBytes`.
MinisignVerification verifyMinisignFile(const QString &filePath, const QByteArray &signatureText,
                                        const MinisignPublicKey &key,
                                        qint64 maxBytes = qint64(1) << 32);

// Reads a signature file (capped at MinisignSignature::MaxFileBytes).
std::optional<QByteArray> readSignatureFile(const QString &path, QString *error);

} // namespace torchlab
