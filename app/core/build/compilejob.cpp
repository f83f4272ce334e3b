#include "core/build/compilejob.h"

#include "core/build/diagnosticparser.h"
#include "core/build/diagnosticsummary.h"
#include "core/build/pchcache.h"
#include "core/run/processrunner.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

#include <algorithm>

namespace torchlab {

namespace {

bool isClang(const ToolchainProfile &p)
{
    return p.compiler.kind == CompilerInfo::Kind::Clang;
}

Diagnostic::Tool compilerTool(const ToolchainProfile &p)
{
    return isClang(p) ? Diagnostic::Tool::Clang : Diagnostic::Tool::Gcc;
}

// The diagnostic parser reads the tools' English words ("error:", "note:").
QProcessEnvironment toolEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.remove(QStringLiteral("GCC_COLORS"));
    return env;
}

QString shownName(const SourceFile &s)
{
    return s.shownName.isEmpty() ? QFileInfo(s.path).fileName() : s.shownName;
}

} // namespace

RunLimits CompileRequest::defaultLimits()
{
    RunLimits limits;
    // A 20-line LibTorch file takes 12-20 s without a PCH on a 2-core machine
    // and about 0.8 GB; template explosions and `#include "/dev/zero"` blow
    // far past both, and end here with a clear verdict.
    limits.cpuSeconds = 300;
    limits.wallMs = 300'000;
    limits.memoryBytes = 4LL << 30;
    limits.fileSizeBytes = 1LL << 30;
    limits.hardOutputBytes = 32 << 20;
    limits.keepOutputBytes = 4 << 20;
    return limits;
}

