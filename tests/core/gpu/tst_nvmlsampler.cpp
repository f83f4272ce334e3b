#include "core/gpu/nvmlsampler.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <dlfcn.h>
#include <unistd.h>

using namespace torchlab;

namespace {

const QString kFake = QStringLiteral(FAKE_NVML);

int fakeInitCount()
{
    void *handle = ::dlopen(FAKE_NVML, RTLD_NOW | RTLD_NOLOAD);
    if (!handle)
        return -1;
    auto count = reinterpret_cast<int (*)()>(::dlsym(handle, "fake_nvml_init_count"));
    const int result = count ? count() : -1;
    ::dlclose(handle);
    return result;
}

std::shared_ptr<NvmlLibrary> fakeLibrary()
{
    QString error;
    auto library = NvmlLibrary::load(kFake, &error);
    if (!library)
        qFatal("fake NVML did not load: %s", qPrintable(error));
    return library;
}

MemorySample lastSample(const QSignalSpy &spy)
{
    return spy.last().at(0).value<MemorySample>();
}

} // namespace

class TestNvmlSampler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void samplesTheRunRepeatedly();
    void countsProcessesInTheRunsGroup();
    void ignoresOtherProcesses();
    void unknownProcessMemory();
    void noLibraryIsReportedOnce();
    void initFailureIsReported();
    void failingQueryStopsSampling();
    void stopBalancesInit();
    void noDeviceIsAPlainState();
    void missingDeviceIndex();
    void legacyLibrarySamplesThroughV2();
    void manyProcessesAreAllRead();
    void failingProcessQueryKeepsDeviceMemory();
};

void TestNvmlSampler::init()
{
    for (const char *name :
         {"FAKE_NVML_INIT_ERROR", "FAKE_NVML_MEMORY_ERROR", "FAKE_NVML_PROCESSES",
          "FAKE_NVML_MEMORY_USED", "TORCHLAB_NVML_LIBRARY", "FAKE_NVML_DEVICE_COUNT",
          "FAKE_NVML_PROCESSES_ERROR"})
        qunsetenv(name);
}

void TestNvmlSampler::samplesTheRunRepeatedly()
{
    const qint64 pid = ::getpid();
    qputenv("FAKE_NVML_PROCESSES", QByteArray::number(pid) + ":1048576,999999:5");
    NvmlSampler sampler(fakeLibrary());
    QCOMPARE(sampler.intervalMs(), 100);
    QCOMPARE(sampler.sourceName(), QStringLiteral("NVML"));
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.setIntervalMs(20);
    sampler.start(pid, 0);
    QVERIFY(sampler.isActive());
    QCOMPARE(samples.count(), 1); // one right away
    QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 4, 5000);
    const MemorySample sample = lastSample(samples);
    QCOMPARE(sample.deviceIndex, 0);
    QCOMPARE(sample.deviceTotal, qint64(85520809984));
    QCOMPARE(sample.deviceUsed, qint64(649068544));
    QCOMPARE(sample.processUsed, qint64(1048576));
    QCOMPARE(sample.processCount, 1);
    QVERIFY(sample.timeMs >= samples.first().at(0).value<MemorySample>().timeMs);

    // Values are read on every tick.
    qputenv("FAKE_NVML_MEMORY_USED", "2147483648");
    const int before = int(samples.count());
    QTRY_VERIFY_WITH_TIMEOUT(samples.count() > before, 5000);
    QCOMPARE(lastSample(samples).deviceUsed, qint64(2147483648));

    sampler.stop();
    QVERIFY(!sampler.isActive());
    const int atStop = int(samples.count());
    QCoreApplication::processEvents(); // a pending tick must not deliver a sample after stop()
    QCOMPARE(int(samples.count()), atStop);
    QCOMPARE(unavailable.count(), 0);
}

