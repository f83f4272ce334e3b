#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace torchlab {

// What stat() said about one path: enough to notice that it appeared,
// disappeared or changed. Directories count too (their mtime changes when an
// entry is added or removed), so a new install under a watched folder shows.
struct FileStamp
{
    QString path;
    bool exists = false;
    qint64 mtimeNs = 0; // st_mtim in nanoseconds since the epoch (follows symlinks)
    qint64 size = 0;

    static FileStamp of(const QString &path);
    bool operator==(const FileStamp &other) const = default;
};

// Every file-system question discovery asks goes through one of these, so the
// set of paths it looked at is known and can key a cache. Not thread-safe.
class FileStampRecorder
{
public:
    bool exists(const QString &path);
    bool isFile(const QString &path);
    bool isDir(const QString &path);
    bool isExecutable(const QString &path);
    // The first `maxBytes` of a regular file; empty when missing.
    QByteArray read(const QString &path, qint64 maxBytes = 1 << 20);
    // Records the path without asking anything else (e.g. a program that ran).
    void watch(const QString &path);

    QList<FileStamp> stamps() const;

private:
    const FileStamp &stamp(const QString &path);

    QHash<QString, FileStamp> m_stamps;
    QList<QString> m_order;
};

// True when every stamp still matches the file system; only stat() calls.
bool stampsStillValid(const QList<FileStamp> &stamps);

} // namespace torchlab
