#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace torchlab {

// Limits for unpacking an untrusted pack archive (docs/reliability.md rows 16-19).
// Sizes are counted while decompressing, never taken from headers.
struct ExtractLimits
{
    int maxEntries = 10'000;
    qint64 maxFileBytes = 64LL << 20;   // any one file
    qint64 maxTotalBytes = 512LL << 20; // all files together
    double maxRatio = 200.0;            // uncompressed bytes / archive bytes (bombs)
    qint64 ratioFloorBytes = 1LL << 20; // the ratio applies past this many bytes (tiny packs)
    int maxPathLength = 255;
    int maxDepth = 16;
};

struct ExtractResult
{
    bool ok = false;
    QString error;         // one plain sentence when !ok (translated), naming the entry
    QStringList files;     // relative paths written, in archive order
    qint64 totalBytes = 0; // bytes written (when !ok: before the refusal; never past a cap)
    int entries = 0;       // entries seen
};

// Unpacks a .tar.gz / .tar.xz / .tar / .zip pack archive with libarchive into
// `staging`, which must be an empty or missing directory (not a symbolic
// link): walks every entry itself and accepts only regular files and
// directories with clean relative paths (no absolute paths, "..", backslashes,
// drive letters, NULs, control characters, duplicates or case-insensitive
// collisions). Any failure removes everything it wrote under `staging` (and
// `staging` itself when it created it) and never writes outside it.
// Also refused: an `archivePath` that is not a regular file; a .tar.gz whose
// gzip CRC or length is wrong (the whole stream is checked before the first
// write); a zip whose entries' names differ from its central directory.
// Files are created 0644 (0755 when executable), folders 0755; "./" prefixes
// and folder entries in any order are fine. Synchronous, no shared state.
// Errors are translated in the context "torchlab::PackArchive".
ExtractResult extractPackArchive(const QString &archivePath, const QString &staging,
                                 const ExtractLimits &limits = ExtractLimits());

struct BuildResult
{
    bool ok = false;
    QString error;
    qint64 bytes = 0;
    QString sha256;    // hex, of the archive file
    QStringList files; // relative paths archived, sorted
};

// Writes `packDirectory` as a deterministic .tar.gz (same input, same bytes):
// entries sorted by path, ustar/pax with fixed mtime (0 or SOURCE_DATE_EPOCH),
// uid/gid 0, owner names empty, modes 0644/0755 (0755 only for executable
// files and directories), gzip without a name or timestamp. Skips hidden
// entries (".git"), editor backups ("*~"), object files ("*.o") and the archive
// it replaces when that lies inside the pack folder. The archive's top level is
// the pack's folder contents (pack.toml at the root).
// Refuses what extractPackArchive would refuse with the default ExtractLimits
// (names, letter-case collisions, the size and entry caps), symbolic links and
// anything else that is not a file or a folder, a pack without files, and a
// file that changes while it is packed. `archivePath` is replaced only on
// success. Errors are translated in the context "torchlab::PackArchive".
// `leaveOut`: files (paths relative to the pack folder) not to archive, such
// as the check sources and solutions of server-graded lessons in a
// student's archive.
BuildResult buildPackArchive(const QString &packDirectory, const QString &archivePath,
                             const QStringList &leaveOut = {});

} // namespace torchlab