void TestNvmlSampler::countsProcessesInTheRunsGroup()
{
    // A child in our process group stands for a data-loader worker the run forked.
    QProcess child;
    child.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(child.waitForStarted());
    const qint64 childPid = child.processId();
    qputenv("FAKE_NVML_PROCESSES", QByteArray::number(qint64(::getpid())) + ":1000," +
                                       QByteArray::number(childPid) + ":24");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    sampler.start(::getpid(), ::getpgrp());
    QCOMPARE(samples.count(), 1);
    QCOMPARE(lastSample(samples).processCount, 2);
    QCOMPARE(lastSample(samples).processUsed, qint64(1024));
    sampler.stop();
    child.kill();
    child.waitForFinished();
}

void TestNvmlSampler::ignoresOtherProcesses()
{
    // pid 1 is in another process group; 999999 does not exist.
    qputenv("FAKE_NVML_PROCESSES", "1:4096,999999:5");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    sampler.start(::getpid(), ::getpgrp());
    QCOMPARE(samples.count(), 1);
    QCOMPARE(lastSample(samples).processCount, 0);
    QCOMPARE(lastSample(samples).processUsed, qint64(0)); // no CUDA context yet: nothing held
    QCOMPARE(lastSample(samples).deviceUsed, qint64(649068544));
}

void TestNvmlSampler::unknownProcessMemory()
{
    qputenv("FAKE_NVML_PROCESSES", QByteArray::number(qint64(::getpid())) + ":na");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    sampler.start(::getpid(), 0);
    QCOMPARE(samples.count(), 1);
    QCOMPARE(lastSample(samples).processCount, 1);
    QCOMPARE(lastSample(samples).processUsed, qint64(-1));
}

void TestNvmlSampler::noLibraryIsReportedOnce()
{
    qputenv("TORCHLAB_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
    NvmlSampler sampler; // loads the default library on start()
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.start(::getpid(), 0);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().at(0).toString(),
             QStringLiteral("GPU memory cannot be sampled: libnvidia-ml.so.1 is not installed."));
    QVERIFY(!sampler.isActive());
    QCOMPARE(samples.count(), 0);
}

void TestNvmlSampler::initFailureIsReported()
{
    qputenv("FAKE_NVML_INIT_ERROR", "9");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.start(::getpid(), 0);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(
        unavailable.first().at(0).toString(),
        QStringLiteral("GPU memory cannot be sampled: the NVIDIA kernel driver is not loaded."));
    QVERIFY(!sampler.isActive());
}

void TestNvmlSampler::failingQueryStopsSampling()
{
    const auto library = fakeLibrary();
    NvmlSampler sampler(library);
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.setIntervalMs(20);
    sampler.start(::getpid(), 0);
    QVERIFY(sampler.isActive());
    qputenv("FAKE_NVML_MEMORY_ERROR", "15"); // GPU is lost
    QTRY_COMPARE_WITH_TIMEOUT(unavailable.count(), 1, 5000);
    QVERIFY(unavailable.first().at(0).toString().startsWith(
        QStringLiteral("GPU memory sampling stopped:")));
    QVERIFY(!sampler.isActive());
    QCOMPARE(fakeInitCount(), 0); // NVML was shut down again
}

void TestNvmlSampler::stopBalancesInit()
{
    const auto library = fakeLibrary();
    {
        NvmlSampler sampler(library);
        sampler.start(::getpid(), 0);
        QCOMPARE(fakeInitCount(), 1);
        sampler.start(::getpid(), 0); // restart: still one
        QCOMPARE(fakeInitCount(), 1);
        sampler.stop();
        QCOMPARE(fakeInitCount(), 0);
        sampler.stop();
        QCOMPARE(fakeInitCount(), 0);
        sampler.start(::getpid(), 0);
    } // the destructor stops too
    QCOMPARE(fakeInitCount(), 0);
}

