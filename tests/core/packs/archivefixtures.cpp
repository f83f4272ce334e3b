#include "archivefixtures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>

#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace fixtures {

QString writeArchive(const QString &path, Format format, const QList<Item> &items)
{
    archive *a = archive_write_new();
    switch (format) {
    case Format::TarGz:
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
        break;
    case Format::TarXz:
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_xz(a);
        break;
    case Format::Tar:
        archive_write_set_format_pax_restricted(a);
        break;
    case Format::Zip:
        archive_write_set_format_zip(a);
        break;
    }
    auto failed = [a](const char *what) {
        const QString text = QStringLiteral("%1: %2").arg(
            QLatin1String(what), QString::fromUtf8(archive_error_string(a)));
        archive_write_free(a);
        return text;
    };
    if (archive_write_open_filename(a, QFile::encodeName(path).constData()) != ARCHIVE_OK)
        return failed("open");
    QByteArray chunk(1 << 20, '\0');
    QRandomGenerator random(7);
    for (const Item &item : items) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, item.name.constData());
        archive_entry_set_perm(e, item.kind == Kind::Folder ? 0755 : 0644);
        archive_entry_set_mtime(e, 1'700'000'000, 0);
        qint64 size = 0;
        switch (item.kind) {
        case Kind::File:
            archive_entry_set_filetype(e, AE_IFREG);
            size = item.data.size() + item.zeros;
            break;
        case Kind::Folder:
            archive_entry_set_filetype(e, AE_IFDIR);
            break;
        case Kind::Symlink:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, item.target.constData());
            break;
        case Kind::Hardlink:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, item.target.constData());
            break;
        case Kind::CharDevice:
            archive_entry_set_filetype(e, AE_IFCHR);
            archive_entry_set_rdev(e, makedev(1, 3)); // /dev/null
            break;
        case Kind::BlockDevice:
            archive_entry_set_filetype(e, AE_IFBLK);
            archive_entry_set_rdev(e, makedev(8, 0));
            break;
        case Kind::Fifo:
            archive_entry_set_filetype(e, AE_IFIFO);
            break;
        }
        archive_entry_set_size(e, size);
        const int header = archive_write_header(a, e);
        archive_entry_free(e);
        if (header != ARCHIVE_OK)
            return failed("header");
        if (item.kind != Kind::File)
            continue;
        if (!item.data.isEmpty() &&
            archive_write_data(a, item.data.constData(), size_t(item.data.size())) < 0)
            return failed("data");
        for (qint64 left = item.zeros; left > 0;) {
            const qint64 n = std::min<qint64>(left, chunk.size());
            if (item.random)
                random.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
            if (archive_write_data(a, chunk.constData(), size_t(n)) < 0)
                return failed("data");
            left -= n;
        }
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        return failed("close");
    archive_write_free(a);
    return QString();
}

QList<QPair<QString, QByteArray>> readTree(const QString &dir)
{
    QList<QPair<QString, QByteArray>> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        files.append({QDir(dir).relativeFilePath(path), f.readAll()});
    }
    std::sort(files.begin(), files.end());
    return files;
}

namespace {

void put32(QByteArray &bytes, qsizetype at, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        bytes[at + i] = char((value >> (8 * i)) & 0xff);
}

} // namespace

bool patchZipSizes(QByteArray &zip, quint32 size)
{
    int patched = 0;
    for (qsizetype at = zip.indexOf("PK\x03\x04"); at >= 0;
         at = zip.indexOf("PK\x03\x04", at + 4)) {
        put32(zip, at + 22, size);
        ++patched;
    }
    for (qsizetype at = zip.indexOf("PK\x07\x08"); at >= 0; at = zip.indexOf("PK\x07\x08", at + 4))
        put32(zip, at + 12, size);
    for (qsizetype at = zip.indexOf("PK\x01\x02"); at >= 0; at = zip.indexOf("PK\x01\x02", at + 4))
        put32(zip, at + 24, size);
    return patched > 0;
}

namespace {

void fixTarChecksum(QByteArray &tar, qsizetype offset)
{
    tar.replace(offset + 148, 8, "        ");
    unsigned sum = 0;
    for (qsizetype i = 0; i < 512; ++i)
        sum += static_cast<unsigned char>(tar[offset + i]);
    const QByteArray check =
        QByteArray::number(sum, 8).rightJustified(6, '0') + QByteArray("\0 ", 2);
    tar.replace(offset + 148, 8, check);
}

} // namespace

bool patchTarSize(QByteArray &tar, qsizetype offset, qint64 size)
{
    if (offset + 512 > tar.size())
        return false;
    const QByteArray octal = QByteArray::number(size, 8).rightJustified(11, '0');
    if (octal.size() != 11)
        return false;
    tar.replace(offset + 124, 11, octal);
    fixTarChecksum(tar, offset);
    return true;
}

bool patchTarName(QByteArray &tar, qsizetype offset, const QByteArray &bytes)
{
    if (offset + 512 > tar.size() || bytes.size() > 100)
        return false;
    tar.replace(offset, bytes.size(), bytes);
    fixTarChecksum(tar, offset);
    return true;
}

bool patchZipName(QByteArray &zip, const QByteArray &from, const QByteArray &to)
{
    if (from.size() != to.size())
        return false;
    int patched = 0;
    for (qsizetype at = zip.indexOf(from); at >= 0; at = zip.indexOf(from, at + from.size())) {
        zip.replace(at, to.size(), to);
        ++patched;
    }
    return patched >= 2; // the local header and the central directory
}

} // namespace fixtures
