#pragma once

#include "core/util/result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <memory>

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Histogram;
class Registry;
template <typename T> class Family;
} // namespace prometheus

namespace torchlab {

class GpuHealthReader;
class LabSession;
struct LabEvent;
struct MemorySample;
struct SessionResult;

// Serves a LabSession's runs to Prometheus in its text format, on an address
// of the learner's choice ("127.0.0.1:9477"; port 0 picks a free one), through
// prometheus-cpp's Exposer (civetweb). What it serves:
//   the running program: its lab.h metrics (loss, accuracy, ...), step, step
//     rate, the last time it made progress, NaN/Inf flags, allocator figures,
//     the memory its processes hold;
//   the GPUs (NVML, read at scrape time): memory, utilisation, Xid events and
//     ECC counts;
//   the lab: runs, verdicts, checks and a compile-time histogram.
// The names and the alert rules built on them are in docs/monitoring.md and
// resources/monitoring/. Bounded: one run's series at a time, at most
// MaxMetricNames program metrics.
class PrometheusExporter : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultPort = 9477;
    static constexpr int MaxMetricNames = 64;

    explicit PrometheusExporter(QObject *parent = nullptr);
    ~PrometheusExporter() override;

    // "HOST:PORT" with HOST an IPv4 address, "localhost" or "[IPv6]". Errors
    // are plain sentences in the UI language.
    static Status parseAddress(const QString &address, QString *host, int *port);
    // Starts serving /metrics (again, on a new address when already serving).
    Status listen(const QString &address);
    void stopListening();
    bool isListening() const;
    int port() const;    // the bound port (also when 0 was asked); 0 when not listening
    QString url() const; // "http://127.0.0.1:9477/metrics"

    void watch(LabSession *session);
    // NVML for the GPU metrics; none: GPU memory from the runner's samples only.
    void setGpuHealth(std::shared_ptr<GpuHealthReader> reader);

    // The text a scrape gets now (for tests and `--prometheus` without a scrape).
    QByteArray render() const;

    // Inputs (connected to the session by watch(); public for tests).
    void runStarting(const QString &name, bool check);
    void programStarted();
    void compiled(double seconds, bool ok);
    void events(const QList<LabEvent> &events);
    void memorySample(const MemorySample &sample);
    void runFinished(const SessionResult &result);

private:
    class GpuCollectable;
    void clearRunSeries();
    prometheus::Gauge &runGauge(prometheus::Family<prometheus::Gauge> &family);

    std::shared_ptr<prometheus::Registry> m_registry;
    std::shared_ptr<GpuCollectable> m_gpu;
    std::unique_ptr<prometheus::Exposer> m_exposer;
    QString m_host;
    int m_port = 0;
    QPointer<LabSession> m_session;

    // Families (owned by the registry).
    prometheus::Family<prometheus::Gauge> *m_active = nullptr;
    prometheus::Family<prometheus::Gauge> *m_metric = nullptr;
    prometheus::Family<prometheus::Gauge> *m_nonFinite = nullptr;
    prometheus::Family<prometheus::Gauge> *m_step = nullptr;
    prometheus::Family<prometheus::Gauge> *m_stepRate = nullptr;
    prometheus::Family<prometheus::Gauge> *m_progressTime = nullptr;
    prometheus::Family<prometheus::Gauge> *m_startTime = nullptr;
    prometheus::Family<prometheus::Gauge> *m_allocated = nullptr;
    prometheus::Family<prometheus::Gauge> *m_reserved = nullptr;
    prometheus::Family<prometheus::Gauge> *m_peak = nullptr;
    prometheus::Family<prometheus::Gauge> *m_processMemory = nullptr;
    prometheus::Family<prometheus::Counter> *m_runs = nullptr;
    prometheus::Family<prometheus::Counter> *m_verdicts = nullptr;
    prometheus::Family<prometheus::Counter> *m_checks = nullptr;
    prometheus::Family<prometheus::Histogram> *m_compile = nullptr;

    QString m_runName;
    bool m_running = false;
    qint64 m_lastStep = -1;
    QHash<QString, prometheus::Gauge *> m_metricGauges;
    QHash<QString, prometheus::Gauge *> m_nonFiniteGauges;
    QHash<const void *, prometheus::Gauge *> m_runGauges; // family -> this run's series
    std::deque<std::pair<qint64, qint64>> m_stepTimes;    // (ms on m_clock, step), the last 10 s
    QElapsedTimer m_clock;
};

} // namespace torchlab
