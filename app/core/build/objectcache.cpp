#include "core/build/objectcache.h"

#include "core/util/labpaths.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

#include <algorithm>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

namespace {

constexpr int FormatVersion = 1;
constexpr qint64 MaxDependencyBytes = 64LL << 20;

QByteArray fileSha256(const QString &path, bool *ok)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *ok = false;
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    *ok = hash.addData(&f);
    return hash.result().toHex();
}

// Marks an entry used (the LRU order is the files' mtime). utimensat, not an
// open for writing: the program may be running from a hard link (ETXTBSY).
void touch(const QString &path)
{
    ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), nullptr, 0);
}

} // namespace

ObjectCache::ObjectCache(const QString &directory, qint64 maxBytes, QObject *parent)
    : QObject(parent), m_directory(directory), m_maxBytes(maxBytes)
{
}

ObjectCache &ObjectCache::instance()
{
    static std::unique_ptr<ObjectCache> cache;
    const QString directory = LabPaths::cacheDir() + QStringLiteral("/objects");
    if (!cache || cache->directory() != directory) {
        // In-flight claims belong to the old folder's keys; a test that moves
        // XDG_CACHE_HOME starts afresh.
        cache = std::make_unique<ObjectCache>(directory);
    }
    cache->m_enabled = qEnvironmentVariable("TORCHLAB_OBJECT_CACHE") != QLatin1String("0");
    return *cache;
}

QString ObjectCache::toolchainIdentity(const ToolchainProfile &profile)
{
    return profile.key() + QLatin1Char('|') + profile.compiler.id() + QLatin1Char('|') +
           profile.compiler.versionText + QLatin1Char('|') + profile.libtorch.id() +
           QLatin1Char('|') + profile.libtorch.version;
}

QString ObjectCache::placeholder(int index)
{
    return QStringLiteral("@@TORCHLAB_ROOT_%1@@").arg(index);
}

QString ObjectCache::normalize(QString text, const QStringList &roots)
{
    // Longest first: a root inside another must not be cut by the outer one.
    QList<int> order;
    for (int i = 0; i < roots.size(); ++i)
        order << i;
    std::sort(order.begin(), order.end(),
              [&roots](int a, int b) { return roots.at(a).size() > roots.at(b).size(); });
    for (int i : std::as_const(order))
        if (!roots.at(i).isEmpty())
            text.replace(roots.at(i), placeholder(i));
    return text;
}

QString ObjectCache::restore(QString text, const QStringList &roots)
{
    for (int i = 0; i < roots.size(); ++i)
        text.replace(placeholder(i), roots.at(i));
    return text;
}

QString ObjectCache::unitKey(const ToolchainProfile &profile, const QStringList &arguments,
                             const QString &sourcePath, const QStringList &roots)
{
    QFile source(sourcePath);
    const QFileInfo info(sourcePath);
    if (!info.isFile() || info.size() > MaxDependencyBytes || !source.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayLiteral("torchlab-object-") + QByteArray::number(FormatVersion));
    hash.addData(QByteArrayView("\n"));
    hash.addData(toolchainIdentity(profile).toUtf8());
    for (const QString &a : arguments) {
        hash.addData(QByteArrayView("\n"));
        hash.addData(normalize(a, roots).toUtf8());
    }
    hash.addData(QByteArrayView("\n--source--\n"));
    if (!hash.addData(&source))
        return QString();
    return QString::fromLatin1(hash.result().toHex());
}

QString ObjectCache::linkKey(const ToolchainProfile &profile, const QStringList &arguments)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayLiteral("torchlab-link-") + QByteArray::number(FormatVersion));
    hash.addData(QByteArrayView("\n"));
    hash.addData(toolchainIdentity(profile).toUtf8());
    for (const QString &a : arguments) {
        hash.addData(QByteArrayView("\n"));
        hash.addData(a.toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex());
}

