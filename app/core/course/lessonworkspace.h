#pragma once

#include "core/course/pack.h"
#include "core/course/progressstore.h"
#include "core/util/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace torchlab {

// File work around one lesson for the lab window, QtCore only: its texts, its
// starter and solution files, the learner's work folder, and whether the
// pack lets the learner see the solution yet.
namespace LessonWorkspace {

// The lesson's markdown in `language` (README.zh_CN.md for zh_CN when the
// lesson has it, else English), or a short note when the file cannot be read.
QString markdown(const Lesson &lesson, const QString &language);

// The starter file names as the learner sees them ("exercise.cpp", "kernel.cu"),
// in lesson order; these are also the ProgressStore keys.
QStringList starterFiles(const Lesson &lesson);
// Text of one starter file (by shown name) for a learner reading `language`:
// its translation beside it ("exercise.zh_CN.cpp", same code, comments in
// that language) when the lesson has one, else the file itself; empty when
// unreadable.
QString starterText(const Lesson &lesson, const QString &fileName,
                    const QString &language = QString());
// Every version of one starter file: the file itself and each translation.
QStringList starterTexts(const Lesson &lesson, const QString &fileName);
// Text of the solution file with the same name; empty when the lesson has none.
QString solutionText(const Lesson &lesson, const QString &fileName);

// LabPaths::dataDir()/work/<pack>/<lesson>/ (ids sanitised as file names).
QString workDirectory(const QString &packId, const QString &lessonId);
// Writes `files` (name -> text, in `order`, each under its file name) into
// `directory`; the paths written, in order.
Result<QStringList> writeFilesTo(const QString &directory, const QMap<QString, QString> &files,
                                 const QStringList &order);
// Writes each file (shown name -> text) into the work folder, replacing what
// was there. Returns the absolute paths written, in the order given, or why
// a file could not be written.
Result<QStringList> writeWorkFiles(const QString &packId, const QString &lessonId,
                                   const QMap<QString, QString> &files, const QStringList &order);

// Whether the lesson's show_solution policy lets the learner see the solution
// given their record. When not, `whyNot` (translated) says what unlocks it.
bool solutionAvailable(const Lesson &lesson, const LessonProgress &progress,
                       QString *whyNot = nullptr);

} // namespace LessonWorkspace

} // namespace torchlab
