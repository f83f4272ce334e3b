// Text and JSON renderings of EnvironmentReport (declared in environmentreport.h).
#include "core/doctor/environmentreport.h"

#include "core/labconfig.h"
#include "core/runner/runstream.h"
#include "core/toolchain/toolchainjson.h"

#include <QJsonArray>
#include <QSysInfo>
#include <QTextStream>

namespace torchlab {

namespace {

constexpr int kWidth = 100;

// Wraps `text` to kWidth columns; continuation lines get `indent` spaces.
QString wrap(const QString &text, int firstColumn, int indent)
{
    QString out;
    int column = firstColumn;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        if (column > indent && column + 1 + word.size() > kWidth) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            column = indent;
        } else if (column > indent ||
                   (column == indent && !out.isEmpty() && !out.endsWith(QLatin1Char(' ')))) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += word;
        column += int(word.size());
    }
    return out;
}

QString row(const QString &label, const QString &value, int labelWidth = 14)
{
    const QString head = QStringLiteral("  ") + label.leftJustified(labelWidth) + QLatin1Char(' ');
    return head + wrap(value, int(head.size()), int(head.size())) + QLatin1Char('\n');
}

QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

QString flagsLine(const QStringList &flags)
{
    // -isystem and its folder stay on one line.
    QStringList joined;
    for (qsizetype i = 0; i < flags.size(); ++i) {
        if (flags.at(i) == QLatin1String("-isystem") && i + 1 < flags.size()) {
            joined << flags.at(i) + QStringLiteral("\u00a0") + flags.at(i + 1);
            ++i;
        } else {
            joined << flags.at(i);
        }
    }
    return joined.join(QLatin1Char(' '));
}

} // namespace

