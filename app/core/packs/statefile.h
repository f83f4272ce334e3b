#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace torchlab {

// One of the small JSON files under the packs folder that hold what the lab
// trusts (trust.json: key pins and rollback floors) or has installed
// (installed.json). Losing either silently would weaken every later check, so
// they fail closed (docs/reliability.md row 31):
//  - read() gives an empty object only when the file does not exist; a file
//    that cannot be read, is larger than MaxBytes, is not a JSON object or
//    fails `validate` is reported as damaged, with a translated message naming
//    the file and the way back. Callers then refuse to change anything, and
//    the damaged file is never rewritten;
//  - write() replaces the file durably (durable::replaceFile: fsync of file
//    and folder), then refreshes <file>.bak: a first line
//    "torchlab-backup sha256 <hex>" followed by the exact bytes written, so a
//    damaged backup is recognised and never restored;
//  - restoreBackup() puts a good backup back in place of a damaged or missing
//    file (`torchlab-cli pack trust --restore-backup`).
// Not thread-safe by itself: callers hold their lock file around read-modify-write.
class StateFile
{
public:
    static constexpr qint64 MaxBytes = qint64(4) << 20;
    // Returns what is wrong with a parsed object (one short phrase), or an empty string.
    using Validator = std::function<QString(const QJsonObject &)>;

    StateFile(const QString &path, Validator validate);

    QString path() const { return m_path; }
    QString backupPath() const { return m_path + QStringLiteral(".bak"); }

    Result<QJsonObject> read() const;
    Status write(const QJsonObject &object) const;

    enum class State
    {
        Missing,
        Good,
        Damaged
    };
    // Of the file itself (as read() sees it) and of its backup.
    State state() const;
    State backupState() const;
    // Replaces the file with its backup when the backup is good. Refused when
    // the backup is missing or damaged; the file is then left as it is.
    Status restoreBackup() const;

private:
    Result<QJsonObject> parse(const QByteArray &bytes) const;
    Result<QJsonObject> readBackup() const;
    QString damaged(const QString &why) const;

    QString m_path;
    Validator m_validate;
};

} // namespace torchlab
