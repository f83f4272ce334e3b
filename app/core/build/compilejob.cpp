#include "core/build/compilejob.h"

#include "core/build/diagnosticparser.h"
#include "core/build/diagnosticsummary.h"
#include "core/build/objectcache.h"
#include "core/build/pchcache.h"
#include "core/run/processrunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
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

// The folders the sources lie in, in the order of the units: the same lesson
// staged in another job folder gives the same list of placeholders.
QStringList sourceRoots(const QList<SourceFile> &sources)
{
    QStringList roots;
    for (const SourceFile &s : sources) {
        const QString dir = QFileInfo(s.path).absolutePath();
        if (!roots.contains(dir))
            roots << dir;
    }
    return roots;
}

const QString objectPlaceholder = QStringLiteral("@@TORCHLAB_OBJECT@@");
const QString outputPlaceholder = QStringLiteral("@@TORCHLAB_OUTPUT@@");

// A failed compile has no dependency list; its cached output stays valid only
// while every file beside the sources is unchanged, so those are hashed into
// a second key. Past this many files (a program run in a big folder) failures
// are not kept.
constexpr int MaxFailureFiles = 200;

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

CompileJob::~CompileJob()
{
    // Runners are children: destroying them kills their groups. Jobs waiting
    // for one of this job's units then compile it themselves.
    ObjectCache::instance().releaseAll(this);
}

bool CompileJob::cacheable(const SourceFile &source) const
{
    return m_request.useCache && !isCudaSource(source.path) && ObjectCache::instance().enabled();
}

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
    // Paths in __FILE__ (and so in assertion messages) relative to the
    // source's folder: "exercise.cpp", wherever the job was staged; this also
    // makes the object the same for every job folder (ObjectCache).
    for (const QString &root : sourceRoots(request.sources))
        args << QStringLiteral("-ffile-prefix-map=%1/=").arg(root);
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
    if (request.sharedObject)
        // The warm runner ends a program by running this DSO's exit-time work
        // only (torchlab-warm.cpp says why): it needs the DSO's handle.
        // -Bsymbolic: its own definitions win over LibTorch's for its own
        // references, as an executable's do (the server loaded LibTorch first).
        args << QStringLiteral("-shared") << QStringLiteral("-Wl,-Bsymbolic")
             << QStringLiteral("-Wl,--defsym=torchlab_dso_handle=__dso_handle");
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
    m_roots = sourceRoots(request.sources);
    m_linkKey.clear();
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
    u.waiting = false;
    u.output.clear();
    QFile::remove(u.object);

    ObjectCache &cache = ObjectCache::instance();
    u.key.clear();
    if (cacheable(u.source)) {
        u.key = ObjectCache::unitKey(
            m_request.profile, compileArguments(m_request, u.source, objectPlaceholder, withPch),
            u.source.path, m_roots);
        std::optional<ObjectCache::Entry> hit = cache.lookup(u.key, m_roots);
        if (!hit)
            hit = cache.lookup(failureKey(u.key), m_roots);
        if (hit) {
            if (!hit->ok || ObjectCache::materialize(hit->file, u.object, false)) {
                u.fromCache = true;
                const int outcome =
                    int(hit->ok ? RunResult::Outcome::Ok : RunResult::Outcome::ExitCode);
                // From the event loop, as a compiler's end would come: start()
                // never emits done() for a job that could start.
                QMetaObject::invokeMethod(
                    this,
                    [this, index, ok = hit->ok, outcome, output = hit->output] {
                        if (m_running && !m_units.at(index).finished)
                            unitFinished(index, ok, outcome, output);
                    },
                    Qt::QueuedConnection);
                return;
            }
        }
        if (!cache.claim(u.key, this)) {
            // Another job (the background build of this very text) is
            // compiling it: take its result when it is done.
            u.waiting = true;
            ++m_result.unitsAwaited;
            connect(&cache, &ObjectCache::released, this, &CompileJob::onKeyReleased,
                    Qt::UniqueConnection);
            return;
        }
        u.claimed = true;
    }

    ProcessSpec spec;
    spec.program = compilerFor(m_request.profile, u.source);
    spec.arguments = compileArguments(m_request, u.source, u.object, withPch);
    if (u.claimed)
        spec.arguments << QStringLiteral("-MD") << QStringLiteral("-MF")
                       << u.object + QStringLiteral(".d");
    spec.workingDirectory = m_request.workDirectory;
    spec.limits = m_request.limits;
    spec.environment = toolEnvironment();

    delete u.runner;
    u.runner = new ProcessRunner(this);
    connect(u.runner, &ProcessRunner::done, this,
            [this, index](const RunResult &r) { onUnitDone(index, r); });
    u.runner->start(spec);
}

void CompileJob::onKeyReleased(const QString &key)
{
    if (!m_running)
        return;
    for (int i = 0; i < m_units.size(); ++i) {
        const Unit &u = m_units.at(i);
        if (u.waiting && !u.finished && u.key == key)
            startUnit(i, u.withPch); // a hit now, or this job compiles it
    }
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
        if (u.claimed) {
            u.claimed = false;
            ObjectCache::instance().release(u.key, this);
        }
        startUnit(index, false);
        return;
    }
    unitFinished(index, result.ok(), int(result.outcome), output);
}