void TestNvmlSampler::noDeviceIsAPlainState()
{
    // NVML loads and starts (a driver without a GPU, or a container without
    // one passed in): one plain sentence, no samples, NVML shut down again.
    qputenv("FAKE_NVML_DEVICE_COUNT", "0");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.start(::getpid(), 0);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().at(0).toString(),
             QStringLiteral("No NVIDIA GPU was found, so GPU memory is not sampled."));
    QVERIFY(!sampler.isActive());
    QCOMPARE(samples.count(), 0);
    QCOMPARE(fakeInitCount(), 0);
}

void TestNvmlSampler::missingDeviceIndex()
{
    qputenv("FAKE_NVML_DEVICE_COUNT", "1");
    NvmlSampler sampler(fakeLibrary(), 1);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.start(::getpid(), 0);
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(
        unavailable.first().at(0).toString(),
        QStringLiteral(
            "GPU 1 does not exist (this machine has 1 GPU(s)), so its memory is not sampled."));
    QVERIFY(!sampler.isActive());
    QCOMPARE(fakeInitCount(), 0);
}

void TestNvmlSampler::legacyLibrarySamplesThroughV2()
{
    // A driver older than the _v3 process query (before R510): the sampler
    // still finds the run's memory, through _v2.
    qputenv("FAKE_NVML_PROCESSES", QByteArray::number(qint64(::getpid())) + ":4096");
    QString error;
    const auto library = NvmlLibrary::load(QStringLiteral(FAKE_NVML_LEGACY), &error);
    QVERIFY2(library, qPrintable(error));
    QCOMPARE(library->processQueryFunction(),
             QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v2"));
    NvmlSampler sampler(library);
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    sampler.start(::getpid(), 0);
    QCOMPARE(samples.count(), 1);
    QCOMPARE(lastSample(samples).processUsed, qint64(4096));
    QCOMPARE(lastSample(samples).processCount, 1);
    void *handle = ::dlopen(FAKE_NVML_LEGACY, RTLD_NOW | RTLD_NOLOAD);
    QVERIFY(handle);
    auto calls = reinterpret_cast<const char *(*)()>(::dlsym(handle, "fake_nvml_calls"));
    QVERIFY(calls);
    const QString called = QString::fromLatin1(calls());
    ::dlclose(handle);
    QVERIFY2(called.contains(QStringLiteral("nvmlDeviceGetComputeRunningProcesses_v2")),
             qPrintable(called));
    QVERIFY2(!called.contains(QStringLiteral("_v3")), qPrintable(called));
}

void TestNvmlSampler::manyProcessesAreAllRead()
{
    // More processes than the first buffer holds (64): NVML answers
    // "insufficient size" with the count, and the query is repeated.
    QByteArray spec;
    for (int i = 0; i < 100; ++i)
        spec += QByteArray::number(900000 + i) + ":1,";
    spec += QByteArray::number(qint64(::getpid())) + ":8192";
    qputenv("FAKE_NVML_PROCESSES", spec);
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    sampler.start(::getpid(), 0);
    QCOMPARE(samples.count(), 1);
    QCOMPARE(lastSample(samples).processCount, 1);
    QCOMPARE(lastSample(samples).processUsed, qint64(8192));
}

void TestNvmlSampler::failingProcessQueryKeepsDeviceMemory()
{
    // Some setups refuse the per-process query (no permission, MIG): the
    // device's memory is still plotted, the run's own is "unknown".
    qputenv("FAKE_NVML_PROCESSES_ERROR", "4");
    NvmlSampler sampler(fakeLibrary());
    QSignalSpy samples(&sampler, &MemorySampler::sampled);
    QSignalSpy unavailable(&sampler, &MemorySampler::unavailable);
    sampler.setIntervalMs(20);
    sampler.start(::getpid(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 2, 5000);
    QCOMPARE(lastSample(samples).deviceUsed, qint64(649068544));
    QCOMPARE(lastSample(samples).processUsed, qint64(-1));
    QVERIFY(sampler.isActive());
    QCOMPARE(unavailable.count(), 0);
}

QTEST_GUILESS_MAIN(TestNvmlSampler)
#include "tst_nvmlsampler.moc"
