#include "core/packs/packarchive.h"

#include "core/packs/packarchiveinternal.h"
#include "core/packs/zipdirectory.h"

#include <QDir>
#include <QFile>
#include <QHash>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab::packarchive {

namespace {

struct ArchiveReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
using ReadHandle = std::unique_ptr<archive, ArchiveReadDeleter>;

class Fd
{
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd &operator=(Fd &&other) noexcept
    {
        reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    // close() reports write-back errors (NFS, quota) that a plain destructor would lose.
    bool close()
    {
        const int fd = std::exchange(m_fd, -1);
        return fd < 0 || ::close(fd) == 0;
    }

private:
    int m_fd;
};

// Writes `size` bytes or fails; write(2) may write less than asked.
bool writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(strerror(error));
}

class Extractor
{
public:
    Extractor(const QString &archivePath, const QString &staging, const ExtractLimits &limits)
        : m_archivePath(archivePath), m_staging(staging), m_limits(limits)
    {
    }

    ExtractResult run()
    {
        if (!prepareStaging()) {
            m_result.ok = false;
            return m_result;
        }
        const bool ok = checkArchiveFile() && verifyStream() && extract();
        m_root.reset();
        if (!ok) {
            removeWritten();
            m_result.ok = false;
            m_result.files.clear();
            return m_result;
        }
        m_result.ok = true;
        return m_result;
    }

private:
    enum class Kind
    {
        File,
        Folder,
        ImpliedFolder
    };
    struct Known
    {
        QString path;
        Kind kind;
    };

    bool fail(const QString &message)
    {
        if (m_result.error.isEmpty())
            m_result.error = message;
        return false;
    }

    bool failEntry(const QString &entry, const QString &why)
    {
        return fail(
            PackArchive::tr("The pack archive was refused: entry %1 %2.").arg(quoted(entry), why));
    }

