#pragma once

#include "core/monitor/prometheusexporter.h"
#include "core/monitor/runwatch.h"
#include "core/util/result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <memory>

class QTextStream;

namespace torchlab {
class LabSession;
}

namespace torchlab::cli {

// --prometheus HOST:PORT, for run and check.
QCommandLineOption prometheusOption();

// What watches a run of `run` and `check`: advice on stderr while the run goes
// on (NaN loss, GPU memory nearly full, no progress, Xid/ECC), and with
// --prometheus the exporter serving its metrics.
class RunMonitoring
{
public:
    RunMonitoring(LabSession &session, QTextStream &err, bool quiet);
    ~RunMonitoring();
    // Starts the exporter when the option is set; the error is for the user.
    Status start(const QCommandLineParser &parser, const QCommandLineOption &option);
    PrometheusExporter *exporter() const { return m_exporter.get(); }

private:
    LabSession &m_session;
    QTextStream &m_err;
    bool m_quiet = false;
    std::shared_ptr<GpuHealthReader> m_gpu;
    std::unique_ptr<RunWatch> m_watch;
    std::unique_ptr<PrometheusExporter> m_exporter;
};

} // namespace torchlab::cli
