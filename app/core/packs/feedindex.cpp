#include "core/packs/feedindex.h"

#include "core/course/semver.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::FeedIndex)
};

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// Strict: "YYYY-MM-DDTHH:MM:SSZ" only, so that the trusted comment and the JSON
// compare as text and no time zone guessing happens.
std::optional<QDateTime> parseTime(const QJsonValue &value)
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    if (!value.isString() || !re.match(value.toString()).hasMatch())
        return std::nullopt;
    QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    return t.toUTC();
}

bool onlyKeys(const QJsonObject &object, const QSet<QString> &allowed, QString *unknown)
{
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!allowed.contains(it.key())) {
            *unknown = it.key();
            return false;
        }
    return true;
}

} // namespace

QString FeedIndex::formatTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

bool FeedIndex::isValidPackId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,99}$"));
    return re.match(id).hasMatch();
}

bool FeedIndex::isValidFileName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$"));
    return re.match(name).hasMatch() && !name.contains(QLatin1String("..")) &&
           !name.endsWith(QLatin1String(".minisig"));
}

std::optional<FeedIndex> FeedIndex::parse(const QByteArray &json, QString *error)
{
    if (json.size() > MaxBytes) {
        setError(error, Tr::tr("The feed index is larger than %1 bytes.").arg(MaxBytes));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        setError(error,
                 Tr::tr("The feed index is not a JSON object (%1).").arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    QString unknown;
    if (!onlyKeys(root,
                  {QStringLiteral("schema"), QStringLiteral("issued"), QStringLiteral("expires"),
                   QStringLiteral("packs"), QStringLiteral("pack_key")},
                  &unknown)) {
        setError(error, Tr::tr("The feed index has an unknown key \"%1\".").arg(unknown.left(64)));
        return std::nullopt;
    }
    if (root.value(QStringLiteral("schema")).toString() != Schema) {
        setError(error, Tr::tr("The feed index is not in the format \"%1\".").arg(Schema));
        return std::nullopt;
    }
    FeedIndex index;
    const auto issued = parseTime(root.value(QStringLiteral("issued")));
    const auto expires = parseTime(root.value(QStringLiteral("expires")));
    if (!issued || !expires) {
        setError(error, Tr::tr("The feed index needs \"issued\" and \"expires\" as UTC times like "
                               "2025-03-01T09:00:00Z."));
        return std::nullopt;
    }
    if (*expires <= *issued) {
        setError(error, Tr::tr("The feed index expires before it was issued."));
        return std::nullopt;
    }
    index.issued = *issued;
    index.expires = *expires;
    if (const QJsonValue packKey = root.value(QStringLiteral("pack_key")); !packKey.isUndefined()) {
        index.packKey = MinisignPublicKey::parse(packKey.toString());
        if (!packKey.isString() || !index.packKey) {
            setError(error, Tr::tr("The feed index's \"pack_key\" is not a minisign public key."));
            return std::nullopt;
        }
    }
    const QJsonValue packsValue = root.value(QStringLiteral("packs"));
    if (!packsValue.isArray()) {
        setError(error, Tr::tr("The feed index needs a \"packs\" list."));
        return std::nullopt;
    }
    const QJsonArray packs = packsValue.toArray();
    if (packs.size() > MaxPacks) {
        setError(error, Tr::tr("The feed index lists more than %1 packs.").arg(MaxPacks));
        return std::nullopt;
    }
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    QSet<QString> ids, files;
    for (qsizetype i = 0; i < packs.size(); ++i) {
        const auto entryError = [&](const QString &what) {
            setError(error, Tr::tr("Pack %1 of the feed index: %2").arg(i + 1).arg(what));
            return std::nullopt;
        };
        if (!packs[i].isObject())
            return entryError(Tr::tr("not an object."));
        const QJsonObject o = packs[i].toObject();
        if (!onlyKeys(o,
                      {QStringLiteral("id"), QStringLiteral("version"), QStringLiteral("file"),
                       QStringLiteral("size"), QStringLiteral("sha256")},
                      &unknown))
            return entryError(Tr::tr("unknown key \"%1\".").arg(unknown.left(64)));
        FeedEntry e;
        e.id = o.value(QStringLiteral("id")).toString();
        e.version = o.value(QStringLiteral("version")).toString();
        e.file = o.value(QStringLiteral("file")).toString();
        e.sha256 = o.value(QStringLiteral("sha256")).toString();
        const QJsonValue size = o.value(QStringLiteral("size"));
        if (!isValidPackId(e.id))
            return entryError(Tr::tr("the id is missing or not a valid pack id."));
        if (!SemVer::parse(e.version))
            return entryError(Tr::tr("the version is missing or not a semantic version."));
        if (!isValidFileName(e.file))
            return entryError(Tr::tr("the file name is missing or not a plain file name."));
        if (!hex64.match(e.sha256).hasMatch())
            return entryError(Tr::tr("sha256 must be 64 lower-case hex digits."));
        // JSON numbers are doubles: accept only exact integers in range.
        const double d = size.toDouble(-1);
        if (!size.isDouble() || d < 1 || d > double(MaxPackBytes) || d != double(qint64(d)))
            return entryError(
                Tr::tr("size must be a whole number of bytes between 1 and %1.").arg(MaxPackBytes));
        e.size = qint64(d);
        if (ids.contains(e.id) || files.contains(e.file))
            return entryError(Tr::tr("the id or file appears twice."));
        ids.insert(e.id);
        files.insert(e.file);
        index.packs.append(e);
    }
    return index;
}

QByteArray FeedIndex::toJson() const
{
    QJsonArray list;
    for (const FeedEntry &e : packs)
        list.append(QJsonObject{{QStringLiteral("id"), e.id},
                                {QStringLiteral("version"), e.version},
                                {QStringLiteral("file"), e.file},
                                {QStringLiteral("size"), double(e.size)},
                                {QStringLiteral("sha256"), e.sha256}});
    QJsonObject root{{QStringLiteral("schema"), Schema},
                     {QStringLiteral("issued"), formatTime(issued)},
                     {QStringLiteral("expires"), formatTime(expires)},
                     {QStringLiteral("packs"), list}};
    if (packKey)
        root.insert(QStringLiteral("pack_key"), packKey->toBase64());
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString FeedIndex::trustedComment() const
{
    return QStringLiteral("feed %1 %2").arg(formatTime(issued), formatTime(expires));
}

const FeedEntry *FeedIndex::find(const QString &id) const
{
    for (const FeedEntry &e : packs)
        if (e.id == id)
            return &e;
    return nullptr;
}

FeedIndexCheck verifyFeedIndex(const QByteArray &json, const QByteArray &signature,
                               const MinisignPublicKey &key, const QDateTime &now,
                               const QDateTime &lastIssued, const QString &lastIndexSha256)
{
    FeedIndexCheck check;
    if (json.size() > FeedIndex::MaxBytes) {
        check.error = Tr::tr("The feed index is larger than %1 bytes.").arg(FeedIndex::MaxBytes);
        return check;
    }
    const MinisignVerification v = verifyMinisign(json, signature, key);
    if (!v.ok) {
        check.error = Tr::tr("The feed index is not signed by the trusted key: %1").arg(v.error);
        return check;
    }
    QString error;
    auto index = FeedIndex::parse(json, &error);
    if (!index) {
        check.error = error;
        return check;
    }
    if (v.trustedComment != index->trustedComment()) {
        check.error =
            Tr::tr(
                "The feed index's signed comment (\"%1\") does not match its times; it must read "
                "\"%2\".")
                .arg(v.trustedComment.left(200), index->trustedComment());
        return check;
    }
    if (index->issued > now.addSecs(FeedIndex::MaxClockSkewSecs)) {
        check.error =
            Tr::tr("The feed index was issued on %1, more than %2 hours after this computer's "
                   "clock (%3): refusing an index from the future. Check the clock here and the "
                   "instructor's.")
                .arg(FeedIndex::formatTime(index->issued))
                .arg(FeedIndex::MaxClockSkewSecs / 3600)
                .arg(FeedIndex::formatTime(now));
        return check;
    }
    if (index->expires > index->issued.addDays(FeedIndex::MaxValidDays)) {
        check.error =
            Tr::tr("The feed index is valid from %1 to %2, longer than the %3 days "
                   "TorchLab accepts; ask the instructor to publish it again with "
                   "--days %3 or less.")
                .arg(FeedIndex::formatTime(index->issued), FeedIndex::formatTime(index->expires))
                .arg(FeedIndex::MaxValidDays);
        return check;
    }
    if (now >= index->expires) {
        check.error =
            Tr::tr("The feed index expired on %1; ask the instructor to publish it again.")
                .arg(FeedIndex::formatTime(index->expires));
        return check;
    }
    if (lastIssued.isValid() && index->issued < lastIssued) {
        check.error =
            Tr::tr("The feed index was issued on %1, before the one already seen (%2): refusing an "
                   "older index (rollback).")
                .arg(FeedIndex::formatTime(index->issued), FeedIndex::formatTime(lastIssued));
        return check;
    }
    const QString sha256 =
        QString::fromLatin1(QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex());
    if (lastIssued.isValid() && index->issued == lastIssued && !lastIndexSha256.isEmpty() &&
        sha256 != lastIndexSha256) {
        check.error =
            Tr::tr("The feed index has the same issue time (%1) as the one already accepted but "
                   "different content: refusing a replayed or re-signed index (a new index needs a "
                   "new issue time).")
                .arg(FeedIndex::formatTime(index->issued));
        return check;
    }
    check.ok = true;
    check.index = *index;
    check.sha256 = sha256;
    return check;
}

} // namespace torchlab
