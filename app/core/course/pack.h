#pragma once

#include "core/course/localizedtext.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

// One automatic check of a lesson (docs/lesson-packs.md, "Check kinds").
// A plain value: which fields are meaningful depends on `kind`.
struct Check
{
    enum class Kind
    {
        Compiles,
        ExitsOk,
        Output,
        Metric,
        Check,
        Time
    };
    enum class Stream
    {
        Stdout,
        Stderr
    };
    enum class Of
    {
        Final,
        Min,
        Max
    };

    Kind kind = Kind::Compiles;
    bool warningFree = false; // Compiles: no warnings under -Wall -Wextra in the learner's files
    QString pattern;          // Output: a QRegularExpression, matched with MultilineOption
    Stream stream = Stream::Stdout; // Output
    QString name;                   // Metric: the metric's name; Check: the lab::check name
    Of of = Of::Final;              // Metric: which value of the series is compared
    std::optional<double> min;      // Metric: inclusive bounds; at least one is set
    std::optional<double> max;
    double maxSeconds = 0;   // Time: the program's wall time, in seconds
    LocalizedText message;   // what to look at when it fails
    LocalizedText titleText; // the manifest's "title": what is verified, in words
    int line = 0;            // where the check starts in lesson.toml (1-based; 0 unknown)

    // A short stable id for reports and scripts: "compiles", "exits_ok",
    // "stdout matches /LibTorch/", "metric loss final <= 1", the check's own
    // name, "time <= 30 s". The same in every language.
    QString id() const;
    // What the learner reads: the manifest's title in `language` (English when
    // it has none in that language), else a sentence made from the kind in the
    // UI language ("Final loss is at most 1", "Finishes within 30 s"); a
    // kind "check" without a title shows its name.
    QString displayTitle(const QString &language) const;

    static QString kindName(Kind kind); // "compiles", "exits_ok", ...
    static std::optional<Kind> kindFromName(const QString &name);
    static QString ofName(Of of);             // "final", "min", "max"
    static QString streamName(Stream stream); // "stdout", "stderr"
};

struct LessonRequirements
{
    bool cuda = false;    // the full form of the lesson needs a GPU
    bool nvcc = false;    // it builds .cu files with nvcc
    int ranks = 1;        // processes launched the way torchrun does
    bool network = false; // the program may reach the network (the sandbox cuts it off otherwise)
    QStringList datasets; // e.g. "fashion-mnist"
};

struct LessonLimits
{
    double timeSeconds = 60; // wall clock of one run of the program
    int memoryMb = 4096;
};

struct SolutionPolicy
{
    enum class When
    {
        AfterPass,
        AfterFailures,
        Never
    };
    When when = When::AfterPass;
    int afterFailures = 3; // failed checks before the solution may be shown (AfterFailures)

    static QString whenName(When when); // "after_pass", "after_failures", "never"
};

struct Lesson
{
    QString folder;    // the lesson's folder name inside the pack ("01-hello")
    QString directory; // absolute path of that folder (set by PackLoader)
    QString id;        // unique in the pack
    int day = 0;       // 1-based
    LocalizedText title;
    LocalizedText textFiles; // language -> file relative to the folder (README.md, README.zh_CN.md)
    QStringList starter;     // relative to the folder; what the learner edits
    QStringList solution;    // reference solution; same file names as the starter
    QStringList checkSources;   // hidden check units, linked with the learner's code
    QList<LocalizedText> hints; // progressive: shown one at a time
    LessonRequirements requirements;
    LessonLimits limits;
    SolutionPolicy showSolution;
    QList<Check> checks;
    // grading = "server": the check sources and the solution stay on the
    // course server (docs/lesson-packs.md); a student's copy lacks them.
    enum class Grading
    {
        Local,
        Server
    };
    Grading grading = Grading::Local;
    bool hiddenPartsAbsent = false; // server-graded, and this copy has no checks nor solution
    QString packId;                 // set by PackLoader
    QString packVersion;            // set by PackLoader

    bool gradedOnServer() const { return grading == Grading::Server; }

    QString filePath(const QString &relative) const; // directory + "/" + relative
};

struct PackDay
{
    LocalizedText title;
    QStringList lessons; // lesson folder names, in order
};

// A course server a pack suggests ([server] in pack.toml): the lab offers it
// to the learner, who confirms; it is never used silently.
struct SuggestedServer
{
    QString host;
    int port = 0;
    QString partition; // Slurm; empty: plain SSH
    QString gres;
    int timeMinutes = 0;
    QString remoteCli;
    bool isSet() const { return !host.isEmpty(); }
};

struct Pack
{
    QString directory; // absolute path of the pack folder
    QString id;
    QString version; // semantic version
    LocalizedText title;
    LocalizedText description;
    QStringList authors;
    QString license;
    QString minTorchLab; // semantic version; empty: any
    QList<PackDay> days;
    QList<Lesson> lessons; // in course order (days, then their lesson lists)
    SuggestedServer server;

    // nullptr when there is no such lesson; matches the id or the folder name.
    const Lesson *lesson(const QString &idOrFolder) const;
};

} // namespace torchlab
