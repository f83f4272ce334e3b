#include "cli/runcommand.h"

#include "cli/jobrelay.h"
#include "cli/monitoroptions.h"
#include "cli/profileoptions.h"
#include "cli/progressline.h"
#include "cli/signalstop.h"
#include "cli/stdinchannel.h"
#include "cli/targetoptions.h"

#include "core/build/diagnosticsummary.h"
#include "core/remote/jobbundle.h"
#include "core/run/resultjson.h"
#include "core/runner/runnerjson.h"
#include "core/runner/runstream.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/util/trace.h"
#include "core/util/uilanguage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTextStream>

#include <cmath>
#include <csignal>
#include <cstdio>

namespace torchlab::cli {

namespace {

struct MetricSummary
{
    qint64 count = 0;
    double last = 0, min = 0, max = 0;
    qint64 lastStep = 0;
    void add(double value)
    {
        min = count == 0 ? value : std::fmin(min, value);
        max = count == 0 ? value : std::fmax(max, value);
        last = value;
        ++count;
    }
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

// The exit code of `torchlab-cli run`: the program's own status; 128+N when
// signal N ended it; 1 when it did not compile, hit a limit or did not run.
int exitCodeOf(const RunnerResult &result)
{
    if (!result.job.ran)
        return 1;
    const RunResult &run = result.job.run;
    switch (run.outcome) {
    case RunResult::Outcome::Ok:
        return 0;
    case RunResult::Outcome::ExitCode:
    case RunResult::Outcome::TorchError:
    case RunResult::Outcome::CudaOutOfMemory:
        return run.exitCode > 0 ? run.exitCode : (run.signal > 0 ? 128 + run.signal : 1);
    case RunResult::Outcome::Crashed:
        return 128 + run.signal;
    default:
        return 1;
    }
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
        "Compile a LibTorch program (any standalone one, with its own main) and run it in the "
        "lab's "
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
    const QCommandLineOption jsonStream(
        QStringLiteral("json-stream"),
        QStringLiteral("Print one JSON event per line on stdout for everything the run produces "
                       "(docs/json-stream.md); the program's output travels inside the events."));
    const QCommandLineOption job(QStringLiteral("job"),
                                 QStringLiteral("Run the job a job file describes (sources, flags, "
                                                "limits, ranks, data sets; docs/json-stream.md) "
                                                "instead of FILE.cpp arguments. '-' with "
                                                "--json-stream: read the job and its files from "
                                                "stdin, as a course server does for the lab."),
                                 QStringLiteral("job.json"));
    const QCommandLineOption noPch(QStringLiteral("no-pch"),
                                   QStringLiteral("Compile without the precompiled header."));
    const QCommandLineOption timeLimit(
        QStringLiteral("time-limit"),
        QStringLiteral("Wall-clock limit of the program (default 600)."), QStringLiteral("seconds"),
        QStringLiteral("600"));
    const QCommandLineOption memLimit(QStringLiteral("memory-limit"),
                                      QStringLiteral("Memory limit of the program (default 8192)."),
                                      QStringLiteral("MiB"), QStringLiteral("8192"));
    const QCommandLineOption verbose(
        QStringLiteral("verbose"),
        QStringLiteral("Print the compiler's output and the timing events of the run "
                       "(the JSON lines TORCHLAB_TRACE writes)."));
    const QCommandLineOption targetOpt = targetOption();
    const QCommandLineOption langOpt(
        QStringLiteral("lang"),
        QStringLiteral(
            "Language of verdicts and explanations: en or zh_CN (default: the locale's)."),
        QStringLiteral("lang"));
    const QCommandLineOption network(
        QStringLiteral("network"),
        QStringLiteral("Let the program use the network (the sandbox gives it none otherwise)."));
    const QCommandLineOption sandboxOpt = sandboxOption();
    const QCommandLineOption prometheusOpt = prometheusOption();
    parser.addOptions({json, jsonStream, job, noPch, timeLimit, memLimit, verbose, targetOpt,
                       langOpt, network, sandboxOpt, prometheusOpt});
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
    const bool fromJob = parser.isSet(job);
    if (files.isEmpty() && !fromJob) {
        err << "torchlab-cli run: name at least one .cpp file\n";
        return 2;
    }
    if (!files.isEmpty() && fromJob) {
        err << "torchlab-cli run: give either FILE.cpp arguments or --job, not both\n";
        return 2;
    }
    if (parser.isSet(json) && parser.isSet(jsonStream)) {
        err << "torchlab-cli run: --json and --json-stream exclude each other\n";
        return 2;
    }
    const bool asJson = parser.isSet(json);
    const bool asStream = parser.isSet(jsonStream);
    const bool quiet = asJson || asStream; // nothing but JSON on stdout
    const QString language = UiLanguage::normalized(parser.value(langOpt));
    UiLanguage::install(*QCoreApplication::instance(), language);
    const bool fromStdin = fromJob && parser.value(job) == QLatin1String("-");
    if (fromStdin && !asStream) {
        err << "torchlab-cli run: --job - needs --json-stream\n";
        return 2;
    }
    std::optional<Target> target;
    if (parser.isSet(targetOpt)) {
        if (fromStdin) {
            err << "torchlab-cli run: --job - runs here; --target does not apply\n";
            return 2;
        }
        Result<Target> found = TargetStore().find(parser.value(targetOpt));
        if (!found) {
            err << "torchlab-cli run: " << found.error() << "\n";
            return 2;
        }
        if (!found->isLocal())
            target = *found;
    }

    // The stream goes out line by line, flushed: a reader on the other side
    // of a pipe or an SSH connection sees each event as it happens.
    RunStreamWriter stream([](const QByteArray &lines) {
        std::fwrite(lines.constData(), 1, size_t(lines.size()), stdout);
        std::fflush(stdout);
    });
    if (asStream) {
        // A reader that went away must not kill the CLI before it stops its program.
        std::signal(SIGPIPE, SIG_IGN);
        stream.hello(QSysInfo::machineHostName(), qEnvironmentVariable("SLURM_JOB_ID"));
    }
    const auto refuse = [&](const QString &why) {
        if (asStream)
            stream.done(RunnerResult::notStarted(why), 1);
        else
            err << "torchlab-cli run: " << why << "\n";
        return 1;
    };

    // A course server: the job and its files come on stdin; stdin then stays
    // open for a stop, and its end (a lost connection) stops the run too.
    StdinChannel control;
    QString jobPath = parser.value(job);
    if (fromStdin) {
        Result<QByteArray> line = control.readJobLine(runstream::MaxLineBytes);
        if (!line)
            return refuse(line.error());
        Result<JobBundle> bundle = decodeJobBundle(*line);
        if (!bundle)
            return refuse(bundle.error());
        if (UiLanguage::normalized(bundle->language) != language)
            UiLanguage::install(*QCoreApplication::instance(),
                                UiLanguage::normalized(bundle->language));
        Result<QString> folder = unpackJobBundle(*bundle, defaultJobsRoot());
        if (!folder)
            return refuse(folder.error());
        if (bundle->slurm) {
            JobRelay relay(*bundle, *folder, stream);
            return relay.exec(control);
        }
        jobPath = *folder + QStringLiteral("/job.json");
    }

    RunSpec spec;
    if (fromJob) {
        const QString path = jobPath;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return refuse(
                QStringLiteral("cannot read the job file %1: %2").arg(path, file.errorString()));
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(file.read(4 << 20), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return refuse(
                QStringLiteral("the job file %1 is not JSON: %2").arg(path, error.errorString()));
        Result<RunSpec> read = runSpecFromJson(doc.object(), QFileInfo(path).absolutePath());
        if (!read)
            return refuse(read.error());
        spec = *read;
        spec.arguments += programArgs;
    } else {
        for (const QString &file : files) {
            const QFileInfo info(file);
            if (!info.isFile()) {
                err << "torchlab-cli run: " << file << ": no such file\n";
                return 2;
            }
            spec.sources.append({info.absoluteFilePath(), info.fileName(), true, {}});
        }
        spec.arguments = programArgs;
        spec.workingDirectory = QFileInfo(files.first()).absolutePath();
        spec.jobName = QFileInfo(files.first()).completeBaseName();
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
        spec.limits.wallMs = seconds * 1000;
        spec.limits.cpuSeconds = seconds * 2; // several threads may run in parallel
        spec.limits.memoryBytes = mib << 20;
        spec.limits.hardOutputBytes = 2LL << 30;
        spec.device = parser.value(QStringLiteral("device"));
    }
    if (parser.isSet(noPch))
        spec.usePch = false;
    if (parser.isSet(network))
        spec.network = true;
    // The program may write where it was asked to run, and nowhere else
    // (besides its own working folder and the lab's job folder).
    if (!fromJob)
        spec.writable << QDir::currentPath();
    const std::optional<SandboxMode> sandboxMode = sandboxModeOption(parser, sandboxOpt);
    if (!sandboxMode) {
        err << "torchlab-cli run: --sandbox takes auto, require or off\n";
        return 2;
    }
    spec.sandbox = *sandboxMode;

    LabSession session;
    RunMonitoring monitoring(session, err, asStream);
    if (Status serving = monitoring.start(parser, prometheusOpt); !serving) {
        err << "torchlab-cli run: " << serving.error() << "\n";
        return 2;
    }
    ResolvedProfile resolved;
    if (target) {
        // The server compiles with its own toolchain; this computer needs none.
        Result<std::shared_ptr<RunnerFactory>> factory =
            targetFactory(*target, quiet ? nullptr : &err);
        if (!factory)
            return refuse(factory.error());
        session.setRunnerFactory(*factory);
        if (!quiet)
            err << "Running on " << target->describe() << " (target " << target->name << ")\n"
                << Qt::flush;
    } else {
        resolved = resolveProfile(parser);
        if (!resolved.error.isEmpty())
            return refuse(resolved.error);
        spec.profile = resolved.profile;
        if (!quiet) {
            for (const QString &warning : resolved.warnings)
                err << "warning: " << warning << "\n";
            err << "Using " << spec.profile.compiler.displayName() << " with "
                << spec.profile.libtorch.displayName() << "\n"
                << Qt::flush;
        }
        session.environment()->useProfile(spec.profile, false);
    }
    if (fromStdin) {
        QObject::connect(&control, &StdinChannel::stopRequested, &session,
                         [&session](bool) { session.stop(); });
        control.watch();
    }
    ProgressLine progress;
    QHash<QString, MetricSummary> metrics;
    QStringList metricOrder;
    RunnerResult result;
    bool stopped = false;
    QEventLoop loop;
    SignalStop signalStop([&session] { session.stop(); });

    bool progressShown = false;
    QElapsedTimer pchTimer;
    pchTimer.start();
    QObject::connect(&session, &LabSession::pchProgress, &session,
                     [&](int percent, const QString &message) {
                         if (asStream) {
                             stream.pchProgress(percent, message);
                         } else if (!asJson) {
                             progressShown = true;
                             progress.update(percent, message);
                         }
                     });
    QObject::connect(&session, &LabSession::phaseChanged, &session, [&](RunPhase phase) {
        if (asStream) {
            stream.phase(phase);
            return;
        }
        if (asJson || phase != RunPhase::Compiling)
            return;
        if (progressShown) {
            progress.done(QStringLiteral("LibTorch precompiled header ready after %1 s; later "
                                         "compiles reuse it.")
                              .arg(pchTimer.elapsed() / 1000.0, 0, 'f', 1));
            progressShown = false;
        }
        QStringList names;
        for (const SourceFile &s : std::as_const(spec.sources))
            if (s.learner)
                names << (s.shownName.isEmpty() ? QFileInfo(s.path).fileName() : s.shownName);
        err << "Compiling " << names.join(QLatin1Char(' ')) << "…\n" << Qt::flush;
    });
    QObject::connect(&session, &LabSession::compiled, &session, [&](const CompileResult &c) {
        if (asStream) {
            stream.compiled(c);
            return;
        }
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
                << "\n"
                << Qt::flush;
        } else {
            err << c.summary << "\n";
            if (!c.explanation.isEmpty())
                err << c.explanation << "\n";
        }
    });
    QObject::connect(&session, &LabSession::programStarted, &session, [&](qint64 pid) {
        if (asStream)
            stream.started(pid);
    });
    QueuePrinter queuePrinter(err);
    QObject::connect(&session, &LabSession::queued, &session, [&](const QueueState &state) {
        if (asStream)
            stream.queue(state);
        else if (!asJson)
            queuePrinter.show(state);
    });
    QObject::connect(&session, &LabSession::notice, &session, [&](const QString &text) {
        if (asStream)
            stream.note(text);
        else if (!asJson)
            err << "note: " << text << "\n" << Qt::flush;
    });
    // --verbose: the timing events, on stderr, as TORCHLAB_TRACE writes them.
    const bool traceToStderr = parser.isSet(verbose) && !asJson && !asStream;
    if (traceToStderr)
        Trace::setSink([](const QByteArray &line) {
            std::fprintf(stderr, "[trace] %s\n", line.constData());
            std::fflush(stderr);
        });
    bool firstOutput = true;
    QObject::connect(&session, &LabSession::output, &session,
                     [&](const QByteArray &chunk, bool isStderr) {
                         if (asStream) {
                             stream.output(chunk, isStderr);
                         } else if (!asJson) {
                             out << Qt::flush;
                             FILE *to = isStderr ? stderr : stdout;
                             std::fwrite(chunk.constData(), 1, size_t(chunk.size()), to);
                             std::fflush(to);
                         }
                         if (!isStderr && firstOutput && !chunk.isEmpty()) {
                             firstOutput = false;
                             Trace::emit(QStringLiteral("first_output"));
                         }
                     });
    QObject::connect(&session, &LabSession::memorySample, &session, [&](const MemorySample &s) {
        if (asStream)
            stream.sample(s);
    });
    QObject::connect(
        &session, &LabSession::labEvents, &session, [&](const QList<LabEvent> &events) {
            if (asStream) {
                stream.labEvents(events);
                return;
            }
            for (const LabEvent &e : events) {
                if (e.type == LabEvent::Type::Metric) {
                    auto it = metrics.find(e.name);
                    if (it == metrics.end()) {
                        if (metrics.size() >= RunObservation::MaxMetricNames)
                            continue; // the summary keeps the first names a program invents
                        metricOrder << e.name;
                        it = metrics.insert(e.name, MetricSummary());
                    }
                    it->add(e.value);
                    it->lastStep = e.step;
                    if (!asJson)
                        err << "  [metric] " << e.name << " step " << e.step << ": " << e.value
                            << "\n";
                } else if (!asJson && e.type == LabEvent::Type::Check) {
                    err << "  [check] " << (e.ok ? "pass " : "FAIL ") << e.name
                        << (e.message.isEmpty() ? QString() : QStringLiteral(": ") + e.message)
                        << "\n";
                } else if (!asJson && e.type == LabEvent::Type::Hello) {
                    err << "  [lab] LibTorch " << e.torchVersion << " on " << e.device << "\n";
                } else if (!asJson && e.type == LabEvent::Type::Note) {
                    err << "  [note] " << e.message << "\n";
                }
            }
            if (!asJson)
                err << Qt::flush;
        });
    QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        result = r.run;
        stopped = r.stopped;
        if (!r.started)
            result = RunnerResult::notStarted(r.notStartedReason);
        loop.quit();
    });

