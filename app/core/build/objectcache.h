#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

// Compiled units and linked programs, reused when nothing they were made
// from changed: the lesson's hidden check.cpp compiles once, and a Run after
// a background build of the same text only copies its program.
//
// An object's key is the SHA-256 of the toolchain (compiler, LibTorch), the
// unit's whole argument list (so the precompiled header's key, -D flags and
// warnings count) and the source text. The folders the sources were staged in
// differ from job to job; they are replaced by placeholders in the key, in
// the stored compiler output and (through -ffile-prefix-map) in the object,
// so a unit staged elsewhere with the same text is the same unit. The files
// the unit included from outside the system folders (the learner's own
// headers, lab.h) are recorded with their hashes and checked on every lookup.
// A compile that failed with errors is kept too (its output only), so Run
// shows them at once; limits, crashes and cancels are never kept.
//
// A linked program's key covers its objects' keys and the link arguments.
//
// On disk under $XDG_CACHE_HOME/torchlab/objects, bounded (least recently
// used entries go first). Writes go to a temporary name and are renamed into
// place, so processes sharing the cache never read half an entry.
//
// In flight: a compile claims its key; another job in this process that
// wants the same key waits for released() instead of compiling it again (a
// Run pressed while the background build of the same text is compiling).
//
// Threading: main thread only.
class ObjectCache : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 DefaultMaxBytes = 512LL << 20;

    explicit ObjectCache(const QString &directory, qint64 maxBytes = DefaultMaxBytes,
                         QObject *parent = nullptr);
    // The process's cache in LabPaths::cacheDir()/objects; TORCHLAB_OBJECT_CACHE=0
    // turns it off (enabled() is then false). Re-created when XDG_CACHE_HOME changes.
    static ObjectCache &instance();

    QString directory() const { return m_directory; }
    qint64 maxBytes() const { return m_maxBytes; }
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    bool enabled() const { return m_enabled; }

    // What goes into every key: the compiler and the LibTorch install.
    static QString toolchainIdentity(const ToolchainProfile &profile);
    // Replaces each root (a staging folder) by its placeholder, in order.
    static QString normalize(QString text, const QStringList &roots);
    static QString restore(QString text, const QStringList &roots);
    static QString placeholder(int index);

    // The key of one unit: `arguments` is its argument list as it will run,
    // with the object and dependency-file paths already replaced by fixed
    // placeholders. Empty when the source cannot be read.
    static QString unitKey(const ToolchainProfile &profile, const QStringList &arguments,
                           const QString &sourcePath, const QStringList &roots);
    static QString linkKey(const ToolchainProfile &profile, const QStringList &arguments);

    struct Entry
    {
        QString key;
        bool ok = false;   // false: a compile that failed with errors
        QString file;      // the object or program in the cache (ok only)
        QByteArray output; // what the tool printed, the roots restored
    };
    // The entry, when its recorded dependencies are unchanged; marks it used.
    std::optional<Entry> lookup(const QString &key, const QStringList &roots);
    // Keeps `file` (copied) and `output`. `depFile` is the compiler's -MD
    // output (empty for a program or a failed compile); the dependencies it
    // lists outside `systemFolders` are recorded with their hashes.
    // Trims the cache afterwards. False when it could not be written (a full
    // disk only costs the next compile its speed).
    bool store(const QString &key, bool ok, const QString &file, const QByteArray &output,
               const QString &depFile, const QStringList &roots,
               const QStringList &systemFolders = {});
    // Folders whose headers the toolchain identity already covers: /usr, the
    // LibTorch install, the precompiled headers.
    static QStringList systemFolders(const ToolchainProfile &profile);
    // Hard-links (or copies) a cached file to `to`, replacing it.
    static bool materialize(const QString &cached, const QString &to, bool executable);

    // In flight. claim() is false when another owner holds the key.
    bool claim(const QString &key, const QObject *owner);
    void release(const QString &key, const QObject *owner);
    void releaseAll(const QObject *owner);
    bool inFlight(const QString &key) const { return m_inFlight.contains(key); }

    // Removes least recently used entries until the cache holds at most
    // maxBytes (down to 80 % of it, so trimming is not done on every store).
    void trim();
    qint64 sizeOnDisk() const;

    // The dependencies a -MD file lists (its own escapes undone).
    static QStringList parseDependencyFile(const QByteArray &text);

    struct Stats
    {
        int hits = 0;
        int misses = 0;
        int stores = 0;
        int evicted = 0;
    };
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    void released(const QString &key);

private:
    QString entryBase(const QString &key) const;

    QString m_directory;
    qint64 m_maxBytes;
    bool m_enabled = true;
    QHash<QString, const QObject *> m_inFlight;
    Stats m_stats;
};

} // namespace torchlab
