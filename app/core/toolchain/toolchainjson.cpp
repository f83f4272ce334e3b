#include "core/toolchain/toolchainjson.h"

#include <QJsonArray>

namespace torchlab::ToolchainJson {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

} // namespace

QString kindName(LibTorchInstall::Kind kind)
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
    return QString();
}

QString kindName(CompilerInfo::Kind kind)
{
    switch (kind) {
    case CompilerInfo::Kind::Clang:
        return QStringLiteral("clang");
    case CompilerInfo::Kind::Gcc:
        return QStringLiteral("gcc");
    case CompilerInfo::Kind::Nvcc:
        return QStringLiteral("nvcc");
    }
    return QString();
}

QJsonObject toJson(const LibTorchInstall &install)
{
    return QJsonObject{
        {QStringLiteral("id"), install.id()},
        {QStringLiteral("kind"), kindName(install.kind)},
        {QStringLiteral("displayName"), install.displayName()},
        {QStringLiteral("root"), install.root},
        {QStringLiteral("version"), install.version},
        {QStringLiteral("versionMajor"), install.versionMajor},
        {QStringLiteral("versionMinor"), install.versionMinor},
        {QStringLiteral("cuda"), install.cuda},
        {QStringLiteral("cudaVersion"), install.cudaVersion},
        {QStringLiteral("cxx11Abi"), install.cxx11Abi},
        {QStringLiteral("cxxStandard"), install.cxxStandard},
        {QStringLiteral("gloo"), install.gloo},
        {QStringLiteral("nccl"), install.nccl},
        {QStringLiteral("includeDirs"), toArray(install.includeDirs)},
        {QStringLiteral("libDir"), install.libDir},
        {QStringLiteral("defines"), toArray(install.defines)},
        {QStringLiteral("libraries"), toArray(install.libraries)},
        {QStringLiteral("source"), install.source},
        {QStringLiteral("versionFile"), install.versionFile},
        {QStringLiteral("usable"), install.usable()},
        {QStringLiteral("problems"), toArray(install.problems)},
        {QStringLiteral("notes"), toArray(install.notes)},
    };
}

LibTorchInstall installFromJson(const QJsonObject &o)
{
    LibTorchInstall install;
    const QString kind = o.value(QStringLiteral("kind")).toString();
    for (auto k : {LibTorchInstall::Kind::Debian, LibTorchInstall::Kind::PipTorch,
                   LibTorchInstall::Kind::Zip, LibTorchInstall::Kind::TorchDir}) {
        if (kindName(k) == kind)
            install.kind = k;
    }
    install.root = o.value(QStringLiteral("root")).toString();
    install.version = o.value(QStringLiteral("version")).toString();
    install.versionMajor = o.value(QStringLiteral("versionMajor")).toInt();
    install.versionMinor = o.value(QStringLiteral("versionMinor")).toInt();
    install.cuda = o.value(QStringLiteral("cuda")).toBool();
    install.cudaVersion = o.value(QStringLiteral("cudaVersion")).toString();
    install.cxx11Abi = o.value(QStringLiteral("cxx11Abi")).toInt(1);
    install.cxxStandard = o.value(QStringLiteral("cxxStandard")).toInt(17);
    install.gloo = o.value(QStringLiteral("gloo")).toBool();
    install.nccl = o.value(QStringLiteral("nccl")).toBool();
    install.includeDirs = toList(o.value(QStringLiteral("includeDirs")));
    install.libDir = o.value(QStringLiteral("libDir")).toString();
    install.defines = toList(o.value(QStringLiteral("defines")));
    install.libraries = toList(o.value(QStringLiteral("libraries")));
    install.source = o.value(QStringLiteral("source")).toString();
    install.versionFile = o.value(QStringLiteral("versionFile")).toString();
    install.problems = toList(o.value(QStringLiteral("problems")));
    install.notes = toList(o.value(QStringLiteral("notes")));
    return install;
}

