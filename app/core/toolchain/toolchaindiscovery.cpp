#include "core/toolchain/toolchaindiscovery.h"

#include "core/labconfig.h"
#include "core/toolchain/compilerprobe.h"
#include "core/toolchain/discoverycache.h"
#include "core/toolchain/libtorchprobe.h"
#include "core/toolchain/profilechooser.h"
#include "core/util/labpaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>

namespace torchlab {

namespace {

// Environment variables that change what discovery finds. Anything else in
// the environment does not invalidate the cache.
const QStringList &relevantVariables()
{
    static const QStringList names = {
        QStringLiteral("PATH"),
        QStringLiteral("HOME"),
        QStringLiteral("LIBTORCH"),
        QStringLiteral("Torch_DIR"),
        QStringLiteral("CUDA_HOME"),
        QStringLiteral("CUDA_PATH"),
        QStringLiteral("PYTHONPATH"),
        QStringLiteral("PYTHONHOME"),
        QStringLiteral("PYTHONUSERBASE"),
        QStringLiteral("VIRTUAL_ENV"),
        QStringLiteral("CONDA_PREFIX"),
        QStringLiteral("PYENV_VERSION"),
        QStringLiteral("TORCHLAB_LIBTORCH"),
        QStringLiteral("TORCHLAB_COMPILER"),
    };
    return names;
}

QString inputsKey(const DiscoveryOptions &options)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QString &part) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    };
    add(QStringLiteral("torchlab-discovery-1"));
    add(QStringLiteral(TORCHLAB_VERSION));
    for (const QStringList &list : {options.rootPrefixes, options.pathDirs,
                                    options.extraLibTorchRoots, options.extraCompilers}) {
        add(QString::number(list.size()));
        for (const QString &item : list)
            add(item);
    }
    add(options.python3);
    add(options.homeDir);
    for (const QString &name : relevantVariables()) {
        add(name);
        add(options.environment.contains(name)
                ? QStringLiteral("=") + options.environment.value(name)
                : QStringLiteral("unset"));
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString join(const QString &base, const QString &relative)
{
    return QDir::cleanPath(base + QLatin1Char('/') + relative);
}

QString findInPath(FileStampRecorder &fs, const QString &name, const QStringList &dirs)
{
    if (name.contains(QLatin1Char('/')))
        return fs.isExecutable(name) ? name : QString();
    for (const QString &dir : dirs) {
        const QString candidate = join(dir, name);
        if (fs.isExecutable(candidate))
            return candidate;
    }
    return QString();
}

// Asks python3 where the torch package is without importing it (importing
// torch takes seconds): find_spec only locates the folder. Also reports the
// interpreter and its search path, so the cache notices a new install.
struct PythonAnswer
{
    QString torchDir;
    QString executable;
    QStringList searchPath;
    QString error;
};

PythonAnswer askPython(const QString &python3, const QHash<QString, QString> &environment,
                       int timeoutMs)
{
    static const QString script = QStringLiteral(
        "import importlib.util as u, json, os, sys\n"
        "s = u.find_spec('torch')\n"
        "d = list(s.submodule_search_locations or [''])[0] if s else ''\n"
        "print(json.dumps({'torch': d, 'executable': os.path.realpath(sys.executable),"
        " 'path': [p for p in sys.path if p and os.path.isdir(p)]}))\n");
    PythonAnswer answer;
    const auto output =
        CompilerProbe::runTool(python3, {QStringLiteral("-c"), script}, environment, {}, timeoutMs);
    if (!output.ok) {
        answer.error = output.error;
        return answer;
    }
    // The JSON is the last line; site hooks may print before it.
    const QStringList lines = output.output.trimmed().split(QLatin1Char('\n'));
    const QJsonObject object = QJsonDocument::fromJson(lines.constLast().toUtf8()).object();
    if (object.isEmpty()) {
        answer.error = QStringLiteral("%1 gave an answer TorchLab could not read").arg(python3);
        return answer;
    }
    answer.torchDir = object.value(QStringLiteral("torch")).toString();
    answer.executable = object.value(QStringLiteral("executable")).toString();
    for (const QJsonValue &v : object.value(QStringLiteral("path")).toArray())
        answer.searchPath.append(v.toString());
    return answer;
}

class Discoverer
{
public:
    explicit Discoverer(const DiscoveryOptions &options)
        : m_options(options), m_pathDirs(options.effectivePathDirs())
    {
        const QString cudaHome = env(QStringLiteral("CUDA_HOME"));
        if (!cudaHome.isEmpty())
            m_context.cudaIncludeCandidates << join(cudaHome, QStringLiteral("include"));
        for (const QString &prefix : options.rootPrefixes) {
            m_context.cudaIncludeCandidates
                << join(prefix, QStringLiteral("usr/local/cuda/include"))
                << join(prefix, QStringLiteral("usr/include"));
        }
    }

    DiscoveryResult run()
    {
        findInstalls();
        findCompilers();
        m_result.stamps = m_fs.stamps();
        return m_result;
    }

private:
    QString env(const QString &name) const { return m_options.environment.value(name); }

    void addInstall(std::optional<LibTorchInstall> install)
    {
        if (!install)
            return;
        // The same folder reached twice ($LIBTORCH and /opt/libtorch, a
        // symlink, pip's dir given as TORCHLAB_LIBTORCH): keep the first,
        // whose source ranks higher.
        const QString canonical = QFileInfo(install->root).canonicalFilePath();
        const QString key = canonical.isEmpty() ? install->root : canonical;
        if (m_seenRoots.contains(key))
            return;
        m_seenRoots.insert(key);
        m_result.installs.append(*install);
    }

    void probeRoot(const QString &root, LibTorchInstall::Kind kind, const QString &source,
                   bool explicitly)
    {
        addInstall(LibTorchProbe::probeRoot(m_fs, root, kind, source, explicitly, m_context));
    }

    bool looksLikePath(const QString &value) const
    {
        return value.startsWith(QLatin1Char('/')) || value.startsWith(QLatin1Char('.')) ||
               value.startsWith(QLatin1Char('~'));
    }

    QString expandHome(const QString &value) const
    {
        if (value.startsWith(QLatin1Char('~')))
            return m_options.effectiveHomeDir() + value.mid(1);
        return value;
    }

    void findInstalls()
    {
        for (const QString &root : m_options.extraLibTorchRoots)
            probeRoot(expandHome(root), LibTorchInstall::Kind::Zip, QStringLiteral("--libtorch"),
                      true);
        const QString overrideRoot = env(QStringLiteral("TORCHLAB_LIBTORCH"));
        // Either a root path or an install id ("pip:/…"); ids are resolved by the chooser.
        if (looksLikePath(overrideRoot))
            probeRoot(expandHome(overrideRoot), LibTorchInstall::Kind::Zip,
                      QStringLiteral("$TORCHLAB_LIBTORCH"), true);
        const QString libtorch = env(QStringLiteral("LIBTORCH"));
        if (!libtorch.isEmpty())
            probeRoot(expandHome(libtorch), LibTorchInstall::Kind::Zip, QStringLiteral("$LIBTORCH"),
                      true);
        const QString torchDir = env(QStringLiteral("Torch_DIR"));
        if (!torchDir.isEmpty()) {
            const QString root = LibTorchProbe::rootFromTorchDir(m_fs, expandHome(torchDir));
            probeRoot(root, LibTorchInstall::Kind::TorchDir, QStringLiteral("$Torch_DIR"), true);
        }
        findPipTorch();
        for (const QString &prefix : m_options.rootPrefixes)
            probeRoot(join(prefix, QStringLiteral("opt/libtorch")), LibTorchInstall::Kind::Zip,
                      QStringLiteral("/opt/libtorch"), false);
        const QString home = m_options.effectiveHomeDir();
        if (!home.isEmpty())
            probeRoot(join(home, QStringLiteral("libtorch")), LibTorchInstall::Kind::Zip,
                      QStringLiteral("~/libtorch"), false);
        for (const QString &prefix : m_options.rootPrefixes)
            addInstall(LibTorchProbe::probeDebian(m_fs, prefix, m_context));
    }

    void findPipTorch()
    {
        if (m_options.python3.isEmpty())
            return;
        const QString python = findInPath(m_fs, m_options.python3, m_pathDirs);
        if (python.isEmpty()) {
            m_result.notes << QStringLiteral(
                "python3 was not found, so pip's torch was not looked for.");
            return;
        }
        m_result.python3Path = python;
        const PythonAnswer answer =
            askPython(python, m_options.environment, m_options.toolTimeoutMs);
        if (!answer.error.isEmpty()) {
            m_result.notes
                << QStringLiteral("Asking python3 for pip's torch failed: %1.").arg(answer.error);
            return;
        }
        // Watched so that a torch installed later, or another interpreter,
        // invalidates the cache: site-packages' mtime changes on install.
        if (!answer.executable.isEmpty())
            m_fs.watch(answer.executable);
        for (const QString &dir : answer.searchPath)
            m_fs.watch(dir);
        m_result.pythonTorchDir = answer.torchDir;
        if (!answer.torchDir.isEmpty())
            probeRoot(answer.torchDir, LibTorchInstall::Kind::PipTorch,
                      QStringLiteral("python3 torch"), true);
    }

    void addCompiler(const QString &path)
    {
        if (path.isEmpty())
            return;
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (m_seenCompilers.contains(canonical.isEmpty() ? path : canonical))
            return;
        m_seenCompilers.insert(canonical.isEmpty() ? path : canonical);
        // The binary behind a symlink is what changes on an upgrade.
        if (!canonical.isEmpty())
            m_fs.watch(canonical);
        QString error;
        const auto info = CompilerProbe::probe(path, m_options.environment, m_result.lldPath,
                                               m_options.toolTimeoutMs, &error);
        if (info)
            m_result.compilers.append(*info);
        else
            m_result.notes << error + QLatin1Char('.');
    }

    void findCompilers()
    {
        m_result.lldPath = findInPath(m_fs, QStringLiteral("ld.lld"), m_pathDirs);
        const QString clang = findInPath(m_fs, QStringLiteral("clang++"), m_pathDirs);
        if (m_result.lldPath.isEmpty() && !clang.isEmpty()) {
            // clang finds the ld.lld installed next to its real binary
            // (/usr/lib/llvm-14/bin) even when PATH does not name it.
            const QString beside =
                join(QFileInfo(QFileInfo(clang).canonicalFilePath()).absolutePath(),
                     QStringLiteral("ld.lld"));
            if (m_fs.isExecutable(beside))
                m_result.lldPath = beside;
        }

        QStringList explicitCompilers = m_options.extraCompilers;
        if (!env(QStringLiteral("TORCHLAB_COMPILER")).isEmpty())
            explicitCompilers << env(QStringLiteral("TORCHLAB_COMPILER"));
        for (const QString &given : std::as_const(explicitCompilers)) {
            const QString path = findInPath(m_fs, expandHome(given), m_pathDirs);
            if (path.isEmpty())
                m_result.notes << QStringLiteral("The compiler %1 was not found.").arg(given);
            addCompiler(path);
        }
        addCompiler(clang);
        addCompiler(findInPath(m_fs, QStringLiteral("g++"), m_pathDirs));

        QStringList nvccCandidates;
        const QString cudaHome = env(QStringLiteral("CUDA_HOME"));
        if (!cudaHome.isEmpty())
            nvccCandidates << join(cudaHome, QStringLiteral("bin/nvcc"));
        for (const QString &prefix : m_options.rootPrefixes)
            nvccCandidates << join(prefix, QStringLiteral("usr/local/cuda/bin/nvcc"));
        for (const QString &candidate : std::as_const(nvccCandidates)) {
            if (m_fs.isExecutable(candidate))
                addCompiler(candidate);
        }
        addCompiler(findInPath(m_fs, QStringLiteral("nvcc"), m_pathDirs));
    }

    const DiscoveryOptions &m_options;
    const QStringList m_pathDirs;
    FileStampRecorder m_fs;
    LibTorchProbe::Context m_context;
    DiscoveryResult m_result;
    QSet<QString> m_seenRoots;
    QSet<QString> m_seenCompilers;
};

} // namespace