QStringList ObjectCache::systemFolders(const ToolchainProfile &profile)
{
    QStringList folders{QStringLiteral("/usr/"), QStringLiteral("/lib/"),
                        LabPaths::cacheDir() + QStringLiteral("/pch/")};
    auto add = [&folders](const QString &dir) {
        if (!dir.isEmpty())
            folders << (dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/'));
    };
    add(profile.libtorch.root);
    for (const QString &dir : profile.libtorch.includeDirs)
        add(dir);
    for (qsizetype i = 0; i + 1 < profile.compileFlags.size(); ++i)
        if (profile.compileFlags.at(i) == QLatin1String("-isystem"))
            add(profile.compileFlags.at(i + 1));
    return folders;
}

QString ObjectCache::entryBase(const QString &key) const
{
    return m_directory + QLatin1Char('/') + key.left(2) + QLatin1Char('/') + key;
}

QStringList ObjectCache::parseDependencyFile(const QByteArray &text)
{
    // make syntax: "target: dep dep \<newline> dep"; a space inside a name is
    // "\ ", a '$' is "$$", a '#' is "\#".
    QStringList deps;
    QByteArray current;
    bool pastTarget = false;
    auto flush = [&] {
        if (!current.isEmpty() && pastTarget)
            deps << QString::fromUtf8(current);
        current.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '\\' && i + 1 < text.size()) {
            const char n = text.at(i + 1);
            if (n == '\n') {
                flush();
                ++i;
                continue;
            }
            if (n == ' ' || n == '#' || n == '\\') {
                current += n;
                ++i;
                continue;
            }
        }
        if (c == '$' && i + 1 < text.size() && text.at(i + 1) == '$') {
            current += '$';
            ++i;
            continue;
        }
        if (!pastTarget && c == ':' &&
            (i + 1 >= text.size() || text.at(i + 1) == ' ' || text.at(i + 1) == '\n' ||
             text.at(i + 1) == '\\')) {
            current.clear();
            pastTarget = true;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            flush();
            continue;
        }
        current += c;
    }
    flush();
    deps.removeDuplicates();
    return deps;
}

std::optional<ObjectCache::Entry> ObjectCache::lookup(const QString &key, const QStringList &roots)
{
    if (!m_enabled || key.isEmpty())
        return std::nullopt;
    const QString base = entryBase(key);
    QFile meta(base + QStringLiteral(".json"));
    if (!meta.open(QIODevice::ReadOnly)) {
        ++m_stats.misses;
        return std::nullopt;
    }
    const QJsonObject o = QJsonDocument::fromJson(meta.readAll()).object();
    meta.close();
    if (o.value(QStringLiteral("v")).toInt() != FormatVersion) {
        ++m_stats.misses;
        return std::nullopt;
    }
    for (const QJsonValue &v : o.value(QStringLiteral("deps")).toArray()) {
        const QJsonObject d = v.toObject();
        const QString path = restore(d.value(QStringLiteral("p")).toString(), roots);
        const QFileInfo info(path);
        if (!info.isFile() || info.size() > MaxDependencyBytes) {
            ++m_stats.misses;
            return std::nullopt;
        }
        bool ok = true;
        if (fileSha256(path, &ok) != d.value(QStringLiteral("h")).toString().toLatin1() || !ok) {
            ++m_stats.misses;
            return std::nullopt;
        }
    }
    Entry e;
    e.key = key;
    e.ok = o.value(QStringLiteral("ok")).toBool();
    e.output = restore(o.value(QStringLiteral("output")).toString(), roots).toUtf8();
    if (e.ok) {
        e.file = base + QStringLiteral(".bin");
        if (!QFileInfo::exists(e.file)) {
            ++m_stats.misses;
            return std::nullopt;
        }
        touch(e.file);
    }
    touch(meta.fileName());
    ++m_stats.hits;
    return e;
}

