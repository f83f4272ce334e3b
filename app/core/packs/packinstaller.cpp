#include "core/packs/packinstaller.h"

#include "core/course/packloader.h"
#include "core/course/semver.h"
#include "core/packs/packarchive.h"
#include "core/packs/truststore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackInstaller)
};

PackInstallResult refused(const QString &error)
{
    PackInstallResult r;
    r.error = error;
    return r;
}

// renameat2(RENAME_EXCHANGE) swaps two directories in one step, so there is no
// moment without an installed version. glibc has had a wrapper since 2.28;
// the syscall keeps older ones building.
bool exchangeDirectories(const QString &a, const QString &b)
{
#if defined(SYS_renameat2)
    constexpr unsigned RenameExchange = 1u << 1;
    return ::syscall(SYS_renameat2, AT_FDCWD, QFile::encodeName(a).constData(), AT_FDCWD,
                     QFile::encodeName(b).constData(), RenameExchange) == 0;
#else
    Q_UNUSED(a);
    Q_UNUSED(b);
    errno = ENOSYS;
    return false;
#endif
}

bool renamePath(const QString &from, const QString &to)
{
    return ::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0;
}

// Puts `staging` at `target`. When `target` existed, its old content ends up at
// `staging` (for the caller to delete or to swap back).
bool moveIntoPlace(const QString &staging, const QString &target, QString *error)
{
    if (!QFileInfo::exists(target)) {
        if (renamePath(staging, target))
            return true;
        *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    if (exchangeDirectories(staging, target))
        return true;
    if (errno != ENOSYS && errno != EINVAL) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    // No RENAME_EXCHANGE (old kernel or file system): two renames, undone on failure.
    const QString aside = staging + QStringLiteral(".old");
    if (!renamePath(target, aside)) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    if (!renamePath(staging, target)) {
        *error = QString::fromLocal8Bit(strerror(errno));
        renamePath(aside, target);
        return false;
    }
    return renamePath(aside, staging);
}

// installed.json must read back entry for entry: one that does not would be
// dropped from the registry at the next write (docs/reliability.md row 31).
QString validateRegistry(const QJsonObject &root)
{
    const QJsonValue packs = root.value(QStringLiteral("packs"));
    if (!packs.isUndefined() && !packs.isArray())
        return Tr::tr("\"packs\" is not a list");
    const QJsonArray list = packs.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString bad = Tr::tr("entry %1 is not valid").arg(i + 1);
        if (!list.at(i).isObject())
            return bad;
        const QJsonObject o = list.at(i).toObject();
        if (!FeedIndex::isValidPackId(o.value(QStringLiteral("id")).toString()))
            return bad;
        for (const QJsonValue &v : o)
            if (!v.isString())
                return bad;
    }
    return QString();
}

InstalledPack fromJson(const QJsonObject &o)
{
    InstalledPack p;
    p.id = o.value(QStringLiteral("id")).toString();
    p.version = o.value(QStringLiteral("version")).toString();
    p.source = o.value(QStringLiteral("source")).toString();
    p.keyId = o.value(QStringLiteral("key_id")).toString();
    p.sha256 = o.value(QStringLiteral("sha256")).toString();
    p.installedAt =
        QDateTime::fromString(o.value(QStringLiteral("installed_at")).toString(), Qt::ISODate);
    return p;
}

QJsonObject toJson(const InstalledPack &p)
{
    return QJsonObject{
        {QStringLiteral("id"), p.id},
        {QStringLiteral("version"), p.version},
        {QStringLiteral("source"), p.source},
        {QStringLiteral("key_id"), p.keyId},
        {QStringLiteral("sha256"), p.sha256},
        {QStringLiteral("installed_at"), p.installedAt.toUTC().toString(Qt::ISODate)}};
}

