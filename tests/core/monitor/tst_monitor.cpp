// Watching runs: the Prometheus exporter's text over real HTTP, GPU health
// through a fake NVML, and the advice the lab gives while a run goes on.
#include "core/monitor/gpuhealth.h"
#include "core/monitor/prometheusexporter.h"
#include "core/monitor/runwatch.h"
#include "core/session/labsession.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace torchlab;

namespace {

// GET /metrics from the exporter as Prometheus does (HTTP/1.0, whole body).
QString scrape(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    if (!socket.waitForConnected(5'000))
        return QStringLiteral("<no connection>");
    socket.write("GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray reply;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5'000))
        reply += socket.readAll();
    reply += socket.readAll();
    const qsizetype body = reply.indexOf("\r\n\r\n");
    return body < 0 ? QString::fromUtf8(reply) : QString::fromUtf8(reply.mid(body + 4));
}

// The value of the sample `series` (name with labels, exactly as exposed); NaN
// when the text has no such line (a missing series is a failure, not a 0).
std::optional<double> sampleValue(const QString &text, const QString &series)
{
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (!line.startsWith(series + QLatin1Char(' ')))
            continue;
        const QString value = line.mid(series.size() + 1).trimmed();
        if (value.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0)
            return std::nan("");
        return value.toDouble();
    }
    return std::nullopt;
}

LabEvent metric(const QString &name, qint64 step, double value)
{
    LabEvent e;
    e.type = LabEvent::Type::Metric;
    e.name = name;
    e.step = step;
    e.value = value;
    return e;
}

void useFakeNvml()
{
    qputenv("TORCHLAB_NVML_LIBRARY", FAKE_NVML);
    for (const char *name : {"FAKE_NVML_UTILIZATION", "FAKE_NVML_XID", "FAKE_NVML_ECC_CORRECTED",
                             "FAKE_NVML_ECC_UNCORRECTED", "FAKE_NVML_MEMORY_USED",
                             "FAKE_NVML_DEVICE_COUNT", "FAKE_NVML_INIT_ERROR"})
        qunsetenv(name);
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { useFakeNvml(); }

    void addresses_data();
    void addresses();
    void servesARunOverHttp();
    void busyPortIsAClearError();
    void aNewRunReplacesTheLastRunsSeries();
    void programMetricNamesAreBounded();
    void gpuHealthFromNvml();
    void gpuHealthWithoutNvml();
    void exporterServesGpuHealth();
    void adviceOnANonFiniteLossOnce();
    void adviceOnGpuMemoryNeedsTheHold();
    void adviceWhenNoStepComes();
    void adviceOnXidAndEccDuringTheRun();
};

void TestMonitor::addresses_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("loopback") << "127.0.0.1:9477" << true << "127.0.0.1" << 9477;
    QTest::newRow("any port") << "127.0.0.1:0" << true << "127.0.0.1" << 0;
    QTest::newRow("localhost") << "localhost:9000" << true << "127.0.0.1" << 9000;
    QTest::newRow("ipv6") << "[::1]:9477" << true << "[::1]" << 9477;
    QTest::newRow("spaces trimmed") << " 127.0.0.1:80 " << true << "127.0.0.1" << 80;
    QTest::newRow("port only") << "9477" << false << "" << 0;
    QTest::newRow("no port") << "127.0.0.1" << false << "" << 0;
    QTest::newRow("empty port") << "127.0.0.1:" << false << "" << 0;
    QTest::newRow("port too big") << "127.0.0.1:99999" << false << "" << 0;
    QTest::newRow("negative port") << "127.0.0.1:-1" << false << "" << 0;
    QTest::newRow("no host") << ":9477" << false << "" << 0;
    QTest::newRow("a name") << "gpu-server:9477" << false << "" << 0;
    QTest::newRow("bare ipv6") << "::1:9477" << false << "" << 0;
    QTest::newRow("option text") << "127.0.0.1:80,127.0.0.2:81" << false << "" << 0;
}

void TestMonitor::addresses()
{
    QFETCH(QString, address);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QString gotHost;
    int gotPort = -1;
    const Status parsed = PrometheusExporter::parseAddress(address, &gotHost, &gotPort);
    QCOMPARE(parsed.ok(), ok);
    if (ok) {
        QCOMPARE(gotHost, host);
        QCOMPARE(gotPort, port);
    } else {
        // The message names what was written and what to write.
        QVERIFY2(parsed.error().contains(QLatin1String("127.0.0.1")) ||
                     parsed.error().contains(QLatin1String("65535")),
                 qPrintable(parsed.error()));
    }
}

void TestMonitor::servesARunOverHttp()
{
    PrometheusExporter exporter;
    QVERIFY(!exporter.isListening());
    const Status listening = exporter.listen(QStringLiteral("127.0.0.1:0"));
    QVERIFY2(listening.ok(), qPrintable(listening.error()));
    QVERIFY(exporter.port() > 0);
    QCOMPARE(exporter.url(), QStringLiteral("http://127.0.0.1:%1/metrics").arg(exporter.port()));

    exporter.runStarting(QStringLiteral("training-loop"), false);
    exporter.compiled(1.5, true);
    exporter.programStarted();
    QList<LabEvent> events;
    for (int step = 0; step < 5; ++step)
        events << metric(QStringLiteral("loss"), step, 1.0 / (step + 1))
               << metric(QStringLiteral("accuracy"), step, 0.1 * step);
    events << metric(QStringLiteral("loss"), 5, std::nan(""));
    LabEvent memory;
    memory.type = LabEvent::Type::Memory;
    memory.allocated = 1 << 20;
    memory.reserved = 4 << 20;
    memory.peak = 2 << 20;
    events << memory;
    exporter.events(events);

    QString text = scrape(exporter.port());
    const QString run = QStringLiteral("{lesson=\"training-loop\"}");
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_run_active") + run), 1.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_step") + run), 5.0);
    const auto loss = sampleValue(
        text, QStringLiteral("torchlab_program_metric{lesson=\"training-loop\",metric=\"loss\"}"));
    QVERIFY2(loss && std::isnan(*loss), qPrintable(text));
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_metric{lesson=\"training-loop\","
                                              "metric=\"accuracy\"}")),
             0.4);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_metric_nonfinite{lesson="
                                              "\"training-loop\",metric=\"loss\"}")),
             1.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_metric_nonfinite{lesson="
                                              "\"training-loop\",metric=\"accuracy\"}")),
             0.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_allocator_reserved_bytes") + run),
             double(4 << 20));
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_runs_total{mode=\"run\"}")), 1.0);
    QCOMPARE(
        sampleValue(text, QStringLiteral(
                              "torchlab_compile_duration_seconds_bucket{result=\"ok\",le=\"1\"}")),
        0.0);
    QCOMPARE(
        sampleValue(text, QStringLiteral(
                              "torchlab_compile_duration_seconds_bucket{result=\"ok\",le=\"2\"}")),
        1.0);
    const auto progress =
        sampleValue(text, QStringLiteral("torchlab_program_last_progress_timestamp_seconds") + run);
    QVERIFY(progress);
    QVERIFY(std::abs(*progress - QDateTime::currentMSecsSinceEpoch() / 1000.0) < 60);
    QVERIFY2(text.contains(QLatin1String("# TYPE torchlab_runs_total counter")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("# TYPE torchlab_compile_duration_seconds histogram")));

    SessionResult finished;
    finished.started = true;
    finished.outcome = RunResult::Outcome::Ok;
    exporter.runFinished(finished);
    text = scrape(exporter.port());
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_run_active") + run), 0.0);
    QCOMPARE(sampleValue(
                 text, QStringLiteral("torchlab_run_verdicts_total{mode=\"run\",verdict=\"ok\"}")),
             1.0);
    // The last run's figures stay for the scrapes after its end.
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_step") + run), 5.0);

    // A graded check counts its checks by result.
    exporter.runStarting(QStringLiteral("training-loop"), true);
    SessionResult check;
    check.mode = RunMode::Check;
    check.started = true;
    CheckResult pass;
    pass.status = CheckResult::Status::Pass;
    CheckResult failed;
    failed.status = CheckResult::Status::Fail;
    check.report.tests = {pass, pass, failed};
    check.report.status = CheckResult::Status::Fail;
    exporter.runFinished(check);
    text = scrape(exporter.port());
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_checks_total{result=\"pass\"}")), 2.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_checks_total{result=\"fail\"}")), 1.0);
    QCOMPARE(
        sampleValue(
            text, QStringLiteral("torchlab_run_verdicts_total{mode=\"check\",verdict=\"failed\"}")),
        1.0);
    const int port = exporter.port();
    exporter.stopListening();
    QVERIFY(!exporter.isListening());
    QCOMPARE(scrape(port), QStringLiteral("<no connection>"));
    QCOMPARE(exporter.port(), 0);
}

