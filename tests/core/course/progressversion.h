#pragma once

// Version k of one lesson record, shared by tst_progressstore and the
// progresschild it kills: every field depends on k, so a record that mixes two
// versions (a torn write) cannot pass as either.
#include "core/course/progressstore.h"

#include <QDateTime>
#include <QString>

namespace torchlab::testing {

inline LessonProgress progressVersion(int k)
{
    LessonProgress p;
    p.packId = QStringLiteral("pack");
    p.lessonId = QStringLiteral("lesson");
    p.status = k % 3 == 0 ? LessonStatus::Passed : LessonStatus::InProgress;
    // Sizes vary from a few bytes to ~40 KiB so kills land inside writes of
    // different lengths.
    QString text = QStringLiteral("// v%1 张量\n").arg(k);
    text += QString(QChar(u'a' + k % 26)).repeated((k * 7919) % 40000);
    p.code[QStringLiteral("exercise.cpp")] = text;
    p.code[QStringLiteral("model.h")] = QStringLiteral("v%1").arg(k);
    p.starterHash[QStringLiteral("exercise.cpp")] = ProgressStore::sha256Hex(QString::number(k));
    p.attempts = k;
    p.failedAttempts = k / 2;
    p.hintsRevealed = k % 5;
    p.firstOpened = QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC);
    p.lastEdited = QDateTime::fromMSecsSinceEpoch(1700000000000 + qint64(k) * 1001, Qt::UTC);
    if (p.status == LessonStatus::Passed)
        p.passedAt = p.lastEdited;
    return p;
}

} // namespace torchlab::testing
