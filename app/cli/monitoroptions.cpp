#include "cli/monitoroptions.h"

#include "core/monitor/gpuhealth.h"
#include "core/session/labsession.h"

#include <QTextStream>

namespace torchlab::cli {

QCommandLineOption prometheusOption()
{
    return QCommandLineOption(
        QStringLiteral("prometheus"),
        QStringLiteral("Serve the run's metrics (loss, step rate, GPU memory and utilisation, "
                       "allocator, the lab's counters) to Prometheus at HOST:PORT, for example "
                       "127.0.0.1:%1; port 0 picks a free one (docs/monitoring.md).")
            .arg(PrometheusExporter::DefaultPort),
        QStringLiteral("host:port"));
}

RunMonitoring::RunMonitoring(LabSession &session, QTextStream &err, bool quiet)
    : m_session(session), m_err(err), m_quiet(quiet), m_gpu(std::make_shared<GpuHealthReader>()),
      m_watch(std::make_unique<RunWatch>(&session))
{
    m_watch->setGpuHealth(m_gpu);
    QObject::connect(m_watch.get(), &RunWatch::advice, m_watch.get(),
                     [this](const RunAdvice &advice) {
                         if (m_quiet)
                             return;
                         m_err << "  [advice] " << advice.text << "\n" << Qt::flush;
                     });
}

RunMonitoring::~RunMonitoring() = default;

Status RunMonitoring::start(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    if (!parser.isSet(option))
        return {};
    m_exporter = std::make_unique<PrometheusExporter>();
    m_exporter->setGpuHealth(m_gpu);
    if (Status ok = m_exporter->listen(parser.value(option)); !ok) {
        m_exporter.reset();
        return ok;
    }
    m_exporter->watch(&m_session);
    // Also with --json: scripts and tests read the bound port here.
    m_err << "Metrics for Prometheus at " << m_exporter->url() << "\n" << Qt::flush;
    return {};
}

} // namespace torchlab::cli
