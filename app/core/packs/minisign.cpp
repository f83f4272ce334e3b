#include "core/packs/minisign.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <sodium.h>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::Minisign)
};

constexpr qsizetype KeyIdBytes = 8;
constexpr qsizetype SignatureBytes = 64;
const QByteArray UntrustedPrefix = QByteArrayLiteral("untrusted comment: ");
const QByteArray TrustedPrefix = QByteArrayLiteral("trusted comment: ");

bool ensureSodium()
{
    // sodium_init() is idempotent and thread-safe; <0 only when no entropy source exists.
    static const bool ok = sodium_init() >= 0;
    return ok;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

std::optional<QByteArray> strictBase64(const QByteArray &text)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

QString keyIdToHex(const QByteArray &keyId)
{
    // minisign prints the id as a little-endian 64-bit number.
    QByteArray reversed(keyId.size(), '\0');
    for (qsizetype i = 0; i < keyId.size(); ++i)
        reversed[i] = keyId[keyId.size() - 1 - i];
    return QString::fromLatin1(reversed.toHex().toUpper());
}

QList<QByteArray> splitLines(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    for (QByteArray &line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

MinisignVerification fail(const QString &error)
{
    MinisignVerification v;
    v.error = error;
    return v;
}

// Everything after the message hash: key id, both signatures. `hash` is the
// BLAKE2b-512 of the message (prehashed form only).
MinisignVerification verifyParsed(const MinisignSignature &sig, const unsigned char *hash,
                                  const MinisignPublicKey &key)
{
    if (!ensureSodium())
        return fail(Tr::tr("The cryptography library could not be initialised."));
    if (sig.keyId != key.keyId)
        return fail(Tr::tr("The signature was made with key %1, not with the trusted key %2.")
                        .arg(keyIdToHex(sig.keyId), key.keyIdHex()));
    const auto *pk = reinterpret_cast<const unsigned char *>(key.key.constData());
    if (crypto_sign_verify_detached(
            reinterpret_cast<const unsigned char *>(sig.signature.constData()), hash,
            crypto_generichash_BYTES_MAX, pk) != 0)
        return fail(
            Tr::tr("The signature does not match the file: it was changed after signing, or signed "
                   "by someone else."));
    const QByteArray global = sig.signature + sig.trustedComment;
    if (crypto_sign_verify_detached(
            reinterpret_cast<const unsigned char *>(sig.globalSignature.constData()),
            reinterpret_cast<const unsigned char *>(global.constData()), quint64(global.size()),
            pk) != 0)
        return fail(Tr::tr("The trusted comment of the signature was changed after signing."));
    MinisignVerification v;
    v.ok = true;
    v.trustedComment = QString::fromUtf8(sig.trustedComment);
    v.keyIdHex = key.keyIdHex();
    return v;
}

std::optional<MinisignSignature> parseForVerify(const QByteArray &signatureText, QString *error)
{
    auto sig = MinisignSignature::parse(signatureText, error);
    if (!sig)
        return std::nullopt;
    if (!sig->prehashed) {
        setError(
            error,
            Tr::tr("The signature uses minisign's legacy format, which TorchLab does not accept; "
                   "sign the file again with a current minisign (without -l)."));
        return std::nullopt;
    }
    return sig;
}

} // namespace

std::optional<MinisignPublicKey> MinisignPublicKey::parse(const QString &text, QString *error)
{
    QList<QByteArray> lines = splitLines(text.trimmed().toUtf8());
    if (lines.size() == 2 && lines.first().startsWith(UntrustedPrefix))
        lines.removeFirst();
    if (lines.size() != 1) {
        setError(
            error,
            Tr::tr("This is not a minisign public key (expected one line starting with \"RW\", or "
                   "a minisign.pub file)."));
        return std::nullopt;
    }
    const auto raw = strictBase64(lines.first().trimmed());
    if (!raw || raw->size() != 2 + KeyIdBytes + crypto_sign_PUBLICKEYBYTES) {
        setError(
            error,
            Tr::tr("This is not a minisign public key: it must be 56 base64 characters starting "
                   "with \"RW\"."));
        return std::nullopt;
    }
    if (!raw->startsWith("Ed")) {
        setError(error, Tr::tr("This public key is not an Ed25519 minisign key."));
        return std::nullopt;
    }
    MinisignPublicKey key;
    key.keyId = raw->mid(2, KeyIdBytes);
    key.key = raw->mid(2 + KeyIdBytes);
    return key;
}

std::optional<MinisignPublicKey> MinisignPublicKey::fromTextOrFile(const QString &textOrPath,
                                                                   QString *error)
{
    const QFileInfo info(textOrPath);
    if (!textOrPath.trimmed().startsWith(QLatin1String("RW")) && info.isFile()) {
        QFile file(textOrPath);
        if (!file.open(QIODevice::ReadOnly)) {
            setError(error,
                     Tr::tr("Cannot read the key file %1: %2").arg(textOrPath, file.errorString()));
            return std::nullopt;
        }
        const QByteArray content = file.read(4096);
        if (!file.atEnd()) {
            setError(error, Tr::tr("%1 is too large to be a minisign public key.").arg(textOrPath));
            return std::nullopt;
        }
        QString parseError;
        auto key = parse(QString::fromUtf8(content), &parseError);
        if (!key)
            setError(error, QStringLiteral("%1: %2").arg(textOrPath, parseError));
        return key;
    }
    return parse(textOrPath, error);
}

QString MinisignPublicKey::toBase64() const
{
    return QString::fromLatin1((QByteArrayLiteral("Ed") + keyId + key).toBase64());
}

QString MinisignPublicKey::keyIdHex() const
{
    return keyIdToHex(keyId);
}

std::optional<MinisignSignature> MinisignSignature::parse(const QByteArray &text, QString *error)
{
    if (text.isEmpty()) {
        setError(error, Tr::tr("The file is not signed: the signature is empty."));
        return std::nullopt;
    }
    if (text.size() > MaxFileBytes || text.contains('\0')) {
        setError(error, Tr::tr("This is not a minisign signature file."));
        return std::nullopt;
    }
    const QList<QByteArray> lines = splitLines(text);
    if (lines.size() != 4 || !lines[0].startsWith(UntrustedPrefix) ||
        !lines[2].startsWith(TrustedPrefix)) {
        setError(
            error,
            Tr::tr("This is not a minisign signature file (expected four lines: untrusted comment, "
                   "signature, trusted comment, global signature)."));
        return std::nullopt;
    }
    const auto raw = strictBase64(lines[1].trimmed());
    const auto global = strictBase64(lines[3].trimmed());
    if (!raw || raw->size() != 2 + KeyIdBytes + SignatureBytes || !global ||
        global->size() != SignatureBytes) {
        setError(
            error,
            Tr::tr("The signature file is damaged: its signature lines are not valid base64 of the "
                   "right length."));
        return std::nullopt;
    }
    MinisignSignature sig;
    const QByteArray alg = raw->left(2);
    if (alg == "ED")
        sig.prehashed = true;
    else if (alg != "Ed") {
        setError(error, Tr::tr("The signature uses an unknown algorithm."));
        return std::nullopt;
    }
    sig.keyId = raw->mid(2, KeyIdBytes);
    sig.signature = raw->mid(2 + KeyIdBytes);
    sig.untrustedComment = QString::fromUtf8(lines[0].mid(UntrustedPrefix.size()));
    sig.trustedComment = lines[2].mid(TrustedPrefix.size());
    sig.globalSignature = *global;
    return sig;
}

MinisignVerification verifyMinisign(const QByteArray &message, const QByteArray &signatureText,
                                    const MinisignPublicKey &key)
{
    QString error;
    const auto sig = parseForVerify(signatureText, &error);
    if (!sig)
        return fail(error);
    if (!ensureSodium())
        return fail(Tr::tr("The cryptography library could not be initialised."));
    unsigned char hash[crypto_generichash_BYTES_MAX];
    crypto_generichash(hash, sizeof hash,
                       reinterpret_cast<const unsigned char *>(message.constData()),
                       quint64(message.size()), nullptr, 0);
    return verifyParsed(*sig, hash, key);
}

MinisignVerification verifyMinisignFile(const QString &filePath, const QByteArray &signatureText,
                                        const MinisignPublicKey &key, qint64 maxBytes)
{
    QString error;
    const auto sig = parseForVerify(signatureText, &error);
    if (!sig)
        return fail(error);
    if (!ensureSodium())
        return fail(Tr::tr("The cryptography library could not be initialised."));
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Tr::tr("Cannot read %1: %2").arg(filePath, file.errorString()));
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES_MAX);
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 n = file.read(chunk.data(), chunk.size());
        if (n < 0)
            return fail(Tr::tr("Cannot read %1: %2").arg(filePath, file.errorString()));
        if (n == 0)
            break;
        total += n;
        if (total > maxBytes)
            return fail(
                Tr::tr("%1 is larger than the limit of %2 bytes.").arg(filePath).arg(maxBytes));
        crypto_generichash_update(
            &state, reinterpret_cast<const unsigned char *>(chunk.constData()), quint64(n));
    }
    unsigned char hash[crypto_generichash_BYTES_MAX];
    crypto_generichash_final(&state, hash, sizeof hash);
    return verifyParsed(*sig, hash, key);
}

std::optional<QByteArray> readSignatureFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, Tr::tr("The file is not signed: cannot read the signature %1 (%2).")
                            .arg(path, file.errorString()));
        return std::nullopt;
    }
    const QByteArray text = file.read(MinisignSignature::MaxFileBytes + 1);
    if (text.size() > MinisignSignature::MaxFileBytes) {
        setError(error, Tr::tr("%1 is too large to be a minisign signature.").arg(path));
        return std::nullopt;
    }
    return text;
}

} // namespace torchlab