    if (session.startProgram(spec) && session.isBusy())
        loop.exec();

    const int code = exitCodeOf(result);
    if (asStream) {
        stream.done(result, code);
        return code;
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
        QJsonObject doc = runJobResultToJson(result.job);
        doc.insert(QStringLiteral("metrics"), metricsJson);
        doc.insert(QStringLiteral("profile"), profileToJson(spec.profile, resolved.reason));
        doc.insert(QStringLiteral("exit_code"), code);
        out << QJsonDocument(doc).toJson(QJsonDocument::Indented);
        return code;
    }

    if (result.job.ran) {
        const RunResult &run = result.verdict();
        if (run.outputTruncated)
            err << "(output was longer than the lab keeps; the middle was left out)\n";
        err << "── " << run.summary << " after " << QString::number(run.wallMs / 1000.0, 'f', 2)
            << " s";
        if (run.peakRssBytes > 0)
            err << ", peak memory " << (run.peakRssBytes >> 20) << " MiB";
        err << (run.sandboxed ? ", sandboxed" : "") << "\n";
        if (!run.sandboxed && !run.sandboxNote.isEmpty())
            err << "(not sandboxed: " << run.sandboxNote << ")\n";
        if (!run.ok() && !run.explanation.isEmpty())
            err << run.explanation << "\n";
        if (result.job.metricsStats.malformed + result.job.metricsStats.tooLong > 0)
            err << "(" << result.job.metricsStats.malformed + result.job.metricsStats.tooLong
                << " malformed lab.h lines were ignored)\n";
    } else if (stopped) {
        err << "── stopped\n";
    } else if (result.job.compile.outcome == CompileResult::Outcome::CompilerFailed &&
               result.job.compile.diagnostics.isEmpty()) {
        err << result.job.compile.summary << "\n";
    }
    return code;
}

} // namespace torchlab::cli