DiscoveryOptions::DiscoveryOptions()
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    const QStringList keys = system.keys();
    for (const QString &key : keys)
        environment.insert(key, system.value(key));
}

QStringList DiscoveryOptions::effectivePathDirs() const
{
    if (!pathDirs.isEmpty())
        return pathDirs;
    QStringList dirs;
    const QStringList parts =
        environment.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (QDir::isAbsolutePath(part) && !dirs.contains(part))
            dirs << part;
    }
    return dirs;
}

QString DiscoveryOptions::effectiveHomeDir() const
{
    return homeDir.isEmpty() ? environment.value(QStringLiteral("HOME")) : homeDir;
}

QList<CompilerInfo> DiscoveryResult::cxxCompilers() const
{
    QList<CompilerInfo> list;
    for (const CompilerInfo &compiler : compilers) {
        if (compiler.kind != CompilerInfo::Kind::Nvcc)
            list.append(compiler);
    }
    return list;
}

std::optional<CompilerInfo> DiscoveryResult::nvcc() const
{
    for (const CompilerInfo &compiler : compilers) {
        if (compiler.kind == CompilerInfo::Kind::Nvcc)
            return compiler;
    }
    return std::nullopt;
}

std::optional<LibTorchInstall> DiscoveryResult::install(const QString &idOrRoot) const
{
    const QString cleaned = QDir::cleanPath(QFileInfo(idOrRoot).absoluteFilePath());
    for (const LibTorchInstall &candidate : installs) {
        if (candidate.id() == idOrRoot || candidate.root == cleaned)
            return candidate;
    }
    return std::nullopt;
}

