#include "core/packs/zipdirectory.h"

#include <QFile>

namespace torchlab {

namespace {

quint64 le(const QByteArray &bytes, qsizetype at, int size)
{
    quint64 value = 0;
    for (int i = size - 1; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

ZipDirectory failed(const char *why)
{
    ZipDirectory d;
    d.error = QString::fromLatin1(why);
    return d;
}

} // namespace

ZipDirectory readZipDirectory(const QString &path, int maxEntries)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed("cannot open the file");
    const qint64 size = file.size();
    constexpr qint64 EndRecord = 22;
    if (size < EndRecord)
        return failed("too short for a zip end record");

    // The end record is the last 22 bytes plus a comment of up to 64 KiB;
    // the one whose comment length reaches exactly the end of the file.
    const qint64 tailStart = std::max<qint64>(0, size - EndRecord - 0xffff);
    file.seek(tailStart);
    const QByteArray tail = file.read(size - tailStart);
    if (tail.size() != size - tailStart)
        return failed("cannot read the end of the file");
    qsizetype end = -1;
    for (qsizetype at = tail.lastIndexOf("PK\x05\x06"); at >= 0;
         at = at > 0 ? tail.lastIndexOf("PK\x05\x06", at - 1) : -1) {
        if (at + EndRecord <= tail.size() &&
            at + EndRecord + qsizetype(le(tail, at + 20, 2)) == tail.size()) {
            end = at;
            break;
        }
    }
    if (end < 0)
        return failed("no zip end record");
    if (le(tail, end + 4, 2) != 0 || le(tail, end + 6, 2) != 0)
        return failed("a multi-volume zip");
    quint64 entries = le(tail, end + 10, 2);
    quint64 directorySize = le(tail, end + 12, 4);
    qint64 recordStart = tailStart + end; // where the directory ends
    constexpr qint64 Locator = 20;
    const bool hasLocator =
        end >= Locator && tail.mid(end - Locator, 4) == QByteArrayLiteral("PK\x06\x07");
    if (hasLocator || entries == 0xffff || directorySize == 0xffffffff ||
        le(tail, end + 16, 4) == 0xffffffff) {
        // zip64: a locator right before the end record points at the zip64
        // end record (some writers add one to every archive).
        constexpr qint64 Zip64Record = 56;
        if (!hasLocator)
            return failed("no zip64 end locator");
        const quint64 at = le(tail, end - Locator + 8, 8);
        if (at > quint64(size - Zip64Record))
            return failed("a zip64 end record outside the file");
        file.seek(qint64(at));
        const QByteArray record = file.read(Zip64Record);
        if (record.size() != Zip64Record || !record.startsWith("PK\x06\x06"))
            return failed("a damaged zip64 end record");
        entries = le(record, 32, 8);
        directorySize = le(record, 40, 8);
        recordStart = qint64(at);
    }
    if (entries > quint64(maxEntries))
        return failed("more entries than allowed");
    if (directorySize > (64u << 20) || qint64(directorySize) > recordStart)
        return failed("a central directory of an impossible size");

    // Measured back from the end record, so data prepended to the archive
    // (offsets that are all shifted) does not matter.
    file.seek(recordStart - qint64(directorySize));
    const QByteArray directory = file.read(qint64(directorySize));
    if (directory.size() != qsizetype(directorySize))
        return failed("cannot read the central directory");
    ZipDirectory d;
    qsizetype at = 0;
    constexpr qsizetype Header = 46;
    for (quint64 i = 0; i < entries; ++i) {
        if (at + Header > directory.size() || !directory.mid(at, 4).startsWith("PK\x01\x02"))
            return failed("a damaged central directory");
        const qsizetype nameLength = qsizetype(le(directory, at + 28, 2));
        const qsizetype extra = qsizetype(le(directory, at + 30, 2));
        const qsizetype comment = qsizetype(le(directory, at + 32, 2));
        if (at + Header + nameLength + extra + comment > directory.size())
            return failed("a damaged central directory");
        d.names.append(directory.mid(at + Header, nameLength));
        at += Header + nameLength + extra + comment;
    }
    if (at != directory.size())
        return failed("a central directory with trailing bytes");
    d.ok = true;
    return d;
}

} // namespace torchlab
