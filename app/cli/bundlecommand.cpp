#include "cli/bundlecommand.h"

#include "cli/profileoptions.h"
#include "cli/progressline.h"
#include "cli/signalstop.h"

#include "core/bundle/bundlearchive.h"
#include "core/bundle/bundleplots.h"
#include "core/bundle/metriccomparison.h"
#include "core/bundle/runbundle.h"
#include "core/bundle/runrecorder.h"
#include "core/course/localizedtext.h"
#include "core/course/packloader.h"
#include "core/doctor/environmentreport.h"
#include "core/grading/checkrunner.h"
#include "core/metrics/metricscsv.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/util/labsettings.h"
#include "core/util/uilanguage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>

namespace torchlab::cli {

namespace {

constexpr int kCancelled = 130;

// Progress and the end of a session's run, shared by `bundle` and `bundle rerun`.
struct SessionDriver
{
    LabSession &session;
    QTextStream &err;
    ProgressLine progress;
    bool progressShown = false;
    bool interrupted = false;
    SessionResult result;

    explicit SessionDriver(LabSession &s, QTextStream &e) : session(s), err(e)
    {
        QObject::connect(&session, &LabSession::pchProgress, &session,
                         [this](int percent, const QString &message) {
                             progressShown = true;
                             progress.update(percent, message);
                         });
        QObject::connect(&session, &LabSession::phaseChanged, &session, [this](RunPhase phase) {
            if (progressShown && phase == RunPhase::Compiling) {
                progress.done(QStringLiteral("LibTorch precompiled header ready."));
                progressShown = false;
            }
            if (phase == RunPhase::Compiling)
                err << "Compiling…\n" << Qt::flush;
        });
        QObject::connect(&session, &LabSession::compiled, &session, [this](const CompileResult &c) {
            if (c.ok())
                err << "Compiled in " << QString::number((c.compileMs + c.linkMs) / 1000.0, 'f', 2)
                    << " s; running…\n"
                    << Qt::flush;
            else
                err << c.summary << "\n" << c.output << Qt::flush;
        });
    }

    // Runs until finished(); Ctrl+C stops the run.
    void wait()
    {
        QEventLoop loop;
        QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
            result = r;
            loop.quit();
        });
        SignalStop stop([this] {
            interrupted = true;
            session.stop();
        });
        if (session.isBusy())
            loop.exec();
        if (progressShown)
            progress.done(QString());
    }
};

int verify(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.size() != 1 || arguments.first().startsWith(QLatin1Char('-'))) {
        err << "usage: torchlab-cli bundle verify FILE.tar.gz\n";
        return arguments.contains(QStringLiteral("--help")) ? 0 : 2;
    }
    Result<BundleContents> contents = readBundleArchive(arguments.first());
    if (!contents) {
        err << "torchlab-cli bundle verify: " << contents.error() << "\n";
        return 1;
    }
    const ManifestCheck check = checkBundleManifest(*contents);
    if (!check.ok()) {
        for (const QString &line : check.describe())
            err << "  " << line << "\n";
        err << "torchlab-cli bundle verify: " << arguments.first()
            << " does not match its manifest\n";
        return 1;
    }
    out << "OK: " << check.verified << " files match " << kBundleManifest << " in "
        << contents->root << "\n";
    return 0;
}