void TestMonitor::busyPortIsAClearError()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    PrometheusExporter exporter;
    const QString address = QStringLiteral("127.0.0.1:%1").arg(taken.serverPort());
    const Status listening = exporter.listen(address);
    QVERIFY(!listening.ok());
    QVERIFY2(listening.error().contains(address), qPrintable(listening.error()));
    QVERIFY(!exporter.isListening());
}

void TestMonitor::aNewRunReplacesTheLastRunsSeries()
{
    PrometheusExporter exporter;
    exporter.runStarting(QStringLiteral("cnn"), false);
    exporter.programStarted();
    exporter.events({metric(QStringLiteral("loss"), 3, 0.5)});
    QVERIFY(exporter.render().contains("lesson=\"cnn\""));
    exporter.runStarting(QStringLiteral("speed"), false);
    exporter.programStarted();
    const QString text = QString::fromUtf8(exporter.render());
    QVERIFY2(!text.contains(QLatin1String("lesson=\"cnn\"")), qPrintable(text));
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_run_active{lesson=\"speed\"}")), 1.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_runs_total{mode=\"run\"}")), 2.0);
}

void TestMonitor::programMetricNamesAreBounded()
{
    PrometheusExporter exporter;
    exporter.runStarting(QStringLiteral("flood"), false);
    exporter.programStarted();
    QList<LabEvent> events;
    for (int i = 0; i < 1000; ++i)
        events << metric(QStringLiteral("m%1").arg(i), i, i);
    exporter.events(events);
    const QString text = QString::fromUtf8(exporter.render());
    const qsizetype series = text.count(QLatin1String("torchlab_program_metric{"));
    QCOMPARE(series, qsizetype(PrometheusExporter::MaxMetricNames));
    // The step still follows the program.
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_program_step{lesson=\"flood\"}")), 999.0);
}

