#pragma once

#include "core/run/runlimits.h"

#include <QString>

#include <array>
#include <sys/resource.h>
#include <sys/types.h>

namespace torchlab {

// What ProcessRunner does in the child between fork and exec, prepared in the
// parent so that apply() only makes async-signal-safe system calls (no
// allocation, no locks: the parent may have other threads holding malloc's).
//
// apply() puts the child in its own process group, resets signal mask and
// dispositions, lowers its priority, enlarges its stdout/stderr pipes, sets
// the rlimits of RunLimits (never RLIMIT_AS), keeps the
// metrics pipe open across exec, optionally switches uid/gid, and asks for
// SIGKILL if the runner's thread dies. If a step fails it writes a Failure
// record to `errorFd` (close-on-exec, so exec closes it on success) and exits
// with status 127.
struct ChildSetup
{
    enum Step : int
    {
        NoStep,
        ProcessGroup,
        Limit,
        KeepFd,
        SetGroups,
        SetGid,
        SetUid,
        ParentGone
    };
    struct Failure
    {
        int step = NoStep;
        int error = 0;    // errno
        int resource = 0; // for Step::Limit
    };

    void prepare(const RunLimits &limits, int keepFd, int errorFd, int uid, int gid);
    void apply() const noexcept;

    static QString describe(const Failure &failure);

    struct Rlimit
    {
        int resource;
        rlim_t value; // soft limit
        rlim_t hard;
    };
    std::array<Rlimit, 8> rlimits{};
    int rlimitCount = 0;
    int keepFd = -1;
    int errorFd = -1;
    int nice = 0; // absolute nice value for the child
    bool changeNice = false;
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
    pid_t parentPid = 0;
};

} // namespace torchlab