std::optional<CompilerInfo> DiscoveryResult::compiler(const QString &path) const
{
    // A bare name ("g++-12", as TORCHLAB_COMPILER may say) matches by file name:
    // discovery found it in PATH.
    const bool bareName = !path.contains(QLatin1Char('/'));
    const QString canonical = bareName ? QString() : QFileInfo(path).canonicalFilePath();
    for (const CompilerInfo &candidate : compilers) {
        if (candidate.path == path || (bareName && QFileInfo(candidate.path).fileName() == path) ||
            (!canonical.isEmpty() && QFileInfo(candidate.path).canonicalFilePath() == canonical))
            return candidate;
    }
    return std::nullopt;
}

QString ToolchainDiscovery::cacheFilePath(const DiscoveryOptions &options)
{
    const QString dir = options.cacheDir.isEmpty() ? LabPaths::cacheDir() : options.cacheDir;
    return dir + QStringLiteral("/toolchains-") + inputsKey(options).left(16) +
           QStringLiteral(".json");
}

DiscoveryResult ToolchainDiscovery::discover(const DiscoveryOptions &options)
{
    QElapsedTimer timer;
    timer.start();
    const QString key = inputsKey(options);
    const QString cacheFile = cacheFilePath(options);
    if (options.useCache && !options.refresh) {
        if (auto cached = DiscoveryCache::load(cacheFile, key)) {
            cached->elapsedUs = timer.nsecsElapsed() / 1000;
            return *cached;
        }
    }
    DiscoveryResult result = Discoverer(options).run();
    result.inputsKey = key;
    if (options.useCache) {
        QDir().mkpath(QFileInfo(cacheFile).absolutePath());
        DiscoveryCache::save(cacheFile, result);
    }
    result.elapsedUs = timer.nsecsElapsed() / 1000;
    return result;
}

ProfileChoice ToolchainDiscovery::chooseProfile(const DiscoveryResult &discovery,
                                                const GpuProbe &gpu, const ProfileRequest &request)
{
    return ProfileChooser::choose(discovery, gpu, request);
}

} // namespace torchlab
