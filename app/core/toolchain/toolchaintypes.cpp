#include "core/toolchain/toolchaintypes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>

namespace torchlab {

namespace {

QString kindTag(LibTorchInstall::Kind kind)
{
    switch (kind) {
    case LibTorchInstall::Kind::Debian:
        return QStringLiteral("debian");
    case LibTorchInstall::Kind::PipTorch:
        return QStringLiteral("pip");
    case LibTorchInstall::Kind::Zip:
        return QStringLiteral("zip");
    case LibTorchInstall::Kind::TorchDir:
        return QStringLiteral("torchdir");
    }
    return QStringLiteral("unknown");
}

QString kindLabel(LibTorchInstall::Kind kind)
{
    switch (kind) {
    case LibTorchInstall::Kind::Debian:
        return QStringLiteral("Debian libtorch-dev");
    case LibTorchInstall::Kind::PipTorch:
        return QStringLiteral("pip torch");
    case LibTorchInstall::Kind::Zip:
        return QStringLiteral("LibTorch zip");
    case LibTorchInstall::Kind::TorchDir:
        return QStringLiteral("Torch_DIR");
    }
    return QString();
}

QString compilerName(CompilerInfo::Kind kind)
{
    switch (kind) {
    case CompilerInfo::Kind::Clang:
        return QStringLiteral("clang++");
    case CompilerInfo::Kind::Gcc:
        return QStringLiteral("g++");
    case CompilerInfo::Kind::Nvcc:
        return QStringLiteral("nvcc");
    }
    return QString();
}

} // namespace

QString LibTorchInstall::id() const
{
    return kindTag(kind) + QLatin1Char(':') + root;
}

QString LibTorchInstall::displayName() const
{
    const QString build = cuda ? (cudaVersion.isEmpty() ? QStringLiteral("CUDA")
                                                        : QStringLiteral("CUDA ") + cudaVersion)
                               : QStringLiteral("CPU");
    const QString shownVersion = version.isEmpty() ? QStringLiteral("(unknown version)") : version;
    return QStringLiteral("LibTorch %1 (%2, %3)").arg(shownVersion, build, kindLabel(kind));
}

QString CompilerInfo::id() const
{
    return compilerName(kind) + QLatin1Char('-') + version + QLatin1Char(':') + path;
}

QString CompilerInfo::displayName() const
{
    return version.isEmpty() ? compilerName(kind) : compilerName(kind) + QLatin1Char(' ') + version;
}

QString ToolchainProfile::key() const
{
    // Everything that makes a precompiled header or an object file unusable
    // when it changes: the compiler binary, the LibTorch headers (their version
    // file's mtime catches an in-place upgrade of the same version) and the flags.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QString &part) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    };
    add(QStringLiteral("torchlab-profile-1"));
    add(compiler.id());
    add(compiler.version);
    add(libtorch.id());
    add(libtorch.version);
    const QFileInfo versionFile(libtorch.versionFile);
    add(versionFile.exists() ? QString::number(versionFile.lastModified().toMSecsSinceEpoch())
                             : QString());
    add(useCuda ? QStringLiteral("cuda") : QStringLiteral("cpu"));
    for (const QString &flag : compileFlags)
        add(flag);
    add(QStringLiteral("--link--"));
    for (const QString &flag : linkFlags)
        add(flag);
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace torchlab
