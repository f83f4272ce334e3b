#include "cli/profileoptions.h"

#include "core/gpu/nvml.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchaindiscovery.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace torchlab::cli {

void addProfileOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("device"),
                      QStringLiteral("cpu, cuda or auto (default: TORCHLAB_DEVICE, else auto)."),
                      QStringLiteral("device")});
    parser.addOption({QStringLiteral("libtorch"),
                      QStringLiteral("LibTorch install to use: its root folder "
                                     "(default: TORCHLAB_LIBTORCH, else the best one found)."),
                      QStringLiteral("path")});
    parser.addOption(
        {QStringLiteral("compiler"),
         QStringLiteral("C++ compiler to use (default: TORCHLAB_COMPILER, else clang++, "
                        "else g++)."),
         QStringLiteral("path")});
}

ResolvedProfile resolveProfile(const QCommandLineParser &parser)
{
    ResolvedProfile out;
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        env.insert(key, system.value(key));

    QString error;
    ProfileRequest request = ProfileRequest::fromEnvironment(env, &error);
    if (!error.isEmpty()) {
        out.error = error;
        return out;
    }
    DiscoveryOptions options;
    if (parser.isSet(QStringLiteral("libtorch"))) {
        const QString root =
            QDir::cleanPath(QFileInfo(parser.value(QStringLiteral("libtorch"))).absoluteFilePath());
        request.libtorch = root;
        request.libtorchOrigin = QStringLiteral("--libtorch");
        options.extraLibTorchRoots << root;
    } else if (!request.libtorch.isEmpty() && QFileInfo(request.libtorch).isDir()) {
        options.extraLibTorchRoots << request.libtorch;
    }
    if (parser.isSet(QStringLiteral("compiler"))) {
        QString path = parser.value(QStringLiteral("compiler"));
        if (!path.contains(QLatin1Char('/'))) {
            for (const QString &dir : options.effectivePathDirs()) {
                if (QFileInfo(dir + QLatin1Char('/') + path).isExecutable()) {
                    path = dir + QLatin1Char('/') + path;
                    break;
                }
            }
        }
        request.compiler = QFileInfo(path).absoluteFilePath();
        request.compilerOrigin = QStringLiteral("--compiler");
        options.extraCompilers << request.compiler;
    } else if (!request.compiler.isEmpty()) {
        options.extraCompilers << request.compiler;
    }
    if (parser.isSet(QStringLiteral("device")) &&
        !request.setDevice(parser.value(QStringLiteral("device")), QStringLiteral("--device"))) {
        out.error = QStringLiteral("--device takes cpu, cuda or auto, not '%1'.")
                        .arg(parser.value(QStringLiteral("device")));
        return out;
    }

    const DiscoveryResult discovery = ToolchainDiscovery::discover(options);
    const GpuProbe gpu = probeGpu();
    const ProfileChoice choice = ProfileChooser::choose(discovery, gpu, request);
    if (!choice.ok) {
        out.error = choice.error + QStringLiteral(" Run `torchlab-cli doctor` for details.");
        return out;
    }
    out.profile = choice.profile;
    out.reason = choice.reason;
    out.warnings = choice.warnings;
    return out;
}

} // namespace torchlab::cli