QJsonObject toJson(const CompilerInfo &compiler)
{
    return QJsonObject{
        {QStringLiteral("id"), compiler.id()},
        {QStringLiteral("kind"), kindName(compiler.kind)},
        {QStringLiteral("displayName"), compiler.displayName()},
        {QStringLiteral("path"), compiler.path},
        {QStringLiteral("version"), compiler.version},
        {QStringLiteral("versionMajor"), compiler.versionMajor},
        {QStringLiteral("versionMinor"), compiler.versionMinor},
        {QStringLiteral("versionText"), compiler.versionText},
        {QStringLiteral("lld"), compiler.lld},
        {QStringLiteral("defaultCxx11Abi"), compiler.defaultCxx11Abi},
        {QStringLiteral("dualAbi"), compiler.dualAbi},
    };
}

CompilerInfo compilerFromJson(const QJsonObject &o)
{
    CompilerInfo compiler;
    const QString kind = o.value(QStringLiteral("kind")).toString();
    for (auto k : {CompilerInfo::Kind::Clang, CompilerInfo::Kind::Gcc, CompilerInfo::Kind::Nvcc}) {
        if (kindName(k) == kind)
            compiler.kind = k;
    }
    compiler.path = o.value(QStringLiteral("path")).toString();
    compiler.version = o.value(QStringLiteral("version")).toString();
    compiler.versionMajor = o.value(QStringLiteral("versionMajor")).toInt();
    compiler.versionMinor = o.value(QStringLiteral("versionMinor")).toInt();
    compiler.versionText = o.value(QStringLiteral("versionText")).toString();
    compiler.lld = o.value(QStringLiteral("lld")).toBool();
    compiler.defaultCxx11Abi = o.value(QStringLiteral("defaultCxx11Abi")).toInt(-1);
    compiler.dualAbi = o.value(QStringLiteral("dualAbi")).toBool(true);
    return compiler;
}

QJsonObject toJson(const ToolchainProfile &profile)
{
    return QJsonObject{
        {QStringLiteral("key"), profile.key()},
        {QStringLiteral("compiler"), toJson(profile.compiler)},
        {QStringLiteral("libtorch"), toJson(profile.libtorch)},
        {QStringLiteral("useCuda"), profile.useCuda},
        {QStringLiteral("compileFlags"), toArray(profile.compileFlags)},
        {QStringLiteral("linkFlags"), toArray(profile.linkFlags)},
        {QStringLiteral("nvcc"),
         profile.hasNvcc() ? QJsonValue(toJson(profile.nvcc)) : QJsonValue()},
        {QStringLiteral("nvccHost"), profile.nvccHost},
        {QStringLiteral("nvccFlags"), toArray(profile.nvccFlags)},
        {QStringLiteral("cudaRuntimeLinkFlags"), toArray(profile.cudaRuntimeLinkFlags)},
    };
}

ToolchainProfile profileFromJson(const QJsonObject &o)
{
    ToolchainProfile p;
    p.compiler = compilerFromJson(o.value(QStringLiteral("compiler")).toObject());
    p.libtorch = installFromJson(o.value(QStringLiteral("libtorch")).toObject());
    p.useCuda = o.value(QStringLiteral("useCuda")).toBool();
    p.compileFlags = toList(o.value(QStringLiteral("compileFlags")));
    p.linkFlags = toList(o.value(QStringLiteral("linkFlags")));
    if (o.value(QStringLiteral("nvcc")).isObject())
        p.nvcc = compilerFromJson(o.value(QStringLiteral("nvcc")).toObject());
    p.nvccHost = o.value(QStringLiteral("nvccHost")).toString();
    p.nvccFlags = toList(o.value(QStringLiteral("nvccFlags")));
    p.cudaRuntimeLinkFlags = toList(o.value(QStringLiteral("cudaRuntimeLinkFlags")));
    return p;
}

} // namespace torchlab::ToolchainJson
