#include "core/bundle/bundlearchive.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHash>
#include <QSaveFile>
#include <QSet>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

namespace torchlab {

namespace {

struct BundleArchive
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::BundleArchive)
};

struct ReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
struct WriteDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};

QString libarchiveText(archive *a)
{
    const char *text = a ? archive_error_string(a) : nullptr;
    return text ? QString::fromUtf8(text).trimmed() : BundleArchive::tr("no details");
}

// A name for messages: control characters escaped, at most 120 characters.
QString shown(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    if (out.size() > 120)
        out = out.left(117) + QStringLiteral("...");
    return QLatin1Char('"') + out + QLatin1Char('"');
}

la_ssize_t appendToBuffer(archive *, void *data, const void *buffer, size_t size)
{
    static_cast<QByteArray *>(data)->append(static_cast<const char *>(buffer), qsizetype(size));
    return la_ssize_t(size);
}

} // namespace

const BundleFile *BundleContents::file(const QString &path) const
{
    for (const BundleFile &f : files)
        if (f.path == path)
            return &f;
    return nullptr;
}

Result<QByteArray> bundleArchiveBytes(const QString &root, const QList<BundleFile> &files,
                                      qint64 mtime)
{
    // Every folder on the way to a file gets its own entry, as tar does.
    QSet<QString> folders{root};
    QList<QPair<QByteArray, const BundleFile *>> entries;
    for (const BundleFile &f : files) {
        const QString full = root + QLatin1Char('/') + f.path;
        entries.append({full.toUtf8(), &f});
        QStringList parts = f.path.split(QLatin1Char('/'));
        parts.removeLast();
        QString folder = root;
        for (const QString &p : std::as_const(parts)) {
            folder += QLatin1Char('/') + p;
            folders.insert(folder);
        }
    }
    for (const QString &folder : std::as_const(folders))
        entries.append({folder.toUtf8() + '/', nullptr});
    std::sort(entries.begin(), entries.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });

    QByteArray out;
    std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
    // pax "restricted": plain ustar headers unless a name needs more; gzip
    // without the time of writing; no zero padding after the gzip stream.
    if (!a || archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
        archive_write_set_options(a.get(), "gzip:!timestamp,gzip:compression-level=9") !=
            ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
        archive_write_open(a.get(), &out, nullptr, &appendToBuffer, nullptr) != ARCHIVE_OK)
        return fail(BundleArchive::tr("Cannot make the archive: %1.").arg(libarchiveText(a.get())));
    for (const auto &[name, file] : std::as_const(entries)) {
        std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
        archive_entry_set_pathname_utf8(e.get(), name.constData());
        archive_entry_set_filetype(e.get(), file ? AE_IFREG : AE_IFDIR);
        archive_entry_set_perm(e.get(), file ? 0644 : 0755);
        archive_entry_set_size(e.get(), file ? file->data.size() : 0);
        archive_entry_set_mtime(e.get(), mtime, 0);
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
            (file && !file->data.isEmpty() &&
             archive_write_data(a.get(), file->data.constData(), size_t(file->data.size())) !=
                 la_ssize_t(file->data.size())))
            return fail(BundleArchive::tr("Cannot add %1 to the archive: %2.")
                            .arg(shown(QString::fromUtf8(name)), libarchiveText(a.get())));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return fail(BundleArchive::tr("Cannot make the archive: %1.").arg(libarchiveText(a.get())));
    return out;
}

Status writeBundleArchive(const QString &path, const QString &root, const QList<BundleFile> &files,
                          qint64 mtime)
{
    Result<QByteArray> bytes = bundleArchiveBytes(root, files, mtime);
    if (!bytes)
        return fail(bytes.error());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit())
        return fail(BundleArchive::tr("Cannot write %1: %2.").arg(shown(path), file.errorString()));
    return {};
}

