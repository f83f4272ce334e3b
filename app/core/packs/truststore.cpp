#include "core/packs/truststore.h"

#include "core/course/semver.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::TrustStore)
};

// What trust.json must look like to be trusted at all: a record that cannot
// be read back exactly (a key that does not parse, a version of the wrong
// type) would lose a pin or a floor, so the whole file counts as damaged.
QString validateTrust(const QJsonObject &root)
{
    const QJsonValue packs = root.value(QStringLiteral("packs"));
    if (!packs.isUndefined() && !packs.isObject())
        return Tr::tr("\"packs\" is not an object");
    const QJsonObject packObject = packs.toObject();
    for (auto it = packObject.constBegin(); it != packObject.constEnd(); ++it) {
        const QJsonValue v = it.value();
        const QJsonValue key = v.isObject() ? v.toObject().value(QStringLiteral("key")) : v;
        const QJsonValue highest = v.toObject().value(QStringLiteral("highest_version"));
        if (!key.isString() || !MinisignPublicKey::parse(key.toString()) ||
            !(highest.isUndefined() || highest.isString()))
            return Tr::tr("the record of pack \"%1\" is not valid").arg(it.key().left(100));
    }
    const QJsonValue feeds = root.value(QStringLiteral("feeds"));
    if (!feeds.isUndefined() && !feeds.isArray())
        return Tr::tr("\"feeds\" is not a list");
    const QJsonArray feedList = feeds.toArray();
    for (qsizetype i = 0; i < feedList.size(); ++i) {
        const QString bad = Tr::tr("feed %1 is not valid").arg(i + 1);
        if (!feedList.at(i).isObject())
            return bad;
        const QJsonObject o = feedList.at(i).toObject();
        if (o.value(QStringLiteral("url")).toString().isEmpty() ||
            !MinisignPublicKey::parse(o.value(QStringLiteral("key")).toString()))
            return bad;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it.key() == QLatin1String("listed")) {
                if (!it.value().isObject())
                    return bad;
                const QJsonObject listed = it.value().toObject();
                for (const QJsonValue &version : listed)
                    if (!version.isString())
                        return bad;
            } else if (!it.value().isString()) {
                return bad;
            }
        }
        const QString packKey = o.value(QStringLiteral("pack_key")).toString();
        if (!packKey.isEmpty() && !MinisignPublicKey::parse(packKey))
            return bad;
    }
    return QString();
}

TrustStore::Feed feedFromJson(const QJsonObject &o)
{
    TrustStore::Feed f;
    f.url = o.value(QStringLiteral("url")).toString();
    if (auto key = MinisignPublicKey::parse(o.value(QStringLiteral("key")).toString()))
        f.key = *key;
    f.lastIssued =
        QDateTime::fromString(o.value(QStringLiteral("last_issued")).toString(), Qt::ISODate);
    f.lastIndexSha256 = o.value(QStringLiteral("last_index_sha256")).toString();
    f.lastChecked =
        QDateTime::fromString(o.value(QStringLiteral("last_checked")).toString(), Qt::ISODate);
    f.lastError = o.value(QStringLiteral("last_error")).toString();
    if (auto packKey = MinisignPublicKey::parse(o.value(QStringLiteral("pack_key")).toString()))
        f.packKey = *packKey;
    f.indexKeyRotatedAt = QDateTime::fromString(
        o.value(QStringLiteral("index_key_rotated_at")).toString(), Qt::ISODate);
    f.packKeyRotatedAt = QDateTime::fromString(
        o.value(QStringLiteral("pack_key_rotated_at")).toString(), Qt::ISODate);
    const QJsonObject listed = o.value(QStringLiteral("listed")).toObject();
    for (auto it = listed.constBegin(); it != listed.constEnd(); ++it)
        f.listed.insert(it.key(), it.value().toString());
    return f;
}

