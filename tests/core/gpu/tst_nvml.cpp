#include "core/gpu/nvml.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <dlfcn.h>

using namespace torchlab;

namespace {

const QString kFake = QStringLiteral(FAKE_NVML);
const QString kLegacy = QStringLiteral(FAKE_NVML_LEGACY);
const QString kNoInit = QStringLiteral(FAKE_NVML_NOINIT);

const char *const kFakeVariables[] = {
    "FAKE_NVML_INIT_ERROR",  "FAKE_NVML_DEVICE_COUNT", "FAKE_NVML_NAME",   "FAKE_NVML_MEMORY_TOTAL",
    "FAKE_NVML_MEMORY_USED", "FAKE_NVML_MEMORY_ERROR", "FAKE_NVML_DRIVER", "FAKE_NVML_CUDA",
    "FAKE_NVML_PROCESSES",   "TORCHLAB_NVML_LIBRARY"};

// The fake's own record of which entry points were called, read through a
// second handle on the already-loaded library.
QString fakeCalls(const QString &path)
{
    void *handle = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_NOLOAD);
    if (!handle)
        return QStringLiteral("<not loaded>");
    auto calls = reinterpret_cast<const char *(*)()>(::dlsym(handle, "fake_nvml_calls"));
    const QString result = calls ? QString::fromLatin1(calls()) : QString();
    ::dlclose(handle);
    return result;
}

GpuProbeOptions fakeProbe(const QString &library)
{
    GpuProbeOptions options;
    options.libraryPath = library;
    options.deviceNode.clear();
    options.driverProcFile.clear();
    return options;
}

} // namespace

class TestNvml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void probesFakeGpu();
    void severalDevices();
    void noDevice();
    void initFailure_data();
    void initFailure();
    void newestEntryPointsPreferred();
    void fallsBackToOlderEntryPoints();
    void libraryWithoutInitIsRefused();
    void missingLibrary();
    void environmentOverride();
    void driverFilesExplainMissingLibrary();
    void procVersionText_data();
    void procVersionText();
    void processList();
    void cudaVersionEncoding();
    void realMachine();
};

void TestNvml::init()
{
    for (const char *name : kFakeVariables)
        qunsetenv(name);
}

void TestNvml::probesFakeGpu()
{
    const GpuProbe probe = probeGpu(fakeProbe(kFake));
    QCOMPARE(probe.state, GpuProbe::State::Ok);
    QVERIFY(probe.hasGpu());
    QCOMPARE(probe.libraryPath, kFake);
    QCOMPARE(probe.devices.size(), 1);
    QCOMPARE(probe.devices.at(0).index, 0);
    QCOMPARE(probe.devices.at(0).name, QStringLiteral("NVIDIA H100 80GB HBM3"));
    QCOMPARE(probe.devices.at(0).memoryTotal, 85520809984ull);
    QCOMPARE(probe.devices.at(0).memoryUsed, 649068544ull);
    QCOMPARE(probe.driverVersion, QStringLiteral("580.159.04"));
    QCOMPARE(probe.cudaDriverVersion, QStringLiteral("13.0"));
    QCOMPARE(
        probe.summary(),
        QStringLiteral("NVIDIA H100 80GB HBM3 (80 GiB); driver 580.159.04, supports CUDA 13.0"));
    QVERIFY(probe.whyNoGpu().isEmpty());
}

void TestNvml::severalDevices()
{
    qputenv("FAKE_NVML_DEVICE_COUNT", "2");
    qputenv("FAKE_NVML_NAME", "NVIDIA A100-SXM4-40GB");
    qputenv("FAKE_NVML_MEMORY_TOTAL", "42949672960");
    qputenv("FAKE_NVML_CUDA", "12040");
    const GpuProbe probe = probeGpu(fakeProbe(kFake));
    QCOMPARE(probe.devices.size(), 2);
    QCOMPARE(probe.devices.at(1).index, 1);
    QCOMPARE(probe.cudaDriverVersion, QStringLiteral("12.4"));
    QCOMPARE(probe.summary(),
             QStringLiteral("NVIDIA A100-SXM4-40GB (40 GiB), NVIDIA A100-SXM4-40GB (40 GiB); "
                            "driver 580.159.04, supports CUDA 12.4"));
}

