#pragma once

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace torchlab {

// Where a learner stands on one lesson.
enum class LessonStatus
{
    NotStarted,
    InProgress,
    Passed
};
QString lessonStatusName(LessonStatus status); // "not_started", "in_progress", "passed"
std::optional<LessonStatus> lessonStatusFromName(const QString &name);

// Everything kept about one lesson of one pack for the learner.
struct LessonProgress
{
    QString packId;
    QString lessonId;
    LessonStatus status = LessonStatus::NotStarted;
    QMap<QString, QString> code; // starter file name (as in lesson.toml) -> the learner's text
    QMap<QString, QString>
        starterHash;        // file name -> SHA-256 (hex) of the starter the code began from
    int attempts = 0;       // checks run
    int failedAttempts = 0; // checks that did not pass
    int hintsRevealed = 0;
    QDateTime firstOpened; // UTC; invalid when never
    QDateTime lastEdited;  // UTC
    QDateTime passedAt;    // UTC; invalid until passed (stays set once passed)

    bool hasCode() const { return !code.isEmpty(); }
};

// The learner's work, crash-safe: one small JSON file per (pack, lesson) under
// $XDG_DATA_HOME/torchlab/progress/<pack id>/<lesson id>.json.
//
// Each save writes a temporary file, fsyncs it, keeps the previous good file
// as <name>.bak, renames the new one into place and fsyncs the folder, so a
// kill -9 at any moment leaves the old or the new content, never a mix
// (docs/reliability.md row 24). Every file carries a SHA-256 of its payload; a
// truncated or damaged file is detected on load and the .bak is used instead,
// and recoveredFrom() tells the GUI to say so (row 23). A failing write (disk
// full, RLIMIT_FSIZE, a failing rename) returns false with lastError() and
// leaves the previous file intact (row 25).
//
// Ids are used as file names only after sanitising (anything outside
// [A-Za-z0-9._-] is percent-encoded), so a hostile pack id cannot escape.
//
// Two writers (two labs, the lab and torchlab-cli, two stores in two threads)
// may share a root: each save and each convenience update (load, change,
// save) holds the lesson's lock, flock() on <file>.lock (the kernel drops it
// when its holder dies; a live one is waited for up to setLockTimeout()), and
// temporaries have unique names, so no update is lost and no file is read
// half-written (docs/reliability.md row 39). Loads take no lock: a rename
// replaces a file whole.
//
// Synchronous; each save is one small file (a few KiB), ~1 ms plus fsync.
// One object per thread; several objects may share a root.
class ProgressStore
{
public:
    // `root` defaults to LabPaths::dataDir() + "/progress".
    explicit ProgressStore(const QString &root = QString());

    QString root() const { return m_root; }

    // The record of one lesson; a NotStarted record with empty code when none exists.
    LessonProgress load(const QString &packId, const QString &lessonId);
    // Every lesson of a pack that has a record, by lesson id.
    QHash<QString, LessonProgress> loadPack(const QString &packId);

    bool save(const LessonProgress &progress);

    // Convenience updates: load, change, save (returning save()'s result).
    // `starterHash` (sha256Hex of the starter the learner's code began from) is
    // recorded when the file has none yet, so a later pack update can tell
    // whether the starter changed under the learner's code (course/courseupdate.h).
    bool saveCode(const QString &packId, const QString &lessonId, const QString &fileName,
                  const QString &text, const QString &starterHash = QString());
    bool recordCheck(const QString &packId, const QString &lessonId, bool passed);
    bool recordHint(const QString &packId, const QString &lessonId, int hintsRevealed);
    bool markOpened(const QString &packId, const QString &lessonId);

    // Forget the learner's code (not status or attempts) for "reset to starter".
    bool clearCode(const QString &packId, const QString &lessonId);

    // How long save() and the updates wait for another writer's lock (ms).
    void setLockTimeout(int ms) { m_lockTimeoutMs = ms; }

    QString lastError() const { return m_lastError; }
    // After load(): non-empty when the main file was damaged and the backup was
    // used ("<file>.bak"), or "" when the file was fine or absent. A damaged file
    // with no usable backup loads as empty and says so here too.
    QString recoveredFrom() const { return m_recoveredFrom; }

    QString filePath(const QString &packId, const QString &lessonId) const;

    static QString sha256Hex(const QString &text);

private:
    class LessonLock;
    // Takes the lock of the record at `path` (creating its folder); null,
    // with lastError(), when another writer keeps it past the timeout.
    std::unique_ptr<LessonLock> lockLesson(const QString &path);

    QString m_root;
    QString m_lastError;
    QString m_recoveredFrom;
    int m_lockTimeoutMs = 10000;
    QString m_lockedPath; // the record whose lock an update of this store holds
};

} // namespace torchlab
