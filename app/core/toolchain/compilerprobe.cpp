#include "core/toolchain/compilerprobe.h"

#include "core/toolchain/toolchainparsers.h"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace torchlab::CompilerProbe {

ToolOutput runTool(const QString &program, const QStringList &arguments,
                   const QHash<QString, QString> &environment, const QByteArray &input,
                   int timeoutMs)
{
    ToolOutput result;
    QProcess process;
    QProcessEnvironment env;
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    // Plain English output, whatever the learner's locale: the parsers match words.
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    process.setProcessEnvironment(env);
    process.setProgram(program);
    process.setArguments(arguments);
    process.start(QIODevice::ReadWrite);
    if (!process.waitForStarted(timeoutMs)) {
        result.error =
            QStringLiteral("%1 could not be started: %2").arg(program, process.errorString());
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.error =
            QStringLiteral("%1 did not answer within %2 s").arg(program).arg(timeoutMs / 1000.0);
        return result;
    }
    result.output = QString::fromLocal8Bit(process.readAllStandardOutput()) +
                    QString::fromLocal8Bit(process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        result.error = QStringLiteral("%1 %2 failed (exit code %3)")
                           .arg(program, arguments.join(QLatin1Char(' ')))
                           .arg(process.exitCode());
        return result;
    }
    result.ok = true;
    return result;
}

std::optional<CompilerInfo> probe(const QString &path, const QHash<QString, QString> &environment,
                                  const QString &lldPath, int timeoutMs, QString *error)
{
    const ToolOutput version =
        runTool(path, {QStringLiteral("--version")}, environment, {}, timeoutMs);
    if (!version.ok) {
        if (error)
            *error = version.error;
        return std::nullopt;
    }
    const auto parsed = ToolchainParsers::parseCompilerVersion(version.output);
    if (!parsed.recognised) {
        if (error)
            *error = QStringLiteral("%1 is not a compiler TorchLab knows (it said: %2)")
                         .arg(path, parsed.firstLine);
        return std::nullopt;
    }

    CompilerInfo info;
    info.kind = parsed.kind;
    info.path = QFileInfo(path).absoluteFilePath();
    info.version = parsed.version;
    info.versionMajor = parsed.major;
    info.versionMinor = parsed.minor;
    info.versionText = parsed.firstLine;
    if (info.kind == CompilerInfo::Kind::Nvcc)
        return info;

    info.lld = !lldPath.isEmpty();
    // libstdc++ decides the ABI in bits/c++config.h; <cstddef> pulls it in
    // and -dM shows the final macro values.
    const ToolOutput macros =
        runTool(path,
                {QStringLiteral("-x"), QStringLiteral("c++"), QStringLiteral("-E"),
                 QStringLiteral("-dM"), QStringLiteral("-")},
                environment, QByteArrayLiteral("#include <cstddef>\n"), timeoutMs);
    if (macros.ok) {
        const auto abi = ToolchainParsers::parseAbiMacros(macros.output);
        info.defaultCxx11Abi = abi.defaultAbi;
        info.dualAbi = abi.dualAbi;
    }
    return info;
}

} // namespace torchlab::CompilerProbe
