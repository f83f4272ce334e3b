#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// One file of a run bundle: its path inside the bundle's folder ('/'-separated,
// relative, UTF-8) and its bytes.
struct BundleFile
{
    QString path;
    QByteArray data;
};

// What a bundle read from disk may hold at most; beyond it the archive is refused.
struct BundleLimits
{
    qint64 maxEntryBytes = 512LL << 20;  // one file
    qint64 maxTotalBytes = 1024LL << 20; // all files together
    int maxEntries = 20'000;
    int maxDepth = 16;
};

// An archive's files, without its top folder.
struct BundleContents
{
    QString root; // the one top folder every entry lies in
    QList<BundleFile> files;
    const BundleFile *file(const QString &path) const;
};

// The name of the manifest inside a bundle; it lists every other file.
inline constexpr char kBundleManifest[] = "SHA256SUMS";

// The bytes of a deterministic .tar.gz: every file under `root`/ (folders
// included), entries sorted by their UTF-8 bytes, mode 0644/0755, uid and gid
// 0 without names, mtime `mtime` (seconds since 1970) on every entry, gzip
// without a name or a time. The same arguments give the same bytes.
Result<QByteArray> bundleArchiveBytes(const QString &root, const QList<BundleFile> &files,
                                      qint64 mtime);
// bundleArchiveBytes() written to `path` atomically (QSaveFile).
Status writeBundleArchive(const QString &path, const QString &root, const QList<BundleFile> &files,
                          qint64 mtime);

// Reads a bundle (.tar.gz or any format libarchive reads) into memory. Refuses,
// naming the entry, absolute paths, "..", links, devices, FIFOs, entries outside
// one top folder, files past `limits` and names that repeat. Messages are
// translated ("torchlab::BundleArchive").
Result<BundleContents> readBundleArchive(const QString &path, const BundleLimits &limits = {});

// The manifest of `files` in sha256sum's format ("<hex>  <path>\n"), sorted by
// path; a file named kBundleManifest is left out.
QByteArray bundleManifest(const QList<BundleFile> &files);

// What a bundle's manifest says about its files.
struct ManifestCheck
{
    bool manifestMissing = false;
    QStringList malformedLines; // manifest lines that are not "<64 hex>  <path>"
    QStringList changed;        // listed, present, other bytes
    QStringList missing;        // listed, absent
    QStringList extra;          // present, not listed
    qsizetype verified = 0;     // files whose hash matched
    bool ok() const
    {
        return !manifestMissing && malformedLines.isEmpty() && changed.isEmpty() &&
               missing.isEmpty() && extra.isEmpty();
    }
    // Translated lines, one per finding ("changed: metrics/metrics.csv").
    QStringList describe() const;
};

ManifestCheck checkBundleManifest(const BundleContents &contents);

} // namespace torchlab
