#pragma once

#include "core/grading/checkreport.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace torchlab {

// One server-side Check of one student, as the grader account keeps it
// (docs/instructors.md): never a Run, never a local practice Check.
struct GradeRecord
{
    QDateTime time; // UTC
    QString pack;
    QString version;
    QString lesson;
    bool passed = false;
    QStringList passedChecks; // Check::id()s
    QStringList failedChecks; // failed or in error
    QString compileError;     // the first error in the learner's files: "file:line: message"
    QString verdict;          // the run's summary, or why it did not run

    QJsonObject toJson() const;
    static std::optional<GradeRecord> fromJson(const QJsonObject &json);
    static GradeRecord fromReport(const CheckReport &report, const QString &pack,
                                  const QString &version, const QDateTime &time);
};

// The records of a grader account: <dir>/<student>.jsonl, one JSON object a
// line. A file past MaxFileBytes is rotated to <student>.1.jsonl (the one
// before is dropped), so a student's records stay under twice that. Appends
// from several processes at once (two students' Checks) are serialised with
// flock() on <student>.jsonl.lock; no line is lost or torn.
class GradeRecords
{
public:
    static constexpr qint64 MaxFileBytes = 2 << 20;

    explicit GradeRecords(QString directory = defaultDirectory());
    static QString defaultDirectory(); // LabPaths::dataDir()/grading
    QString directory() const { return m_dir; }

    // A student's name: 1-64 letters, digits, '.', '_' or '-', not starting with '.'.
    static bool validStudent(const QString &name);
    Status append(const QString &student, const GradeRecord &record) const;
    // Every student's records, oldest first; damaged lines are skipped.
    QMap<QString, QList<GradeRecord>> load() const;

private:
    QString m_dir;
};

// The class at a glance (`torchlab-cli class status --json`, docs/instructors.md):
// per student and lesson: passed, tries, the last try and pass, the last
// compile error; across the class, the most common compile errors and
// failing checks. `lesson` empty: every lesson.
QJsonObject classStatus(const QMap<QString, QList<GradeRecord>> &records, const QString &lesson,
                        const QDateTime &now);

} // namespace torchlab
