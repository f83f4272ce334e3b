#include "core/session/coursesession.h"

#include "core/course/courseprogress.h"
#include "core/course/lessonworkspace.h"
#include "core/course/localizedtext.h"
#include "core/course/packloader.h"

namespace torchlab {

CourseSession::CourseSession(const QString &language, int autosaveDelayMs, QObject *parent)
    : QObject(parent), m_language(language)
{
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(autosaveDelayMs);
    connect(&m_autosave, &QTimer::timeout, this, &CourseSession::saveDue);
    connect(&m_writer, &ProgressWriter::finished, this, &CourseSession::written);
}

ProgressStore &CourseSession::store()
{
    m_writer.flush();
    return m_store;
}

Status CourseSession::open(const QString &directory, const QString &lesson,
                           const QPair<QString, QString> &remembered)
{
    const PackLoadResult result = PackLoader::load(directory);
    if (!result.valid() || result.pack.lessons.isEmpty()) {
        QStringList lines;
        for (const Problem &problem : result.problems) {
            if (problem.isError() && lines.size() < 5)
                lines << problem.toString();
        }
        QString message = tr("The course in %1 cannot be opened.").arg(directory);
        if (!lines.isEmpty())
            message += QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
        return fail(message);
    }
    const QString previousPack = m_pack.id;
    const QString previousLesson = m_lessonId;
    m_pack = result.pack;
    m_lessonId.clear(); // openLesson() must open even the same id again: the files changed
    m_dirty.clear();
    m_autosave.stop();

    const QHash<QString, LessonProgress> records = store().loadPack(m_pack.id);
    QString preferred;
    if (const Lesson *asked = m_pack.lesson(lesson))
        preferred = asked->id;
    else if (previousPack == m_pack.id && m_pack.lesson(previousLesson))
        preferred = previousLesson; // a reload of the same pack stays where the learner is
    else if (remembered.first == m_pack.id)
        preferred = remembered.second;
    Q_EMIT courseOpened(m_pack.id);
    openLesson(CourseProgress::startLesson(m_pack, records, preferred));
    return {};
}

bool CourseSession::openLesson(const QString &idOrFolder)
{
    const Lesson *lesson = m_pack.lesson(idOrFolder);
    if (!lesson)
        return false;
    if (lesson->id == m_lessonId)
        return true;
    m_lessonId = lesson->id;
    m_dirty.clear();
    m_autosave.stop();
    m_progress = store().load(m_pack.id, m_lessonId);
    m_recoveredFrom = m_store.recoveredFrom();
    m_starterChanges = changedStarters(m_pack, m_progress, m_language);
    if (m_store.markOpened(m_pack.id, m_lessonId))
        m_progress = m_store.load(m_pack.id, m_lessonId);
    Q_EMIT lessonOpened(m_lessonId);
    return true;
}

const Lesson *CourseSession::lesson() const
{
    return m_lessonId.isEmpty() ? nullptr : m_pack.lesson(m_lessonId);
}

QHash<QString, LessonStatus> CourseSession::statuses()
{
    const QHash<QString, LessonProgress> records = store().loadPack(m_pack.id);
    QHash<QString, LessonStatus> out;
    for (const Lesson &entry : m_pack.lessons)
        out.insert(entry.id, CourseProgress::statusOf(records, entry.id));
    return out;
}

QList<LessonFile> CourseSession::files() const
{
    QList<LessonFile> out;
    const Lesson *open = lesson();
    if (!open)
        return out;
    for (const QString &name : LessonWorkspace::starterFiles(*open)) {
        const auto stored = m_progress.code.constFind(name);
        out << LessonFile{name, stored != m_progress.code.constEnd()
                                    ? *stored
                                    : LessonWorkspace::starterText(*open, name, m_language)};
    }
    return out;
}

QString CourseSession::title() const
{
    const Lesson *open = lesson();
    return open ? localized(open->title, m_language) : QString();
}

QString CourseSession::markdown() const
{
    const Lesson *open = lesson();
    return open ? LessonWorkspace::markdown(*open, m_language) : QString();
}

QString CourseSession::nextLessonId() const
{
    return CourseProgress::nextLesson(m_pack, m_lessonId);
}

QString CourseSession::previousLessonId() const
{
    return CourseProgress::previousLesson(m_pack, m_lessonId);
}

void CourseSession::edited(const QString &fileName)
{
    if (m_lessonId.isEmpty())
        return;
    m_dirty.insert(fileName);
    m_autosave.start(); // restarts: saves once typing pauses
}

Status CourseSession::save(const QHash<QString, QString> &texts)
{
    m_autosave.stop();
    const Lesson *open = lesson();
    if (m_dirty.isEmpty() || !open)
        return {};
    for (const QString &file : std::as_const(m_dirty)) {
        const auto text = texts.constFind(file);
        if (text == texts.constEnd())
            continue;
        // The starter this code began from, so that a pack update can tell
        // whether the starter changed under the learner's code.
        const QString began =
            ProgressStore::sha256Hex(LessonWorkspace::starterText(*open, file, m_language));
        m_writer.saveCode(m_pack.id, m_lessonId, file, *text, began);
        m_progress.code.insert(file, *text); // what the lesson shows until it is reloaded
    }
    m_dirty.clear();
    return {};
}

void CourseSession::written(const QString &packId, const QString &lessonId, const QString &fileName,
                            bool ok, const QString &error)
{
    const bool current = packId == m_pack.id && lessonId == m_lessonId;
    if (!ok) {
        // Dirty again: the next keystroke, lesson switch or close tries again.
        if (current)
            m_dirty.insert(fileName);
        Q_EMIT saveFailed(tr("Your code could not be saved: %1").arg(error));
        return;
    }
    if (!current)
        return;
    const LessonStatus before = m_progress.status;
    const LessonProgress stored = m_store.load(m_pack.id, m_lessonId); // a read: no wait
    m_progress.status = stored.status;
    m_progress.lastEdited = stored.lastEdited;
    m_progress.firstOpened = stored.firstOpened;
    m_progress.starterHash = stored.starterHash;
    if (m_progress.status != before)
        Q_EMIT statusChanged(m_lessonId, m_progress.status);
    Q_EMIT saved(m_lessonId);
}

void CourseSession::recordCheck(bool passed)
{
    store().recordCheck(m_pack.id, m_lessonId, passed);
    m_progress = m_store.load(m_pack.id, m_lessonId);
    Q_EMIT statusChanged(m_lessonId, m_progress.status);
}

QStringList CourseSession::hints() const
{
    QStringList out;
    if (const Lesson *open = lesson()) {
        for (const LocalizedText &hint : open->hints)
            out << localized(hint, m_language);
    }
    return out;
}

bool CourseSession::revealHint()
{
    const Lesson *open = lesson();
    if (!open)
        return false;
    const int next = qMin(m_progress.hintsRevealed + 1, int(open->hints.size()));
    if (next == m_progress.hintsRevealed)
        return false;
    store().recordHint(m_pack.id, m_lessonId, next);
    m_progress.hintsRevealed = next;
    return true;
}

Status CourseSession::solutionAvailable() const
{
    const Lesson *open = lesson();
    if (!open)
        return fail(QString());
    QString whyNot;
    if (!LessonWorkspace::solutionAvailable(*open, m_progress, &whyNot))
        return fail(whyNot);
    return {};
}

QString CourseSession::starterText(const QString &fileName) const
{
    const Lesson *open = lesson();
    return open ? LessonWorkspace::starterText(*open, fileName, m_language) : QString();
}

QString CourseSession::solutionText(QString *fileName) const
{
    const Lesson *open = lesson();
    if (!open || !fileName)
        return QString();
    QString solution = LessonWorkspace::solutionText(*open, *fileName);
    if (!solution.isEmpty())
        return solution;
    // The file has no solution (a helper file): the first one that has.
    for (const QString &other : LessonWorkspace::starterFiles(*open)) {
        solution = LessonWorkspace::solutionText(*open, other);
        if (!solution.isEmpty()) {
            *fileName = other;
            return solution;
        }
    }
    return QString();
}

Status CourseSession::acknowledgeStarterChanges()
{
    LessonProgress progress = store().load(m_pack.id, m_lessonId);
    for (const StarterChange &change : std::as_const(m_starterChanges)) {
        // The code itself is saved from the editor (adopt) or is already there
        // (keep): only the starter the code now answers to is recorded here.
        progress = acknowledgeStarterChange(progress, change, false);
    }
    if (!m_store.save(progress))
        return fail(tr("Your choice could not be saved: %1").arg(m_store.lastError()));
    m_progress = progress;
    m_starterChanges.clear();
    return {};
}

QList<LessonProgress> CourseSession::removedLessons()
{
    return removedLessonsWithCode(m_pack, store().loadPack(m_pack.id));
}

} // namespace torchlab
