#include "core/packs/packarchive.h"

#include "core/packs/packarchiveinternal.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSet>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace torchlab::packarchive {

namespace {

struct ArchiveWriteDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};
using WriteHandle = std::unique_ptr<archive, ArchiveWriteDeleter>;
using EntryHandle = std::unique_ptr<archive_entry, EntryDeleter>;

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
    Builder(const QString &packDirectory, const QString &archivePath, const QStringList &leaveOut)
        : m_root(QDir(packDirectory).absolutePath()), m_archivePath(archivePath)
    {
        for (const QString &path : leaveOut)
            m_leaveOut.insert(QDir::cleanPath(path));
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
            if (child.isFile() && m_leaveOut.contains(relative))
                continue;
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
    QSet<QString> m_leaveOut;
    qint64 m_total = 0;
    QSaveFile m_file;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    BuildResult m_result;
};

} // namespace

} // namespace torchlab::packarchive

namespace torchlab {

BuildResult buildPackArchive(const QString &packDirectory, const QString &archivePath,
                             const QStringList &leaveOut)
{
    return packarchive::Builder(packDirectory, archivePath, leaveOut).run();
}

} // namespace torchlab
