#include "core/util/durablefile.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace torchlab::durable {

bool writeFully(int fd, const QByteArray &data, int *error)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = errno;
            return false;
        }
        if (n == 0) { // no progress: treat as a full disk rather than spin
            *error = ENOSPC;
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

bool writeNewFile(const QByteArray &path, const QByteArray &data, int *error)
{
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = errno;
        return false;
    }
    bool ok = writeFully(fd, data, error);
    if (ok && ::fsync(fd) != 0) {
        *error = errno;
        ok = false;
    }
    // close() can report a deferred write error (NFS); it counts.
    if (::close(fd) != 0 && ok) {
        *error = errno;
        ok = false;
    }
    if (!ok)
        ::unlink(path.constData());
    return ok;
}

bool syncFolder(const QByteArray &folder, int *error)
{
    const int fd = ::open(folder.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *error = errno;
        return false;
    }
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL;
    if (!ok)
        *error = errno;
    ::close(fd);
    return ok;
}

bool replaceFile(const QString &path, const QByteArray &data, int *error)
{
    const QByteArray nativePath = QFile::encodeName(path);
    const QByteArray nativeTmp = nativePath + ".tmp";
    if (!writeNewFile(nativeTmp, data, error))
        return false;
    if (::rename(nativeTmp.constData(), nativePath.constData()) != 0) {
        *error = errno;
        ::unlink(nativeTmp.constData());
        return false;
    }
    return syncFolder(QFile::encodeName(QFileInfo(path).absolutePath()), error);
}

QString errorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace torchlab::durable