bool ObjectCache::store(const QString &key, bool ok, const QString &file, const QByteArray &output,
                        const QString &depFile, const QStringList &roots,
                        const QStringList &systemFolders)
{
    if (!m_enabled || key.isEmpty())
        return false;
    const QString base = entryBase(key);
    if (!QDir().mkpath(QFileInfo(base).absolutePath()))
        return false;

    QJsonArray deps;
    if (!depFile.isEmpty()) {
        QFile d(depFile);
        if (!d.open(QIODevice::ReadOnly))
            return false; // unknown dependencies: never reuse it
        for (const QString &dep : parseDependencyFile(d.readAll())) {
            const QString path = QFileInfo(dep).absoluteFilePath();
            if (std::any_of(systemFolders.cbegin(), systemFolders.cend(),
                            [&path](const QString &f) { return path.startsWith(f); }))
                continue;
            // A device, a pipe or a huge file (an #include of /dev/zero) is
            // never hashed: such a unit is simply not kept.
            const QFileInfo info(path);
            if (!info.isFile() || info.size() > MaxDependencyBytes)
                return false;
            bool readable = true;
            const QByteArray hash = fileSha256(path, &readable);
            if (!readable)
                return false;
            deps.append(QJsonObject{{QStringLiteral("p"), normalize(path, roots)},
                                    {QStringLiteral("h"), QString::fromLatin1(hash)}});
        }
    }

    const QString unique = QUuid::createUuid().toString(QUuid::Id128).left(8);
    if (ok) {
        const QString temp = base + QStringLiteral(".bin.") + unique;
        if (!QFile::copy(file, temp))
            return false;
        QFile::setPermissions(temp, QFileInfo(file).permissions());
        if (::rename(QFile::encodeName(temp).constData(),
                     QFile::encodeName(base + QStringLiteral(".bin")).constData()) != 0) {
            QFile::remove(temp);
            return false;
        }
    }
    const QJsonObject o{{QStringLiteral("v"), FormatVersion},
                        {QStringLiteral("ok"), ok},
                        {QStringLiteral("output"), normalize(QString::fromUtf8(output), roots)},
                        {QStringLiteral("deps"), deps}};
    QSaveFile meta(base + QStringLiteral(".json"));
    if (!meta.open(QIODevice::WriteOnly) ||
        meta.write(QJsonDocument(o).toJson(QJsonDocument::Compact)) < 0 || !meta.commit())
        return false;
    ++m_stats.stores;
    trim();
    return true;
}

bool ObjectCache::materialize(const QString &cached, const QString &to, bool executable)
{
    QFile::remove(to);
    // A hard link costs nothing and stays valid when the cache entry is
    // trimmed; across file systems, a copy.
    if (::link(QFile::encodeName(cached).constData(), QFile::encodeName(to).constData()) == 0)
        return true;
    if (!QFile::copy(cached, to))
        return false;
    if (executable)
        QFile::setPermissions(to, QFile::permissions(to) | QFileDevice::ExeOwner |
                                      QFileDevice::ExeUser);
    return true;
}

bool ObjectCache::claim(const QString &key, const QObject *owner)
{
    if (key.isEmpty())
        return false;
    auto it = m_inFlight.constFind(key);
    if (it != m_inFlight.constEnd())
        return it.value() == owner;
    m_inFlight.insert(key, owner);
    return true;
}

void ObjectCache::release(const QString &key, const QObject *owner)
{
    auto it = m_inFlight.find(key);
    if (it == m_inFlight.end() || it.value() != owner)
        return;
    m_inFlight.erase(it);
    Q_EMIT released(key);
}

void ObjectCache::releaseAll(const QObject *owner)
{
    QStringList keys;
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        if (it.value() == owner)
            keys << it.key();
    for (const QString &key : std::as_const(keys))
        release(key, owner);
}

qint64 ObjectCache::sizeOnDisk() const
{
    qint64 total = 0;
    QDirIterator it(m_directory, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

void ObjectCache::trim()
{
    struct Item
    {
        QString base;
        qint64 bytes = 0;
        QDateTime used;
    };
    QHash<QString, Item> items;
    qint64 total = 0;
    QDirIterator it(m_directory, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString name = info.fileName();
        const QString base = info.absolutePath() + QLatin1Char('/') + name.left(name.indexOf('.'));
        Item &item = items[base];
        item.base = base;
        item.bytes += info.size();
        if (name.endsWith(QLatin1String(".json")))
            item.used = info.lastModified();
        total += info.size();
    }
    if (total <= m_maxBytes)
        return;
    QList<Item> list = items.values();
    std::sort(list.begin(), list.end(),
              [](const Item &a, const Item &b) { return a.used < b.used; });
    const qint64 target = m_maxBytes / 10 * 8;
    for (const Item &item : std::as_const(list)) {
        if (total <= target)
            break;
        // The metadata first: a reader that finds no .json never looks for the .bin.
        QFile::remove(item.base + QStringLiteral(".json"));
        QFile::remove(item.base + QStringLiteral(".bin"));
        total -= item.bytes;
        ++m_stats.evicted;
    }
}

} // namespace torchlab