    bool prepareStaging()
    {
        const QByteArray path = QFile::encodeName(m_staging);
        struct stat st = {};
        if (::lstat(path.constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return fail(PackArchive::tr("The unpacking folder %1 is not a folder.")
                                .arg(quoted(m_staging)));
            if (!QDir(m_staging).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden |
                                         QDir::System))
                return fail(PackArchive::tr("The unpacking folder %1 is not empty.")
                                .arg(quoted(m_staging)));
        } else {
            if (errno != ENOENT || !QDir().mkpath(m_staging))
                return fail(PackArchive::tr("Cannot create the unpacking folder %1.")
                                .arg(quoted(m_staging)));
            m_createdStaging = true;
        }
        // O_NOFOLLOW: a staging path that is itself a symbolic link would write elsewhere.
        m_root.reset(::open(path.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!m_root.valid()) {
            const int error = errno;
            if (m_createdStaging)
                ::rmdir(path.constData());
            m_createdStaging = false;
            return fail(PackArchive::tr("Cannot open the unpacking folder %1: %2.")
                            .arg(quoted(m_staging), errnoText(error)));
        }
        return true;
    }

    bool checkArchiveFile()
    {
        // Only a regular file: a FIFO or /dev/zero would never end, and the
        // ratio cap needs the size on disk.
        struct stat st = {};
        if (::stat(QFile::encodeName(m_archivePath).constData(), &st) != 0)
            return fail(PackArchive::tr("Cannot read the pack archive %1: %2.")
                            .arg(quoted(m_archivePath), errnoText(errno)));
        if (!S_ISREG(st.st_mode))
            return fail(PackArchive::tr("The pack archive %1 is not a regular file.")
                            .arg(quoted(m_archivePath)));
        if (st.st_size == 0)
            return fail(
                PackArchive::tr("The pack archive %1 is empty.").arg(quoted(m_archivePath)));
        m_archiveBytes = st.st_size;
        return true;
    }

    qint64 ratioCap() const
    {
        const double cap = m_limits.maxRatio * double(m_archiveBytes);
        return std::max(m_limits.ratioFloorBytes,
                        cap >= 9.0e18 ? std::numeric_limits<qint64>::max() : qint64(cap));
    }

    ReadHandle openReader(bool raw)
    {
        ReadHandle a(archive_read_new());
        if (!a)
            return a;
        archive_read_support_filter_gzip(a.get());
        archive_read_support_filter_xz(a.get());
        if (raw) {
            archive_read_support_format_raw(a.get());
        } else {
            archive_read_support_format_tar(a.get());
            // Only the seekable zip reader: it reads the central directory, so
            // a zip cut short is refused instead of half read by the streaming one.
            archive_read_support_format_zip_seekable(a.get());
        }
        if (archive_read_open_filename(a.get(), QFile::encodeName(m_archivePath).constData(),
                                       64 << 10) != ARCHIVE_OK) {
            fail(PackArchive::tr(
                     "The pack archive %1 is damaged or not a .tar.gz, .tar.xz, .tar or .zip file: "
                     "%2.")
                     .arg(quoted(m_archivePath), libarchiveMessage(a.get())));
            a.reset();
        }
        return a;
    }

    // A compressed stream is decompressed once to its end before anything is
    // written: tar's end marker comes before gzip's checksum, so the format
    // reader alone would accept an archive cut short or damaged after its
    // last entry. The same pass refuses bombs before a byte lands on disk.
    bool verifyStream()
    {
        QFile file(m_archivePath);
        if (file.open(QIODevice::ReadOnly) && file.peek(2) == QByteArrayLiteral("\x1f\x8b"))
            return verifyGzip(file);
        ReadHandle a = openReader(true);
        if (!a)
            return false;
        archive_entry *entry = nullptr;
        const int header = archive_read_next_header(a.get(), &entry);
        if (header != ARCHIVE_OK)
            return fail(damaged(a.get()));
        if (archive_filter_count(a.get()) <= 1 ||
            archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_NONE)
            return true; // nothing compressed around the archive (zip, plain tar)
        const qint64 cap = std::min(ratioCap(), streamCap());
        qint64 total = 0;
        const void *block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        for (;;) {
            const int r = archive_read_data_block(a.get(), &block, &size, &offset);
            if (r == ARCHIVE_EOF)
                break;
            if (r != ARCHIVE_OK)
                return fail(damaged(a.get()));
            total += qint64(size);
            if (total > cap)
                return fail(bombMessage(cap == streamCap()));
        }
        return true;
    }

    // libarchive's gzip reader does not check gzip's CRC-32 (only xz's
    // decoder checks its own), so a damaged .tar.gz would unpack with changed
    // bytes; zlib checks it, for every member of a multi-member file.
    bool verifyGzip(QFile &file)
    {
        struct Inflater
        {
            z_stream z{};
            bool ready = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK;
            ~Inflater()
            {
                if (ready)
                    inflateEnd(&z);
            }
        } inflater;
        if (!inflater.ready)
            return fail(PackArchive::tr("Out of memory."));
        z_stream &z = inflater.z;
        const qint64 cap = std::min(ratioCap(), streamCap());
        std::vector<char> in(64 << 10);
        std::vector<unsigned char> out(256 << 10);
        qint64 total = 0;
        bool memberEnded = false;
        for (;;) {
            if (z.avail_in == 0) {
                const qint64 n = file.read(in.data(), qint64(in.size()));
                if (n < 0)
                    return fail(PackArchive::tr("Cannot read the pack archive %1: %2.")
                                    .arg(quoted(m_archivePath), file.errorString()));
                if (n == 0)
                    break;
                z.next_in = reinterpret_cast<Bytef *>(in.data());
                z.avail_in = uInt(n);
            }
            if (memberEnded) {
                // Zeros after a member are block padding (libarchive and tar
                // pad what they write to a pipe); anything else must be
                // another gzip member.
                while (z.avail_in > 0 && *z.next_in == 0) {
                    ++z.next_in;
                    --z.avail_in;
                }
                if (z.avail_in == 0)
                    continue;
                inflateReset(&z);
                memberEnded = false;
            }
            z.next_out = out.data();
            z.avail_out = uInt(out.size());
            const int r = inflate(&z, Z_NO_FLUSH);
            total += qint64(out.size() - z.avail_out);
            if (total > cap)
                return fail(bombMessage(cap == streamCap()));
            if (r == Z_STREAM_END)
                memberEnded = true;
            else if (r != Z_OK && !(r == Z_BUF_ERROR && z.avail_in == 0))
                return fail(
                    PackArchive::tr("The pack archive is damaged or incomplete: %1.")
                        .arg(z.msg ? QString::fromUtf8(z.msg) : PackArchive::tr("bad gzip data")));
        }
        if (!memberEnded)
            return fail(PackArchive::tr("The pack archive is damaged or incomplete: %1.")
                            .arg(PackArchive::tr("the gzip data ends too early")));
        return true;
    }

    // Bytes a tar stream may hold for the allowed content: headers and padding
    // of 1.5 KiB per entry (a pax header, the ustar header, padding) on top.
    qint64 streamCap() const
    {
        return m_limits.maxTotalBytes + qint64(m_limits.maxEntries + 2) * 1536 + (1 << 20);
    }

    QString bombMessage(bool totalCap) const
    {
        if (totalCap)
            return PackArchive::tr("The pack archive was refused: it unpacks to more than %1.")
                .arg(sizeText(m_limits.maxTotalBytes));
        return PackArchive::tr(
                   "The pack archive was refused: it unpacks to more than %1 times its size "
                   "(a compression bomb).")
            .arg(m_limits.maxRatio);
    }

    QString damaged(archive *a) const
    {
        return PackArchive::tr("The pack archive is damaged or incomplete: %1.")
            .arg(libarchiveMessage(a));
    }

    bool extract()
    {
        ReadHandle a = openReader(false);
        if (!a)
            return false;
        for (;;) {
            archive_entry *entry = nullptr;
            const int r = archive_read_next_header(a.get(), &entry);
            if (r == ARCHIVE_EOF)
                break;
            // Strict: a warning (bad checksum skipped, a name that did not
            // convert) is a damaged archive too.
            if (r != ARCHIVE_OK)
                return fail(damaged(a.get()));
            if (++m_result.entries > m_limits.maxEntries)
                return fail(
                    PackArchive::tr("The pack archive was refused: it has more than %1 entries.")
                        .arg(m_limits.maxEntries));
            const bool zip =
                (archive_format(a.get()) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
            if (zip && m_result.entries == 1 && !loadZipDirectory())
                return false;
            if (zip && !matchesZipDirectory(entry))
                return false;
            if (!extractEntry(a.get(), entry))
                return false;
            // Skipped bytes (a folder entry's data) count towards the ratio cap too.
            if (archive_filter_bytes(a.get(), 0) > ratioCap())
                return fail(bombMessage(false));
        }
        if (m_result.entries == 0)
            return fail(
                PackArchive::tr("The pack archive %1 holds no files.").arg(quoted(m_archivePath)));
        if (!m_zipNames.isEmpty())
            return fail(PackArchive::tr(
                            "The pack archive was refused: its zip directory lists %1, which it "
                            "does not hold.")
                            .arg(quoted(QString::fromUtf8(m_zipNames.constBegin().key()))));
        return true;
    }

    static QByteArray zipKey(const QByteArray &name)
    {
        QByteArray key = QString::fromUtf8(name).normalized(QString::NormalizationForm_C).toUtf8();
        if (key.endsWith('/'))
            key.chop(1);
        return key;
    }

    bool loadZipDirectory()
    {
        const ZipDirectory directory = readZipDirectory(m_archivePath, m_limits.maxEntries);
        if (!directory.ok)
            return fail(PackArchive::tr("The pack archive is damaged or incomplete: %1.")
                            .arg(directory.error));
        for (const QByteArray &name : directory.names)
            ++m_zipNames[zipKey(name)];
        return true;
    }

    // Every local header must be listed in the central directory under the
    // same name (a NUL in a name shows up here too: libarchive cuts the name
    // there, the directory keeps the whole of it).
    bool matchesZipDirectory(archive_entry *entry)
    {
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const char *native = archive_entry_pathname(entry);
        const QByteArray key = zipKey(QByteArray(utf8 ? utf8 : native ? native : ""));
        const auto it = m_zipNames.find(key);
        if (it == m_zipNames.end())
            return failEntry(
                QString::fromUtf8(key),
                PackArchive::tr("is not listed under this name in the zip's central directory"));
        if (--it.value() == 0)
            m_zipNames.erase(it);
        return true;
    }

    bool extractEntry(archive *a, archive_entry *entry)
    {
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const char *native = archive_entry_pathname(entry);
        const QByteArray raw(utf8 ? utf8 : native ? native : "");
        const QString shown = QString::fromUtf8(raw);

        const mode_t type = archive_entry_filetype(entry);
        if (archive_entry_hardlink(entry))
            return failEntry(shown,
                             PackArchive::tr("is a hard link; packs hold only files and folders"));
        if (type == AE_IFLNK || archive_entry_symlink(entry))
            return failEntry(
                shown, PackArchive::tr("is a symbolic link; packs hold only files and folders"));
        if (type == AE_IFCHR || type == AE_IFBLK)
            return failEntry(shown,
                             PackArchive::tr("is a device; packs hold only files and folders"));
        if (type == AE_IFIFO)
            return failEntry(shown,
                             PackArchive::tr("is a named pipe; packs hold only files and folders"));
        if (type == AE_IFSOCK)
            return failEntry(shown,
                             PackArchive::tr("is a socket; packs hold only files and folders"));
        if (type != AE_IFREG && type != AE_IFDIR)
            return failEntry(shown, PackArchive::tr("is not a file or a folder"));

        bool directoryName = false;
        QStringList parts;
        const QString why = checkPath(raw, m_limits, &directoryName, &parts);
        if (!why.isEmpty())
            return failEntry(shown, why);
        const bool folder = type == AE_IFDIR;
        if (directoryName && !folder)
            return failEntry(shown, PackArchive::tr("is a file whose name ends in '/'"));
        if (parts.isEmpty()) {
            if (folder)
                return true; // "./": the staging folder itself
            return failEntry(shown, PackArchive::tr("has an empty name"));
        }
        if (!folder && archive_entry_sparse_count(entry) > 0)
            return failEntry(shown, PackArchive::tr("is a sparse file"));
        if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > m_limits.maxFileBytes)
            return failEntry(
                shown, PackArchive::tr("is larger than %1").arg(sizeText(m_limits.maxFileBytes)));

        if (!registerPath(shown, parts, folder))
            return false;
        Fd dir = openParent(shown, parts);
        if (!dir.valid())
            return false;
        const QByteArray leaf = parts.last().toUtf8();
        if (folder)
            return makeFolder(dir.get(), leaf, shown);
        return writeFile(a, entry, dir.get(), leaf, parts.join(QLatin1Char('/')), shown);
    }

    // Duplicates, case-insensitive collisions (the pack must unpack the same
    // on macOS and Windows) and a name used both as file and as folder.
    bool registerPath(const QString &shown, const QStringList &parts, bool folder)
    {
        QString path;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            if (i > 0)
                path += QLatin1Char('/');
            path += parts[i];
            const bool last = i == parts.size() - 1;
            const QString key = path.normalized(QString::NormalizationForm_C).toCaseFolded();
            const auto it = m_known.find(key);
            if (it == m_known.end()) {
                m_known.insert(
                    key, {path, last ? (folder ? Kind::Folder : Kind::File) : Kind::ImpliedFolder});
                continue;
            }
            if (it->path != path)
                return failEntry(
                    shown,
                    PackArchive::tr("differs from %1 only in letter case").arg(quoted(it->path)));
            if (!last) {
                if (it->kind == Kind::File)
                    return failEntry(
                        shown, PackArchive::tr("is inside %1, which is a file").arg(quoted(path)));
                continue;
            }
            if (it->kind != Kind::ImpliedFolder)
                return failEntry(shown, PackArchive::tr("appears twice"));
            if (!folder)
                return failEntry(shown, PackArchive::tr("is a file and a folder"));
            it->kind = Kind::Folder;
        }
        return true;
    }