QString EnvironmentReport::toText() const
{
    QString text;
    QTextStream out(&text);
    out << "TorchLab doctor " << TORCHLAB_VERSION << "\n\n";

    out << "GPU\n";
    if (gpu.hasGpu()) {
        for (const GpuDevice &device : gpu.devices)
            out << row(QStringLiteral("cuda:%1").arg(device.index),
                       QStringLiteral("%1, %2 (%3 in use)")
                           .arg(device.name, formatBytes(device.memoryTotal),
                                formatBytes(device.memoryUsed)));
    } else {
        out << row(QStringLiteral("state"),
                   QStringLiteral("no NVIDIA GPU: %1").arg(gpu.whyNoGpu()));
    }
    out << row(QStringLiteral("driver"),
               gpu.driverVersion.isEmpty() ? QStringLiteral("not found") : gpu.driverVersion);
    out << row(QStringLiteral("driver CUDA"),
               gpu.cudaDriverVersion.isEmpty() ? QStringLiteral("unknown") : gpu.cudaDriverVersion);
    out << row(QStringLiteral("NVML"),
               QStringLiteral("%1 (%2)").arg(gpu.libraryPath, GpuProbe::stateName(gpu.state)));
    out << row(QStringLiteral("/dev/nvidia0"),
               gpu.deviceNodePresent ? QStringLiteral("present") : QStringLiteral("missing"));
    out << row(QStringLiteral("kernel module"),
               gpu.kernelModulePresent ? QStringLiteral("loaded") : QStringLiteral("not loaded"));

    out << "\nLibTorch installs (* = chosen)\n";
    if (discovery.installs.isEmpty())
        out << "  none found\n";
    for (const LibTorchInstall &install : discovery.installs) {
        const bool chosen = choice.ok && choice.profile.libtorch.id() == install.id();
        out << (chosen ? "  * " : "    ") << install.displayName() << "\n";
        QString details = QStringLiteral("%1, found by %2, ABI %3, C++%4, Gloo %5, NCCL %6")
                              .arg(install.root, install.source)
                              .arg(install.cxx11Abi)
                              .arg(install.cxxStandard)
                              .arg(yesNo(install.gloo), yesNo(install.nccl));
        out << "      " << wrap(details, 6, 8) << "\n";
        for (const QString &problem : install.problems)
            out << "      " << wrap(QStringLiteral("unusable: ") + problem, 6, 8) << "\n";
    }

    out << "\nCompilers (* = chosen)\n";
    if (discovery.compilers.isEmpty())
        out << "  none found\n";
    int nameWidth = 0;
    for (const CompilerInfo &compiler : discovery.compilers)
        nameWidth = qMax(nameWidth, int(compiler.displayName().size()));
    for (const CompilerInfo &compiler : discovery.compilers) {
        const bool chosen = choice.ok && choice.profile.compiler.path == compiler.path;
        QString extra;
        if (compiler.kind != CompilerInfo::Kind::Nvcc) {
            extra = compiler.lld ? QStringLiteral("  lld") : QString();
            if (compiler.defaultCxx11Abi >= 0)
                extra += QStringLiteral("  libstdc++ ABI %1%2")
                             .arg(compiler.defaultCxx11Abi)
                             .arg(compiler.dualAbi ? QStringLiteral(" (both)") : QString());
        }
        const QString line = QLatin1String(chosen ? "  * " : "    ") +
                             compiler.displayName().leftJustified(nameWidth) +
                             QStringLiteral("  ") + compiler.path;
        if (line.size() + extra.size() <= kWidth)
            out << line << extra << "\n";
        else
            out << line << "\n"
                << QString(nameWidth + 6, QLatin1Char(' ')) << extra.trimmed() << "\n";
    }

    out << "\nProfile\n";
    if (choice.ok) {
        out << row(QStringLiteral("choice"), choice.reason, 8);
        out << row(QStringLiteral("device"),
                   choice.profile.useCuda ? QStringLiteral("cuda:0") : QStringLiteral("cpu"), 8);
        out << row(QStringLiteral("compile"), flagsLine(choice.profile.compileFlags), 8)
                   .replace(QChar(0x00a0), QLatin1Char(' '));
        out << row(QStringLiteral("link"), flagsLine(choice.profile.linkFlags), 8);
        out << row(QStringLiteral("key"), choice.profile.key().left(16), 8);
    } else {
        out << row(QStringLiteral("none"), choice.error, 8);
    }

    out << "\nSandbox\n";
    out << row(QStringLiteral("bubblewrap"),
               sandbox.status.bwrap.isEmpty()
                   ? QStringLiteral("not installed")
                   : QStringLiteral("%1 (%2)").arg(sandbox.status.bwrap, sandbox.status.version));
    out << row(QStringLiteral("state"),
               sandbox.status.available ? QStringLiteral("works here")
                                        : QStringLiteral("unavailable: ") + sandbox.status.reason);
    out << row(QStringLiteral("setting"), sandboxModeName(sandbox.mode));
    out << row(QStringLiteral("cgroup v2"),
               QStringLiteral("%1; user manager %2; per-run scopes are not used")
                   .arg(sandbox.cgroupV2 ? QStringLiteral("mounted")
                                         : QStringLiteral("not mounted (cgroup v1)"),
                        sandbox.userManager ? QStringLiteral("reachable")
                                            : QStringLiteral("not reachable")));
    out << row(QStringLiteral("processes"), sandbox.processLimit());

    out << "\nVerdicts\n";
    for (const Verdict &v : verdicts) {
        const QString tag =
            QStringLiteral("[%1]").arg(Verdict::severityName(v.severity)).leftJustified(10);
        out << "  " << tag << v.title << "\n";
        out << "            " << wrap(v.explanation, 12, 12) << "\n";
        if (!v.fix.isEmpty())
            out << "            " << wrap(QStringLiteral("Fix: ") + v.fix, 12, 12) << "\n";
    }
    for (const QString &note : discovery.notes)
        out << "  [note]    " << wrap(note, 12, 12) << "\n";

    out << "\n"
        << QStringLiteral("Discovery took %1 ms%2.")
               .arg(QString::number(discovery.elapsedUs / 1000.0, 'f', 1),
                    discovery.fromCache
                        ? QStringLiteral(" (cached; nothing it looked at has changed)")
                        : QStringLiteral(" (fresh: ran python3 and each compiler)"))
        << "\n";
    return text;
}

