// libFuzzer target for the pack archive walker (docs/reliability.md rows 16-19):
// any bytes are written as an archive and unpacked with small caps. Beyond
// "no crash, no sanitizer report" it checks what an install relies on: a
// sentinel next to the staging folder never changes; a refusal says why and
// leaves no staging folder; an accepted archive left exactly the files it
// lists, as regular files and folders, inside the staging folder, within the
// caps. Seeds (corpus/pack_archive): valid .tar.gz/.tar.xz/.tar/.zip packs,
// zip-slip, absolute paths, links, devices, colliding names, folders listed
// after their files, a gzip bomb, a truncated .tar.gz, a NUL in a zip name.
#include "core/packs/packarchive.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>

using namespace torchlab;

namespace {

const QByteArray kSentinel = "sentinel\n";

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

struct Place
{
    QTemporaryDir dir;
    QString archive = dir.filePath(QStringLiteral("in.archive"));
    QString staging = dir.filePath(QStringLiteral("stage"));
    QString sentinel = dir.filePath(QStringLiteral("x"));
};

Place &place()
{
    static Place p;
    return p;
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Walks the staging folder without following links: every entry a plain file
// or folder, the files exactly those listed, their bytes adding up.
void checkTree(const QString &dir, const QString &prefix, QStringList *files, qint64 *bytes)
{
    const QStringList names =
        QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    for (const QString &name : names) {
        const QString path = dir + QLatin1Char('/') + name;
        struct stat st = {};
        require(::lstat(QFile::encodeName(path).constData(), &st) == 0, "an entry vanished");
        const QString relative = prefix.isEmpty() ? name : prefix + QLatin1Char('/') + name;
        if (S_ISDIR(st.st_mode)) {
            checkTree(path, relative, files, bytes);
        } else {
            require(S_ISREG(st.st_mode), "something other than a file or a folder was written");
            files->append(relative);
            *bytes += st.st_size;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 20))
        return 0;
    Place &p = place();
    require(p.dir.isValid(), "no temporary folder");
    {
        QFile sentinel(p.sentinel);
        require(sentinel.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                    sentinel.write(kSentinel) == kSentinel.size(),
                "cannot write the sentinel");
        QFile archive(p.archive);
        require(archive.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                    archive.write(reinterpret_cast<const char *>(data), qint64(size)) ==
                        qint64(size),
                "cannot write the input");
    }
    ExtractLimits limits; // small, so that every input ends quickly
    limits.maxEntries = 256;
    limits.maxFileBytes = 1 << 20;
    limits.maxTotalBytes = 4 << 20;
    const ExtractResult r = extractPackArchive(p.archive, p.staging, limits);
    // TORCHLAB_FUZZ_VERBOSE=1 replay_pack_archive: what each seed does.
    static const bool verbose = qEnvironmentVariableIsSet("TORCHLAB_FUZZ_VERBOSE");
    if (verbose)
        std::fprintf(stderr, "  %s\n",
                     r.ok ? qPrintable(QStringLiteral("accepted: %1 files").arg(r.files.size()))
                          : qPrintable(r.error));

    require(read(p.sentinel) == kSentinel, "the sentinel outside the staging folder changed");
    const QStringList around =
        QDir(p.dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    require(r.entries <= limits.maxEntries + 1, "more entries than the cap were read");
    require(r.totalBytes <= limits.maxTotalBytes, "more bytes than the cap were written");
    if (!r.ok) {
        require(!r.error.isEmpty(), "a refusal without a reason");
        require(r.files.isEmpty(), "a refusal that lists files");
        require(around.size() == 2, "a refused archive left something behind");
        return 0;
    }
    require(r.error.isEmpty(), "an accepted archive with an error");
    require(around.size() == 3, "an accepted archive wrote next to the staging folder");
    QStringList files;
    qint64 bytes = 0;
    checkTree(p.staging, QString(), &files, &bytes);
    QStringList listed = r.files;
    listed.sort();
    files.sort();
    require(files == listed, "the files written differ from the files listed");
    require(bytes == r.totalBytes, "the bytes written differ from the count");
    for (const QString &file : r.files)
        require(!file.startsWith(QLatin1Char('/')) &&
                    !file.split(QLatin1Char('/')).contains(QStringLiteral("..")),
                "a listed path leaves the staging folder");
    require(QDir(p.staging).removeRecursively(), "cannot clean up");
    return 0;
}
