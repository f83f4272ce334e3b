#include "core/toolchain/filestamps.h"

#include <QFile>

#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

FileStamp FileStamp::of(const QString &path)
{
    FileStamp stamp;
    stamp.path = path;
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) == 0) {
        stamp.exists = true;
        stamp.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        // A directory's size says nothing useful and varies by file system.
        stamp.size = S_ISDIR(st.st_mode) ? -1 : qint64(st.st_size);
    }
    return stamp;
}

const FileStamp &FileStampRecorder::stamp(const QString &path)
{
    auto it = m_stamps.find(path);
    if (it == m_stamps.end()) {
        it = m_stamps.insert(path, FileStamp::of(path));
        m_order.append(path);
    }
    return *it;
}

bool FileStampRecorder::exists(const QString &path)
{
    return stamp(path).exists;
}

bool FileStampRecorder::isFile(const QString &path)
{
    const FileStamp &s = stamp(path);
    return s.exists && s.size >= 0;
}

bool FileStampRecorder::isDir(const QString &path)
{
    const FileStamp &s = stamp(path);
    return s.exists && s.size < 0;
}

bool FileStampRecorder::isExecutable(const QString &path)
{
    if (!isFile(path))
        return false;
    return ::access(QFile::encodeName(path).constData(), X_OK) == 0;
}

QByteArray FileStampRecorder::read(const QString &path, qint64 maxBytes)
{
    if (!isFile(path))
        return QByteArray();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.read(maxBytes);
}

void FileStampRecorder::watch(const QString &path)
{
    stamp(path);
}

QList<FileStamp> FileStampRecorder::stamps() const
{
    QList<FileStamp> result;
    result.reserve(m_order.size());
    for (const QString &path : m_order)
        result.append(m_stamps.value(path));
    return result;
}

bool stampsStillValid(const QList<FileStamp> &stamps)
{
    for (const FileStamp &recorded : stamps) {
        if (FileStamp::of(recorded.path) != recorded)
            return false;
    }
    return true;
}

} // namespace torchlab
