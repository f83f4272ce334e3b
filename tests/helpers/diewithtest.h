#pragma once

// Daemons a test starts (sshd, nginx, slurmctld, ...) end with the test
// process even when it aborts (a QFATAL timeout skips every cleanup): left
// running, they would hold ports, nodes and queues for the next test.
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>

namespace torchlab::testing {

inline void dieWithTest(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

} // namespace torchlab::testing
