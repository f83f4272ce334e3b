#include "core/packs/keyrotation.h"

#include "core/packs/feedindex.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::KeyRotation)
};

} // namespace

QString KeyRotation::roleName(Role role)
{
    return role == Role::Index ? QStringLiteral("index") : QStringLiteral("packs");
}

std::optional<KeyRotation::Role> KeyRotation::roleFromName(const QString &name)
{
    if (name == QLatin1String("index"))
        return Role::Index;
    if (name == QLatin1String("packs"))
        return Role::Packs;
    return std::nullopt;
}

QString KeyRotation::fileName(Role role)
{
    return QStringLiteral("key-rotation-%1.json").arg(roleName(role));
}

Result<KeyRotation> KeyRotation::parse(const QByteArray &json)
{
    const auto bad = [] {
        return fail(Tr::tr("The key-rotation statement is not in the format \"%1\".")
                        .arg(KeyRotation::Schema));
    };
    if (json.size() > MaxBytes)
        return bad();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad();
    const QJsonObject o = doc.object();
    static const QRegularExpression time(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    const auto role = roleFromName(o.value(QStringLiteral("role")).toString());
    const auto key = MinisignPublicKey::parse(o.value(QStringLiteral("new_key")).toString());
    const QString issuedText = o.value(QStringLiteral("issued")).toString();
    const QDateTime issued = QDateTime::fromString(issuedText, Qt::ISODate);
    if (o.size() != 4 || o.value(QStringLiteral("schema")).toString() != Schema || !role || !key ||
        !time.match(issuedText).hasMatch() || !issued.isValid())
        return bad();
    KeyRotation r;
    r.role = *role;
    r.newKey = *key;
    r.issued = issued.toUTC();
    return r;
}

QByteArray KeyRotation::toJson() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("schema"), Schema},
                                     {QStringLiteral("role"), roleName(role)},
                                     {QStringLiteral("new_key"), newKey.toBase64()},
                                     {QStringLiteral("issued"), FeedIndex::formatTime(issued)}})
        .toJson(QJsonDocument::Indented);
}

QString KeyRotation::trustedComment() const
{
    return QStringLiteral("rotate %1 %2 %3")
        .arg(roleName(role), newKey.keyIdHex(), FeedIndex::formatTime(issued));
}

Result<KeyRotation> verifyKeyRotation(const QByteArray &json, const QByteArray &signature,
                                      KeyRotation::Role role,
                                      const QList<MinisignPublicKey> &signers,
                                      const MinisignPublicKey &current, const QDateTime &now,
                                      const QDateTime &lastRotation)
{
    if (json.size() > KeyRotation::MaxBytes)
        return fail(Tr::tr("The key-rotation statement is larger than %1 bytes.")
                        .arg(KeyRotation::MaxBytes));
    MinisignVerification verified;
    for (const MinisignPublicKey &signer : signers) {
        verified = verifyMinisign(json, signature, signer);
        if (verified.ok)
            break;
    }
    if (!verified.ok)
        return fail(Tr::tr("The key-rotation statement is not signed by the key it replaces: %1")
                        .arg(verified.error));
    Result<KeyRotation> rotation = KeyRotation::parse(json);
    if (!rotation)
        return rotation;
    if (rotation->role != role)
        return fail(Tr::tr("The key-rotation statement is for the %1 key, not the %2 key.")
                        .arg(KeyRotation::roleName(rotation->role), KeyRotation::roleName(role)));
    if (verified.trustedComment != rotation->trustedComment())
        return fail(Tr::tr("The key-rotation statement's signed comment (\"%1\") does not match "
                           "it; it must read \"%2\".")
                        .arg(verified.trustedComment.left(200), rotation->trustedComment()));
    if (rotation->issued > now.addSecs(FeedIndex::MaxClockSkewSecs))
        return fail(Tr::tr("The key-rotation statement was issued on %1, in the future.")
                        .arg(FeedIndex::formatTime(rotation->issued)));
    if (lastRotation.isValid() && rotation->issued <= lastRotation)
        return fail(
            Tr::tr("The key-rotation statement was issued on %1, not after the last "
                   "rotation accepted (%2): refusing a replayed statement.")
                .arg(FeedIndex::formatTime(rotation->issued), FeedIndex::formatTime(lastRotation)));
    if (rotation->newKey == current)
        return fail(Tr::tr("The key-rotation statement names the key already trusted."));
    return rotation;
}

} // namespace torchlab