QString CompileJob::failureKey(const QString &unitKey) const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(unitKey.toLatin1());
    int files = 0;
    for (const QString &root : m_roots) {
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        QStringList paths;
        while (it.hasNext()) {
            paths << it.next();
            if (++files > MaxFailureFiles)
                return QString();
        }
        paths.sort();
        for (const QString &path : std::as_const(paths)) {
            QFile f(path);
            if (!QFileInfo(path).isFile() || f.size() > (64LL << 20) ||
                !f.open(QIODevice::ReadOnly))
                return QString();
            hash.addData(ObjectCache::normalize(path, m_roots).toUtf8());
            hash.addData(QByteArrayView("\n"));
            hash.addData(&f);
        }
    }
    return QStringLiteral("e") + QString::fromLatin1(hash.result().toHex()).left(63);
}

void CompileJob::storeUnit(const Unit &u, bool ok)
{
    ObjectCache &cache = ObjectCache::instance();
    if (ok) {
        cache.store(u.key, true, u.object, u.output, u.object + QStringLiteral(".d"), m_roots,
                    ObjectCache::systemFolders(m_request.profile));
        return;
    }
    // Errors leave no dependency list: they are kept under a key that also
    // covers every file beside the sources (a header the learner fixes makes
    // it a miss).
    const QString key = failureKey(u.key);
    if (!key.isEmpty())
        cache.store(key, false, QString(), u.output, QString(), m_roots);
}

void CompileJob::unitFinished(int index, bool ok, int outcome, const QByteArray &output)
{
    Unit &u = m_units[index];
    u.finished = true;
    u.waiting = false;
    u.ok = ok;
    u.outcome = outcome;
    u.output = output;
    if (u.claimed) {
        u.claimed = false;
        // Only what the code itself decides is kept: never a limit, a crash
        // of the compiler or a cancel.
        if (!m_cancelled && (outcome == int(RunResult::Outcome::Ok) ||
                             outcome == int(RunResult::Outcome::ExitCode)))
            storeUnit(u, ok);
        ObjectCache::instance().release(u.key, this);
    }

    for (const Unit &other : std::as_const(m_units))
        if (!other.finished)
            return;
    allUnitsDone();
}

void CompileJob::allUnitsDone()
{
    m_result.compileMs = m_timer.elapsed();
    m_result.unitsFromCache = int(
        std::count_if(m_units.cbegin(), m_units.cend(), [](const Unit &x) { return x.fromCache; }));
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
    m_timer.restart();

    // Every unit is cacheable: the program is the same as the last one
    // linked from these objects with these arguments.
    m_linkKey.clear();
    if (std::all_of(m_units.cbegin(), m_units.cend(),
                    [](const Unit &u) { return !u.key.isEmpty(); })) {
        // By the objects' bytes: a unit whose header changed has the same key
        // and another object.
        QStringList hashes;
        for (const Unit &u : std::as_const(m_units)) {
            QFile object(u.object);
            QCryptographicHash hash(QCryptographicHash::Sha256);
            if (object.open(QIODevice::ReadOnly) && hash.addData(&object))
                hashes << QString::fromLatin1(hash.result().toHex());
        }
        CompileRequest placeholders = m_request;
        placeholders.outputPath = outputPlaceholder;
        if (hashes.size() == m_units.size())
            m_linkKey =
                ObjectCache::linkKey(m_request.profile, linkArguments(placeholders, hashes));
        std::optional<ObjectCache::Entry> hit;
        if (!m_linkKey.isEmpty())
            hit = ObjectCache::instance().lookup(m_linkKey, {});
        if (hit && hit->ok && ObjectCache::materialize(hit->file, m_request.outputPath, true)) {
            m_result.linkFromCache = true;
            RunResult linked;
            linked.outcome = RunResult::Outcome::Ok;
            linked.exitCode = 0;
            linked.stderrText = hit->output;
            QMetaObject::invokeMethod(
                this,
                [this, linked] {
                    if (m_running)
                        onLinkDone(linked);
                },
                Qt::QueuedConnection);
            return;
        }
    }

    ProcessSpec spec;
    spec.program = m_request.profile.compiler.path;
    spec.arguments = linkArguments(m_request, objects);
    spec.workingDirectory = m_request.workDirectory;
    spec.limits = m_request.limits;
    spec.environment = toolEnvironment();
    m_linker = new ProcessRunner(this);
    connect(m_linker, &ProcessRunner::done, this, &CompileJob::onLinkDone);
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
        if (!m_linkKey.isEmpty() && !r.linkFromCache)
            ObjectCache::instance().store(m_linkKey, true, m_request.outputPath,
                                          result.stdoutText + result.stderrText, QString(), {});
        if (r.linkFromCache && r.unitsFromCache == m_units.size())
            r.summary = tr("Up to date: compiled earlier from the same code.");
        else
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
    // Units waiting for another job's compile (or for a cache hit's turn in
    // the event loop) end here.
    for (int i = 0; i < m_units.size(); ++i) {
        const Unit &u = m_units.at(i);
        if (m_running && !u.finished && (u.waiting || !u.runner || !u.runner->isRunning()))
            unitFinished(i, false, int(RunResult::Outcome::Stopped), QByteArray());
    }
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