QJsonObject EnvironmentReport::toJson() const
{
    QJsonArray devices;
    for (const GpuDevice &device : gpu.devices) {
        devices.append(QJsonObject{{QStringLiteral("index"), device.index},
                                   {QStringLiteral("name"), device.name},
                                   {QStringLiteral("memoryTotal"), double(device.memoryTotal)},
                                   {QStringLiteral("memoryUsed"), double(device.memoryUsed)}});
    }
    const QJsonObject gpuObject{
        {QStringLiteral("state"), GpuProbe::stateName(gpu.state)},
        {QStringLiteral("hasGpu"), gpu.hasGpu()},
        {QStringLiteral("summary"), gpu.summary()},
        {QStringLiteral("reason"), gpu.reason},
        {QStringLiteral("library"), gpu.libraryPath},
        {QStringLiteral("driverVersion"), gpu.driverVersion},
        {QStringLiteral("cudaDriverVersion"), gpu.cudaDriverVersion},
        {QStringLiteral("deviceNodePresent"), gpu.deviceNodePresent},
        {QStringLiteral("kernelModulePresent"), gpu.kernelModulePresent},
        {QStringLiteral("devices"), devices},
    };
    QJsonArray installs;
    for (const LibTorchInstall &install : discovery.installs)
        installs.append(ToolchainJson::toJson(install));
    QJsonArray compilers;
    for (const CompilerInfo &compiler : discovery.compilers)
        compilers.append(ToolchainJson::toJson(compiler));
    QJsonArray verdictArray;
    for (const Verdict &v : verdicts) {
        verdictArray.append(
            QJsonObject{{QStringLiteral("id"), v.id},
                        {QStringLiteral("severity"), Verdict::severityName(v.severity)},
                        {QStringLiteral("title"), v.title},
                        {QStringLiteral("explanation"), v.explanation},
                        {QStringLiteral("fix"), v.fix}});
    }
    return QJsonObject{
        {QStringLiteral("schema"), 1},
        {QStringLiteral("torchlabVersion"), QStringLiteral(TORCHLAB_VERSION)},
        {QStringLiteral("protocol"), runstream::ProtocolVersion},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("gpu"), gpuObject},
        {QStringLiteral("libtorch"), installs},
        {QStringLiteral("compilers"), compilers},
        {QStringLiteral("lldPath"), discovery.lldPath},
        {QStringLiteral("profile"),
         choice.ok ? QJsonValue(ToolchainJson::toJson(choice.profile)) : QJsonValue()},
        {QStringLiteral("reason"), choice.ok ? choice.reason : choice.error},
        {QStringLiteral("verdicts"), verdictArray},
        {QStringLiteral("sandbox"),
         QJsonObject{{QStringLiteral("available"), sandbox.status.available},
                     {QStringLiteral("bwrap"), sandbox.status.bwrap},
                     {QStringLiteral("version"), sandbox.status.version},
                     {QStringLiteral("reason"), sandbox.status.reason},
                     {QStringLiteral("mode"), sandboxModeName(sandbox.mode)},
                     {QStringLiteral("cgroupV2"), sandbox.cgroupV2},
                     {QStringLiteral("userManager"), sandbox.userManager},
                     {QStringLiteral("processLimit"), sandbox.processLimit()}}},
        {QStringLiteral("worst"), Verdict::severityName(worst())},
        {QStringLiteral("notes"), QJsonArray::fromStringList(discovery.notes)},
        {QStringLiteral("discovery"),
         QJsonObject{{QStringLiteral("fromCache"), discovery.fromCache},
                     {QStringLiteral("elapsedMs"), discovery.elapsedUs / 1000.0}}},
    };
}

} // namespace torchlab