QString compileOutcomeName(CompileResult::Outcome outcome)
{
    switch (outcome) {
    case CompileResult::Outcome::Ok:
        return QStringLiteral("ok");
    case CompileResult::Outcome::CompileErrors:
        return QStringLiteral("compile_errors");
    case CompileResult::Outcome::LinkErrors:
        return QStringLiteral("link_errors");
    case CompileResult::Outcome::TimeLimit:
        return QStringLiteral("compile_time_limit");
    case CompileResult::Outcome::MemoryLimit:
        return QStringLiteral("compile_memory_limit");
    case CompileResult::Outcome::CompilerFailed:
        return QStringLiteral("compiler_failed");
    case CompileResult::Outcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

std::optional<CompileResult::Outcome> compileOutcomeFromName(const QString &name)
{
    // compileOutcomeName()'s switch is the one list; walk it until it runs out.
    for (int i = 0;; ++i) {
        const QString known = compileOutcomeName(CompileResult::Outcome(i));
        if (known == QLatin1String("unknown"))
            return std::nullopt;
        if (known == name)
            return CompileResult::Outcome(i);
    }
}

CompileJob::CompileJob(QObject *parent) : QObject(parent) {}

CompileJob::~CompileJob() = default; // runners are children: destroying them kills their groups

bool CompileJob::isCudaSource(const QString &path)
{
    return path.endsWith(QLatin1String(".cu"));
}

QString CompileJob::compilerFor(const ToolchainProfile &profile, const SourceFile &source)
{
    return isCudaSource(source.path) ? profile.nvcc.path : profile.compiler.path;
}

QStringList CompileJob::nvccArguments(const CompileRequest &request, const SourceFile &source,
                                      const QString &objectPath)
{
    QStringList args = request.profile.nvccFlags;
    const QStringList flags =
        request.profile.compileFlags + request.extraCompileFlags + source.extraFlags;
    static const QStringList passed = {QStringLiteral("-I"), QStringLiteral("-D"),
                                       QStringLiteral("-U"), QStringLiteral("-std="),
                                       QStringLiteral("-O")};
    static const QStringList withValue = {QStringLiteral("-isystem"), QStringLiteral("-include")};
    for (qsizetype i = 0; i < flags.size(); ++i) {
        const QString &flag = flags.at(i);
        if (withValue.contains(flag) && i + 1 < flags.size()) {
            args << flag << flags.at(++i);
        } else if (flag == QLatin1String("-g") ||
                   std::any_of(passed.cbegin(), passed.cend(),
                               [&flag](const QString &p) { return flag.startsWith(p); })) {
            args << flag;
        } else {
            // nvcc does not know the host compiler's warning and code
            // generation options (it stops with "Unknown option '-Wall'").
            args << QStringLiteral("-Xcompiler") << flag;
        }
    }
    args << QStringLiteral("-c") << source.path << QStringLiteral("-o") << objectPath;
    return args;
}

QStringList CompileJob::compileArguments(const CompileRequest &request, const SourceFile &source,
                                         const QString &objectPath, bool withPch)
{
    if (isCudaSource(source.path))
        return nvccArguments(request, source, objectPath);
    QStringList args = request.profile.compileFlags;
    if (withPch)
        args += request.pchArguments;
    args += request.extraCompileFlags;
    args += source.extraFlags;
    if (isClang(request.profile)) {
        // Machine-readable fix-its for the editor; no colour codes in captured output.
        args << QStringLiteral("-fdiagnostics-parseable-fixits")
             << QStringLiteral("-fno-color-diagnostics")
             << QStringLiteral("-fno-caret-diagnostics");
    } else {
        // Byte columns match what the editor counts; gcc prints fix-its too.
        args << QStringLiteral("-fdiagnostics-color=never")
             << QStringLiteral("-fno-diagnostics-show-caret")
             << QStringLiteral("-fdiagnostics-parseable-fixits")
             << QStringLiteral("-fdiagnostics-column-unit=byte");
    }
    args << QStringLiteral("-c") << source.path << QStringLiteral("-o") << objectPath;
    return args;
}

QStringList CompileJob::linkArguments(const CompileRequest &request, const QStringList &objects)
{
    QStringList args = objects;
    args << QStringLiteral("-o") << request.outputPath;
    args += request.profile.linkFlags;
    if (std::any_of(request.sources.cbegin(), request.sources.cend(),
                    [](const SourceFile &s) { return isCudaSource(s.path); }))
        args += request.profile.cudaRuntimeLinkFlags;
    if (isClang(request.profile))
        args << QStringLiteral("-fno-color-diagnostics");
    return args;
}

void CompileJob::start(const CompileRequest &request)
{
    Q_ASSERT(!m_running);
    m_request = request;
    m_units.clear();
    m_result = CompileResult();
    m_cancelled = false;
    m_running = true;
    m_timer.start();
    QDir().mkpath(request.workDirectory);

    if (request.sources.isEmpty()) {
        CompileResult r;
        r.outcome = CompileResult::Outcome::CompilerFailed;
        r.summary = tr("Nothing to compile.");
        finish(r);
        return;
    }
    if (request.profile.compiler.path.isEmpty() ||
        !QFileInfo(request.profile.compiler.path).isExecutable()) {
        CompileResult r;
        r.outcome = CompileResult::Outcome::CompilerFailed;
        r.summary = tr("No C++ compiler is available.");
        r.explanation = tr("Install clang or g++ (run installer/install-deps.sh), then check "
                           "`torchlab-cli doctor`.");
        finish(r);
        return;
    }

    const auto cuda = std::find_if(request.sources.cbegin(), request.sources.cend(),
                                   [](const SourceFile &s) { return isCudaSource(s.path); });
    if (cuda != request.sources.cend() && !request.profile.hasNvcc()) {
        CompileResult r;
        r.outcome = CompileResult::Outcome::CompilerFailed;
        r.summary = tr("%1 is CUDA code, and nvcc (the CUDA compiler) is not available.")
                        .arg(shownName(*cuda));
        r.explanation =
            tr("Install the CUDA toolkit (it brings nvcc, in /usr/local/cuda) or set CUDA_HOME, "
               "then check `torchlab-cli doctor`.");
        finish(r);
        return;
    }

    Q_EMIT phaseChanged(QStringLiteral("compiling"));
    m_units.resize(request.sources.size());
    for (int i = 0; i < request.sources.size(); ++i) {
        Unit &u = m_units[i];
        u.source = request.sources.at(i);
        u.object = request.workDirectory + QStringLiteral("/unit%1.o").arg(i);
    }
    const bool pch = !request.pchArguments.isEmpty();
    for (int i = 0; i < m_units.size(); ++i)
        startUnit(i, pch && !isCudaSource(m_units.at(i).source.path));
}

void CompileJob::startUnit(int index, bool withPch)
{
    Unit &u = m_units[index];
    u.withPch = withPch;
    u.finished = false;
    u.output.clear();
    QFile::remove(u.object);

    ProcessSpec spec;
    spec.program = compilerFor(m_request.profile, u.source);
    spec.arguments = compileArguments(m_request, u.source, u.object, withPch);
    spec.workingDirectory = m_request.workDirectory;
    spec.limits = m_request.limits;
    spec.environment = toolEnvironment();

    delete u.runner;
    u.runner = new ProcessRunner(this);
    connect(u.runner, &ProcessRunner::done, this,
            [this, index](const RunResult &r) { onUnitDone(index, r); });
    u.runner->start(spec);
}

void CompileJob::onUnitDone(int index, const RunResult &result)
{
    Unit &u = m_units[index];
    const QByteArray output = result.stdoutText + result.stderrText;
    if (!result.ok() && u.withPch && !m_cancelled &&
        result.outcome == RunResult::Outcome::ExitCode &&
        PchCache::isPchRejection(QString::fromUtf8(output))) {
        // The PCH is stale or from another compiler: compile this unit the
        // slow way rather than show the learner an error about a file they
        // never heard of.
        m_result.pchRejected = true;
        startUnit(index, false);
        return;
    }
    u.finished = true;
    u.ok = result.ok();
    u.outcome = int(result.outcome);
    u.output = output;

    for (const Unit &other : std::as_const(m_units))
        if (!other.finished)
            return;

    m_result.compileMs = m_timer.elapsed();
    // nvcc never uses the PCH: only the C++ units say whether it was used.
    m_result.usedPch =
        std::all_of(m_units.cbegin(), m_units.cend(),
                    [](const Unit &x) { return x.withPch || isCudaSource(x.source.path); }) &&
        std::any_of(m_units.cbegin(), m_units.cend(), [](const Unit &x) { return x.withPch; });
    QString all;
    for (const Unit &x : std::as_const(m_units))
        all += QString::fromUtf8(x.output);
    m_result.output = mapPaths(all);

    // Parsed per unit: a learner location inferred from one unit's backtrace
    // must not carry over to the next unit's first error.
    const PathMap map = pathMap();
    m_result.diagnostics.clear();
    for (const Unit &x : std::as_const(m_units))
        m_result.diagnostics += parseCompilerOutput(
            QString::fromUtf8(x.output),
            isCudaSource(x.source.path) ? Diagnostic::Tool::Nvcc : compilerTool(m_request.profile),
            map);

    if (m_cancelled) {
        CompileResult r = m_result;
        r.outcome = CompileResult::Outcome::Cancelled;
        r.summary = tr("Compile cancelled.");
        finish(r);
        return;
    }

    // The worst unit decides: limits before plain errors.
    auto anyOutcome = [this](RunResult::Outcome o) {
        return std::any_of(m_units.cbegin(), m_units.cend(),
                           [o](const Unit &x) { return x.outcome == int(o); });
    };
    CompileResult r = m_result;
    if (anyOutcome(RunResult::Outcome::TimeLimit)) {
        r.outcome = CompileResult::Outcome::TimeLimit;
        r.summary = tr("The compiler ran past its time limit.");
        r.explanation = tr("Something in the code makes the compiler work without end, such as a "
                           "runaway template or an #include of a device file. Undo the last change "
                           "and compile again.");
    } else if (anyOutcome(RunResult::Outcome::MemoryLimit)) {
        r.outcome = CompileResult::Outcome::MemoryLimit;
        r.summary = tr("The compiler ran out of its memory limit.");
        r.explanation = tr("Something in the code makes the compiler use huge amounts of memory, "
                           "such as deeply recursive templates or an #include of a huge or endless "
                           "file. Undo the last change and compile again.");
    } else if (std::all_of(m_units.cbegin(), m_units.cend(), [](const Unit &x) { return x.ok; })) {
        startLink();
        return;
    } else if (std::any_of(r.diagnostics.cbegin(), r.diagnostics.cend(),
                           [](const Diagnostic &d) { return d.isError(); })) {
        r.outcome = CompileResult::Outcome::CompileErrors;
        r.summary = summarize(r.diagnostics);
    } else {
        r.outcome = CompileResult::Outcome::CompilerFailed;
        r.summary = tr("The compiler failed without an error message about the code.");
        r.explanation =
            tr("This points at the toolchain, not your code: run `torchlab-cli doctor`. "
               "The compiler said:\n%1")
                .arg(m_result.output.right(2000));
    }
    finish(r);
}

void CompileJob::startLink()
{
    Q_EMIT phaseChanged(QStringLiteral("linking"));
    QStringList objects;
    for (const Unit &u : std::as_const(m_units))
        objects << u.object;
    QFile::remove(m_request.outputPath);

    ProcessSpec spec;
    spec.program = m_request.profile.compiler.path;
    spec.arguments = linkArguments(m_request, objects);
    spec.workingDirectory = m_request.workDirectory;
    spec.limits = m_request.limits;
    spec.environment = toolEnvironment();
    m_linker = new ProcessRunner(this);
    connect(m_linker, &ProcessRunner::done, this, &CompileJob::onLinkDone);
    m_timer.restart();
    m_linker->start(spec);
}

void CompileJob::onLinkDone(const RunResult &result)
{
    CompileResult r = m_result;
    r.linkMs = m_timer.elapsed();
    const QString out = QString::fromUtf8(result.stdoutText + result.stderrText);
    r.output += mapPaths(out);
    if (m_cancelled) {
        r.outcome = CompileResult::Outcome::Cancelled;
        r.summary = tr("Compile cancelled.");
    } else if (result.ok()) {
        r.outcome = CompileResult::Outcome::Ok;
        r.binaryPath = m_request.outputPath;
        r.summary = tr("Compiled in %1 s.").arg((r.compileMs + r.linkMs) / 1000.0, 0, 'f', 1);
    } else if (result.outcome == RunResult::Outcome::TimeLimit) {
        r.outcome = CompileResult::Outcome::TimeLimit;
        r.summary = tr("The linker ran past its time limit.");
    } else {
        const QList<Diagnostic> linkDiags = parseLinkerOutput(out, pathMap());
        r.diagnostics += linkDiags;
        r.outcome = linkDiags.isEmpty() ? CompileResult::Outcome::CompilerFailed
                                        : CompileResult::Outcome::LinkErrors;
        r.summary = linkDiags.isEmpty() ? tr("Linking failed.") : summarize(linkDiags);
        r.explanation = linkerHint(linkDiags);
    }
    finish(r);
}

void CompileJob::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    for (Unit &u : m_units)
        if (u.runner && u.runner->isRunning())
            u.runner->stop();
    if (m_linker && m_linker->isRunning())
        m_linker->stop();
}

void CompileJob::finish(CompileResult result)
{
    m_running = false;
    m_result = result;
    Q_EMIT done(result);
}

PathMap CompileJob::pathMap() const
{
    PathMap map;
    for (const Unit &x : m_units)
        map.realToShown.insert(x.source.path, shownName(x.source));
    map.workingDirectory = m_request.workDirectory;
    map.includeRoots = m_request.profile.libtorch.includeDirs;
    return map;
}

QString CompileJob::mapPaths(QString text) const
{
    for (const Unit &u : m_units)
        text.replace(u.source.path, shownName(u.source));
    text.replace(m_request.workDirectory + QLatin1Char('/'), QString());
    return text;
}

} // namespace torchlab