QJsonObject feedToJson(const TrustStore::Feed &f)
{
    QJsonObject listed;
    for (auto it = f.listed.constBegin(); it != f.listed.constEnd(); ++it)
        listed.insert(it.key(), it.value());
    QJsonObject o{{QStringLiteral("listed"), listed},
                  {QStringLiteral("url"), f.url},
                  {QStringLiteral("key"), f.key.toBase64()},
                  {QStringLiteral("last_issued"), f.lastIssued.toUTC().toString(Qt::ISODate)},
                  {QStringLiteral("last_index_sha256"), f.lastIndexSha256},
                  {QStringLiteral("last_checked"), f.lastChecked.toUTC().toString(Qt::ISODate)},
                  {QStringLiteral("last_error"), f.lastError}};
    if (!f.packKey.key.isEmpty())
        o.insert(QStringLiteral("pack_key"), f.packKey.toBase64());
    if (f.indexKeyRotatedAt.isValid())
        o.insert(QStringLiteral("index_key_rotated_at"),
                 f.indexKeyRotatedAt.toUTC().toString(Qt::ISODate));
    if (f.packKeyRotatedAt.isValid())
        o.insert(QStringLiteral("pack_key_rotated_at"),
                 f.packKeyRotatedAt.toUTC().toString(Qt::ISODate));
    return o;
}

// A pack record: {"key": "RW...", "highest_version": "1.2.0"}; labs before
// highest_version existed wrote the key string alone.
std::optional<TrustStore::PackRecord> packFromJson(const QJsonValue &value)
{
    const QString keyText = value.isString()
                                ? value.toString()
                                : value.toObject().value(QStringLiteral("key")).toString();
    const auto key = MinisignPublicKey::parse(keyText);
    if (!key)
        return std::nullopt;
    TrustStore::PackRecord record;
    record.key = *key;
    record.highestVersion = value.toObject().value(QStringLiteral("highest_version")).toString();
    if (!SemVer::parse(record.highestVersion))
        record.highestVersion.clear();
    return record;
}

QJsonObject packToJson(const TrustStore::PackRecord &record)
{
    return QJsonObject{{QStringLiteral("key"), record.key.toBase64()},
                       {QStringLiteral("highest_version"), record.highestVersion}};
}

} // namespace

QString defaultPacksDir()
{
    return LabPaths::dataDir() + QStringLiteral("/packs");
}

TrustStore::TrustStore(const QString &packsDir)
    : m_dir(packsDir.isEmpty() ? defaultPacksDir() : packsDir),
      m_file(m_dir + QStringLiteral("/trust.json"), validateTrust)
{
}

QJsonObject TrustStore::readObject() const
{
    return m_file.read().valueOr(QJsonObject());
}

Status TrustStore::status() const
{
    const Result<QJsonObject> root = m_file.read();
    if (!root)
        return fail(root.error());
    return {};
}

Status TrustStore::restoreBackup()
{
    QDir().mkpath(m_dir);
    QLockFile lock(filePath() + QStringLiteral(".lock"));
    if (!lock.tryLock(30'000))
        return fail(
            Tr::tr("Cannot lock %1: another TorchLab is still writing it.").arg(filePath()));
    return m_file.restoreBackup();
}

QString TrustStore::filePath() const
{
    return m_dir + QStringLiteral("/trust.json");
}

// Read, change, write under a lock file: the worker thread of PackService,
// the GUI thread (unsubscribe) and a torchlab-cli run may all write.
template <typename Change> bool TrustStore::modify(Change change, QString *error)
{
    QDir().mkpath(m_dir);
    QLockFile lock(filePath() + QStringLiteral(".lock"));
    if (!lock.tryLock(30'000)) {
        if (error)
            *error =
                Tr::tr("Cannot lock %1: another TorchLab is still writing it.").arg(filePath());
        return false;
    }
    // A damaged file is never rewritten: reading it as empty and writing that
    // back would drop every key pin and rollback floor (docs/reliability.md row 31).
    Result<QJsonObject> read = m_file.read();
    if (!read) {
        if (error)
            *error = read.error();
        return false;
    }
    QJsonObject root = *read;
    if (!change(root))
        return false;
    const Status written = m_file.write(root);
    if (!written && error)
        *error = written.error();
    return written.ok();
}

std::optional<TrustStore::PackRecord> TrustStore::pack(const QString &packId) const
{
    const QJsonObject packs = readObject().value(QStringLiteral("packs")).toObject();
    if (!packs.contains(packId))
        return std::nullopt;
    return packFromJson(packs.value(packId));
}

std::optional<MinisignPublicKey> TrustStore::keyForPack(const QString &packId) const
{
    if (const auto record = pack(packId))
        return record->key;
    return std::nullopt;
}

bool TrustStore::setKeyForPack(const QString &packId, const MinisignPublicKey &key, QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
            PackRecord record = packFromJson(packs.value(packId)).value_or(PackRecord());
            record.key = key;
            packs.insert(packId, packToJson(record));
            root.insert(QStringLiteral("packs"), packs);
            return true;
        },
        error);
}

bool TrustStore::recordInstall(const QString &packId, const MinisignPublicKey &key,
                               const QString &version, QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
            PackRecord record = packFromJson(packs.value(packId)).value_or(PackRecord());
            record.key = key;
            const auto installed = SemVer::parse(version);
            const auto highest = SemVer::parse(record.highestVersion);
            if (installed && (!highest || SemVer::compare(*installed, *highest) > 0))
                record.highestVersion = version;
            packs.insert(packId, packToJson(record));
            root.insert(QStringLiteral("packs"), packs);
            return true;
        },
        error);
}