void TestNvml::noDevice()
{
    qputenv("FAKE_NVML_DEVICE_COUNT", "0");
    const GpuProbe probe = probeGpu(fakeProbe(kFake));
    QCOMPARE(probe.state, GpuProbe::State::NoDevice);
    QVERIFY(!probe.hasGpu());
    QCOMPARE(probe.summary(), QStringLiteral("No NVIDIA GPU was found: the NVIDIA driver "
                                             "580.159.04 is installed but reports no GPU."));
}

void TestNvml::initFailure_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::newRow("driver not loaded")
        << 9 << "the NVIDIA kernel driver is not loaded; NVML said \"Driver Not Loaded\"";
    QTest::newRow("version mismatch")
        << 18
        << "the NVIDIA library and the loaded kernel driver are different versions; reboot after a "
           "driver "
           "update; NVML said \"RM has detected an NVML/RM version mismatch.\"";
    QTest::newRow("no permission") << 4
                                   << "this user may not open the NVIDIA devices (/dev/nvidia*); "
                                      "NVML said \"Insufficient Permissions\"";
    QTest::newRow("unknown") << 999 << "Unknown Error";
}

void TestNvml::initFailure()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    qputenv("FAKE_NVML_INIT_ERROR", QByteArray::number(code));
    const GpuProbe probe = probeGpu(fakeProbe(kFake));
    QCOMPARE(probe.state, GpuProbe::State::InitFailed);
    QCOMPARE(probe.nvmlError, code);
    QCOMPARE(probe.reason, reason);
    QVERIFY(probe.devices.isEmpty());
    QCOMPARE(probe.summary(),
             QStringLiteral(
                 "No NVIDIA GPU was found: the NVIDIA management library could not start (%1).")
                 .arg(reason));
}

