#include "core/monitor/prometheusexporter.h"

#include "core/metrics/labevent.h"
#include "core/monitor/gpuhealth.h"
#include "core/session/labsession.h"

#include <QDateTime>
#include <QHostAddress>
#include <QRegularExpression>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <mutex>

namespace torchlab {

namespace {

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

prometheus::MetricFamily gaugeFamily(const char *name, const char *help)
{
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = prometheus::MetricType::Gauge;
    return f;
}

prometheus::ClientMetric gpuMetric(const GpuHealth &gpu, double value)
{
    prometheus::ClientMetric m;
    m.label = {{"gpu", std::to_string(gpu.index)}, {"name", gpu.name.toStdString()}};
    m.gauge.value = value;
    return m;
}

// The verdict label of a finished run: stable, lower case, few values.
std::string verdictLabel(const SessionResult &r)
{
    if (!r.started)
        return "not_started";
    if (r.compileFailed)
        return "compile_error";
    if (r.stopped)
        return "stopped";
    if (r.graded())
        return r.passed() ? "passed" : "failed";
    if (r.outcome)
        return outcomeName(*r.outcome).toStdString();
    return "unknown";
}

} // namespace

// The GPUs, read when Prometheus scrapes (on the exposer's thread): NVML when
// this computer has it, else the last sample a runner sent (a course server's
// GPU during a remote run).
class PrometheusExporter::GpuCollectable : public prometheus::Collectable
{
public:
    std::vector<prometheus::MetricFamily> Collect() const override
    {
        std::shared_ptr<GpuHealthReader> reader;
        QList<GpuHealth> fromSamples;
        {
            std::lock_guard lock(mutex);
            reader = this->reader;
            fromSamples = sampled.values();
        }
        QList<GpuHealth> gpus;
        bool nvml = false;
        if (reader) {
            gpus = reader->read();
            nvml = !gpus.isEmpty();
        }
        if (!nvml)
            gpus = fromSamples;

        auto up = gaugeFamily("torchlab_gpu_nvml_up",
                              "1 when NVML answers on this computer, 0 when it cannot be used");
        prometheus::ClientMetric upValue;
        upValue.gauge.value = nvml ? 1 : 0;
        up.metric.push_back(upValue);

        auto used = gaugeFamily("torchlab_gpu_memory_used_bytes",
                                "Device memory in use on the GPU, every process and context");
        auto total = gaugeFamily("torchlab_gpu_memory_total_bytes", "Device memory of the GPU");
        auto util = gaugeFamily("torchlab_gpu_utilization_ratio",
                                "Share of the last sample period a kernel ran on the GPU (0-1)");
        auto memUtil = gaugeFamily("torchlab_gpu_memory_utilization_ratio",
                                   "Share of the last sample period device memory was read or "
                                   "written (0-1)");
        auto lastXid = gaugeFamily("torchlab_gpu_last_xid",
                                   "The Xid of the last critical Xid event (0: none seen)");
        prometheus::MetricFamily xid;
        xid.name = "torchlab_gpu_xid_errors_total";
        xid.help = "Critical Xid events the driver reported since the lab started watching";
        xid.type = prometheus::MetricType::Counter;
        prometheus::MetricFamily ecc;
        ecc.name = "torchlab_gpu_ecc_errors_total";
        ecc.help = "ECC memory errors since the driver was loaded, by type";
        ecc.type = prometheus::MetricType::Counter;

        for (const GpuHealth &gpu : std::as_const(gpus)) {
            if (gpu.memoryUsed >= 0)
                used.metric.push_back(gpuMetric(gpu, double(gpu.memoryUsed)));
            if (gpu.memoryTotal > 0)
                total.metric.push_back(gpuMetric(gpu, double(gpu.memoryTotal)));
            if (!nvml)
                continue;
            if (gpu.utilizationGpu >= 0)
                util.metric.push_back(gpuMetric(gpu, gpu.utilizationGpu / 100.0));
            if (gpu.utilizationMemory >= 0)
                memUtil.metric.push_back(gpuMetric(gpu, gpu.utilizationMemory / 100.0));
            lastXid.metric.push_back(gpuMetric(gpu, double(gpu.lastXid)));
            prometheus::ClientMetric x = gpuMetric(gpu, 0);
            x.counter.value = double(gpu.xidErrors);
            xid.metric.push_back(x);
            for (const auto &[type, count] :
                 {std::pair{"corrected", gpu.eccCorrected}, {"uncorrected", gpu.eccUncorrected}}) {
                if (count < 0)
                    continue;
                prometheus::ClientMetric e = gpuMetric(gpu, 0);
                e.label.push_back({"type", type});
                e.counter.value = double(count);
                ecc.metric.push_back(e);
            }
        }
        std::vector<prometheus::MetricFamily> out{up, used, total};
        if (nvml)
            out.insert(out.end(), {util, memUtil, xid, lastXid, ecc});
        return out;
    }

