#include "core/packs/packarchive.h"

#include "core/packs/zipdirectory.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QSet>
#include <QStringDecoder>

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

namespace torchlab {

namespace {

// A qualified tr() gives lupdate and QCoreApplication::translate the same
// context; a free function's tr() would be filed under "torchlab".
struct PackArchive
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackArchive)
};

struct ArchiveReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
struct ArchiveWriteDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};
using ReadHandle = std::unique_ptr<archive, ArchiveReadDeleter>;
using WriteHandle = std::unique_ptr<archive, ArchiveWriteDeleter>;
using EntryHandle = std::unique_ptr<archive_entry, EntryDeleter>;

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

QString quoted(const QString &path)
{
    // Control characters are shown escaped so that an error message cannot
    // forge lines of its own in a terminal or a log.
    QString shown;
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    if (shown.size() > 120)
        shown = shown.left(117) + QStringLiteral("...");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

// "64 MiB" for the caps as they are set, bytes for odd test limits.
QString sizeText(qint64 bytes)
{
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
        return PackArchive::tr("%1 MiB").arg(bytes >> 20);
    return PackArchive::tr("%1 bytes").arg(bytes);
}

QString libarchiveMessage(archive *a)
{
    // Some of libarchive's messages end in a newline or a full stop; ours add one.
    QString text = QString::fromUtf8(archive_error_string(a)).trimmed();
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text.isEmpty() ? PackArchive::tr("no details from libarchive") : text;
}

// Checks one path and splits it into clean components. `raw` is the name as
// stored in the archive. Returns an empty string when it is fine, else why not.
QString checkPath(const QByteArray &raw, const ExtractLimits &limits, bool *isDirectoryName,
                  QStringList *components)
{
    *isDirectoryName = raw.endsWith('/');
    components->clear();
    if (raw.isEmpty())
        return PackArchive::tr("has an empty name");
    for (const char byte : raw) {
        const auto c = static_cast<unsigned char>(byte);
        if (c < 0x20 || c == 0x7f)
            return PackArchive::tr("contains a control character");
        if (c == '\\')
            return PackArchive::tr(
                "contains a backslash (a Windows path that could leave the pack's folder)");
        if (c == ':')
            return PackArchive::tr("contains ':' (a drive letter or an alternate data stream)");
    }
    if (raw.startsWith('/'))
        return PackArchive::tr("is an absolute path");
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString name = decoder.decode(raw);
    if (decoder.hasError())
        return PackArchive::tr("is not valid UTF-8");
    if (raw.size() > limits.maxPathLength)
        return PackArchive::tr("is longer than %1 bytes").arg(limits.maxPathLength);

    const QStringList parts = name.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (part.isEmpty()) {
            if (i == parts.size() - 1 && *isDirectoryName)
                continue; // the trailing slash of a folder entry
            return PackArchive::tr("has an empty path component (\"//\")");
        }
        if (part == QLatin1String(".."))
            return PackArchive::tr("contains \"..\" (it would leave the pack's folder)");
        if (part == QLatin1String("."))
            continue; // "./pack.toml", as `tar -C dir .` writes it
        if (part.toUtf8().size() > 255)
            return PackArchive::tr("has a name longer than 255 bytes");
        components->append(part);
    }
    if (components->size() > limits.maxDepth)
        return PackArchive::tr("is nested deeper than %1 folders").arg(limits.maxDepth);
    return QString();
}

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

struct BuildItem
{
    QByteArray path; // UTF-8, relative, '/'-separated
    QString absolute;
    bool folder = false;
    bool executable = false;
    qint64 size = 0;
};

// Editor backups, version control and build outputs are not part of a pack.
bool leftOut(const QString &name)
{
    return name.startsWith(QLatin1Char('.')) || name.endsWith(QLatin1Char('~')) ||
           name.endsWith(QLatin1String(".o"));
}

class Builder
{
public:
    Builder(const QString &packDirectory, const QString &archivePath)
        : m_root(QDir(packDirectory).absolutePath()), m_archivePath(archivePath)
    {
    }

