#pragma once

#include "core/build/diagnostic.h"
#include "core/build/pathmap.h"
#include "core/run/runlimits.h"
#include "core/toolchain/toolchaintypes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace torchlab {

class ProcessRunner;
struct RunResult;

// One translation unit of an exercise.
struct SourceFile
{
    QString path;        // absolute path the compiler reads
    QString shownName;   // what the learner knows it as ("exercise.cpp"); empty: the file name
    bool learner = true; // false for hidden check code: its diagnostics are still shown, but marked
    QStringList extraFlags; // for this unit only, after the request's flags (e.g.
                            // -Dmain=torchlab_learner_main)
};

struct CompileRequest
{
    ToolchainProfile profile;
    QList<SourceFile> sources;          // compiled as separate units, in parallel, then linked
    QString outputPath;                 // the executable
    QString workDirectory;              // objects are written here
    QStringList extraCompileFlags;      // e.g. -Wall -Wextra for "warning-free" checks
    QStringList pchArguments;           // PchCache::compileArguments(); empty: no PCH
    RunLimits limits = defaultLimits(); // applied to each compiler/linker process
    // Reuse and keep C++ units and the linked program in ObjectCache::instance().
    // Every C++ unit gets -ffile-prefix-map for its folder either way, so
    // __FILE__ and assertion messages name "exercise.cpp", not a job folder.
    bool useCache = true;
    // Link a shared object (-shared) instead of an executable: the warm
    // runner loads it and calls its main(). Units are position-independent
    // either way (-fPIC is in every profile's flags), so one object serves both.
    bool sharedObject = false;
    static RunLimits defaultLimits();
};

struct CompileResult
{
    enum class Outcome
    {
        Ok,
        CompileErrors,  // the learner's (or check) code does not compile
        LinkErrors,     // compiled, but linking failed (undefined reference, missing library)
        TimeLimit,      // a compiler or linker ran past its limit
        MemoryLimit,    // a compiler ran out of its memory cap
        CompilerFailed, // crashed or failed to start: a broken toolchain, not the learner's code
        Cancelled,
    };
    Outcome outcome = Outcome::CompilerFailed;
    QString summary;     // one line: "2 errors in exercise.cpp", "compiled in 1.8 s"
    QString explanation; // what to do next, for the failures that are not plain errors
    QList<Diagnostic> diagnostics;
    QString output;       // everything the tools printed, temp paths replaced by shown names
    QString binaryPath;   // set when ok
    qint64 compileMs = 0; // wall time of the parallel compile step
    qint64 linkMs = 0;
    bool usedPch = false;
    bool pchRejected = false;   // the compiler refused the PCH; units were recompiled without it
    int unitsFromCache = 0;     // units reused from the object cache (no compiler ran)
    int unitsAwaited = 0;       // units another job of this process was compiling (waited for)
    bool linkFromCache = false; // the linked program itself was reused
    bool ok() const { return outcome == Outcome::Ok; }
};

QString compileOutcomeName(CompileResult::Outcome outcome); // stable names for --json
// The outcome compileOutcomeName() gives `name`; empty for an unknown name.
std::optional<CompileResult::Outcome> compileOutcomeFromName(const QString &name);

// Compiles and links an exercise by calling the compiler with argument lists
// (no shell, no build system). Emits exactly one done() per start().
class CompileJob : public QObject
{
    Q_OBJECT
public:
    explicit CompileJob(QObject *parent = nullptr);
    ~CompileJob() override;

    void start(const CompileRequest &request);
    void cancel();
    bool isRunning() const { return m_running; }

    // The argument list for compiling one unit (exposed for tests and --verbose).
    // A .cu unit gets nvcc's list (see nvccArguments); withPch is ignored for it.
    static QStringList compileArguments(const CompileRequest &request, const SourceFile &source,
                                        const QString &objectPath, bool withPch);
    // Adds the profile's CUDA runtime when a .cu unit is among the sources.
    static QStringList linkArguments(const CompileRequest &request, const QStringList &objects);

    // CUDA sources are the .cu files; they are compiled by the profile's nvcc.
    static bool isCudaSource(const QString &path);
    // nvcc's arguments for one .cu unit: the profile's nvccFlags (-ccbin,
    // -gencode, -Xcompiler -fPIC), then the C++ flags, where -I/-isystem/-D/-U/-std/-O/-g
    // pass as they are and everything else (warnings, -f...) goes to the
    // host compiler through -Xcompiler. Never a precompiled header.
    static QStringList nvccArguments(const CompileRequest &request, const SourceFile &source,
                                     const QString &objectPath);
    // The program that compiles `source`: nvcc for .cu units, else the C++ compiler.
    static QString compilerFor(const ToolchainProfile &profile, const SourceFile &source);

Q_SIGNALS:
    void phaseChanged(const QString &phase); // "compiling", "linking"
    void done(const torchlab::CompileResult &result);

private:
    struct Unit
    {
        SourceFile source;
        QString object;
        ProcessRunner *runner = nullptr;
        bool withPch = false;
        bool finished = false;
        QByteArray output;
        int outcome = 0; // RunResult::Outcome as int
        bool ok = false;
        QString key;          // ObjectCache key; empty: not cached
        bool claimed = false; // this job compiles `key` (others wait for it)
        bool waiting = false; // another job compiles `key`
        bool fromCache = false;
    };

    void startUnit(int index, bool withPch);
    void onUnitDone(int index, const RunResult &result);
    void unitFinished(int index, bool ok, int outcome, const QByteArray &output);
    void onKeyReleased(const QString &key);
    void storeUnit(const Unit &unit, bool ok);
    QString failureKey(const QString &unitKey) const;
    void allUnitsDone();
    void startLink();
    void onLinkDone(const RunResult &result);
    bool cacheable(const SourceFile &source) const;
    void finish(CompileResult result);
    QString mapPaths(QString text) const;
    PathMap pathMap() const;

    CompileRequest m_request;
    QStringList m_roots; // the folders the sources are in (ObjectCache placeholders)
    QString m_linkKey;
    QVector<Unit> m_units;
    ProcessRunner *m_linker = nullptr;
    QElapsedTimer m_timer;
    CompileResult m_result;
    bool m_running = false;
    bool m_cancelled = false;
};

} // namespace torchlab