    // Opens (creating where missing) every folder above the entry, one
    // component at a time relative to the staging folder, never following a
    // symbolic link: the archive order is not trusted to list folders first.
    Fd openParent(const QString &shown, const QStringList &parts)
    {
        Fd dir(::dup(m_root.get()));
        for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
            const QByteArray name = parts[i].toUtf8();
            Fd next(::openat(dir.get(), name.constData(),
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!next.valid() && errno == ENOENT) {
                if (::mkdirat(dir.get(), name.constData(), 0755) != 0 && errno != EEXIST) {
                    failEntry(shown,
                              PackArchive::tr("cannot be written: %1").arg(errnoText(errno)));
                    return Fd();
                }
                next.reset(::openat(dir.get(), name.constData(),
                                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            }
            if (!next.valid()) {
                failEntry(shown, PackArchive::tr("cannot be written: %1").arg(errnoText(errno)));
                return Fd();
            }
            dir = std::move(next);
        }
        return dir;
    }

    bool makeFolder(int dir, const QByteArray &leaf, const QString &shown)
    {
        if (::mkdirat(dir, leaf.constData(), 0755) == 0)
            return true;
        const int error = errno;
        struct stat st = {};
        // Created earlier as the parent of another entry.
        if (error == EEXIST && ::fstatat(dir, leaf.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode))
            return true;
        return failEntry(shown, PackArchive::tr("cannot be written: %1").arg(errnoText(error)));
    }

    bool writeFile(archive *a, archive_entry *entry, int dir, const QByteArray &leaf,
                   const QString &relative, const QString &shown)
    {
        const bool executable = (archive_entry_perm(entry) & 0100) != 0;
        // O_EXCL | O_NOFOLLOW: never write through a link or over a file.
        Fd out(::openat(dir, leaf.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        executable ? 0755 : 0644));
        if (!out.valid())
            return failEntry(shown, PackArchive::tr("cannot be written: %1").arg(errnoText(errno)));
        m_result.files.append(relative);

        qint64 written = 0;
        const void *block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        for (;;) {
            const int r = archive_read_data_block(a, &block, &size, &offset);
            if (r == ARCHIVE_EOF)
                break;
            if (r != ARCHIVE_OK)
                return fail(damaged(a));
            if (offset != written)
                return failEntry(shown, PackArchive::tr("is a sparse file"));
            // Counted before writing: nothing lands past a cap.
            if (written + qint64(size) > m_limits.maxFileBytes)
                return failEntry(
                    shown,
                    PackArchive::tr("is larger than %1").arg(sizeText(m_limits.maxFileBytes)));
            if (m_result.totalBytes + qint64(size) > m_limits.maxTotalBytes)
                return fail(bombMessage(true));
            if (m_result.totalBytes + qint64(size) > ratioCap())
                return fail(bombMessage(false));
            if (!writeAll(out.get(), static_cast<const char *>(block), size))
                return failEntry(shown,
                                 PackArchive::tr("cannot be written: %1").arg(errnoText(errno)));
            written += qint64(size);
            m_result.totalBytes += qint64(size);
        }
        if (archive_entry_size_is_set(entry) && archive_entry_size(entry) != written)
            return failEntry(shown, PackArchive::tr("holds %1 bytes but its header says %2")
                                        .arg(written)
                                        .arg(archive_entry_size(entry)));
        if (!out.close())
            return failEntry(shown, PackArchive::tr("cannot be written: %1").arg(errnoText(errno)));
        return true;
    }

    // Everything under staging was written by this run (it was empty or
    // missing), so all of it goes; remove_all removes links, never follows them.
    void removeWritten()
    {
        std::error_code ec;
        const std::filesystem::path root(QFile::encodeName(m_staging).toStdString());
        if (m_createdStaging) {
            std::filesystem::remove_all(root, ec);
            return;
        }
        for (const auto &child : std::filesystem::directory_iterator(root, ec))
            std::filesystem::remove_all(child.path(), ec);
    }

    const QString m_archivePath;
    const QString m_staging;
    const ExtractLimits m_limits;
    ExtractResult m_result;
    Fd m_root;
    bool m_createdStaging = false;
    qint64 m_archiveBytes = 0;
    QHash<QString, Known> m_known;
    QHash<QByteArray, int> m_zipNames; // central directory names not yet seen, with counts
};

} // namespace

} // namespace torchlab::packarchive

namespace torchlab {

ExtractResult extractPackArchive(const QString &archivePath, const QString &staging,
                                 const ExtractLimits &limits)
{
    return packarchive::Extractor(archivePath, staging, limits).run();
}

} // namespace torchlab
