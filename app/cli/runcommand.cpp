#include "cli/runcommand.h"

#include "core/run/resultjson.h"
#include "cli/profileoptions.h"
#include "cli/progressline.h"

#include "core/build/diagnosticsummary.h"
#include "core/run/runjob.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace torchlab::cli {

namespace {

struct MetricSummary
{
    qint64 count = 0;
    double last = 0, min = 0, max = 0;
    qint64 lastStep = 0;
};

void printDiagnostic(QTextStream &err, const Diagnostic &d, int indent = 0)
{
    const QString pad(indent, QLatin1Char(' '));
    err << pad << formatDiagnostic(d) << '\n';
    for (const Diagnostic &n : d.notes.mid(0, 6))
        printDiagnostic(err, n, indent + 4);
    if (d.notes.size() > 6)
        err << pad << "    (" << d.notes.size() - 6 << " more notes)\n";
}

// SIGINT/SIGTERM while a program runs: stop its whole process group and
// report, rather than leave it behind.
int g_signalPipe[2] = {-1, -1};
void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &c, 1);
}

} // namespace

int runRunCommand(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList ownArgs = arguments;
    QStringList programArgs;
    const qsizetype dashes = arguments.indexOf(QStringLiteral("--"));
    if (dashes >= 0) {
        ownArgs = arguments.mid(0, dashes);
        programArgs = arguments.mid(dashes + 1);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compile a LibTorch program (any standalone one, with its own main) and run it in the lab's "
        "sandbox, streaming its output and the metrics it reports through lab.h.\n"
        "Exit code: the program's own status; 128+N when signal N ended it; 1 when it did not "
        "compile or hit a limit; 2 for usage errors."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("C++ source files"),
                                 QStringLiteral("FILE.cpp... [-- ARGS]"));
    addProfileOptions(parser);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print one JSON summary instead of streaming."));
    const QCommandLineOption noPch(QStringLiteral("no-pch"),
                                   QStringLiteral("Compile without the precompiled header."));
    const QCommandLineOption timeLimit(QStringLiteral("time-limit"),
                                       QStringLiteral("Wall-clock limit of the program (default 600)."),
                                       QStringLiteral("seconds"), QStringLiteral("600"));
    const QCommandLineOption memLimit(QStringLiteral("memory-limit"),
                                      QStringLiteral("Memory limit of the program (default 8192)."),
                                      QStringLiteral("MiB"), QStringLiteral("8192"));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Print the compiler commands."));
    parser.addOptions({json, noPch, timeLimit, memLimit, verbose});
    QStringList parseArgs = ownArgs;
    parseArgs.prepend(QStringLiteral("torchlab-cli run"));
    if (!parser.parse(parseArgs)) {
        err << "torchlab-cli run: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        out << "torchlab-cli " << QCoreApplication::applicationVersion() << "\n";
        return 0;
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err << "torchlab-cli run: name at least one .cpp file\n";
        return 2;
    }
    const bool asJson = parser.isSet(json);

    RunJobRequest request;
    for (const QString &file : files) {
        const QFileInfo info(file);
        if (!info.isFile()) {
            err << "torchlab-cli run: " << file << ": no such file\n";
            return 2;
        }
        request.sources.append({info.absoluteFilePath(), info.fileName(), true});
    }

    const ResolvedProfile resolved = resolveProfile(parser);
    if (!resolved.error.isEmpty()) {
        err << "torchlab-cli run: " << resolved.error << "\n";
        return 1;
    }
    request.profile = resolved.profile;
    request.usePch = !parser.isSet(noPch);
    request.arguments = programArgs;
    request.workingDirectory = QFileInfo(files.first()).absolutePath();
    bool okNumber = false;
    const int seconds = parser.value(timeLimit).toInt(&okNumber);
    if (!okNumber || seconds <= 0) {
        err << "torchlab-cli run: --time-limit takes a positive number of seconds\n";
        return 2;
    }
    const qint64 mib = parser.value(memLimit).toLongLong(&okNumber);
    if (!okNumber || mib <= 0) {
        err << "torchlab-cli run: --memory-limit takes a positive number of MiB\n";
        return 2;
    }
    request.limits.wallMs = seconds * 1000;
    request.limits.cpuSeconds = seconds * 2; // several threads may run in parallel
    request.limits.memoryBytes = mib << 20;
    request.limits.hardOutputBytes = 2LL << 30;
    request.device = parser.value(QStringLiteral("device"));

    if (!asJson)
        for (const QString &warning : resolved.warnings)
            err << "warning: " << warning << "\n";
    if (!asJson)
        err << "Using " << request.profile.compiler.displayName() << " with "
            << request.profile.libtorch.displayName() << "\n" << Qt::flush;

    ProgressLine progress;
    QHash<QString, MetricSummary> metrics;
    QStringList metricOrder;
    RunJobResult result;
    QEventLoop loop;
    RunJob job;

    ::pipe(g_signalPipe);
    QSocketNotifier sigNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&sigNotifier, &QSocketNotifier::activated, &job, [&job] {
        char c;
        [[maybe_unused]] auto n = ::read(g_signalPipe[0], &c, 1);
        job.stop();
    });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    bool progressShown = false;
    QElapsedTimer pchTimer;
    pchTimer.start();
    QObject::connect(&job, &RunJob::pchProgress, &job, [&](int percent, const QString &message) {
        if (!asJson) {
            progressShown = true;
            progress.update(percent, message);
        }
    });
    QObject::connect(&job, &RunJob::phaseChanged, &job, [&](RunJob::Phase phase) {
        if (asJson)
            return;
        if (phase == RunJob::Phase::Compiling) {
            if (progressShown) {
                progress.done(QStringLiteral("LibTorch precompiled header ready after %1 s; later "
                                             "compiles reuse it.")
                                  .arg(pchTimer.elapsed() / 1000.0, 0, 'f', 1));
                progressShown = false;
            }
            err << "Compiling " << files.join(QLatin1Char(' ')) << "…\n" << Qt::flush;
        }
    });
    QObject::connect(&job, &RunJob::compiled, &job, [&](const CompileResult &c) {
        if (asJson)
            return;
        if (parser.isSet(verbose) && !c.output.isEmpty())
            err << c.output;
        for (const Diagnostic &d : c.diagnostics)
            printDiagnostic(err, d);
        if (c.ok()) {
            err << "Compiled in " << QString::number((c.compileMs + c.linkMs) / 1000.0, 'f', 2)
                << " s" << (c.usedPch ? " (precompiled LibTorch header)" : "")
                << (c.pchRejected ? " — the precompiled header was stale and will be rebuilt" : "")
                << "\n" << Qt::flush;
        } else {
            err << c.summary << "\n";
            if (!c.explanation.isEmpty())
                err << c.explanation << "\n";
        }
    });
    QObject::connect(&job, &RunJob::stdoutData, &job, [&](const QByteArray &chunk) {
        if (!asJson) {
            out << Qt::flush;
            std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stdout);
            std::fflush(stdout);
        }
    });
    QObject::connect(&job, &RunJob::stderrData, &job, [&](const QByteArray &chunk) {
        if (!asJson) {
            std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stderr);
            std::fflush(stderr);
        }
    });
    QObject::connect(&job, &RunJob::labEvents, &job, [&](const QList<LabEvent> &events) {
        for (const LabEvent &e : events) {
            if (e.type == LabEvent::Type::Metric) {
                auto it = metrics.find(e.name);
                if (it == metrics.end()) {
                    metricOrder << e.name;
                    it = metrics.insert(e.name, MetricSummary{0, e.value, e.value, e.value, e.step});
                }
                MetricSummary &m = *it;
                ++m.count;
                m.last = e.value;
                m.lastStep = e.step;
                m.min = std::fmin(m.min, e.value);
                m.max = std::fmax(m.max, e.value);
                if (!asJson)
                    err << "  [metric] " << e.name << " step " << e.step << ": " << e.value << "\n";
            } else if (!asJson && e.type == LabEvent::Type::Check) {
                err << "  [check] " << (e.ok ? "pass " : "FAIL ") << e.name
                    << (e.message.isEmpty() ? QString() : QStringLiteral(": ") + e.message) << "\n";
            } else if (!asJson && e.type == LabEvent::Type::Hello) {
                err << "  [lab] LibTorch " << e.torchVersion << " on " << e.device << "\n";
            } else if (!asJson && e.type == LabEvent::Type::Note) {
                err << "  [note] " << e.message << "\n";
            }
        }
        err << Qt::flush;
    });
    QObject::connect(&job, &RunJob::done, &loop, [&](const RunJobResult &r) {
        result = r;
        loop.quit();
    });

    job.start(request);
    if (job.isRunning())
        loop.exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);


    int code = 1;
    if (result.ran) {
        const RunResult &run = result.run;
        if (run.outcome == RunResult::Outcome::Ok)
            code = 0;
        else if (run.outcome == RunResult::Outcome::ExitCode || run.outcome == RunResult::Outcome::TorchError
                 || run.outcome == RunResult::Outcome::CudaOutOfMemory)
            code = run.exitCode > 0 ? run.exitCode : (run.signal > 0 ? 128 + run.signal : 1);
        else if (run.outcome == RunResult::Outcome::Crashed)
            code = 128 + run.signal;
    }

    if (asJson) {
        QJsonObject metricsJson;
        for (const QString &name : std::as_const(metricOrder)) {
            const MetricSummary &m = metrics[name];
            metricsJson.insert(name, QJsonObject{{QStringLiteral("count"), m.count},
                                                 {QStringLiteral("last"), jsonNumber(m.last)},
                                                 {QStringLiteral("last_step"), m.lastStep},
                                                 {QStringLiteral("min"), jsonNumber(m.min)},
                                                 {QStringLiteral("max"), jsonNumber(m.max)}});
        }
        QJsonObject doc = runJobResultToJson(result);
        doc.insert(QStringLiteral("metrics"), metricsJson);
        doc.insert(QStringLiteral("profile"), profileToJson(request.profile, resolved.reason));
        doc.insert(QStringLiteral("exit_code"), code);
        out << QJsonDocument(doc).toJson(QJsonDocument::Indented);
        return code;
    }

    if (result.ran) {
        const RunResult &run = result.run;
        if (run.outputTruncated)
            err << "(output was longer than the lab keeps; the middle was left out)\n";
        err << "── " << run.summary << " after " << QString::number(run.wallMs / 1000.0, 'f', 2) << " s";
        if (run.peakRssBytes > 0)
            err << ", peak memory " << (run.peakRssBytes >> 20) << " MiB";
        err << "\n";
        if (!run.ok() && !run.explanation.isEmpty())
            err << run.explanation << "\n";
        if (result.metricsStats.malformed + result.metricsStats.tooLong > 0)
            err << "(" << result.metricsStats.malformed + result.metricsStats.tooLong
                << " malformed lab.h lines were ignored)\n";
    }
    return code;
}

} // namespace torchlab::cli