    BuildResult run()
    {
        if (!QFileInfo(m_root).isDir()) {
            m_result.error =
                PackArchive::tr("The pack folder %1 does not exist.").arg(quoted(m_root));
            return m_result;
        }
        const QFileInfo output(m_archivePath);
        m_outputCanonical = output.exists() ? output.canonicalFilePath() : QString();
        if (!collect(m_root, QString()) || !write())
            return m_result;
        m_result.ok = true;
        return m_result;
    }

private:
    bool fail(const QString &message)
    {
        if (m_result.error.isEmpty())
            m_result.error = message;
        return false;
    }

    bool refuse(const QString &relative, const QString &why)
    {
        return fail(PackArchive::tr("Cannot pack %1: it %2.").arg(quoted(relative), why));
    }

    bool collect(const QString &folder, const QString &prefix)
    {
        // Without QDir::Hidden hidden entries are not listed at all; System
        // lists FIFOs, sockets and devices so that they are refused, not skipped.
        const QFileInfoList children = QDir(folder).entryInfoList(
            QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
        for (const QFileInfo &child : children) {
            if (leftOut(child.fileName()))
                continue;
            const QString relative =
                prefix.isEmpty() ? child.fileName() : prefix + QLatin1Char('/') + child.fileName();
            if (child.isSymLink())
                return refuse(
                    relative,
                    PackArchive::tr("is a symbolic link; a pack holds only files and folders"));
            if (!child.isDir() && !child.isFile())
                return refuse(relative, PackArchive::tr("is not a file or a folder"));
            if (!m_outputCanonical.isEmpty() && child.isFile() &&
                child.canonicalFilePath() == m_outputCanonical)
                continue; // the archive being replaced, written into the pack folder
            BuildItem item;
            item.path = relative.toUtf8();
            item.absolute = child.absoluteFilePath();
            item.folder = child.isDir();
            // The same rules as unpacking: never build what an install refuses.
            bool directoryName = false;
            QStringList parts;
            const QString why = checkPath(item.path, m_limits, &directoryName, &parts);
            if (!why.isEmpty())
                return refuse(relative, why);
            const QString key = relative.normalized(QString::NormalizationForm_C).toCaseFolded();
            if (m_keys.contains(key))
                return refuse(relative,
                              PackArchive::tr("differs from another name only in letter case"));
            m_keys.insert(key);
            if (!item.folder) {
                item.size = child.size();
                item.executable = child.permissions().testFlag(QFileDevice::ExeOwner);
                if (item.size > m_limits.maxFileBytes)
                    return refuse(
                        relative,
                        PackArchive::tr("is larger than %1").arg(sizeText(m_limits.maxFileBytes)));
                m_total += item.size;
                if (m_total > m_limits.maxTotalBytes)
                    return fail(PackArchive::tr("Cannot pack %1: its files hold more than %2.")
                                    .arg(quoted(m_root), sizeText(m_limits.maxTotalBytes)));
            }
            m_items.push_back(item);
            if (int(m_items.size()) > m_limits.maxEntries)
                return fail(
                    PackArchive::tr("Cannot pack %1: it holds more than %2 files and folders.")
                        .arg(quoted(m_root))
                        .arg(m_limits.maxEntries));
            if (item.folder && !collect(item.absolute, relative))
                return false;
        }
        return true;
    }

    static la_ssize_t writeCallback(archive *, void *data, const void *buffer, size_t size)
    {
        auto *self = static_cast<Builder *>(data);
        const auto *bytes = static_cast<const char *>(buffer);
        if (self->m_file.write(bytes, qint64(size)) != qint64(size))
            return -1;
        self->m_hash.addData(QByteArrayView(bytes, qsizetype(size)));
        self->m_result.bytes += qint64(size);
        return la_ssize_t(size);
    }

    static qint64 mtime()
    {
        // Reproducible-builds convention; 0 (1970) without it.
        bool ok = false;
        const qint64 epoch = qEnvironmentVariable("SOURCE_DATE_EPOCH").toLongLong(&ok);
        return ok && epoch >= 0 && epoch < (1LL << 33) ? epoch : 0;
    }

    bool write()
    {
        // Byte order of UTF-8 paths: the same on every machine and locale.
        std::sort(m_items.begin(), m_items.end(),
                  [](const BuildItem &a, const BuildItem &b) { return a.path < b.path; });
        if (std::none_of(m_items.begin(), m_items.end(),
                         [](const BuildItem &i) { return !i.folder; }))
            return fail(PackArchive::tr("Cannot pack %1: it holds no files.").arg(quoted(m_root)));

        m_file.setFileName(m_archivePath);
        if (!m_file.open(QIODevice::WriteOnly))
            return fail(PackArchive::tr("Cannot write %1: %2.")
                            .arg(quoted(m_archivePath), m_file.errorString()));
        WriteHandle a(archive_write_new());
        // pax "restricted": plain ustar headers unless a name needs a pax
        // record (long or non-ASCII); gzip without the time of the build.
        if (!a || archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
            archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
            archive_write_set_options(a.get(), "gzip:!timestamp,gzip:compression-level=9") !=
                ARCHIVE_OK ||
            archive_write_set_bytes_in_last_block(a.get(), 1) !=
                ARCHIVE_OK // no zero padding after gzip
            || archive_write_open(a.get(), this, nullptr, &Builder::writeCallback, nullptr) !=
                   ARCHIVE_OK)
            return fail(PackArchive::tr("Cannot write %1: %2.")
                            .arg(quoted(m_archivePath), libarchiveMessage(a.get())));

        const qint64 time = mtime();
        for (const BuildItem &item : m_items) {
            EntryHandle entry(archive_entry_new());
            archive_entry_set_pathname_utf8(entry.get(), item.path.constData());
            archive_entry_set_filetype(entry.get(), item.folder ? AE_IFDIR : AE_IFREG);
            archive_entry_set_perm(entry.get(), item.folder || item.executable ? 0755 : 0644);
            archive_entry_set_size(entry.get(), item.folder ? 0 : item.size);
            archive_entry_set_mtime(entry.get(), time, 0);
            archive_entry_set_uid(entry.get(), 0);
            archive_entry_set_gid(entry.get(), 0);
            if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK)
                return fail(PackArchive::tr("Cannot write %1: %2.")
                                .arg(quoted(m_archivePath), libarchiveMessage(a.get())));
            if (!item.folder && !copyData(a.get(), item))
                return false;
            if (!item.folder)
                m_result.files.append(QString::fromUtf8(item.path));
        }
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            return fail(PackArchive::tr("Cannot write %1: %2.")
                            .arg(quoted(m_archivePath), libarchiveMessage(a.get())));
        if (!m_file.commit())
            return fail(PackArchive::tr("Cannot write %1: %2.")
                            .arg(quoted(m_archivePath), m_file.errorString()));
        m_result.sha256 = QString::fromLatin1(m_hash.result().toHex());
        return true;
    }

