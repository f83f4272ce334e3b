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
