#pragma once

#include "core/gpu/gpuprobe.h"
#include "core/gpu/nvml.h"
#include "core/run/sandbox.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchaindiscovery.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace torchlab {

// One finding of the doctor: what it saw, why it matters, what to do.
struct Verdict
{
    enum class Severity
    {
        Ok,
        Info,
        Warning,
        Error
    };

    QString id; // stable key ("no-gpu", "abi-mismatch", ...) for tests, JSON and the GUI
    Severity severity = Severity::Info;
    QString title;       // a few words
    QString explanation; // one to three plain sentences
    QString fix;         // what to do; empty when nothing is needed

    static QString severityName(Severity severity); // "ok", "info", "warning", "error"
};

struct EnvironmentOptions
{
    DiscoveryOptions discovery;
    GpuProbeOptions gpu;
    // Overrides from the command line; the environment's TORCHLAB_* values
    // (from discovery.environment) apply where these are empty.
    ProfileRequest request;
    SandboxMode sandbox = SandboxMode::Auto; // the lab's setting; TORCHLAB_SANDBOX overrides it
};

// How learners' and packs' programs are held on this computer.
struct SandboxReport
{
    Sandbox::Status status;
    SandboxMode mode = SandboxMode::Auto; // the setting (TORCHLAB_SANDBOX applied)
    bool cgroupV2 = false;                // the unified hierarchy is mounted
    bool userManager = false;             // a systemd user manager is reachable
    bool root = false;                    // RLIMIT_NPROC does not hold for root

    static SandboxReport gather(SandboxMode mode);
    Verdict verdict() const;
    QString processLimit() const; // how a fork bomb is stopped here, in words
};

// The doctor's whole answer: what was found, what was chosen and why, and
// the verdicts. A value; render with toText() / toJson().
struct EnvironmentReport
{
    DiscoveryResult discovery;
    GpuProbe gpu;
    ProfileRequest request;
    ProfileChoice choice;
    QList<Verdict>
        verdicts;          // in the order the checks run: GPU, LibTorch, compiler, profile, extras
    QString requestError;  // a bad TORCHLAB_DEVICE value, ...
    SandboxReport sandbox; // filled by gather(); its verdict is the last one

    // Discovers, probes the GPU, chooses the profile and evaluates.
    static EnvironmentReport gather(const EnvironmentOptions &options = EnvironmentOptions());
    // The same from parts already at hand (tests feed fake trees and GPU values).
    static EnvironmentReport fromParts(const DiscoveryResult &discovery, const GpuProbe &gpu,
                                       const ProfileRequest &request);
    static QList<Verdict> evaluate(const DiscoveryResult &discovery, const GpuProbe &gpu,
                                   const ProfileRequest &request, const ProfileChoice &choice);

    Verdict::Severity worst() const;
    bool hasVerdict(const QString &id) const;
    std::optional<Verdict> verdict(const QString &id) const;

    QString toText() const; // aligned, for a terminal (see reportformat.cpp)
    QJsonObject
    toJson() const; // stable keys: schema, gpu, libtorch, compilers, profile, verdicts, ...
};

// Merges explicit arguments over the TORCHLAB_* environment values.
ProfileRequest mergeRequest(const ProfileRequest &arguments,
                            const QHash<QString, QString> &environment, QString *error = nullptr);

} // namespace torchlab