int rerun(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compile and run a bundle's code here with its seed, and compare every metric series "
        "with the archived one. Exit code: 0 when they are identical (or within --tolerance), "
        "1 otherwise, 2 for usage errors."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("bundle"), QStringLiteral("the .tar.gz"));
    addProfileOptions(parser);
    const QCommandLineOption toleranceOpt(
        QStringLiteral("tolerance"),
        QStringLiteral("Largest relative difference accepted (default 0: bit-identical)."),
        QStringLiteral("rel"), QStringLiteral("0"));
    parser.addOption(toleranceOpt);
    if (!parser.parse(QStringList{QStringLiteral("torchlab-cli bundle rerun")} + arguments)) {
        err << "torchlab-cli bundle rerun: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli bundle rerun: name exactly one bundle\n";
        return 2;
    }
    bool okNumber = false;
    const double tolerance = parser.value(toleranceOpt).toDouble(&okNumber);
    if (!okNumber || !(tolerance >= 0) || !std::isfinite(tolerance)) {
        err << "torchlab-cli bundle rerun: --tolerance takes a number >= 0\n";
        return 2;
    }
    const QString path = parser.positionalArguments().first();
    Result<BundleContents> contents = readBundleArchive(path);
    if (!contents) {
        err << "torchlab-cli bundle rerun: " << contents.error() << "\n";
        return 1;
    }
    const ManifestCheck check = checkBundleManifest(*contents);
    if (!check.ok()) {
        for (const QString &line : check.describe())
            err << "  " << line << "\n";
        err << "torchlab-cli bundle rerun: " << path
            << " does not match its manifest; `bundle verify` says the same\n";
        return 1;
    }
    Result<RunBundleInfo> info = readRunBundleInfo(*contents);
    const BundleFile *archivedCsv = contents->file(QStringLiteral("metrics/metrics.csv"));
    if (!info || !archivedCsv) {
        err << "torchlab-cli bundle rerun: "
            << (info ? QStringLiteral("the bundle has no metrics/metrics.csv") : info.error())
            << "\n";
        return 1;
    }
    Result<QList<CsvSeries>> archived = parseMetricsCsv(archivedCsv->data);
    if (!archived) {
        err << "torchlab-cli bundle rerun: metrics/metrics.csv: " << archived.error() << "\n";
        return 1;
    }

    QTemporaryDir folder;
    if (!folder.isValid()) {
        err << "torchlab-cli bundle rerun: cannot make a temporary folder\n";
        return 1;
    }
    RunSpec spec;
    for (const QString &name : std::as_const(info->codeFiles)) {
        const QString target = folder.filePath(name);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile file(target);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(contents->file(QStringLiteral("code/") + name)->data) < 0) {
            err << "torchlab-cli bundle rerun: cannot write " << target << "\n";
            return 1;
        }
        const QString suffix = QFileInfo(name).suffix();
        if (suffix == QLatin1String("cpp") || suffix == QLatin1String("cc") ||
            suffix == QLatin1String("cxx"))
            spec.sources.append({QFileInfo(target).absoluteFilePath(), name, true, {}});
    }
    if (spec.sources.isEmpty()) {
        err << "torchlab-cli bundle rerun: the bundle's code has no .cpp file\n";
        return 1;
    }
    spec.workingDirectory = folder.path();
    spec.writable << folder.path();
    spec.jobName = info->lessonId.isEmpty() ? QStringLiteral("bundle") : info->lessonId;
    spec.limits.wallMs = 1800 * 1000;
    spec.limits.cpuSeconds = 3600;
    spec.limits.memoryBytes = 8192LL << 20;
    spec.limits.hardOutputBytes = 2LL << 30;
    if (info->seed)
        spec.variables.insert(QStringLiteral("TORCHLAB_SEED"), QString::number(*info->seed));
    else
        spec.environment.remove(QStringLiteral("TORCHLAB_SEED"));
    if (info->quick)
        spec.variables.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
    else
        spec.environment.remove(QStringLiteral("TORCHLAB_QUICK"));
    spec.environment.remove(QStringLiteral("TORCHLAB_METRICS_FD"));
    const ResolvedProfile resolved = resolveProfile(parser);
    if (!resolved.error.isEmpty()) {
        err << "torchlab-cli bundle rerun: " << resolved.error << "\n";
        return 1;
    }
    spec.profile = resolved.profile;
    spec.device = parser.value(QStringLiteral("device"));
    err << "Rerunning " << info->codeFiles.join(QLatin1Char(' ')) << " of " << contents->root
        << " with TORCHLAB_SEED="
        << (info->seed ? QString::number(*info->seed) : QStringLiteral("(none)"))
        << (info->quick ? " TORCHLAB_QUICK=1" : "") << "\n"
        << Qt::flush;

    LabSession session;
    session.environment()->useProfile(spec.profile, false);
    SessionDriver driver(session, err);
    if (!session.startProgram(spec)) {
        err << "torchlab-cli bundle rerun: the run could not start\n";
        return 1;
    }
    driver.wait();
    if (driver.interrupted) {
        err << "── stopped; nothing compared\n";
        return kCancelled;
    }
    const SessionResult &r = driver.result;
    if (!r.started || !r.run.job.ran) {
        err << "torchlab-cli bundle rerun: the code did not run: "
            << (r.started ? r.run.job.compile.summary : r.notStartedReason) << "\n";
        return 1;
    }
    if (r.run.job.haveHello && !info->device.isEmpty() && r.run.job.hello.device != info->device)
        err << "note: the bundle ran on " << info->device << ", this rerun on "
            << r.run.job.hello.device << "; expect differences\n";
    Result<QList<CsvSeries>> now = parseMetricsCsv(metricsCsv(session.metrics()));
    if (!now) {
        err << "torchlab-cli bundle rerun: " << now.error() << "\n";
        return 1;
    }
    const MetricComparison comparison = compareMetrics(*archived, *now, tolerance);
    out << comparison.table();
    if (comparison.ok()) {
        out << (tolerance > 0 ? "OK: every metric within the tolerance\n"
                              : "OK: every metric is bit-identical\n");
        return 0;
    }
    out << "DIFFERENT: the rerun's metrics differ from the bundle's\n";
    return 1;
}

