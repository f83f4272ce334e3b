#pragma once

#include "core/course/pack.h"
#include "core/course/progressstore.h"

#include <QHash>
#include <QList>
#include <QString>

namespace torchlab {

// What a pack update means for a learner's saved work: updates keep every
// learner's code and progress. Pure functions over a loaded
// Pack and the records ProgressStore::loadPack() returned; nothing is written.

// One starter file that changed under code the learner had already edited:
// the learner's code stays, and the new starter is offered as a diff.
struct StarterChange
{
    QString lessonId;
    QString fileName;       // as in lesson.toml
    QString learnerCode;    // what the learner has now (kept)
    QString newStarter;     // the starter this pack version ships
    QString oldStarterHash; // ProgressStore::sha256Hex() of the starter the code began from
};

// Files of `lessonId` whose starter in `pack` differs from the one the learner
// began from (LessonProgress::starterHash), and where the learner's code is not
// already equal to the new starter. Files without a recorded hash (saved by an
// older lab) or without learner code are not reported. In lesson.toml's file order.
// Translations of a starter count as the starter (the learner began from one of
// them); the new starter offered is the one in `language`.
QList<StarterChange> changedStarters(const Pack &pack, const LessonProgress &progress,
                                     const QString &language = QString());
// The same for every lesson of the pack, in lesson order.
QList<StarterChange> changedStarters(const Pack &pack,
                                     const QHash<QString, LessonProgress> &records,
                                     const QString &language = QString());

// Records of lessons the pack no longer has (removed or renamed in an update)
// that still hold learner code, newest edit first. Their files stay in the
// progress store; the lab shows them read-only so nothing typed is lost.
QList<LessonProgress> removedLessonsWithCode(const Pack &pack,
                                             const QHash<QString, LessonProgress> &records);

// After the learner decided: the record with `fileName`'s starter hash set to
// the new starter's (so the change is not offered again). When `adoptStarter`,
// the learner's code for that file is replaced by the new starter as well.
LessonProgress acknowledgeStarterChange(const LessonProgress &progress, const StarterChange &change,
                                        bool adoptStarter);

} // namespace torchlab
