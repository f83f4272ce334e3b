#pragma once

// For tests that compile real LibTorch code: the profile the lab would pick on
// this machine. Returns an invalid profile (and the reason) when the machine
// has no LibTorch or compiler, so tests can QSKIP with that reason.
#include "core/gpu/nvml.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchaindiscovery.h"

namespace torchlab::testing {

inline ToolchainProfile machineProfile(QString *why = nullptr)
{
    const DiscoveryResult discovery = ToolchainDiscovery::discover();
    const ProfileChoice choice = ProfileChooser::choose(discovery, probeGpu(), ProfileRequest());
    if (!choice.ok && why)
        *why = choice.error;
    return choice.ok ? choice.profile : ToolchainProfile();
}

} // namespace torchlab::testing

namespace torchlab::testing {

// The CLI tests share one cache (TORCHLAB_TEST_PCH_CACHE) so the precompiled
// header is built once for all of them: it becomes this process's
// XDG_CACHE_HOME (and so its children's), and TORCHLAB_DEVICE is cleared.
inline QString useSharedCache()
{
    QString cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
    if (cache.isEmpty())
        cache = QStringLiteral(TORCHLAB_TEST_BINARY_DIR "/shared-pch-cache");
    qputenv("XDG_CACHE_HOME", cache.toUtf8());
    qunsetenv("TORCHLAB_DEVICE");
    return cache;
}

} // namespace torchlab::testing