    mutable std::mutex mutex;
    std::shared_ptr<GpuHealthReader> reader;
    QHash<int, GpuHealth> sampled;
};

PrometheusExporter::PrometheusExporter(QObject *parent)
    : QObject(parent), m_registry(std::make_shared<prometheus::Registry>()),
      m_gpu(std::make_shared<GpuCollectable>())
{
    using namespace prometheus;
    m_clock.start();
    auto &r = *m_registry;
    m_active = &BuildGauge()
                    .Name("torchlab_run_active")
                    .Help("1 while the named run's program runs, 0 once it has ended")
                    .Register(r);
    m_metric = &BuildGauge()
                    .Name("torchlab_program_metric")
                    .Help("The last value the program reported for a metric through lab.h "
                          "(lab::loss, lab::metric)")
                    .Register(r);
    m_nonFinite = &BuildGauge()
                       .Name("torchlab_program_metric_nonfinite")
                       .Help("1 once a metric has been NaN or infinite in this run")
                       .Register(r);
    m_step = &BuildGauge()
                  .Name("torchlab_program_step")
                  .Help("The highest training step the program reported")
                  .Register(r);
    m_stepRate = &BuildGauge()
                      .Name("torchlab_program_steps_per_second")
                      .Help("Training steps per second over the last 10 seconds")
                      .Register(r);
    m_progressTime = &BuildGauge()
                          .Name("torchlab_program_last_progress_timestamp_seconds")
                          .Help("Unix time of the last new training step (or of the start)")
                          .Register(r);
    m_startTime = &BuildGauge()
                       .Name("torchlab_program_start_timestamp_seconds")
                       .Help("Unix time the program started")
                       .Register(r);
    m_allocated = &BuildGauge()
                       .Name("torchlab_allocator_allocated_bytes")
                       .Help("Bytes the CUDA caching allocator has handed to tensors")
                       .Register(r);
    m_reserved = &BuildGauge()
                      .Name("torchlab_allocator_reserved_bytes")
                      .Help("Bytes the CUDA caching allocator holds from the driver")
                      .Register(r);
    m_peak = &BuildGauge()
                  .Name("torchlab_allocator_peak_allocated_bytes")
                  .Help("The most bytes allocated to tensors at once in this run")
                  .Register(r);
    m_processMemory = &BuildGauge()
                           .Name("torchlab_program_memory_bytes")
                           .Help("Memory the run's processes hold: GPU memory on a GPU run, "
                                 "resident memory on a CPU run")
                           .Register(r);
    m_runs = &BuildCounter()
                  .Name("torchlab_runs_total")
                  .Help("Runs and checks started, by mode")
                  .Register(r);
    m_verdicts = &BuildCounter()
                      .Name("torchlab_run_verdicts_total")
                      .Help("Runs and checks that ended, by mode and verdict")
                      .Register(r);
    m_checks = &BuildCounter()
                    .Name("torchlab_checks_total")
                    .Help("Checks graded, by result (pass, fail, error, skipped)")
                    .Register(r);
    m_compile = &BuildHistogram()
                     .Name("torchlab_compile_duration_seconds")
                     .Help("Wall time of compiling and linking a run's program")
                     .Register(r);
}

PrometheusExporter::~PrometheusExporter()
{
    stopListening();
}

Status PrometheusExporter::parseAddress(const QString &address, QString *host, int *port)
{
    static const QRegularExpression shape(
        QStringLiteral(R"(^(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+):(\d{1,5})$)"));
    const QRegularExpressionMatch m = shape.match(address.trimmed());
    if (!m.hasMatch())
        return fail(tr("“%1” is not an address to serve metrics at: write HOST:PORT, for example "
                       "127.0.0.1:%2")
                        .arg(address)
                        .arg(DefaultPort));
    const QString h = m.captured(1);
    const int p = m.captured(2).toInt();
    if (p > 65535)
        return fail(tr("Port %1 does not exist: ports go up to 65535").arg(p));
    const QString bare = h.startsWith(QLatin1Char('[')) ? h.mid(1, h.size() - 2) : h;
    if (bare != QLatin1String("localhost") && QHostAddress(bare).isNull())
        return fail(tr("“%1” is not an IP address: write one (127.0.0.1 serves this computer "
                       "only) or localhost")
                        .arg(h));
    *host = h == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : h;
    *port = p;
    return {};
}

Status PrometheusExporter::listen(const QString &address)
{
    QString host;
    int port = 0;
    if (Status ok = parseAddress(address, &host, &port); !ok)
        return ok;
    stopListening();
    try {
        // Two threads: a scrape never waits for another; civetweb binds only the named address.
        auto exposer = std::make_unique<prometheus::Exposer>(
            QStringLiteral("%1:%2").arg(host).arg(port).toStdString(), 2);
        exposer->RegisterCollectable(m_registry);
        exposer->RegisterCollectable(m_gpu);
        const std::vector<int> ports = exposer->GetListeningPorts();
        m_port = ports.empty() ? port : ports.front();
        m_host = host;
        m_exposer = std::move(exposer);
    } catch (const std::exception &) {
        return fail(tr("Cannot serve metrics at %1: the address is in use or not this "
                       "computer's")
                        .arg(address));
    }
    return {};
}

void PrometheusExporter::stopListening()
{
    m_exposer.reset();
    m_port = 0;
}

bool PrometheusExporter::isListening() const
{
    return m_exposer != nullptr;
}

int PrometheusExporter::port() const
{
    return m_port;
}

QString PrometheusExporter::url() const
{
    if (!m_exposer)
        return QString();
    return QStringLiteral("http://%1:%2/metrics").arg(m_host).arg(m_port);
}

void PrometheusExporter::setGpuHealth(std::shared_ptr<GpuHealthReader> reader)
{
    std::lock_guard lock(m_gpu->mutex);
    m_gpu->reader = std::move(reader);
}

QByteArray PrometheusExporter::render() const
{
    std::vector<prometheus::MetricFamily> families = m_registry->Collect();
    const std::vector<prometheus::MetricFamily> gpu = m_gpu->Collect();
    families.insert(families.end(), gpu.begin(), gpu.end());
    return QByteArray::fromStdString(prometheus::TextSerializer().Serialize(families));
}

void PrometheusExporter::watch(LabSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (!session)
        return;
    connect(session, &LabSession::stateChanged, this, [this](LabSession::State state) {
        if (state == LabSession::State::Idle || m_running || !m_session)
            return;
        runStarting(m_session->runName(), m_session->mode() == RunMode::Check);
    });
    connect(session, &LabSession::programStarted, this, [this](qint64) { programStarted(); });
    connect(session, &LabSession::compiled, this, [this](const CompileResult &c) {
        compiled(double(c.compileMs + c.linkMs) / 1000.0, c.ok());
    });
    connect(session, &LabSession::labEvents, this, &PrometheusExporter::events);
    connect(session, &LabSession::memorySample, this, &PrometheusExporter::memorySample);
    connect(session, &LabSession::finished, this, &PrometheusExporter::runFinished);
}

prometheus::Gauge &PrometheusExporter::runGauge(prometheus::Family<prometheus::Gauge> &family)
{
    // Family::Add hashes the labels under a lock: once per run and family, then cached.
    prometheus::Gauge *&gauge = m_runGauges[&family];
    if (!gauge)
        gauge = &family.Add({{"lesson", m_runName.toStdString()}});
    return *gauge;
}

void PrometheusExporter::clearRunSeries()
{
    if (m_runName.isNull())
        return;
    const std::map<std::string, std::string> labels{{"lesson", m_runName.toStdString()}};
    for (auto *family : {m_active, m_step, m_stepRate, m_progressTime, m_startTime, m_allocated,
                         m_reserved, m_peak, m_processMemory}) {
        if (family->Has(labels))
            family->Remove(&family->Add(labels));
    }
    for (prometheus::Gauge *g : std::as_const(m_metricGauges))
        m_metric->Remove(g);
    for (prometheus::Gauge *g : std::as_const(m_nonFiniteGauges))
        m_nonFinite->Remove(g);
    m_metricGauges.clear();
    m_nonFiniteGauges.clear();
    m_runGauges.clear();
}

void PrometheusExporter::runStarting(const QString &name, bool check)
{
    // The series of the last run stay until the next one starts, so that a
    // scrape after the end still sees how it ended.
    clearRunSeries();
    m_runName = name.isEmpty() ? QStringLiteral("program") : name;
    m_running = true;
    m_lastStep = -1;
    m_stepTimes.clear();
    m_runs->Add({{"mode", check ? "check" : "run"}}).Increment();
    runGauge(*m_active).Set(0);
}

void PrometheusExporter::programStarted()
{
    const double now = nowSeconds();
    runGauge(*m_active).Set(1);
    runGauge(*m_startTime).Set(now);
    runGauge(*m_progressTime).Set(now);
    runGauge(*m_step).Set(0);
    runGauge(*m_stepRate).Set(0);
}

void PrometheusExporter::compiled(double seconds, bool ok)
{
    static const prometheus::Histogram::BucketBoundaries buckets{0.25, 0.5, 1, 2, 4, 8, 16, 32, 64};
    m_compile->Add({{"result", ok ? "ok" : "error"}}, buckets).Observe(seconds);
}

void PrometheusExporter::events(const QList<LabEvent> &events)
{
    if (!m_running)
        return;
    for (const LabEvent &e : events) {
        if (e.type == LabEvent::Type::Memory) {
            runGauge(*m_allocated).Set(double(e.allocated));
            runGauge(*m_reserved).Set(double(e.reserved));
            runGauge(*m_peak).Set(double(e.peak));
            continue;
        }
        if (e.type != LabEvent::Type::Metric)
            continue;
        if (e.step > m_lastStep) {
            m_lastStep = e.step;
            const qint64 now = m_clock.elapsed();
            m_stepTimes.emplace_back(now, e.step);
            // The last 10 s, and never more than 1024 points however fast steps come.
            while (m_stepTimes.size() > 2 &&
                   (now - m_stepTimes.front().first > 10'000 || m_stepTimes.size() > 1024))
                m_stepTimes.pop_front();
            runGauge(*m_step).Set(double(e.step));
            runGauge(*m_progressTime).Set(nowSeconds());
            const auto &[t0, s0] = m_stepTimes.front();
            if (now > t0)
                runGauge(*m_stepRate).Set(double(e.step - s0) * 1000.0 / double(now - t0));
        }
        prometheus::Gauge *gauge = m_metricGauges.value(e.name);
        if (!gauge) {
            if (m_metricGauges.size() >= MaxMetricNames)
                continue; // counted in the step, not served
            const std::map<std::string, std::string> labels{{"lesson", m_runName.toStdString()},
                                                            {"metric", e.name.toStdString()}};
            gauge = &m_metric->Add(labels);
            m_metricGauges.insert(e.name, gauge);
            prometheus::Gauge &flag = m_nonFinite->Add(labels);
            flag.Set(0);
            m_nonFiniteGauges.insert(e.name, &flag);
        }
        gauge->Set(e.value);
        if (!std::isfinite(e.value))
            m_nonFiniteGauges.value(e.name)->Set(1);
    }
}

void PrometheusExporter::memorySample(const MemorySample &sample)
{
    if (m_running && sample.processUsed >= 0)
        runGauge(*m_processMemory).Set(double(sample.processUsed));
    if (sample.deviceIndex < 0 || sample.deviceTotal <= 0)
        return;
    GpuHealth g;
    g.index = sample.deviceIndex;
    g.memoryUsed = sample.deviceUsed;
    g.memoryTotal = sample.deviceTotal;
    std::lock_guard lock(m_gpu->mutex);
    if (m_gpu->sampled.size() < 64 || m_gpu->sampled.contains(g.index))
        m_gpu->sampled.insert(g.index, g);
}

void PrometheusExporter::runFinished(const SessionResult &result)
{
    const std::string mode = result.mode == RunMode::Check ? "check" : "run";
    m_verdicts->Add({{"mode", mode}, {"verdict", verdictLabel(result)}}).Increment();
    if (result.graded()) {
        for (const CheckResult &c : result.report.tests)
            m_checks->Add({{"result", CheckResult::statusName(c.status).toStdString()}})
                .Increment();
    }
    if (m_running)
        runGauge(*m_active).Set(0);
    m_running = false;
}

} // namespace torchlab