void TestMonitor::gpuHealthFromNvml()
{
    qputenv("FAKE_NVML_UTILIZATION", "73");
    qputenv("FAKE_NVML_ECC_CORRECTED", "4");
    qputenv("FAKE_NVML_ECC_UNCORRECTED", "1");
    qputenv("FAKE_NVML_XID", "79,31");
    GpuHealthReader reader;
    QString why;
    QList<GpuHealth> gpus = reader.read(&why);
    QVERIFY2(gpus.size() == 1, qPrintable(why));
    const GpuHealth &g = gpus.first();
    QCOMPARE(g.index, 0);
    QCOMPARE(g.name, QStringLiteral("NVIDIA H100 80GB HBM3"));
    QCOMPARE(g.memoryUsed, 649068544);
    QCOMPARE(g.memoryTotal, 85520809984);
    QCOMPARE(g.utilizationGpu, 73);
    QCOMPARE(g.utilizationMemory, 36);
    QCOMPARE(g.eccCorrected, 4);
    QCOMPARE(g.eccUncorrected, 1);
    QCOMPARE(g.xidErrors, 2);
    QCOMPARE(g.lastXid, 31);
    // Events are counted once: a second read sees no new ones.
    gpus = reader.read();
    QCOMPARE(gpus.first().xidErrors, 2);
}

