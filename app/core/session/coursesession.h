#pragma once

#include "core/course/courseupdate.h"
#include "core/course/pack.h"
#include "core/course/progressstore.h"
#include "core/course/progresswriter.h"
#include "core/util/result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace torchlab {

// One file of the lesson as the editor opens it.
struct LessonFile
{
    QString name; // as in lesson.toml ("exercise.cpp")
    QString text; // the learner's saved code, else the starter
};

// The learner's side of a course: the open pack, the lesson in it, the
// learner's record of that lesson (ProgressStore), autosave of what the
// learner types, hints, whether the solution may be shown, and starters a
// pack update changed under the learner's code. QtCore only; the lab window
// shows what it says and hands it the editors' texts.
//
// Saving: edited() marks a file dirty and (re)starts the autosave timer;
// when it fires, saveDue() asks the owner for the texts, which it passes to
// save(). A lesson switch or a close saves first (the owner calls save()).
// save() hands the texts to a ProgressWriter and returns at once: the durable
// write runs on the writer's thread, in order; saved() or saveFailed() comes
// when it ended. Whatever reads the store here (store(), opening a lesson,
// statuses) first waits for the writes queued before, and the session's end
// waits for all of them, so nothing typed is lost on quit.
class CourseSession : public QObject
{
    Q_OBJECT
public:
    explicit CourseSession(const QString &language, int autosaveDelayMs = 400,
                           QObject *parent = nullptr);

    // Reads the pack in `directory` and opens its start lesson: `lesson` when
    // it names one, else the lesson open before when the same pack is reopened,
    // else `remembered` (the pack id and lesson last used), else the first
    // lesson not passed. Fails, keeping the current pack, when the folder
    // holds no usable pack (the message lists the first problems).
    Status open(const QString &directory, const QString &lesson = QString(),
                const QPair<QString, QString> &remembered = {});
    // Opens a lesson of the current pack (id or folder). False when unknown.
    bool openLesson(const QString &idOrFolder);

    const Pack &pack() const { return m_pack; }
    const Lesson *lesson() const;
    QString lessonId() const { return m_lessonId; }
    QString language() const { return m_language; }
    const LessonProgress &progress() const { return m_progress; }
    // The store, once every queued save has been written.
    ProgressStore &store();
    QHash<QString, LessonStatus> statuses();
    // The open lesson's files with the learner's code (or the starter).
    QList<LessonFile> files() const;
    QString title() const;
    QString markdown() const;
    // Non-empty after openLesson() when the record was damaged and restored from it.
    QString recoveredFrom() const { return m_recoveredFrom; }
    QString nextLessonId() const;
    QString previousLessonId() const;

    void edited(const QString &fileName);
    bool hasUnsavedEdits() const { return !m_dirty.isEmpty(); }
    QSet<QString> dirtyFiles() const { return m_dirty; }
    // Queues the dirty files' texts for saving (file name -> text; others are
    // ignored) and returns at once. A file that cannot be saved becomes dirty
    // again and saveFailed() says why.
    Status save(const QHash<QString, QString> &texts);
    // A Check ended: records it and updates the lesson's status.
    void recordCheck(bool passed);

    QStringList hints() const; // in the course language
    int hintsRevealed() const { return m_progress.hintsRevealed; }
    bool revealHint(); // false when every hint is shown
    // ok: the lesson lets the learner see the solution; else why not (translated).
    Status solutionAvailable() const;
    QString starterText(const QString &fileName) const;
    // The solution of `fileName`, or of the first file that has one when it
    // has none (`fileName` is then set to that file). Empty when none.
    QString solutionText(QString *fileName) const;

    QList<StarterChange> starterChanges() const { return m_starterChanges; }
    // The learner kept their code or took the new starter: not offered again.
    Status acknowledgeStarterChanges();
    QList<LessonProgress> removedLessons();

Q_SIGNALS:
    void courseOpened(const QString &packId);
    void lessonOpened(const QString &lessonId);
    void statusChanged(const QString &lessonId, torchlab::LessonStatus status);
    void saveDue(); // the autosave timer fired: call save() with the editors' texts
    void saved(const QString &lessonId);
    void saveFailed(const QString &message); // translated

private:
    void written(const QString &packId, const QString &lessonId, const QString &fileName, bool ok,
                 const QString &error);
    QString m_language;
    Pack m_pack;
    QString m_lessonId;
    ProgressStore m_store;
    ProgressWriter m_writer{m_store.root()}; // after m_store: uses its root
    LessonProgress m_progress;               // the open lesson's record as last loaded
    QString m_recoveredFrom;
    QList<StarterChange> m_starterChanges;
    QSet<QString> m_dirty;
    QTimer m_autosave;
};

} // namespace torchlab
