#include "core/course/lessonlinks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

namespace {

bool isWebScheme(const QString &scheme)
{
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

} // namespace

LessonLinks::LessonLinks(const QString &folder)
{
    setFolder(folder);
}

void LessonLinks::setFolder(const QString &folder)
{
    m_folder = folder;
    m_canonical = folder.isEmpty() ? QString() : QFileInfo(folder).canonicalFilePath();
    if (!m_canonical.isEmpty() && !QFileInfo(m_canonical).isDir())
        m_canonical.clear();
}

bool LessonLinks::isInside(const QString &canonicalPath) const
{
    if (m_canonical.isEmpty() || canonicalPath.isEmpty())
        return false;
    const QString prefix =
        m_canonical.endsWith(QLatin1Char('/')) ? m_canonical : m_canonical + QLatin1Char('/');
    return canonicalPath.size() > prefix.size() && canonicalPath.startsWith(prefix);
}

QString LessonLinks::filePath(const QUrl &url) const
{
    if (m_canonical.isEmpty() || !url.isValid())
        return {};
    const QString scheme = url.scheme().toLower();
    QString path;
    if (scheme == QLatin1String("file")) {
        // file://host/... would name another machine's share.
        if (!url.host().isEmpty())
            return {};
        path = url.toLocalFile();
    } else if (scheme.isEmpty() && url.authority().isEmpty()) {
        const QString relative = url.path();
        if (relative.isEmpty() || QDir::isAbsolutePath(relative))
            return {};
        path = QDir(m_folder).absoluteFilePath(relative);
    } else {
        return {};
    }
    if (path.isEmpty() || path.contains(QChar::Null))
        return {};
    // Links are followed before the check, so a link that leaves the folder
    // is refused like a `..` that does.
    const QString canonical = QFileInfo(path).canonicalFilePath();
    if (!isInside(canonical))
        return {};
    // Regular files only: a FIFO blocks its reader, a device never ends.
    struct stat st;
    if (::stat(QFile::encodeName(canonical).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return {};
    return canonical;
}

LessonLinks::Decision LessonLinks::link(const QUrl &url) const
{
    Decision decision;
    if (!url.isValid())
        return decision;
    const QString scheme = url.scheme().toLower();
    if (scheme.isEmpty() && url.authority().isEmpty() && url.path().isEmpty()) {
        if (url.hasFragment() && !url.fragment().isEmpty()) {
            decision.kind = Kind::Anchor;
            decision.fragment = url.fragment();
        }
        return decision;
    }
    if (isWebScheme(scheme)) {
        if (url.host().isEmpty())
            return decision;
        decision.kind = Kind::Web;
        decision.url = url;
        return decision;
    }
    const QString path = filePath(url);
    if (!path.isEmpty()) {
        decision.kind = Kind::LessonFile;
        decision.path = path;
    }
    return decision;
}

std::optional<QByteArray> LessonLinks::readRegularFile(const QString &path, qint64 maxBytes)
{
    if (path.isEmpty() || maxBytes < 0)
        return std::nullopt;
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return std::nullopt;
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > maxBytes) {
        ::close(fd);
        return std::nullopt;
    }
    // Read to the end (the file may have grown since fstat), never past the cap.
    QByteArray bytes;
    char chunk[16384];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || bytes.size() + n > maxBytes) {
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0)
            break;
        bytes.append(chunk, n);
    }
    ::close(fd);
    return bytes;
}

} // namespace torchlab