Result<BundleContents> readBundleArchive(const QString &path, const BundleLimits &limits)
{
    std::unique_ptr<archive, ReadDeleter> a(archive_read_new());
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_none(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    const QByteArray local = path.toLocal8Bit();
    if (archive_read_open_filename(a.get(), local.constData(), 64 * 1024) != ARCHIVE_OK)
        return fail(
            BundleArchive::tr("Cannot read %1: %2.").arg(shown(path), libarchiveText(a.get())));

    const auto refuse = [&](const QString &entry, const QString &why) {
        return fail(BundleArchive::tr("%1 is not a safe bundle: the entry %2 %3.")
                        .arg(shown(path), shown(entry), why));
    };
    BundleContents contents;
    QSet<QString> seen;
    qint64 total = 0;
    int count = 0;
    archive_entry *entry = nullptr;
    while (true) {
        const int r = archive_read_next_header(a.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK)
            return fail(
                BundleArchive::tr("Cannot read %1: %2.").arg(shown(path), libarchiveText(a.get())));
        const char *utf8 = archive_entry_pathname_utf8(entry);
        const char *raw = utf8 ? utf8 : archive_entry_pathname(entry);
        const QString name = QString::fromUtf8(raw ? raw : "");
        if (++count > limits.maxEntries)
            return fail(BundleArchive::tr("%1 holds more than %2 entries.")
                            .arg(shown(path))
                            .arg(limits.maxEntries));
        if (name.isEmpty())
            return refuse(name, BundleArchive::tr("has no name"));
        if (name.startsWith(QLatin1Char('/')))
            return refuse(name, BundleArchive::tr("is an absolute path"));
        if (name.contains(QLatin1Char('\\')) || std::any_of(name.begin(), name.end(), [](QChar c) {
                return c.unicode() < 0x20 || c.unicode() == 0x7f;
            }))
            return refuse(name, BundleArchive::tr("has a backslash or a control character"));
        QStringList parts = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.contains(QStringLiteral("..")))
            return refuse(name, BundleArchive::tr("contains \"..\""));
        parts.removeAll(QStringLiteral("."));
        if (parts.isEmpty())
            return refuse(name, BundleArchive::tr("has no name"));
        if (parts.size() > limits.maxDepth)
            return refuse(name,
                          BundleArchive::tr("lies deeper than %1 folders").arg(limits.maxDepth));
        if (archive_entry_hardlink(entry) || archive_entry_symlink(entry))
            return refuse(name,
                          BundleArchive::tr("is a link; a bundle holds only files and folders"));
        const auto type = archive_entry_filetype(entry);
        if (type != AE_IFREG && type != AE_IFDIR)
            return refuse(
                name,
                BundleArchive::tr(
                    "is a device, a FIFO or a socket; a bundle holds only files and folders"));
        if (contents.root.isEmpty())
            contents.root = parts.first();
        else if (parts.first() != contents.root)
            return refuse(
                name,
                BundleArchive::tr("lies outside the bundle's folder %1").arg(shown(contents.root)));
        if (type == AE_IFDIR)
            continue;
        if (parts.size() < 2)
            return refuse(name, BundleArchive::tr("is a file beside the bundle's folder"));
        const QString relative = parts.mid(1).join(QLatin1Char('/'));
        if (seen.contains(relative))
            return refuse(name, BundleArchive::tr("appears twice"));
        seen.insert(relative);
        const qint64 declared = archive_entry_size(entry);
        if (declared > limits.maxEntryBytes)
            return refuse(
                name, BundleArchive::tr("is larger than %1 MiB").arg(limits.maxEntryBytes >> 20));
        BundleFile file{relative, {}};
        char buffer[64 * 1024];
        while (true) {
            const la_ssize_t n = archive_read_data(a.get(), buffer, sizeof buffer);
            if (n < 0)
                return fail(BundleArchive::tr("Cannot read %1: %2.")
                                .arg(shown(path), libarchiveText(a.get())));
            if (n == 0)
                break;
            if (file.data.size() + n > limits.maxEntryBytes)
                return refuse(
                    name,
                    BundleArchive::tr("is larger than %1 MiB").arg(limits.maxEntryBytes >> 20));
            total += n;
            if (total > limits.maxTotalBytes)
                return fail(BundleArchive::tr("%1 holds more than %2 MiB.")
                                .arg(shown(path))
                                .arg(limits.maxTotalBytes >> 20));
            file.data.append(buffer, qsizetype(n));
        }
        contents.files.append(std::move(file));
    }
    if (contents.root.isEmpty())
        return fail(BundleArchive::tr("%1 is empty.").arg(shown(path)));
    return contents;
}

QByteArray bundleManifest(const QList<BundleFile> &files)
{
    QList<const BundleFile *> sorted;
    for (const BundleFile &f : files)
        if (f.path != QLatin1String(kBundleManifest))
            sorted.append(&f);
    std::sort(sorted.begin(), sorted.end(), [](const BundleFile *a, const BundleFile *b) {
        return a->path.toUtf8() < b->path.toUtf8();
    });
    QByteArray out;
    for (const BundleFile *f : std::as_const(sorted))
        out += QCryptographicHash::hash(f->data, QCryptographicHash::Sha256).toHex() + "  " +
               f->path.toUtf8() + '\n';
    return out;
}

ManifestCheck checkBundleManifest(const BundleContents &contents)
{
    ManifestCheck check;
    const BundleFile *manifest = contents.file(QLatin1String(kBundleManifest));
    if (!manifest) {
        check.manifestMissing = true;
        return check;
    }
    QHash<QString, QByteArray> listed;
    QStringList order;
    for (const QByteArray &line : manifest->data.split('\n')) {
        if (line.isEmpty())
            continue;
        // sha256sum writes "<hex>  <path>" (text mode) or "<hex> *<path>" (binary mode).
        const QByteArray hex = line.left(64);
        const bool hexOk = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
                               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                           });
        if (!hexOk || line.size() < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*')) {
            check.malformedLines << QString::fromUtf8(line.left(120));
            continue;
        }
        const QString name = QString::fromUtf8(line.mid(66));
        listed.insert(name, hex);
        order << name;
    }
    for (const QString &name : std::as_const(order)) {
        const BundleFile *f = contents.file(name);
        if (!f)
            check.missing << name;
        else if (QCryptographicHash::hash(f->data, QCryptographicHash::Sha256).toHex() !=
                 listed.value(name))
            check.changed << name;
        else
            ++check.verified;
    }
    for (const BundleFile &f : contents.files)
        if (f.path != QLatin1String(kBundleManifest) && !listed.contains(f.path))
            check.extra << f.path;
    return check;
}

QStringList ManifestCheck::describe() const
{
    QStringList lines;
    if (manifestMissing)
        lines << BundleArchive::tr("the bundle has no %1").arg(QLatin1String(kBundleManifest));
    for (const QString &l : malformedLines)
        lines << BundleArchive::tr("not a manifest line: %1").arg(shown(l));
    for (const QString &f : changed)
        lines << BundleArchive::tr("changed: %1").arg(f);
    for (const QString &f : missing)
        lines << BundleArchive::tr("missing: %1").arg(f);
    for (const QString &f : extra)
        lines << BundleArchive::tr("not in the manifest: %1").arg(f);
    return lines;
}

} // namespace torchlab
