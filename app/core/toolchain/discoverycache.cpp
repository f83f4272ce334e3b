#include "core/toolchain/discoverycache.h"

#include "core/toolchain/toolchainjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace torchlab::DiscoveryCache {

namespace {
constexpr int kSchema = 1;
}

QJsonObject toJson(const DiscoveryResult &result)
{
    QJsonArray installs;
    for (const LibTorchInstall &install : result.installs)
        installs.append(ToolchainJson::toJson(install));
    QJsonArray compilers;
    for (const CompilerInfo &compiler : result.compilers)
        compilers.append(ToolchainJson::toJson(compiler));
    QJsonArray stamps;
    for (const FileStamp &stamp : result.stamps) {
        // Strings, not doubles: nanosecond mtimes do not fit a double exactly.
        stamps.append(QJsonArray{stamp.path, stamp.exists, QString::number(stamp.mtimeNs),
                                 QString::number(stamp.size)});
    }
    return QJsonObject{
        {QStringLiteral("schema"), kSchema},
        {QStringLiteral("inputsKey"), result.inputsKey},
        {QStringLiteral("installs"), installs},
        {QStringLiteral("compilers"), compilers},
        {QStringLiteral("lldPath"), result.lldPath},
        {QStringLiteral("python3Path"), result.python3Path},
        {QStringLiteral("pythonTorchDir"), result.pythonTorchDir},
        {QStringLiteral("notes"), QJsonArray::fromStringList(result.notes)},
        {QStringLiteral("stamps"), stamps},
    };
}

DiscoveryResult fromJson(const QJsonObject &o)
{
    DiscoveryResult result;
    result.inputsKey = o.value(QStringLiteral("inputsKey")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("installs")).toArray())
        result.installs.append(ToolchainJson::installFromJson(v.toObject()));
    for (const QJsonValue &v : o.value(QStringLiteral("compilers")).toArray())
        result.compilers.append(ToolchainJson::compilerFromJson(v.toObject()));
    result.lldPath = o.value(QStringLiteral("lldPath")).toString();
    result.python3Path = o.value(QStringLiteral("python3Path")).toString();
    result.pythonTorchDir = o.value(QStringLiteral("pythonTorchDir")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("notes")).toArray())
        result.notes.append(v.toString());
    for (const QJsonValue &v : o.value(QStringLiteral("stamps")).toArray()) {
        const QJsonArray a = v.toArray();
        FileStamp stamp;
        stamp.path = a.at(0).toString();
        stamp.exists = a.at(1).toBool();
        stamp.mtimeNs = a.at(2).toString().toLongLong();
        stamp.size = a.at(3).toString().toLongLong();
        result.stamps.append(stamp);
    }
    return result;
}

std::optional<DiscoveryResult> load(const QString &path, const QString &inputsKey)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    if (object.value(QStringLiteral("schema")).toInt() != kSchema ||
        object.value(QStringLiteral("inputsKey")).toString() != inputsKey)
        return std::nullopt;
    DiscoveryResult result = fromJson(object);
    // An empty stamp list cannot prove anything is unchanged.
    if (result.stamps.isEmpty() || !stampsStillValid(result.stamps))
        return std::nullopt;
    result.fromCache = true;
    return result;
}

bool save(const QString &path, const DiscoveryResult &result)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(toJson(result)).toJson(QJsonDocument::Indented));
    return file.commit();
}

} // namespace torchlab::DiscoveryCache
