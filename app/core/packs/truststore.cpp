#include "packs/truststore.h"

#include "util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::TrustStore)
};

QJsonObject readObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.read(4 << 20)).object();
}

bool writeObject(const QString &path, const QJsonObject &object, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(object).toJson()) < 0 ||
        !file.commit()) {
        if (error)
            *error = Tr::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

TrustStore::Feed feedFromJson(const QJsonObject &o)
{
    TrustStore::Feed f;
    f.url = o.value(QStringLiteral("url")).toString();
    if (auto key = MinisignPublicKey::parse(o.value(QStringLiteral("key")).toString()))
        f.key = *key;
    f.lastIssued =
        QDateTime::fromString(o.value(QStringLiteral("last_issued")).toString(), Qt::ISODate);
    f.lastChecked =
        QDateTime::fromString(o.value(QStringLiteral("last_checked")).toString(), Qt::ISODate);
    f.lastError = o.value(QStringLiteral("last_error")).toString();
    return f;
}

QJsonObject feedToJson(const TrustStore::Feed &f)
{
    return QJsonObject{
        {QStringLiteral("url"), f.url},
        {QStringLiteral("key"), f.key.toBase64()},
        {QStringLiteral("last_issued"), f.lastIssued.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("last_checked"), f.lastChecked.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("last_error"), f.lastError}};
}

} // namespace

QString defaultPacksDir()
{
    return LabPaths::dataDir() + QStringLiteral("/packs");
}

TrustStore::TrustStore(const QString &packsDir)
    : m_dir(packsDir.isEmpty() ? defaultPacksDir() : packsDir)
{
}

QString TrustStore::filePath() const
{
    return m_dir + QStringLiteral("/trust.json");
}

std::optional<MinisignPublicKey> TrustStore::keyForPack(const QString &packId) const
{
    const QJsonObject packs = readObject(filePath()).value(QStringLiteral("packs")).toObject();
    if (!packs.contains(packId))
        return std::nullopt;
    return MinisignPublicKey::parse(packs.value(packId).toString());
}

bool TrustStore::setKeyForPack(const QString &packId, const MinisignPublicKey &key, QString *error)
{
    QJsonObject root = readObject(filePath());
    QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
    packs.insert(packId, key.toBase64());
    root.insert(QStringLiteral("packs"), packs);
    return writeObject(filePath(), root, error);
}

bool TrustStore::forgetPack(const QString &packId, QString *error)
{
    QJsonObject root = readObject(filePath());
    QJsonObject packs = root.value(QStringLiteral("packs")).toObject();
    if (!packs.contains(packId))
        return true;
    packs.remove(packId);
    root.insert(QStringLiteral("packs"), packs);
    return writeObject(filePath(), root, error);
}

QList<TrustStore::Feed> TrustStore::feeds() const
{
    QList<Feed> result;
    const QJsonArray list = readObject(filePath()).value(QStringLiteral("feeds")).toArray();
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
    QJsonObject root = readObject(filePath());
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
    return writeObject(filePath(), root, error);
}

bool TrustStore::removeFeed(const QString &url, QString *error)
{
    QJsonObject root = readObject(filePath());
    QJsonArray list;
    for (const QJsonValue &v : root.value(QStringLiteral("feeds")).toArray())
        if (v.toObject().value(QStringLiteral("url")).toString() != url)
            list.append(v);
    root.insert(QStringLiteral("feeds"), list);
    return writeObject(filePath(), root, error);
}

} // namespace torchlab
