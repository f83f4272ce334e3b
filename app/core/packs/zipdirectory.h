#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace torchlab {

struct ZipDirectory
{
    bool ok = false;
    QString error;           // why the directory could not be read (not translated: a detail)
    QList<QByteArray> names; // raw names, in directory order
};

// Reads the names a zip's central directory lists (classic and zip64 end
// records; data before the archive is allowed). extractPackArchive compares
// them with the names in the local headers, which libarchive unpacks and no
// CRC covers: a zip whose two lists differ shows one content to a checker
// that reads the directory and writes another. Refuses more than
// `maxEntries` entries and directories over 64 MiB without reading them.
ZipDirectory readZipDirectory(const QString &path, int maxEntries);

} // namespace torchlab
