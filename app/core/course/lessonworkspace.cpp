#include "core/course/lessonworkspace.h"

#include "core/course/codeskeleton.h"

#include "core/course/localizedtext.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace torchlab::LessonWorkspace {

namespace {

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

// Ids come from packs the learner installed: never let one name a path.
QString safeName(const QString &id)
{
    QString out;
    for (const QChar c : id) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                           c == QLatin1Char('-') || c == QLatin1Char('_') ||
                           (c == QLatin1Char('.') && !out.isEmpty());
        out += plain ? QString(c) : QStringLiteral("%%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    return out.isEmpty() ? QStringLiteral("_") : out;
}

} // namespace

QString markdown(const Lesson &lesson, const QString &language)
{
    const QString relative = localized(lesson.textFiles, language);
    const QString text = relative.isEmpty() ? QString() : readText(lesson.filePath(relative));
    if (!text.isEmpty())
        return text;
    return QCoreApplication::translate("LessonWorkspace",
                                       "*The text of this lesson could not be read (%1).*")
        .arg(relative.isEmpty() ? lesson.folder : lesson.filePath(relative));
}

QStringList starterFiles(const Lesson &lesson)
{
    QStringList names;
    for (const QString &file : lesson.starter)
        names << QFileInfo(file).fileName();
    return names;
}

QString starterText(const Lesson &lesson, const QString &fileName, const QString &language)
{
    for (const QString &file : lesson.starter) {
        if (QFileInfo(file).fileName() != fileName)
            continue;
        if (!language.isEmpty() && language != Languages::fallback()) {
            const QString translated =
                readText(lesson.filePath(starterVariantName(file, language)));
            if (!translated.isEmpty())
                return translated;
        }
        return readText(lesson.filePath(file));
    }
    return QString();
}

QStringList starterTexts(const Lesson &lesson, const QString &fileName)
{
    QStringList texts;
    for (const QString &file : lesson.starter) {
        if (QFileInfo(file).fileName() != fileName)
            continue;
        texts << readText(lesson.filePath(file));
        for (const QString &language : starterVariantLanguages(lesson.directory, file))
            texts << readText(lesson.filePath(starterVariantName(file, language)));
    }
    return texts;
}

QString solutionText(const Lesson &lesson, const QString &fileName)
{
    for (const QString &file : lesson.solution) {
        if (QFileInfo(file).fileName() == fileName)
            return readText(lesson.filePath(file));
    }
    return QString();
}

QString workDirectory(const QString &packId, const QString &lessonId)
{
    return LabPaths::dataDir() + QStringLiteral("/work/") + safeName(packId) + QLatin1Char('/') +
           safeName(lessonId);
}

Result<QStringList> writeWorkFiles(const QString &packId, const QString &lessonId,
                                   const QMap<QString, QString> &files, const QStringList &order)
{
    return writeFilesTo(workDirectory(packId, lessonId), files, order);
}

Result<QStringList> writeFilesTo(const QString &dir, const QMap<QString, QString> &files,
                                 const QStringList &order)
{
    if (!QDir().mkpath(dir))
        return fail(
            QCoreApplication::translate("LessonWorkspace", "Cannot create the work folder %1.")
                .arg(dir));
    QStringList written;
    for (const QString &name : order) {
        const QString path = dir + QLatin1Char('/') + QFileInfo(name).fileName();
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(files.value(name).toUtf8()) < 0 ||
            !file.commit())
            return fail(QCoreApplication::translate("LessonWorkspace", "Cannot write %1: %2")
                            .arg(path, file.errorString()));
        written << path;
    }
    return written;
}

bool solutionAvailable(const Lesson &lesson, const LessonProgress &progress, QString *whyNot)
{
    const bool passed = progress.status == LessonStatus::Passed || progress.passedAt.isValid();
    QString reason;
    bool available = false;
    if (lesson.solution.isEmpty()) {
        reason = QCoreApplication::translate("LessonWorkspace",
                                             "This lesson has no solution to compare with.");
    } else if (lesson.gradedOnServer() &&
               !QFileInfo::exists(lesson.filePath(lesson.solution.first()))) {
        // A student's copy of a server-graded lesson: the solution never left the server.
        reason = QCoreApplication::translate(
            "LessonWorkspace",
            "This lesson is graded on the course server; its solution stays there.");
    } else {
        switch (lesson.showSolution.when) {
        case SolutionPolicy::When::AfterPass:
            available = passed;
            reason = QCoreApplication::translate(
                "LessonWorkspace", "The solution can be compared once the checks pass.");
            break;
        case SolutionPolicy::When::AfterFailures: {
            const int needed = lesson.showSolution.afterFailures;
            available = passed || progress.failedAttempts >= needed;
            reason = QCoreApplication::translate(
                         "LessonWorkspace",
                         "The solution can be compared after %n failed check(s) or a pass.",
                         nullptr, needed) +
                     QLatin1Char(' ') +
                     QCoreApplication::translate("LessonWorkspace", "Failed checks so far: %1.")
                         .arg(progress.failedAttempts);
            break;
        }
        case SolutionPolicy::When::Never:
            reason = QCoreApplication::translate(
                "LessonWorkspace", "This course does not show the solution of this lesson.");
            break;
        }
    }
    if (whyNot)
        *whyNot = available ? QString() : reason;
    return available;
}

} // namespace torchlab::LessonWorkspace