// Copies `from` to a new file in `dir`, at most `cap` bytes, and hashes it.
bool copyCapped(const QString &from, QTemporaryFile &to, qint64 cap, qint64 *size,
                QByteArray *sha256, QString *error)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = Tr::tr("Cannot read %1: %2").arg(from, in.errorString());
        return false;
    }
    if (!to.open()) {
        *error = Tr::tr("Cannot create a temporary file in %1: %2")
                     .arg(to.fileTemplate(), to.errorString());
        return false;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 n = in.read(chunk.data(), chunk.size());
        if (n < 0) {
            *error = Tr::tr("Cannot read %1: %2").arg(from, in.errorString());
            return false;
        }
        if (n == 0)
            break;
        total += n;
        if (total > cap) {
            *error = Tr::tr("%1 is larger than the limit of %2 MiB for a pack.")
                         .arg(from)
                         .arg(cap >> 20);
            return false;
        }
        hash.addData(QByteArrayView(chunk.constData(), n));
        if (to.write(chunk.constData(), n) != n) {
            *error = Tr::tr("Cannot write a temporary copy of %1: %2").arg(from, to.errorString());
            return false;
        }
    }
    if (!to.flush()) {
        *error = Tr::tr("Cannot write a temporary copy of %1: %2").arg(from, to.errorString());
        return false;
    }
    *size = total;
    *sha256 = hash.result().toHex();
    return true;
}

} // namespace

PackInstaller::PackInstaller(const QString &packsDir)
    : m_dir(packsDir.isEmpty() ? defaultPacksDir() : packsDir),
      m_registry(m_dir + QStringLiteral("/installed.json"), validateRegistry)
{
}

Result<QList<InstalledPack>> PackInstaller::loadRegistry() const
{
    const Result<QJsonObject> root = m_registry.read();
    if (!root)
        return torchlab::fail(root.error());
    QList<InstalledPack> result;
    for (const QJsonValue &v : root->value(QStringLiteral("packs")).toArray())
        result.append(fromJson(v.toObject()));
    std::sort(result.begin(), result.end(),
              [](const InstalledPack &a, const InstalledPack &b) { return a.id < b.id; });
    return result;
}

Status PackInstaller::status() const
{
    if (const Result<QList<InstalledPack>> registry = loadRegistry(); !registry)
        return torchlab::fail(registry.error());
    return TrustStore(m_dir).status();
}

