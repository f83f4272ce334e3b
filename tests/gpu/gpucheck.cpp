// torchlab-gpucheck: the parts of the GPU check that torchlab-cli does not
// print. `torchlab-gpucheck memory FILE.cpp` compiles and runs FILE.cpp the
// way `torchlab-cli run` does (same discovery, profile, RunJob), samples NVML
// for the run's process group while it runs, collects lab.h's caching
// allocator events, and prints one JSON object:
//   {"status", "summary", "hello": {...}, "profile": {...},
//    "nvml": {"samples", "unavailable", "max_device_used", "max_process_used", "device_total"},
//    "allocator": {"events", "max_allocated", "max_reserved", "max_peak"},
//    "cuda_run_verdict": {...} or null}
// `torchlab-gpucheck warm FILE.cpp` runs FILE.cpp twice through the warm
// runner (a server with the CUDA LibTorch loaded, the program a forked child
// that makes the first CUDA call) and prints {"status", "launch", "device",
// "first_output_ms": [exec, warm, warm], "warm_error", "summary"}.
// Built by tests/gpu/bundle.sh against torchlab_core; run by tests/gpu/run.sh.
#include "core/doctor/runverdict.h"
#include "core/gpu/nvmlsampler.h"
#include "core/run/resultjson.h"
#include "core/run/runjob.h"
#include "core/run/warmrunner.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchainjson.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace torchlab;

