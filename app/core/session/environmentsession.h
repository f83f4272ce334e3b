#pragma once

#include "core/doctor/environmentreport.h"
#include "core/toolchain/profilechooser.h"
#include "core/util/labsettings.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QThread;

namespace torchlab {

class PchCache;
class WarmRunner;

// The toolchain of a LabSession, prepared without blocking the GUI: the doctor's
// report (discovery, GPU probe, profile choice) is gathered on a worker
// thread, followed there by the editor's completion words for the chosen
// LibTorch (CompletionIndex); then the precompiled header for the profile is
// built in the background (PchCache). QtCore only; the lab window shows what
// it says. torchlab-cli resolves its profile from its own options and hands
// it over with useProfile().
//
// Threading: lives in the creating (GUI) thread; every signal is emitted
// there. The destructor waits for a gather that is still running (it cannot
// be interrupted; warm, it takes milliseconds).
class EnvironmentSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,      // start() not called yet
        Gathering, // the report is being gathered
        Preparing, // the precompiled header is being built (or waited for)
        Ready,     // runs can start (with the PCH when it built, without when it failed)
        Cancelled, // the learner cancelled the warm-up; prepare() starts it again
        Unusable,  // no usable LibTorch + compiler: the report says why
    };
    Q_ENUM(State)

    explicit EnvironmentSession(QObject *parent = nullptr);
    ~EnvironmentSession() override;

    // Gathers the report on a worker thread with `request` over the
    // environment's TORCHLAB_* values; then, when `warmUp`, prepares the PCH.
    // Calling it again (new settings) starts over; a running gather finishes
    // first and its result is dropped.
    void start(const ProfileRequest &request, bool warmUp = true);
    // Uses `profile` as it is, without gathering a report (hasReport() stays
    // false); the PCH is prepared as after a gather.
    void useProfile(const ToolchainProfile &profile, bool warmUp = false);
    // Builds the PCH when it is not ready (after a cancel, or when start() was
    // told not to warm up). Does nothing while gathering: the warm-up follows.
    void prepare();
    void cancelWarmup();

    State state() const { return m_state; }
    bool hasReport() const { return m_haveReport; }
    const EnvironmentReport &report() const { return m_report; }
    bool isReady() const { return m_state == State::Ready; }
    // The chosen profile; invalid until the report arrived, and when none is usable.
    ToolchainProfile profile() const;
    // The shared PCH of the profile; nullptr before the report or when unusable.
    PchCache *pch() const { return m_pch.get(); }
    // The warm runner of the profile (LibTorch loaded once, a forked child per
    // Run), started once the environment is ready; null unless enabled. A
    // session that runs many programs (the lab window, `serve`) enables it; a
    // one-shot `torchlab-cli run` gains nothing from it.
    void setWarmRunnerEnabled(bool enabled);
    WarmRunner *warm() const { return m_warm.get(); }
    bool pchUsable() const;
    // "CPU · LibTorch 1.13.0 · clang++ 14"; empty before the report.
    QString profileLabel() const;
    static QString profileLabel(const ToolchainProfile &profile);
    // The toolchain the learner chose in Settings (LibTorch, compiler, device),
    // as a request whose origin says "settings".
    static ProfileRequest requestFrom(const LabSettings &settings);
    // The sentence for the memory plot when no GPU is used; empty with a GPU.
    QString noGpuReason() const;
    // LibTorch names for the editor; empty until completionWordsReady().
    QStringList completionWords() const { return m_completionWords; }

Q_SIGNALS:
    void stateChanged(torchlab::EnvironmentSession::State state);
    void reportReady(const torchlab::EnvironmentReport &report);
    void completionWordsReady(const QStringList &words);
    void warmupProgress(int percent, const QString &message);
    // The warm-up ended: ok (PCH ready), or not (failed or cancelled; `message` says which).
    void warmupFinished(bool ok, const QString &message);

private:
    void onGathered(const EnvironmentReport &report, int generation);
    void adopt(const ToolchainProfile &profile);
    void setState(State state);

    QThread *m_thread = nullptr;
    int m_generation = 0;
    bool m_warmUp = true;
    bool m_haveReport = false;
    EnvironmentReport m_report;
    std::optional<ToolchainProfile> m_fixedProfile; // useProfile()
    QStringList m_completionWords;
    std::unique_ptr<PchCache> m_pch;
    std::unique_ptr<WarmRunner> m_warm;
    bool m_warmEnabled = false;
    State m_state = State::Idle;
};

} // namespace torchlab