Status PackInstaller::restoreRegistryBackup()
{
    QDir().mkpath(m_dir);
    QLockFile lock(m_dir + QStringLiteral("/.lock"));
    if (!lock.tryLock(30'000))
        return torchlab::fail(Tr::tr("Another install is still running (lock %1).")
                                  .arg(m_dir + QStringLiteral("/.lock")));
    return m_registry.restoreBackup();
}

QString PackInstaller::packDirectory(const QString &id) const
{
    return m_dir + QStringLiteral("/installed/") + id;
}

QString PackInstaller::packComment(const QString &id, const QString &version)
{
    return QStringLiteral("pack %1 %2").arg(id, version);
}

std::optional<std::pair<QString, QString>>
PackInstaller::parsePackComment(const QString &trustedComment)
{
    const QStringList parts = trustedComment.split(QLatin1Char(' '));
    if (parts.size() != 3 || parts[0] != QLatin1String("pack") ||
        !FeedIndex::isValidPackId(parts[1]) || !SemVer::parse(parts[2]))
        return std::nullopt;
    return std::make_pair(parts[1], parts[2]);
}

QList<InstalledPack> PackInstaller::installed() const
{
    return loadRegistry().valueOr({});
}

std::optional<InstalledPack> PackInstaller::find(const QString &id) const
{
    for (const InstalledPack &p : installed())
        if (p.id == id)
            return p;
    return std::nullopt;
}

bool PackInstaller::writeRegistry(const QList<InstalledPack> &packs, QString *error) const
{
    QJsonArray list;
    for (const InstalledPack &p : packs)
        list.append(toJson(p));
    const Status written = m_registry.write(QJsonObject{{QStringLiteral("packs"), list}});
    if (!written && error)
        *error = Tr::tr("Cannot write the list of installed packs: %1").arg(written.error());
    return written.ok();
}

PackInstallResult PackInstaller::install(const PackInstallRequest &request)
{
    for (const char *sub : {"tmp", "staging", "installed"})
        if (!QDir().mkpath(m_dir + QLatin1Char('/') + QLatin1String(sub)))
            return refused(Tr::tr("Cannot create the packs folder %1.").arg(m_dir));
    QLockFile lock(m_dir + QStringLiteral("/.lock"));
    if (!lock.tryLock(30'000))
        return refused(Tr::tr("Another install is still running (lock %1).")
                           .arg(m_dir + QStringLiteral("/.lock")));

    // 0. Both state files must be readable: a damaged one is never rewritten,
    //    and a damaged trust.json would let any key and any version through.
    const Result<QList<InstalledPack>> current = loadRegistry();
    if (!current)
        return refused(current.error());
    if (const Status trusted = TrustStore(m_dir).status(); !trusted)
        return refused(trusted.error());

    // 1. A private copy: the file verified is the file extracted.
    const QString signaturePath = request.signature.isEmpty()
                                      ? request.archive + QStringLiteral(".minisig")
                                      : request.signature;
    QString error;
    const auto signature = readSignatureFile(signaturePath, &error);
    if (!signature)
        return refused(error);
    QTemporaryFile copy(m_dir + QStringLiteral("/tmp/archive-XXXXXX"));
    qint64 size = 0;
    QByteArray sha256;
    const qint64 cap =
        request.expected ? std::min(request.expected->size, MaxArchiveBytes) : MaxArchiveBytes;
    if (!copyCapped(request.archive, copy, request.expected ? cap + 1 : cap, &size, &sha256,
                    &error))
        return refused(error);

    // From a feed: the exact bytes the signed index lists (a swapped file is named as such).
    if (request.expected) {
        const FeedEntry &e = *request.expected;
        if (size != e.size)
            return refused(Tr::tr("The archive of %1 has %2 bytes; the signed feed index says %3.")
                               .arg(e.id)
                               .arg(size)
                               .arg(e.size));
        if (QString::fromLatin1(sha256) != e.sha256)
            return refused(
                Tr::tr("The archive of %1 does not have the SHA-256 the signed feed index lists.")
                    .arg(e.id));
    }

    // 2. The signature, before anything of the archive is parsed.
    const MinisignVerification verified =
        verifyMinisignFile(copy.fileName(), *signature, request.key);
    if (!verified.ok)
        return refused(Tr::tr("%1 is not installed: %2")
                           .arg(QFileInfo(request.archive).fileName(), verified.error));
    const auto signedPack = parsePackComment(verified.trustedComment);
    if (!signedPack)
        return refused(
            Tr::tr("The signature's trusted comment must read \"pack <id> <version>\" (it "
                   "reads \"%1\"); "
                   "sign the archive with torchlab-cli pack sign.")
                .arg(verified.trustedComment.left(200)));
    const QString id = signedPack->first;
    const QString version = signedPack->second;

    // 3. The signed index and the signed archive name the same pack.
    if (request.expected) {
        const FeedEntry &e = *request.expected;
        if (e.id != id || e.version != version)
            return refused(Tr::tr("The feed lists %1 %2 but the archive is signed as %3 %4.")
                               .arg(e.id, e.version, id, version));
    }

    // 4. Key continuity and rollback, against the trust record: it outlives a
    //    removal, so remove + install cannot re-key a pack or take it back.
    TrustStore trust(m_dir);
    const auto record = trust.pack(id);
    if (record && !(record->key == request.key))
        return refused(Tr::tr("%1 was installed with key %2; this version is signed with key %3. "
                              "TorchLab keeps a pack's key even after the pack is removed, so "
                              "nobody can take over its id; an author who changes keys publishes "
                              "the pack under a new id.")
                           .arg(id, record->key.keyIdHex(), request.key.keyIdHex()));
    QList<InstalledPack> registry = *current;
    QString previousVersion;
    for (const InstalledPack &p : registry)
        if (p.id == id)
            previousVersion = p.version;
    const auto signedVersion = SemVer::parse(version);
    if (!previousVersion.isEmpty()) {
        const auto before = SemVer::parse(previousVersion);
        const int order = before ? SemVer::compare(*signedVersion, *before) : 1;
        if (order == 0)
            return refused(Tr::tr("%1 %2 is already installed.").arg(id, version));
        if (order < 0)
            return refused(
                Tr::tr(
                    "%1 %2 is older than the installed version %3: refusing to go back (rollback).")
                    .arg(id, version, previousVersion));
    }
    // Not installed now, but installed before: the same version may come back,
    // an older one may not.
    if (const auto highest = record ? SemVer::parse(record->highestVersion) : std::nullopt;
        highest && SemVer::compare(*signedVersion, *highest) < 0)
        return refused(
            Tr::tr("%1 %2 is older than version %3, which was installed before: refusing "
                   "to go back (rollback).")
                .arg(id, version, record->highestVersion));

    // 5. Extract into a fresh staging folder and validate it as a pack.
    QTemporaryDir staging(m_dir + QStringLiteral("/staging/") + id + QStringLiteral("-XXXXXX"));
    if (!staging.isValid())
        return refused(
            Tr::tr("Cannot create a staging folder in %1: %2").arg(m_dir, staging.errorString()));
    const ExtractResult extracted = extractPackArchive(copy.fileName(), staging.path());
    if (!extracted.ok)
        return refused(Tr::tr("%1 is not installed: %2")
                           .arg(QFileInfo(request.archive).fileName(), extracted.error));
    const PackLoadResult loaded = PackLoader::load(staging.path());
    if (!loaded.valid()) {
        QString first;
        for (const Problem &p : loaded.problems)
            if (p.isError()) {
                first = p.toString();
                break;
            }
        return refused(Tr::tr("The archive is not a valid lesson pack: %1").arg(first));
    }
    if (loaded.pack.id != id || loaded.pack.version != version)
        return refused(Tr::tr("The archive's pack.toml says %1 %2 but it is signed as %3 %4.")
                           .arg(loaded.pack.id, loaded.pack.version, id, version));

    // 6. Swap into place; the registry follows; undo the swap if it cannot be written.
    const QString target = packDirectory(id);
    if (!moveIntoPlace(staging.path(), target, &error))
        return refused(Tr::tr("Cannot move %1 into place: %2").arg(id, error));
    const bool hadPrevious = QFileInfo::exists(staging.path());
    registry.erase(std::remove_if(registry.begin(), registry.end(),
                                  [&](const InstalledPack &p) { return p.id == id; }),
                   registry.end());
    InstalledPack entry;
    entry.id = id;
    entry.version = version;
    entry.source = request.source.isEmpty()
                       ? QStringLiteral("file:") + QFileInfo(request.archive).absoluteFilePath()
                       : request.source;
    entry.keyId = request.key.keyIdHex();
    entry.sha256 = QString::fromLatin1(sha256);
    entry.installedAt = QDateTime::currentDateTimeUtc();
    registry.append(entry);
    if (!writeRegistry(registry, &error)) {
        QString undoError;
        if (hadPrevious)
            moveIntoPlace(staging.path(), target, &undoError);
        else
            renamePath(target, staging.path());
        return refused(error);
    }
    if (!trust.recordInstall(id, request.key, version, &error))
        return refused(error);
    // `staging` now holds the previous version (or nothing) and is deleted with it.

    PackInstallResult r;
    r.ok = true;
    r.id = id;
    r.version = version;
    r.previousVersion = previousVersion;
    r.directory = target;
    return r;
}

bool PackInstaller::remove(const QString &id, QString *error)
{
    QLockFile lock(m_dir + QStringLiteral("/.lock"));
    if (!lock.tryLock(30'000)) {
        if (error)
            *error = Tr::tr("Another install is still running.");
        return false;
    }
    // Nothing changes while either state file is damaged (see StateFile).
    const Result<QList<InstalledPack>> current = loadRegistry();
    const Status trusted = current ? TrustStore(m_dir).status() : Status();
    if (!current || !trusted) {
        if (error)
            *error = current ? trusted.error() : current.error();
        return false;
    }
    QList<InstalledPack> registry = *current;
    const auto it = std::find_if(registry.begin(), registry.end(),
                                 [&](const InstalledPack &p) { return p.id == id; });
    if (it == registry.end() || !FeedIndex::isValidPackId(id)) {
        if (error)
            *error = Tr::tr("No pack with the id %1 is installed.").arg(id);
        return false;
    }
    registry.erase(it);
    if (!writeRegistry(registry, error))
        return false;
    // Out of the way first (one rename), then deleted: a crash in between leaves
    // only a folder in staging/, never a half-deleted installed pack.
    QDir().mkpath(m_dir + QStringLiteral("/staging"));
    const QString aside = m_dir + QStringLiteral("/staging/removed-") + id;
    QDir(aside).removeRecursively();
    if (renamePath(packDirectory(id), aside))
        QDir(aside).removeRecursively();
    // The trust record (key, highest version) stays: see TrustStore.
    return true;
}

} // namespace torchlab