void TestMonitor::gpuHealthWithoutNvml()
{
    qputenv("TORCHLAB_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
    GpuHealthReader reader;
    QString why;
    QVERIFY(reader.read(&why).isEmpty());
    QVERIFY(!why.isEmpty());

    useFakeNvml();
    qputenv("FAKE_NVML_INIT_ERROR", "9"); // driver not loaded
    GpuHealthReader noDriver;
    why.clear();
    QVERIFY(noDriver.read(&why).isEmpty());
    QVERIFY(!why.isEmpty());
}

void TestMonitor::exporterServesGpuHealth()
{
    qputenv("FAKE_NVML_UTILIZATION", "50");
    qputenv("FAKE_NVML_XID", "48");
    PrometheusExporter exporter;
    QString text = QString::fromUtf8(exporter.render());
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_nvml_up")), 0.0);
    QVERIFY(!text.contains(QLatin1String("torchlab_gpu_memory_used_bytes{")));

    exporter.setGpuHealth(std::make_shared<GpuHealthReader>());
    QVERIFY(exporter.listen(QStringLiteral("127.0.0.1:0")).ok());
    text = scrape(exporter.port());
    const QString gpu = QStringLiteral("{gpu=\"0\",name=\"NVIDIA H100 80GB HBM3\"}");
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_nvml_up")), 1.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_memory_used_bytes") + gpu),
             649068544.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_memory_total_bytes") + gpu),
             85520809984.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_utilization_ratio") + gpu), 0.5);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_xid_errors_total") + gpu), 1.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_last_xid") + gpu), 48.0);
    QCOMPARE(sampleValue(text, QStringLiteral("torchlab_gpu_ecc_errors_total{gpu=\"0\",name="
                                              "\"NVIDIA H100 80GB HBM3\",type=\"uncorrected\"}")),
             0.0);
}

void TestMonitor::adviceOnANonFiniteLossOnce()
{
    RunWatch watch(nullptr);
    QSignalSpy advice(&watch, &RunWatch::advice);
    watch.runStarted();
    // Before the program runs nothing is judged.
    watch.events({metric(QStringLiteral("loss"), 0, std::nan(""))});
    QCOMPARE(advice.size(), 0);
    watch.programStarted();
    watch.events(
        {metric(QStringLiteral("loss"), 6, 0.7), metric(QStringLiteral("loss"), 7, std::nan(""))});
    watch.events({metric(QStringLiteral("loss"), 8, std::nan(""))});
    QCOMPARE(advice.size(), 1);
    RunAdvice a = advice.at(0).at(0).value<RunAdvice>();
    QCOMPARE(a.kind, RunAdvice::Kind::NonFiniteMetric);
    QCOMPARE(a.metric, QStringLiteral("loss"));
    QCOMPARE(a.step, 7);
    QVERIFY2(a.text.contains(QLatin1String("step 7")) &&
                 a.text.contains(QLatin1String("learning rate")),
             qPrintable(a.text));
    watch.events({metric(QStringLiteral("accuracy"), 9, INFINITY)});
    QCOMPARE(advice.size(), 2);
    a = advice.at(1).at(0).value<RunAdvice>();
    QCOMPARE(a.metric, QStringLiteral("accuracy"));
    QVERIFY2(a.text.contains(QLatin1String("infinite")), qPrintable(a.text));
    QCOMPARE(watch.given().size(), 2);

    // A new run may be told again.
    watch.runEnded();
    watch.runStarted();
    QVERIFY(watch.given().isEmpty());
    watch.programStarted();
    watch.events({metric(QStringLiteral("loss"), 1, -INFINITY)});
    QCOMPARE(advice.size(), 3);
}