void TestNvml::newestEntryPointsPreferred()
{
    QString error;
    const auto library = NvmlLibrary::load(kFake, &error);
    QVERIFY2(library, qPrintable(error));
    QCOMPARE(library->processQueryFunction(),
             QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v3"));
    QCOMPARE(library->cudaVersionFunction(), QStringLiteral("nvmlSystemGetCudaDriverVersion_v2"));
    QCOMPARE(library->init(), nvml::Success);
    int cuda = 0;
    QCOMPARE(library->cudaDriverVersion(&cuda), nvml::Success);
    QCOMPARE(cuda, 13000);
    nvml::Device device = nullptr;
    QCOMPARE(library->deviceHandle(0, &device), nvml::Success);
    QList<NvmlProcess> processes;
    QCOMPARE(library->computeProcesses(device, &processes), nvml::Success);
    QCOMPARE(library->shutdown(), nvml::Success);
    const QString calls = fakeCalls(kFake);
    QVERIFY2(calls.contains(QStringLiteral("nvmlSystemGetCudaDriverVersion_v2")),
             qPrintable(calls));
    QVERIFY2(calls.contains(QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v3")),
             qPrintable(calls));
    QVERIFY2(calls.contains(QStringLiteral("nvmlDeviceGetHandleByIndex_v2")), qPrintable(calls));
}

void TestNvml::fallsBackToOlderEntryPoints()
{
    qputenv("FAKE_NVML_PROCESSES", "4242:1048576");
    QString error;
    const auto library = NvmlLibrary::load(kLegacy, &error);
    QVERIFY2(library, qPrintable(error));
    QCOMPARE(library->processQueryFunction(),
             QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v2"));
    QCOMPARE(library->cudaVersionFunction(), QStringLiteral("nvmlSystemGetCudaDriverVersion"));
    QCOMPARE(library->init(), nvml::Success);
    int cuda = 0;
    QCOMPARE(library->cudaDriverVersion(&cuda), nvml::Success);
    QCOMPARE(cuda, 13000);
    nvml::Device device = nullptr;
    QCOMPARE(library->deviceHandle(0, &device), nvml::Success);
    QList<NvmlProcess> processes;
    QCOMPARE(library->computeProcesses(device, &processes), nvml::Success);
    QCOMPARE(processes.size(), 1);
    QCOMPARE(processes.at(0).pid, 4242u);
    QCOMPARE(processes.at(0).usedMemory, qint64(1048576));
    library->shutdown();
    const QString calls = fakeCalls(kLegacy);
    QVERIFY2(calls.contains(QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v2")),
             qPrintable(calls));
    QVERIFY2(!calls.contains(QStringLiteral("_v3")), qPrintable(calls));

    // The whole probe works on such a driver too.
    const GpuProbe probe = probeGpu(fakeProbe(kLegacy));
    QCOMPARE(probe.state, GpuProbe::State::Ok);
    QCOMPARE(probe.cudaDriverVersion, QStringLiteral("13.0"));
}

void TestNvml::libraryWithoutInitIsRefused()
{
    QString error;
    QVERIFY(!NvmlLibrary::load(kNoInit, &error));
    QVERIFY2(error.contains(QStringLiteral("lacks nvmlInit_v2")), qPrintable(error));
    const GpuProbe probe = probeGpu(fakeProbe(kNoInit));
    QCOMPARE(probe.state, GpuProbe::State::NoLibrary);
    QVERIFY(probe.reason.contains(QStringLiteral("lacks nvmlInit_v2")));
}

void TestNvml::missingLibrary()
{
    bool notInstalled = false;
    QString error;
    QVERIFY(!NvmlLibrary::load(QStringLiteral("/nonexistent/libnvidia-ml.so.1"), &error,
                               &notInstalled));
    QVERIFY(notInstalled);
    QCOMPARE(error, QStringLiteral("libnvidia-ml.so.1 is not installed"));

    // A file that exists but is not a shared library: a different sentence.
    QTemporaryDir dir;
    const QString bogus = dir.filePath(QStringLiteral("libnvidia-ml.so.1"));
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an ELF file");
    file.close();
    QVERIFY(!NvmlLibrary::load(bogus, &error, &notInstalled));
    QVERIFY(!notInstalled);
    QVERIFY2(error.startsWith(bogus + QStringLiteral(" could not be loaded")), qPrintable(error));
}

void TestNvml::environmentOverride()
{
    QCOMPARE(NvmlLibrary::defaultPath(), QStringLiteral("libnvidia-ml.so.1"));
    qputenv("TORCHLAB_NVML_LIBRARY", kFake.toLocal8Bit());
    QCOMPARE(NvmlLibrary::defaultPath(), kFake);
    GpuProbeOptions options = fakeProbe(QString());
    const GpuProbe probe = probeGpu(options);
    QCOMPARE(probe.libraryPath, kFake);
    QCOMPARE(probe.state, GpuProbe::State::Ok);
}

void TestNvml::driverFilesExplainMissingLibrary()
{
    QTemporaryDir dir;
    const QString node = dir.filePath(QStringLiteral("nvidia0"));
    const QString proc = dir.filePath(QStringLiteral("version"));
    QFile nodeFile(node);
    QVERIFY(nodeFile.open(QIODevice::WriteOnly));
    nodeFile.close();
    QFile procFile(proc);
    QVERIFY(procFile.open(QIODevice::WriteOnly));
    procFile.write(
        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  "
        "(dvs-builder@U16-I3-B03-4-3)  Thu Jun  5 09:35:36 UTC 2025\n"
        "GCC version:  gcc version 13.3.0 (Ubuntu 13.3.0-6ubuntu2~24.04)\n");
    procFile.close();

    GpuProbeOptions options;
    options.libraryPath = QStringLiteral("/nonexistent/libnvidia-ml.so.1");
    options.deviceNode = node;
    options.driverProcFile = proc;
    const GpuProbe probe = probeGpu(options);
    QCOMPARE(probe.state, GpuProbe::State::NoLibrary);
    QVERIFY(probe.deviceNodePresent);
    QVERIFY(probe.kernelModulePresent);
    QCOMPARE(probe.driverVersion, QStringLiteral("580.159.04"));
    QCOMPARE(
        probe.summary(),
        QStringLiteral(
            "No NVIDIA GPU was found: the NVIDIA kernel driver 580.159.04 is loaded but "
            "libnvidia-ml.so.1 is not installed; install the driver's user-space libraries (or "
            "run the container with the NVIDIA runtime)."));
}

void TestNvml::procVersionText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("version");
    QTest::newRow("proprietary") << "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.183.01  "
                                    "Sun May 12 19:39:15 UTC 2024\n"
                                 << "535.183.01";
    QTest::newRow("open module")
        << "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build\n"
        << "580.159.04";
    QTest::newRow("garbage") << "hello\n"
                             << "";
}

void TestNvml::procVersionText()
{
    QFETCH(QString, text);
    QFETCH(QString, version);
    QCOMPARE(driverVersionFromProcText(text), version);
}

void TestNvml::processList()
{
    // More processes than the first buffer holds: the library must retry.
    QByteArray spec;
    for (int i = 0; i < 70; ++i)
        spec += QByteArray::number(1000 + i) + ":" + QByteArray::number((i + 1) * 1024) + ",";
    spec += "2000:na";
    qputenv("FAKE_NVML_PROCESSES", spec);
    QString error;
    const auto library = NvmlLibrary::load(kFake, &error);
    QVERIFY(library);
    QCOMPARE(library->init(), nvml::Success);
    nvml::Device device = nullptr;
    QCOMPARE(library->deviceHandle(0, &device), nvml::Success);
    QList<NvmlProcess> processes;
    QCOMPARE(library->computeProcesses(device, &processes), nvml::Success);
    library->shutdown();
    QCOMPARE(processes.size(), 71);
    QCOMPARE(processes.at(69).pid, 1069u);
    QCOMPARE(processes.at(69).usedMemory, qint64(70 * 1024));
    QCOMPARE(processes.at(70).usedMemory, qint64(-1)); // NVML_VALUE_NOT_AVAILABLE
}

void TestNvml::cudaVersionEncoding()
{
    QCOMPARE(cudaVersionFromNvml(13000), QStringLiteral("13.0"));
    QCOMPARE(cudaVersionFromNvml(12080), QStringLiteral("12.8"));
    QCOMPARE(cudaVersionFromNvml(11040), QStringLiteral("11.4"));
    QCOMPARE(cudaVersionFromNvml(0), QString());
    QCOMPARE(formatBytes(512ull << 20), QStringLiteral("512 MiB"));
    QCOMPARE(formatBytes(3ull << 29), QStringLiteral("1.5 GiB"));
}

void TestNvml::realMachine()
{
    const GpuProbe probe = probeGpu();
    QCOMPARE(probe.libraryPath, QStringLiteral("libnvidia-ml.so.1"));
    void *real = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (real) {
        ::dlclose(real);
        QVERIFY(probe.state != GpuProbe::State::NoLibrary);
        qInfo("this machine has NVML: %s", qPrintable(probe.summary()));
        return;
    }
    QCOMPARE(probe.state, GpuProbe::State::NoLibrary);
    QCOMPARE(probe.reason, QStringLiteral("libnvidia-ml.so.1 is not installed"));
    if (!probe.deviceNodePresent && !probe.kernelModulePresent)
        QCOMPARE(probe.summary(),
                 QStringLiteral("No NVIDIA GPU was found: libnvidia-ml.so.1 is not installed and "
                                "no NVIDIA kernel driver is loaded."));
}

QTEST_GUILESS_MAIN(TestNvml)
#include "tst_nvml.moc"
