#pragma once

#include "core/toolchain/toolchaintypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

class QLockFile;

namespace torchlab {

class ProcessRunner;
struct RunResult;

// The precompiled header of <torch/torch.h> + <torchlab/lab.h> for one
// toolchain profile, kept under $XDG_CACHE_HOME/torchlab/pch/<key>/.
//
// The key covers the compiler, the LibTorch install, every compile flag and
// the content of lab.h, so a change to any of them selects a new directory
// and the old one is simply never used again. Building takes 10-60 s, runs in
// the background (ensureReady()) and reports progress estimated from the
// previous build's duration. Two processes that want the same PCH serialise
// on a lock file; the second one waits and then finds the result ready.
// The file is written to a temporary name and renamed into place, so a
// reader never sees a partial PCH.
//
// Threading: lives in the creating thread; signals are emitted there.
class PchCache : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Missing,
        Building,
        Waiting,
        Ready,
        Failed
    };
    Q_ENUM(State)

    explicit PchCache(const ToolchainProfile &profile, QObject *parent = nullptr);
    ~PchCache() override;

    State state() const { return m_state; }
    bool isReady() const;       // the PCH file exists and is complete
    QString directory() const;  // cache/torchlab/pch/<key>
    QString headerPath() const; // the prefix header the PCH is built from
    QString pchPath() const;    // the .pch (clang) or .gch (gcc) file
    QString key() const { return m_key; }
    QString lastError() const { return m_error; }

    // Arguments to add to a compile command so it uses the PCH. Empty when the
    // PCH is not ready.
    QStringList compileArguments() const;

    // Starts a background build when the PCH is missing; emits finished()
    // at once when it is ready already.
    void ensureReady();
    void cancel();

    // A compile rejected the PCH (stale, corrupt, built by another compiler):
    // delete it so the next ensureReady() rebuilds it.
    void invalidate(const QString &reason);

    // What a compile error looks like when the compiler refused the PCH
    // rather than the learner's code.
    static bool isPchRejection(const QString &compilerOutput);

Q_SIGNALS:
    void stateChanged(torchlab::PchCache::State state);
    void progress(int percent,
                  const QString &message); // percent is an estimate, 0..99 while building
    void finished(bool ok, const QString &message);

private:
    void tryLock();
    void startBuild();
    void onBuildDone(const RunResult &result);
    void setState(State state);
    qint64 expectedBuildMs() const;

    ToolchainProfile m_profile;
    QString m_key;
    QString m_error;
    State m_state = State::Missing;
    std::unique_ptr<QLockFile> m_lock;
    ProcessRunner *m_runner = nullptr;
    QTimer m_pollTimer; // waiting for another process's lock; progress ticks
    QElapsedTimer m_elapsed;
};

} // namespace torchlab
