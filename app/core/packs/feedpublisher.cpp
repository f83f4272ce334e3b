#include "core/packs/feedpublisher.h"

#include "core/course/packloader.h"
#include "core/course/semver.h"
#include "core/packs/minisign.h"
#include "core/packs/packarchive.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTimeZone>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::FeedPublisher)
};

FeedPublishResult fail(const QString &error)
{
    FeedPublishResult r;
    r.error = error;
    return r;
}

// The key id a .minisig names ("" when it cannot be read), as hex.
QString signatureKeyId(const QString &signaturePath)
{
    QString error;
    const std::optional<QByteArray> text = readSignatureFile(signaturePath, &error);
    const std::optional<MinisignSignature> sig =
        text ? MinisignSignature::parse(*text) : std::nullopt;
    if (!sig)
        return QString();
    MinisignPublicKey key;
    key.keyId = sig->keyId;
    return key.keyIdHex();
}

bool copyReplacing(const QString &from, const QString &to)
{
    if (QFileInfo(from).canonicalFilePath() == QFileInfo(to).canonicalFilePath() &&
        QFileInfo::exists(to))
        return true;
    QFile::remove(to);
    return QFile::copy(from, to);
}

} // namespace

FeedPublishResult publishFeed(const QString &archiveDir, const QString &feedDir, int validDays,
                              const QDateTime &issued,
                              const std::optional<MinisignPublicKey> &packKey)
{
    const QDir source(archiveDir);
    if (!source.exists())
        return fail(Tr::tr("The folder %1 does not exist.").arg(archiveDir));
    if (validDays < 1)
        return fail(Tr::tr("A feed must stay valid for at least one day."));
    if (validDays > FeedIndex::MaxValidDays)
        return fail(Tr::tr("A feed may stay valid for at most %1 days: students refuse an index "
                           "valid for longer (publish again before it expires).")
                        .arg(FeedIndex::MaxValidDays));
    QStringList archives = source.entryList({QStringLiteral("*.tar.gz"), QStringLiteral("*.tgz"),
                                             QStringLiteral("*.tar"), QStringLiteral("*.zip")},
                                            QDir::Files, QDir::Name);
    // An instructor's archive (pack build, server-graded lessons) holds the
    // hidden checks: it goes to the grader account, never to a feed.
    archives.removeIf(
        [](const QString &name) { return name.endsWith(QLatin1String("-instructor.tar.gz")); });
    if (archives.isEmpty())
        return fail(Tr::tr("%1 holds no pack archives (*.tar.gz, *.zip); build them with "
                           "torchlab-cli pack build.")
                        .arg(archiveDir));
    FeedPublishResult result;
    QList<FeedEntry> entries;
    QHash<QString, QString> keyIds; // archive name -> the key id its signature names
    for (const QString &name : archives) {
        const QString path = source.filePath(name);
        if (!FeedIndex::isValidFileName(name))
            return fail(
                Tr::tr("%1: use only letters, digits and . _ + - in archive names.").arg(name));
        if (!QFileInfo::exists(path + QStringLiteral(".minisig")))
            return fail(
                Tr::tr("%1 is not signed (no %1.minisig); run torchlab-cli pack sign first.")
                    .arg(name));
        const QString keyId = signatureKeyId(path + QStringLiteral(".minisig"));
        if (keyId.isEmpty())
            return fail(Tr::tr("%1.minisig is not a minisign signature; sign the archive again "
                               "with torchlab-cli pack sign.")
                            .arg(name));
        keyIds.insert(name, keyId);
        QTemporaryDir temp;
        if (!temp.isValid())
            return fail(Tr::tr("Cannot create a temporary folder: %1").arg(temp.errorString()));
        const ExtractResult extracted =
            extractPackArchive(path, temp.filePath(QStringLiteral("pack")));
        if (!extracted.ok)
            return fail(QStringLiteral("%1: %2").arg(name, extracted.error));
        const PackLoadResult loaded = PackLoader::load(temp.filePath(QStringLiteral("pack")));
        if (!loaded.valid() || !FeedIndex::isValidPackId(loaded.pack.id) ||
            !SemVer::parse(loaded.pack.version))
            return fail(
                Tr::tr("%1 is not a valid lesson pack; check it with torchlab-cli pack validate.")
                    .arg(name));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Tr::tr("Cannot read %1: %2").arg(path, file.errorString()));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&file);
        FeedEntry e;
        e.id = loaded.pack.id;
        e.version = loaded.pack.version;
        e.file = name;
        e.size = file.size();
        e.sha256 = QString::fromLatin1(hash.result().toHex());
        if (e.size > FeedIndex::MaxPackBytes)
            return fail(
                Tr::tr("%1 is larger than %2 bytes.").arg(name).arg(FeedIndex::MaxPackBytes));
        bool replaced = false;
        for (FeedEntry &other : entries) {
            if (other.id == e.id && other.version == e.version && other.sha256 != e.sha256)
                return fail(Tr::tr("%1 and %2 are both %3 %4, with different contents. One "
                                   "version is one set of bytes: raise `version` in pack.toml "
                                   "for the new build, or remove the old archive.")
                                .arg(other.file, name, e.id, e.version));
        }
        for (FeedEntry &other : entries)
            if (other.id == e.id) {
                const bool newer =
                    SemVer::compare(*SemVer::parse(e.version), *SemVer::parse(other.version)) > 0;
                result.warnings.append(Tr::tr("%1: two archives of %2; listing version %3.")
                                           .arg(name, e.id, newer ? e.version : other.version));
                if (newer)
                    other = e;
                replaced = true;
            }
        if (!replaced)
            entries.append(e);
    }
    // Every listed archive is signed with the one key students check packs
    // with: the pack key when one is named, else the key that signs the index.
    std::pair<QString, QString> signingKey; // (key id, the first archive signed with it)
    for (const FeedEntry &e : std::as_const(entries)) {
        const QString keyId = keyIds.value(e.file);
        if (packKey) {
            QString error;
            const QString path = source.filePath(e.file);
            const std::optional<QByteArray> sigText =
                readSignatureFile(path + QStringLiteral(".minisig"), &error);
            const MinisignVerification verified =
                sigText ? verifyMinisignFile(path, *sigText, *packKey, FeedIndex::MaxPackBytes)
                        : MinisignVerification();
            if (!verified.ok)
                return fail(Tr::tr("%1 is signed with the key %2, not with the pack key %3 given "
                                   "with --pack-key: students would refuse it. Sign it with the "
                                   "pack key (torchlab-cli pack sign --key).")
                                .arg(e.file, keyId, packKey->keyIdHex()));
        } else if (!signingKey.first.isEmpty() && keyId != signingKey.first) {
            return fail(Tr::tr("%1 is signed with the key %2, but %3 with the key %4: students "
                               "check every pack with one key. Sign them all with the same key.")
                            .arg(e.file, keyId, signingKey.second, signingKey.first));
        }
        if (signingKey.first.isEmpty())
            signingKey = {keyId, e.file};
    }

    // What students already have: a version published before keeps its bytes,
    // and a feed keeps its index key unless the archives name a pack key.
    QFile previousFile(QDir(feedDir).filePath(QStringLiteral("index.json")));
    if (previousFile.open(QIODevice::ReadOnly)) {
        if (const auto previous = FeedIndex::parse(previousFile.read(FeedIndex::MaxBytes + 1))) {
            for (const FeedEntry &e : std::as_const(entries))
                for (const FeedEntry &old : previous->packs)
                    if (old.id == e.id && old.version == e.version && old.sha256 != e.sha256)
                        return fail(
                            Tr::tr("%1 %2 is already published in %3 with other "
                                   "contents (SHA-256 %4…); students who have it would "
                                   "never get %5. Raise `version` in pack.toml and "
                                   "build again.")
                                .arg(e.id, e.version, feedDir, old.sha256.left(12), e.file));
        }
    }
    const QString indexKey =
        signatureKeyId(QDir(feedDir).filePath(QStringLiteral("index.json.minisig")));
    if (!packKey && !indexKey.isEmpty() && !signingKey.first.isEmpty() &&
        indexKey != signingKey.first)
        return fail(Tr::tr("The archives are signed with the key %1, but this feed's index with "
                           "the key %2: students would refuse every pack. Sign the archives with "
                           "the feed's key, or publish with --pack-key naming their key.")
                        .arg(signingKey.first, indexKey));
    if (!QDir().mkpath(feedDir))
        return fail(Tr::tr("Cannot create %1.").arg(feedDir));
    for (const FeedEntry &e : entries)
        for (const QString &suffix : {QString(), QStringLiteral(".minisig")})
            if (!copyReplacing(source.filePath(e.file + suffix),
                               QDir(feedDir).filePath(e.file + suffix)))
                return fail(Tr::tr("Cannot copy %1 to %2.").arg(e.file + suffix, feedDir));
    result.index.issued = QDateTime::fromSecsSinceEpoch(issued.toSecsSinceEpoch(), Qt::UTC);
    result.index.expires = result.index.issued.addDays(validDays);
    result.index.packs = entries;
    result.index.packKey = packKey;
    QSaveFile out(QDir(feedDir).filePath(QStringLiteral("index.json")));
    if (!out.open(QIODevice::WriteOnly) || out.write(result.index.toJson()) < 0 || !out.commit())
        return fail(Tr::tr("Cannot write %1: %2").arg(out.fileName(), out.errorString()));
    // An old signature would no longer match; remove it so a forgotten `feed sign` is obvious.
    QFile::remove(QDir(feedDir).filePath(QStringLiteral("index.json.minisig")));
    result.ok = true;
    return result;
}

} // namespace torchlab