namespace {

int memoryCommand(const QString &file)
{
    QTextStream err(stderr);
    const QFileInfo info(file);
    if (!info.isFile()) {
        err << "torchlab-gpucheck: " << file << ": no such file\n";
        return 2;
    }
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        env.insert(key, system.value(key));
    const DiscoveryResult discovery = ToolchainDiscovery::discover();
    const GpuProbe gpu = probeGpu();
    const ProfileChoice choice =
        ProfileChooser::choose(discovery, gpu, ProfileRequest::fromEnvironment(env));
    if (!choice.ok) {
        err << "torchlab-gpucheck: " << choice.error << "\n";
        return 1;
    }

    RunJobRequest request;
    request.profile = choice.profile;
    request.sources = {SourceFile{info.absoluteFilePath(), info.fileName(), true, {}}};
    request.workingDirectory = info.absolutePath();

    RunJob job;
    NvmlSampler sampler;
    QJsonObject nvml{{QStringLiteral("samples"), 0},
                     {QStringLiteral("unavailable"), QJsonValue()},
                     {QStringLiteral("max_device_used"), -1},
                     {QStringLiteral("max_process_used"), -1},
                     {QStringLiteral("device_total"), -1}};
    int samples = 0;
    qint64 maxDevice = -1, maxProcess = -1, total = -1;
    QObject::connect(&sampler, &MemorySampler::sampled, &job, [&](const MemorySample &s) {
        ++samples;
        maxDevice = qMax(maxDevice, s.deviceUsed);
        maxProcess = qMax(maxProcess, s.processUsed);
        total = s.deviceTotal;
    });
    QString unavailable;
    QObject::connect(&sampler, &MemorySampler::unavailable, &job,
                     [&](const QString &reason) { unavailable = reason; });
    // The child is the leader of its own process group (ProcessRunner).
    QObject::connect(&job, &RunJob::started, &job, [&](qint64 pid) { sampler.start(pid, pid); });

    int events = 0;
    qint64 maxAllocated = 0, maxReserved = 0, maxPeak = 0;
    QObject::connect(&job, &RunJob::labEvents, &job, [&](const QList<LabEvent> &batch) {
        for (const LabEvent &e : batch) {
            if (e.type != LabEvent::Type::Memory)
                continue;
            ++events;
            maxAllocated = qMax(maxAllocated, e.allocated);
            maxReserved = qMax(maxReserved, e.reserved);
            maxPeak = qMax(maxPeak, e.peak);
        }
    });
    RunJobResult result;
    QEventLoop loop;
    QObject::connect(&job, &RunJob::done, &loop, [&](const RunJobResult &r) {
        sampler.stop(); // off as soon as the run has ended
        result = r;
        loop.quit();
    });
    job.start(request);
    if (job.isRunning())
        loop.exec();

    nvml[QStringLiteral("samples")] = samples;
    nvml[QStringLiteral("unavailable")] =
        unavailable.isEmpty() ? QJsonValue() : QJsonValue(unavailable);
    nvml[QStringLiteral("max_device_used")] = double(maxDevice);
    nvml[QStringLiteral("max_process_used")] = double(maxProcess);
    nvml[QStringLiteral("device_total")] = double(total);
    QJsonObject doc = runJobResultToJson(result);
    doc.insert(QStringLiteral("profile"), ToolchainJson::toJson(choice.profile));
    doc.insert(QStringLiteral("nvml"), nvml);
    doc.insert(QStringLiteral("allocator"),
               QJsonObject{{QStringLiteral("events"), events},
                           {QStringLiteral("max_allocated"), double(maxAllocated)},
                           {QStringLiteral("max_reserved"), double(maxReserved)},
                           {QStringLiteral("max_peak"), double(maxPeak)}});
    QJsonValue verdict;
    if (result.haveHello) {
        if (const auto v =
                cudaRunVerdict(choice.profile, result.hello, result.compile.binaryPath, &gpu))
            verdict = QJsonObject{{QStringLiteral("id"), v->id},
                                  {QStringLiteral("title"), v->title},
                                  {QStringLiteral("explanation"), v->explanation},
                                  {QStringLiteral("fix"), v->fix}};
    }
    doc.insert(QStringLiteral("cuda_run_verdict"), verdict);
    QTextStream(stdout) << QJsonDocument(doc).toJson(QJsonDocument::Indented);
    return result.ok() ? 0 : 1;
}

// One run of `request` (through `warm` when given): ms from start to the
// first stdout bytes, and the result.
qint64 firstOutputMs(const RunJobRequest &request, WarmRunner *warm, RunJobResult *result)
{
    RunJob job;
    job.setWarmRunner(warm);
    QElapsedTimer t;
    qint64 first = -1;
    QObject::connect(&job, &RunJob::stdoutData, &job, [&](const QByteArray &) {
        if (first < 0)
            first = t.elapsed();
    });
    QEventLoop loop;
    QObject::connect(&job, &RunJob::done, &loop, [&](const RunJobResult &r) {
        *result = r;
        loop.quit();
    });
    t.start();
    job.start(request);
    if (job.isRunning())
        loop.exec();
    return first;
}

int warmCommand(const QString &file)
{
    QTextStream err(stderr);
    const QFileInfo info(file);
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        env.insert(key, system.value(key));
    const ProfileChoice choice = ProfileChooser::choose(ToolchainDiscovery::discover(), probeGpu(),
                                                        ProfileRequest::fromEnvironment(env));
    if (!info.isFile() || !choice.ok) {
        err << "torchlab-gpucheck: "
            << (choice.ok ? file + QStringLiteral(": no such file") : choice.error) << "\n";
        return 2;
    }
    RunJobRequest request;
    request.profile = choice.profile;
    request.sources = {SourceFile{info.absoluteFilePath(), info.fileName(), true, {}}};
    request.workingDirectory = info.absolutePath();

    QJsonObject doc;
    RunJobResult exec;
    QJsonArray times;
    times.append(double(firstOutputMs(request, nullptr, &exec)));
    WarmRunner warm(choice.profile);
    QEventLoop loop;
    QObject::connect(&warm, &WarmRunner::stateChanged, &loop, [&](WarmRunner::State s) {
        if (s != WarmRunner::State::Preparing)
            loop.quit();
    });
    warm.ensureStarted();
    if (warm.state() == WarmRunner::State::Preparing)
        loop.exec();
    doc.insert(QStringLiteral("warm_error"), warm.isReady() ? QJsonValue() : warm.error());
    RunJobResult result;
    for (int i = 0; i < 2; ++i)
        times.append(double(firstOutputMs(request, &warm, &result)));
    doc.insert(QStringLiteral("status"),
               result.ok() && exec.ok() ? QStringLiteral("ok") : QStringLiteral("failed"));
    doc.insert(QStringLiteral("launch"), result.launch);
    doc.insert(QStringLiteral("device"), result.haveHello ? result.hello.device : QString());
    doc.insert(QStringLiteral("exec_device"), exec.haveHello ? exec.hello.device : QString());
    doc.insert(QStringLiteral("first_output_ms"), times);
    doc.insert(QStringLiteral("summary"), result.summary());
    doc.insert(QStringLiteral("stderr"), QString::fromUtf8(result.run.stderrText.right(2000)));
    doc.insert(QStringLiteral("server_rss_bytes"), double(warm.residentBytes()));
    QTextStream(stdout) << QJsonDocument(doc).toJson(QJsonDocument::Indented);
    return result.ok() && result.launch == QLatin1String("warm") ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 2 && args.at(0) == QLatin1String("memory"))
        return memoryCommand(args.at(1));
    if (args.size() == 2 && args.at(0) == QLatin1String("warm"))
        return warmCommand(args.at(1));
    QTextStream(stderr) << "usage: torchlab-gpucheck memory|warm FILE.cpp\n";
    return 2;
}
