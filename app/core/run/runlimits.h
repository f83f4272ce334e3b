#pragma once

#include <QtGlobal>

namespace torchlab {

// Limits applied to one child process group. Zero means "no limit" for every
// field. They are set in the child between fork and exec (setrlimit), except
// the wall clock, the RSS watchdog and the output caps, which the host enforces.
//
// There is deliberately no address-space limit: CUDA reserves 13-17 GiB of
// virtual address space at start-up and fails with a misleading "out of
// memory" under RLIMIT_AS (docs/reliability.md row 7). Memory is capped with
// RLIMIT_DATA plus a host-side RSS watchdog over the whole process group.
struct RunLimits
{
    int cpuSeconds = 60;                // RLIMIT_CPU per process (SIGXCPU, then SIGKILL)
    int wallMs = 120'000;               // host timer; the whole group is killed
    qint64 memoryBytes = 8LL << 30;     // RLIMIT_DATA and the RSS watchdog's limit
    qint64 fileSizeBytes = 256LL << 20; // RLIMIT_FSIZE (SIGXFSZ)
    int openFiles = 1024;               // RLIMIT_NOFILE
    int maxProcesses = 0;               // RLIMIT_NPROC; only enforced for a non-root uid
    int runProcesses = 1024;            // the watchdog stops a run with more processes at once
    qint64 keepOutputBytes = 1 << 20;   // per stream: this much head and this much tail are kept
    qint64 hardOutputBytes = 0;         // total stdout+stderr after which the group is killed
    int rssPollMs = 100;                // RSS watchdog period
    int niceIncrement = 10;             // added to the host's nice value (capped at 19): a program
                                        // that saturates every core still leaves the host's event
                                        // loop its share; on an idle machine it changes nothing
};

} // namespace torchlab
