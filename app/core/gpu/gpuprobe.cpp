#include "core/gpu/gpuprobe.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

namespace torchlab {

namespace {

// Qualified calls through this class file the texts under torchlab::GpuProbe
// for both lupdate and QCoreApplication::translate.
struct ProbeText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::GpuProbe)
};

} // namespace

QString formatBytes(quint64 bytes)
{
    const double gib = double(bytes) / double(1ull << 30);
    if (gib >= 1.0)
        return QStringLiteral("%1 GiB").arg(gib >= 10 ? QString::number(qRound(gib))
                                                      : QString::number(gib, 'f', 1));
    const double mib = double(bytes) / double(1ull << 20);
    return QStringLiteral("%1 MiB").arg(qRound(mib));
}

QString driverVersionFromProcText(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral(R"(Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?))"));
    const auto match = re.match(text);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString GpuProbe::stateName(State state)
{
    switch (state) {
    case State::NoLibrary:
        return QStringLiteral("no-library");
    case State::InitFailed:
        return QStringLiteral("init-failed");
    case State::NoDevice:
        return QStringLiteral("no-device");
    case State::Ok:
        return QStringLiteral("ok");
    }
    return QString();
}

QString GpuProbe::whyNoGpu() const
{
    switch (state) {
    case State::Ok:
        return devices.isEmpty() ? ProbeText::tr("the NVIDIA driver reports no GPU") : QString();
    case State::NoDevice:
        return ProbeText::tr("the NVIDIA driver%1 is installed but reports no GPU")
            .arg(driverVersion.isEmpty() ? QString() : QLatin1Char(' ') + driverVersion);
    case State::InitFailed:
        return ProbeText::tr("the NVIDIA management library could not start (%1)").arg(reason);
    case State::NoLibrary:
        break;
    }
    // The driver files tell apart "no driver at all" from "driver without its
    // user-space library" (a container without the NVIDIA runtime, a
    // half-finished install).
    const QString library =
        reason.isEmpty() ? ProbeText::tr("libnvidia-ml.so.1 is not installed") : reason;
    if (kernelModulePresent || deviceNodePresent) {
        return ProbeText::tr("the NVIDIA kernel driver%1 is loaded but %2; install the driver's "
                             "user-space libraries (or run the container with the NVIDIA runtime)")
            .arg(driverVersion.isEmpty() ? QString() : QLatin1Char(' ') + driverVersion, library);
    }
    return ProbeText::tr("%1 and no NVIDIA kernel driver is loaded").arg(library);
}

QString GpuProbe::summary() const
{
    if (!hasGpu())
        return ProbeText::tr("No NVIDIA GPU was found: %1.").arg(whyNoGpu());
    QStringList parts;
    for (const GpuDevice &device : devices)
        parts << QStringLiteral("%1 (%2)").arg(device.name, formatBytes(device.memoryTotal));
    QString text = parts.join(QStringLiteral(", "));
    QStringList driver;
    if (!driverVersion.isEmpty())
        driver << ProbeText::tr("driver %1").arg(driverVersion);
    if (!cudaDriverVersion.isEmpty())
        driver << ProbeText::tr("supports CUDA %1").arg(cudaDriverVersion);
    if (!driver.isEmpty())
        text += QStringLiteral("; ") + driver.join(QStringLiteral(", "));
    return text;
}

} // namespace torchlab
