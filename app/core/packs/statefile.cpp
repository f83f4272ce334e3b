#include "core/packs/statefile.h"

#include "core/util/durablefile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace torchlab {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::StateFile)
};

constexpr char kBackupMagic[] = "torchlab-backup sha256 ";

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// The file's bytes, or why they cannot be had. A missing file is not an error
// here (exists = false).
Result<QByteArray> readCapped(const QString &path, bool *exists)
{
    const QFileInfo info(path);
    *exists = info.exists() || info.isSymLink();
    if (!*exists)
        return QByteArray();
    if (!info.isFile())
        return fail(Tr::tr("it is not a plain file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Tr::tr("it cannot be read: %1").arg(file.errorString()));
    const QByteArray bytes = file.read(StateFile::MaxBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(Tr::tr("it cannot be read: %1").arg(file.errorString()));
    if (bytes.size() > StateFile::MaxBytes)
        return fail(Tr::tr("it is larger than %1 MiB").arg(StateFile::MaxBytes >> 20));
    return bytes;
}

} // namespace

StateFile::StateFile(const QString &path, Validator validate)
    : m_path(path), m_validate(std::move(validate))
{
}

QString StateFile::damaged(const QString &why) const
{
    return Tr::tr("%1 is damaged (%2). TorchLab changes nothing while it is damaged, so that no "
                  "trusted key, version floor or installed pack recorded in it is lost: "
                  "installing, updating and subscribing are refused. Restore the last good copy "
                  "with \"torchlab-cli pack trust --restore-backup\". Without a good backup, move "
                  "the file away: TorchLab then starts afresh and forgets what it recorded.")
        .arg(QDir::toNativeSeparators(m_path), why);
}

Result<QJsonObject> StateFile::parse(const QByteArray &bytes) const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(Tr::tr("not JSON: %1").arg(error.errorString()));
    if (!doc.isObject())
        return fail(Tr::tr("not a JSON object"));
    const QJsonObject object = doc.object();
    if (m_validate)
        if (const QString wrong = m_validate(object); !wrong.isEmpty())
            return fail(wrong);
    return object;
}

Result<QJsonObject> StateFile::read() const
{
    bool exists = false;
    const Result<QByteArray> bytes = readCapped(m_path, &exists);
    if (!bytes)
        return fail(damaged(bytes.error()));
    if (!exists)
        return QJsonObject();
    Result<QJsonObject> object = parse(*bytes);
    if (!object)
        return fail(damaged(object.error()));
    return object;
}

Result<QJsonObject> StateFile::readBackup() const
{
    bool exists = false;
    const Result<QByteArray> bytes = readCapped(backupPath(), &exists);
    if (!bytes)
        return fail(bytes.error());
    if (!exists)
        return fail(Tr::tr("there is no backup %1").arg(backupPath()));
    const qsizetype newline = bytes->indexOf('\n');
    const QByteArray header = bytes->left(newline);
    const QByteArray content = newline < 0 ? QByteArray() : bytes->mid(newline + 1);
    if (newline < 0 || !header.startsWith(kBackupMagic) ||
        header.mid(qsizetype(sizeof(kBackupMagic) - 1)) != sha256Hex(content))
        return fail(
            Tr::tr("the backup %1 is damaged too (its checksum does not match)").arg(backupPath()));
    Result<QJsonObject> object = parse(content);
    if (!object)
        return fail(Tr::tr("the backup %1 is damaged too (%2)").arg(backupPath(), object.error()));
    return object;
}

StateFile::State StateFile::state() const
{
    if (!QFileInfo::exists(m_path) && !QFileInfo(m_path).isSymLink())
        return State::Missing;
    return read() ? State::Good : State::Damaged;
}

StateFile::State StateFile::backupState() const
{
    if (!QFileInfo::exists(backupPath()) && !QFileInfo(backupPath()).isSymLink())
        return State::Missing;
    return readBackup() ? State::Good : State::Damaged;
}

Status StateFile::write(const QJsonObject &object) const
{
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return fail(Tr::tr("Cannot create the folder of %1.").arg(m_path));
    int error = 0;
    if (!durable::replaceFile(m_path, bytes, &error))
        return fail(Tr::tr("Cannot write %1: %2").arg(m_path, durable::errorText(error)));
    // The backup follows the file. Best effort: the file itself is saved, and a
    // backup that could not be refreshed keeps the older good copy (or none).
    const QByteArray backup = kBackupMagic + sha256Hex(bytes) + '\n' + bytes;
    durable::replaceFile(backupPath(), backup, &error);
    return {};
}

Status StateFile::restoreBackup() const
{
    const Result<QJsonObject> backup = readBackup();
    if (!backup)
        return fail(Tr::tr("Cannot restore %1: %2. Move the damaged file away by hand; TorchLab "
                           "then starts afresh and forgets what it recorded.")
                        .arg(m_path, backup.error()));
    // Keep the damaged file for inspection, never over an earlier one.
    if (QFileInfo::exists(m_path) || QFileInfo(m_path).isSymLink()) {
        const QString aside = m_path + QStringLiteral(".damaged");
        QFile::remove(aside);
        if (!QFile::rename(m_path, aside))
            return fail(Tr::tr("Cannot move the damaged %1 aside.").arg(m_path));
    }
    return write(*backup);
}

} // namespace torchlab