bool TrustStore::repinPacks(const MinisignPublicKey &from, const MinisignPublicKey &to,
                            QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
            for (auto it = packs.begin(); it != packs.end(); ++it) {
                PackRecord record = packFromJson(it.value()).value_or(PackRecord());
                if (record.key == from) {
                    record.key = to;
                    it.value() = packToJson(record);
                }
            }
            root.insert(QStringLiteral("packs"), packs);
            return true;
        },
        error);
}

bool TrustStore::forgetPack(const QString &packId, QString *error)
{
    bool absent = false;
    const bool written = modify(
        [&](QJsonObject &root) {
            QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
            absent = !packs.contains(packId);
            packs.remove(packId);
            root.insert(QStringLiteral("packs"), packs);
            return !absent;
        },
        error);
    return written || absent;
}

QList<TrustStore::Feed> TrustStore::feeds() const
{
    QList<Feed> result;
    const QJsonArray list = readObject().value(QStringLiteral("feeds")).toArray();
    for (const QJsonValue &v : list) {
        Feed f = feedFromJson(v.toObject());
        if (!f.url.isEmpty() && f.key.key.size() == 32)
            result.append(f);
    }
    return result;
}

std::optional<TrustStore::Feed> TrustStore::feed(const QString &url) const
{
    for (const Feed &f : feeds())
        if (f.url == url)
            return f;
    return std::nullopt;
}

bool TrustStore::saveFeed(const Feed &feed, QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonArray list;
            bool replaced = false;
            for (const QJsonValue &v : root.value(QStringLiteral("feeds")).toArray()) {
                if (v.toObject().value(QStringLiteral("url")).toString() == feed.url) {
                    list.append(feedToJson(feed));
                    replaced = true;
                } else {
                    list.append(v);
                }
            }
            if (!replaced)
                list.append(feedToJson(feed));
            root.insert(QStringLiteral("feeds"), list);
            return true;
        },
        error);
}

bool TrustStore::updateFeed(const Feed &feed, QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonArray list = root.value(QStringLiteral("feeds")).toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (list.at(i).toObject().value(QStringLiteral("url")).toString() == feed.url) {
                    list.replace(i, feedToJson(feed));
                    root.insert(QStringLiteral("feeds"), list);
                    return true;
                }
            }
            return false;
        },
        error);
}

bool TrustStore::removeFeed(const QString &url, QString *error)
{
    return modify(
        [&](QJsonObject &root) {
            QJsonArray list;
            for (const QJsonValue &v : root.value(QStringLiteral("feeds")).toArray())
                if (v.toObject().value(QStringLiteral("url")).toString() != url)
                    list.append(v);
            root.insert(QStringLiteral("feeds"), list);
            return true;
        },
        error);
}

} // namespace torchlab
