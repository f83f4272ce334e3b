#pragma once

#include "core/runner/runner.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// What a run on a Slurm cluster asks for (srun's options).
struct SlurmRequest
{
    QString partition;
    QString gres;        // "gpu:1"; empty: none
    int timeMinutes = 0; // 0: the partition's default
    QString jobName;     // "torchlab-<lesson>"
};

// One run's job as it travels to a server: the first line the lab writes on
// the remote torchlab-cli's stdin (`run --job - --json-stream`). Everything
// in one line over the connection the run then uses, so that a Run costs one
// round trip. docs/json-stream.md describes the line.
struct JobBundle
{
    struct File
    {
        QString path; // relative to the job folder, no ".."
        QByteArray bytes;
    };

    int protocol = 0;
    QString learner;  // the job folder's owner on a shared account
    QString name;     // the lesson or program: the job folder's name
    QString language; // the learner's language for the server's messages ("en", "zh_CN")
    QJsonObject job;  // runSpecToJson() relative to the job folder
    QList<File> files;
    std::optional<SlurmRequest> slurm;
    // A server-graded Check: the files are the learner's only; the server's
    // grader account holds the lesson (`serve --grade-as`).
    std::optional<ServerGrade> grade;

    static constexpr qsizetype MaxFiles = 1000;
    static constexpr qsizetype MaxBytes = 32 << 20;
};

// The bundle of `spec`: its sources, the headers beside them and the files of
// its -I folders that lie in the job folder (spec.workingDirectory). Sources
// elsewhere travel too, under "ext/". Fails when a file cannot be read or the
// job is larger than the limits.
Result<JobBundle> bundleFromSpec(const RunSpec &spec, const QString &name, const QString &learner,
                                 const QString &language);

// One line, '\n' included.
QByteArray encodeJobBundle(const JobBundle &bundle);
// Refuses what a lab does not write: unsafe paths, too many or too large files,
// names that are not plain words.
Result<JobBundle> decodeJobBundle(QByteArrayView line);

// A name for a job folder: letters, digits, '.', '_' and '-' only (others
// become '_'), at most 64, never "." or "..".
QString jobFolderName(const QString &text);

// The server's side: writes the bundle into `jobsRoot`/learner/name (every
// folder made 0700, the previous job of that name cleared first) and returns
// the job folder. A full disk is said so in plain words.
Result<QString> unpackJobBundle(const JobBundle &bundle, const QString &jobsRoot);
// Writes one file; exposed for the test of a full disk (/dev/full).
Status writeJobFile(const QString &path, const QByteArray &bytes);
// $XDG_CACHE_HOME/torchlab/jobs.
QString defaultJobsRoot();

// The learner's name for job folders: the local account's.
QString localLearnerName();

} // namespace torchlab
