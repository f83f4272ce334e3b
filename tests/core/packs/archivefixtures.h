#pragma once

// Hostile and valid archives written at test time with libarchive's writer,
// so that every fixture is visible in the test that uses it.
#include <QByteArray>
#include <QList>
#include <QString>

namespace fixtures {

enum class Kind
{
    File,
    Folder,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo
};
enum class Format
{
    TarGz,
    TarXz,
    Tar,
    Zip
};

struct Item
{
    QByteArray name; // raw bytes, exactly as stored
    Kind kind = Kind::File;
    QByteArray data;
    qint64 zeros = 0;    // zero bytes streamed after `data` (bombs), never held in memory
    QByteArray target;   // links
    bool random = false; // `zeros` bytes of incompressible data instead
};

// Writes `items` in order; returns an error text, empty on success.
QString writeArchive(const QString &path, Format format, const QList<Item> &items);

// Every file under `dir` (relative path -> content), for comparisons.
QList<QPair<QString, QByteArray>> readTree(const QString &dir);

// Sets every size field of every entry of a zip (local header, data
// descriptor, central directory) to `size`: a zip that lies about its sizes.
bool patchZipSizes(QByteArray &zip, quint32 size);

// Sets the ustar size field of the tar header at `offset` and fixes its checksum.
bool patchTarSize(QByteArray &tar, qsizetype offset, qint64 size);

// Overwrites the start of the ustar name field of the tar header at `offset`
// with `bytes` (any bytes, which libarchive's writer would refuse) and fixes its checksum.
bool patchTarName(QByteArray &tar, qsizetype offset, const QByteArray &bytes);

// Replaces every occurrence of `from` by `to` (same length) in a zip's
// local and central headers: names with bytes libarchive's writer refuses.
bool patchZipName(QByteArray &zip, const QByteArray &from, const QByteArray &to);

} // namespace fixtures