void TestMonitor::adviceOnGpuMemoryNeedsTheHold()
{
    RunWatch watch(nullptr);
    RunWatch::Limits limits;
    limits.memoryHoldMs = 300;
    watch.setLimits(limits);
    QSignalSpy advice(&watch, &RunWatch::advice);
    watch.runStarted();
    watch.programStarted();
    MemorySample s;
    s.deviceIndex = 0;
    s.deviceTotal = 80LL << 30;
    s.deviceUsed = 76LL << 30; // 95%
    watch.memorySample(s);
    QTest::qWait(150);
    s.deviceUsed = 60LL << 30; // a dip below 90% starts the hold again
    watch.memorySample(s);
    s.deviceUsed = 76LL << 30;
    watch.memorySample(s);
    QTest::qWait(200);
    watch.memorySample(s);
    QCOMPARE(advice.size(), 0);
    QTest::qWait(150);
    watch.memorySample(s);
    QCOMPARE(advice.size(), 1);
    const RunAdvice a = advice.at(0).at(0).value<RunAdvice>();
    QCOMPARE(a.kind, RunAdvice::Kind::GpuMemoryNearlyFull);
    QCOMPARE(a.lesson, QStringLiteral("grad-accumulation"));
    QVERIFY2(a.text.contains(QLatin1String("95%")), qPrintable(a.text));
    watch.memorySample(s);
    QCOMPARE(advice.size(), 1);

    // Host samplers (deviceIndex -1) are never a GPU's memory.
    RunWatch cpu(nullptr);
    cpu.setLimits(limits);
    QSignalSpy cpuAdvice(&cpu, &RunWatch::advice);
    cpu.runStarted();
    cpu.programStarted();
    s.deviceIndex = -1;
    cpu.memorySample(s);
    QTest::qWait(350);
    cpu.memorySample(s);
    QCOMPARE(cpuAdvice.size(), 0);
}

void TestMonitor::adviceWhenNoStepComes()
{
    RunWatch watch(nullptr);
    RunWatch::Limits limits;
    limits.noProgressMs = 400;
    watch.setLimits(limits);
    QSignalSpy advice(&watch, &RunWatch::advice);
    watch.runStarted();
    watch.programStarted();
    // Steps keep coming: no advice.
    for (int step = 1; step <= 6; ++step) {
        watch.events({metric(QStringLiteral("loss"), step, 1.0)});
        QTest::qWait(100);
    }
    QCOMPARE(advice.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(advice.size(), 1, 3'000);
    const RunAdvice a = advice.at(0).at(0).value<RunAdvice>();
    QCOMPARE(a.kind, RunAdvice::Kind::NoProgress);
    QCOMPARE(a.step, 6);
    QVERIFY2(a.text.contains(QLatin1String("step 6")), qPrintable(a.text));
    QTest::qWait(600);
    QCOMPARE(advice.size(), 1); // once per run

    // An ended run is never "stuck".
    RunWatch ended(nullptr);
    ended.setLimits(limits);
    QSignalSpy endedAdvice(&ended, &RunWatch::advice);
    ended.runStarted();
    ended.programStarted();
    ended.runEnded();
    QTest::qWait(700);
    QCOMPARE(endedAdvice.size(), 0);
}

void TestMonitor::adviceOnXidAndEccDuringTheRun()
{
    qputenv("FAKE_NVML_ECC_UNCORRECTED", "2"); // from before this run: not this run's
    qputenv("FAKE_NVML_XID", "13");            // also before
    auto reader = std::make_shared<GpuHealthReader>();
    RunWatch watch(nullptr);
    RunWatch::Limits limits;
    limits.pollMs = 50;
    limits.noProgressMs = 60'000;
    watch.setLimits(limits);
    watch.setGpuHealth(reader);
    QSignalSpy advice(&watch, &RunWatch::advice);
    watch.runStarted();
    watch.programStarted();
    QTest::qWait(1'200);
    QCOMPARE(advice.size(), 0);
    qputenv("FAKE_NVML_XID", "13,79");
    qputenv("FAKE_NVML_ECC_UNCORRECTED", "5");
    QTRY_COMPARE_WITH_TIMEOUT(advice.size(), 2, 5'000);
    QList<RunAdvice> given = watch.given();
    std::sort(given.begin(), given.end(),
              [](const RunAdvice &a, const RunAdvice &b) { return int(a.kind) < int(b.kind); });
    QCOMPARE(given.at(0).kind, RunAdvice::Kind::GpuXid);
    QCOMPARE(given.at(0).xid, 79);
    QVERIFY2(given.at(0).text.contains(QLatin1String("Xid 79")), qPrintable(given.at(0).text));
    QCOMPARE(given.at(1).kind, RunAdvice::Kind::GpuEcc);
    QCOMPARE(given.at(1).value, 3.0);
}

QTEST_GUILESS_MAIN(TestMonitor)
#include "tst_monitor.moc"
