// torchlab-gpucheck: the parts of the GPU check that torchlab-cli does not
// print. `torchlab-gpucheck memory FILE.cpp` compiles and runs FILE.cpp the
// way `torchlab-cli run` does (same discovery, profile, RunJob), samples NVML
// for the run's process group while it runs, collects lab.h's caching
// allocator events, and prints one JSON object:
//   {"status", "summary", "hello": {...}, "profile": {...},
//    "nvml": {"samples", "unavailable", "max_device_used", "max_process_used", "device_total"},
//    "allocator": {"events", "max_allocated", "max_reserved", "max_peak"},
//    "cuda_run_verdict": {...} or null}
// Built by tests/gpu/bundle.sh against torchlab_core; run by tests/gpu/run.sh.
#include "core/doctor/runverdict.h"
#include "core/gpu/nvmlsampler.h"
#include "core/run/resultjson.h"
#include "core/run/runjob.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchainjson.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 2 && args.at(0) == QLatin1String("memory"))
        return memoryCommand(args.at(1));
    QTextStream(stderr) << "usage: torchlab-gpucheck memory FILE.cpp\n";
    return 2;
}