    bool copyData(archive *a, const BuildItem &item)
    {
        const QString relative = QString::fromUtf8(item.path);
        QFile in(item.absolute);
        if (!in.open(QIODevice::ReadOnly))
            return refuse(relative, PackArchive::tr("cannot be read (%1)").arg(in.errorString()));
        QByteArray buffer(64 << 10, Qt::Uninitialized);
        qint64 copied = 0;
        for (;;) {
            const qint64 n =
                in.read(buffer.data(), std::min<qint64>(buffer.size(), item.size - copied + 1));
            if (n < 0)
                return refuse(relative,
                              PackArchive::tr("cannot be read (%1)").arg(in.errorString()));
            if (n == 0)
                break;
            copied += n;
            if (copied > item.size)
                break;
            if (archive_write_data(a, buffer.constData(), size_t(n)) != n)
                return fail(PackArchive::tr("Cannot write %1: %2.")
                                .arg(quoted(m_archivePath), libarchiveMessage(a)));
        }
        // The header already holds the size; a file edited meanwhile would
        // give an archive that does not match what was listed.
        if (copied != item.size)
            return refuse(relative,
                          PackArchive::tr("changed while it was being packed; build again"));
        return true;
    }

    const QString m_root;
    const QString m_archivePath;
    const ExtractLimits m_limits;
    QString m_outputCanonical;
    std::vector<BuildItem> m_items;
    QSet<QString> m_keys;
    qint64 m_total = 0;
    QSaveFile m_file;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    BuildResult m_result;
};

} // namespace

ExtractResult extractPackArchive(const QString &archivePath, const QString &staging,
                                 const ExtractLimits &limits)
{
    return Extractor(archivePath, staging, limits).run();
}

BuildResult buildPackArchive(const QString &packDirectory, const QString &archivePath)
{
    return Builder(packDirectory, archivePath).run();
}

} // namespace torchlab
