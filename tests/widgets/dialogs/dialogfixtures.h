#pragma once

// A plausible machine for the dialog tests: Debian's CPU LibTorch 1.13, clang++ 14
// and g++ 12, no NVIDIA driver (the 2-core CI box the lab is developed on).

#include "core/toolchain/toolchaindiscovery.h"

namespace dialogfixtures {

inline torchlab::DiscoveryResult debianMachine()
{
    using namespace torchlab;
    DiscoveryResult d;
    LibTorchInstall debian;
    debian.kind = LibTorchInstall::Kind::Debian;
    debian.root = QStringLiteral("/usr");
    debian.version = QStringLiteral("1.13.0");
    debian.versionMajor = 1;
    debian.versionMinor = 13;
    debian.gloo = true;
    debian.includeDirs = {QStringLiteral("/usr/include"),
                          QStringLiteral("/usr/include/torch/csrc/api/include")};
    debian.libDir = QStringLiteral("/usr/lib/x86_64-linux-gnu");
    debian.defines = {QStringLiteral("_GLIBCXX_USE_CXX11_ABI=1"), QStringLiteral("USE_C10D_GLOO")};
    debian.libraries = {QStringLiteral("-ltorch"), QStringLiteral("-ltorch_cpu"),
                        QStringLiteral("-lc10")};
    debian.source = QStringLiteral("libtorch-dev");
    d.installs << debian;

    LibTorchInstall broken;
    broken.kind = LibTorchInstall::Kind::Zip;
    broken.root = QStringLiteral("/opt/libtorch");
    broken.version = QStringLiteral("2.4.1");
    broken.source = QStringLiteral("/opt/libtorch");
    broken.problems << QStringLiteral("include/torch/torch.h is missing");
    d.installs << broken;

    CompilerInfo clang;
    clang.kind = CompilerInfo::Kind::Clang;
    clang.path = QStringLiteral("/usr/bin/clang++");
    clang.version = QStringLiteral("14.0.6");
    clang.versionMajor = 14;
    clang.lld = true;
    clang.versionText = QStringLiteral("Debian clang version 14.0.6");
    clang.defaultCxx11Abi = 1;
    CompilerInfo gcc;
    gcc.kind = CompilerInfo::Kind::Gcc;
    gcc.path = QStringLiteral("/usr/bin/g++");
    gcc.version = QStringLiteral("12.2.0");
    gcc.versionMajor = 12;
    gcc.versionText = QStringLiteral("g++ (Debian 12.2.0-14) 12.2.0");
    gcc.defaultCxx11Abi = 1;
    d.compilers << clang << gcc;
    d.lldPath = QStringLiteral("/usr/bin/ld.lld");
    d.python3Path = QStringLiteral("/usr/bin/python3");
    return d;
}

} // namespace dialogfixtures