int create(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run a lesson's program (as the lab's Run does) and archive the run for citation: "
        "code, lesson, pack, environment, seed, commands, output, metrics (CSV), plots (PNG, "
        "SVG), CITATION.cff, .zenodo.json, README.md and a SHA-256 manifest, as one "
        "deterministic .tar.gz.\n"
        "  torchlab-cli bundle verify FILE        re-check the manifest\n"
        "  torchlab-cli bundle rerun FILE [--tolerance REL]   run it again and compare\n"
        "Exit code: 0 when the bundle was written, 1 when the run or the writing failed, 2 for "
        "usage errors, 130 after Ctrl+C."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("pack"),
                                 QStringLiteral("the pack folder (holds pack.toml)"));
    addProfileOptions(parser);
    const QCommandLineOption lessonOpt(QStringLiteral("lesson"),
                                       QStringLiteral("The lesson to run (id or folder)."),
                                       QStringLiteral("id"));
    const QCommandLineOption useOpt(
        QStringLiteral("use"),
        QStringLiteral("What to run: solution (default), starter, or a FILE/folder that "
                       "replaces the starter file of the same name."),
        QStringLiteral("solution|starter|FILE"), QStringLiteral("solution"));
    const QCommandLineOption outputOpt(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                       QStringLiteral("The archive to write (.tar.gz)."),
                                       QStringLiteral("file"));
    const QCommandLineOption titleOpt(QStringLiteral("title"),
                                      QStringLiteral("Title (default: TorchLab run: LESSON)."),
                                      QStringLiteral("text"));
    const QCommandLineOption authorOpt(
        QStringLiteral("author"),
        QStringLiteral("An author, \"Name\" or \"Name,ORCID\" (may be repeated)."),
        QStringLiteral("name[,orcid]"));
    const QCommandLineOption licenseOpt(QStringLiteral("license"),
                                        QStringLiteral("SPDX license id (default CC-BY-4.0)."),
                                        QStringLiteral("id"), QStringLiteral("CC-BY-4.0"));
    const QCommandLineOption descriptionOpt(QStringLiteral("description"),
                                            QStringLiteral("A description for the citation."),
                                            QStringLiteral("text"));
    const QCommandLineOption datasetOpt(
        QStringLiteral("dataset"),
        QStringLiteral("Deposit as a data set on Zenodo (default: software)."));
    const QCommandLineOption seedOpt(
        QStringLiteral("seed"),
        QStringLiteral("TORCHLAB_SEED for the run (default 0): lab::run seeds LibTorch with it."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption quickOpt(
        QStringLiteral("quick"),
        QStringLiteral("Quick mode: TORCHLAB_QUICK=1, lessons train for fewer steps."));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("Language of the messages: en or zh_CN."),
                                     QStringLiteral("lang"), QStringLiteral("en"));
    parser.addOptions({lessonOpt, useOpt, outputOpt, titleOpt, authorOpt, licenseOpt,
                       descriptionOpt, datasetOpt, seedOpt, quickOpt, langOpt});
    if (!parser.parse(QStringList{QStringLiteral("torchlab-cli bundle")} + arguments)) {
        err << "torchlab-cli bundle: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "torchlab-cli bundle: name exactly one pack folder (or: bundle verify FILE, "
               "bundle rerun FILE)\n";
        return 2;
    }
    if (!parser.isSet(lessonOpt) || !parser.isSet(outputOpt)) {
        err << "torchlab-cli bundle: --lesson ID and -o FILE.tar.gz are needed\n";
        return 2;
    }
    bool okNumber = false;
    const qint64 seed = parser.value(seedOpt).toLongLong(&okNumber);
    if (!okNumber) {
        err << "torchlab-cli bundle: --seed takes a whole number\n";
        return 2;
    }
    QList<BundleAuthor> authors;
    for (const QString &a : parser.values(authorOpt)) {
        Result<BundleAuthor> author = parseBundleAuthor(a);
        if (!author) {
            err << "torchlab-cli bundle: --author " << a << ": " << author.error() << "\n";
            return 2;
        }
        authors << *author;
    }
    const QString language = UiLanguage::normalized(parser.value(langOpt));
    UiLanguage::install(*QCoreApplication::instance(), language);

    const QString packDir = parser.positionalArguments().first();
    const PackLoadResult loaded = PackLoader::load(packDir);
    if (!loaded.valid()) {
        err << "torchlab-cli bundle: " << packDir << " has errors; `torchlab-cli pack validate "
            << packDir << "` lists them\n";
        return 1;
    }
    const Lesson *lesson = loaded.pack.lesson(parser.value(lessonOpt));
    if (!lesson) {
        err << "torchlab-cli bundle: the pack has no lesson '" << parser.value(lessonOpt) << "'\n";
        return 2;
    }
    CheckRequest request;
    request.grade = false;
    const QString use = parser.value(useOpt);
    if (use == QLatin1String("starter")) {
        request.use = CheckRequest::Use::Starter;
    } else if (use == QLatin1String("solution")) {
        request.use = CheckRequest::Use::Solution;
    } else if (QFileInfo::exists(use)) {
        request.use = CheckRequest::Use::Files;
        request.files = QStringList{QFileInfo(use).absoluteFilePath()};
    } else {
        err << "torchlab-cli bundle: --use " << use
            << ": no such file or folder (or say starter or solution)\n";
        return 2;
    }
    request.quick = parser.isSet(quickOpt);
    request.language = language;
    request.environment.insert(QStringLiteral("TORCHLAB_SEED"), QString::number(seed));
    if (!request.quick)
        request.environment.remove(QStringLiteral("TORCHLAB_QUICK"));
    request.sandbox = LabSettings::load().sandbox;
    const ResolvedProfile resolved = resolveProfile(parser);
    if (!resolved.error.isEmpty()) {
        err << "torchlab-cli bundle: " << resolved.error << "\n";
        return 1;
    }
    request.profile = resolved.profile;
    err << "Using " << request.profile.compiler.displayName() << " with "
        << request.profile.libtorch.displayName() << "\n"
        << Qt::flush;

    LabSession session;
    session.environment()->useProfile(request.profile, false);
    SessionDriver driver(session, err);
    QObject::connect(&session, &LabSession::output, &session,
                     [](const QByteArray &chunk, bool isStderr) {
                         FILE *to = isStderr ? stderr : stdout;
                         std::fwrite(chunk.constData(), 1, size_t(chunk.size()), to);
                         std::fflush(to);
                     });
    if (!session.start(RunMode::Run, *lesson, request)) {
        err << "torchlab-cli bundle: the run could not start\n";
        return 1;
    }
    driver.wait();
    if (driver.interrupted) {
        err << "── stopped; no bundle written\n";
        return kCancelled;
    }
    const SessionResult &result = driver.result;
    if (!result.started || !result.run.job.ran) {
        err << "torchlab-cli bundle: the program did not run ("
            << (result.started ? result.run.job.compile.summary : result.notStartedReason)
            << "); no bundle written\n";
        return 1;
    }
    err << "── " << result.verdictText() << "\n" << Qt::flush;

    QElapsedTimer writing;
    writing.start();
    // The learner's files exactly as the run staged them.
    QTemporaryDir staging;
    Result<StagedSources> staged = CheckRunner::stage(*lesson, request, staging.path());
    if (!staging.isValid() || !staged) {
        err << "torchlab-cli bundle: "
            << (staged ? QStringLiteral("no temporary folder") : staged.error()) << "\n";
        return 1;
    }
    EnvironmentOptions environment;
    environment.sandbox = request.sandbox;
    RunRecordSource source;
    source.pack = &loaded.pack;
    source.lesson = lesson;
    source.language = language;
    source.stagedDirectory = staged->directory;
    source.learnerFiles = staged->learnerFiles;
    source.seed = seed;
    source.quick = request.quick;
    source.environment = EnvironmentReport::gather(environment).toJson();
    QString files;
    for (const QString &f : std::as_const(staged->learnerFiles))
        files += QStringLiteral(" code/") + f;
    source.commands = {
        QStringLiteral("# made with"),
        QStringLiteral("torchlab-cli bundle %1 --lesson %2 --use %3 --seed %4%5")
            .arg(QFileInfo(packDir).fileName(), lesson->id,
                 request.use == CheckRequest::Use::Files ? QFileInfo(use).fileName() : use)
            .arg(seed)
            .arg(request.quick ? QStringLiteral(" --quick") : QString()),
        QStringLiteral("# compiled with %1 and %2")
            .arg(request.profile.compiler.displayName(), request.profile.libtorch.displayName()),
        QStringLiteral("# the same program, by hand"),
        QStringLiteral("TORCHLAB_SEED=%1%2 torchlab-cli run%3")
            .arg(seed)
            .arg(request.quick ? QStringLiteral(" TORCHLAB_QUICK=1") : QString(), files),
        QStringLiteral("# again, compared with this bundle"),
        QStringLiteral("torchlab-cli bundle rerun BUNDLE.tar.gz [--tolerance REL]"),
    };
    Result<RunRecord> record = recordRun(source, result, session);
    if (!record) {
        err << "torchlab-cli bundle: " << record.error() << "\n";
        return 1;
    }
    record->plots = renderBundlePlots(session.metrics(), session.memory());
    if (parser.isSet(titleOpt))
        record->metadata.title = parser.value(titleOpt);
    if (parser.isSet(descriptionOpt))
        record->metadata.description = parser.value(descriptionOpt);
    record->metadata.authors = authors;
    record->metadata.license = parser.value(licenseOpt);
    record->metadata.dataset = parser.isSet(datasetOpt);
    const QString output = parser.value(outputOpt);
    if (Status written = writeRunBundle(*record, output); !written) {
        err << "torchlab-cli bundle: " << written.error() << "\n";
        return 1;
    }
    out << "Wrote " << output << " (" << QFileInfo(output).size() << " bytes, "
        << runBundleFiles(*record).size() << " files) in " << writing.elapsed() << " ms\n";
    return 0;
}

} // namespace

int runBundleCommand(const QStringList &arguments)
{
    if (!arguments.isEmpty() && arguments.first() == QLatin1String("verify"))
        return verify(arguments.mid(1));
    if (!arguments.isEmpty() && arguments.first() == QLatin1String("rerun"))
        return rerun(arguments.mid(1));
    return create(arguments);
}

} // namespace torchlab::cli
