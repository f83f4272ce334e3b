#include "core/build/pchcache.h"

#include "core/run/processrunner.h"
#include "core/util/labpaths.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

namespace torchlab {

namespace {

constexpr auto kFormat = "torchlab-pch-v1";
constexpr qint64 kDefaultBuildMs = 30'000;

bool isClang(const ToolchainProfile &p)
{
    return p.compiler.kind == CompilerInfo::Kind::Clang;
}

// Flags that only make sense when building the PCH itself. Clang's
// -fpch-instantiate-templates moves most template instantiation into the PCH:
// measured 1.7 s instead of 3.9 s per warm compile of a 20-line program.
QStringList pchOnlyFlags(const ToolchainProfile &p)
{
    if (isClang(p))
        return {QStringLiteral("-fpch-instantiate-templates")};
    return {};
}

QByteArray fileFingerprint(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QByteArray();
    return path.toUtf8() + ':' + QByteArray::number(info.size()) + ':' +
           QByteArray::number(info.lastModified().toMSecsSinceEpoch());
}

QString computeKey(const ToolchainProfile &p)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(kFormat);
    h.addData(p.compiler.path.toUtf8());
    h.addData(p.compiler.version.toUtf8());
    h.addData(fileFingerprint(p.compiler.path));
    h.addData(p.libtorch.root.toUtf8());
    h.addData(p.libtorch.version.toUtf8());
    for (const QString &flag : p.compileFlags)
        h.addData(flag.toUtf8() + '\0');
    for (const QString &flag : pchOnlyFlags(p))
        h.addData(flag.toUtf8() + '\0');
    // A LibTorch upgrade in place keeps the path; its headers' times change.
    for (const QString &dir : p.libtorch.includeDirs) {
        h.addData(fileFingerprint(dir + QStringLiteral("/torch/torch.h")));
        h.addData(fileFingerprint(dir + QStringLiteral("/torch/version.h")));
    }
    QFile lab(LabPaths::sdkIncludeDir() + QStringLiteral("/torchlab/lab.h"));
    if (lab.open(QIODevice::ReadOnly))
        h.addData(lab.readAll());
    return QString::fromLatin1(h.result().toHex().left(24));
}

QString lastBuildFile()
{
    return LabPaths::cacheDir() + QStringLiteral("/pch/last-build.json");
}

} // namespace

PchCache::PchCache(const ToolchainProfile &profile, QObject *parent)
    : QObject(parent), m_profile(profile), m_key(computeKey(profile))
{
    m_pollTimer.setInterval(200);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Waiting) {
            tryLock();
        } else if (m_state == State::Building) {
            const qint64 expected = qMax<qint64>(1, expectedBuildMs());
            const int percent = int(qMin<qint64>(99, m_elapsed.elapsed() * 100 / expected));
            Q_EMIT progress(percent, tr("Preparing LibTorch for fast compiles (one time): %1 s")
                                         .arg(m_elapsed.elapsed() / 1000));
        }
    });
    if (isReady())
        m_state = State::Ready;
}

PchCache::~PchCache()
{
    cancel();
}

QString PchCache::directory() const
{
    return LabPaths::cacheDir() + QStringLiteral("/pch/") + m_key;
}

QString PchCache::headerPath() const
{
    return directory() + QStringLiteral("/torchlab_pch.h");
}

QString PchCache::pchPath() const
{
    // gcc looks for <header>.gch next to the header named by -include.
    return headerPath() + (isClang(m_profile) ? QStringLiteral(".pch") : QStringLiteral(".gch"));
}

bool PchCache::isReady() const
{
    const QFileInfo info(pchPath());
    return info.exists() && info.size() > 0 && QFileInfo::exists(headerPath());
}

QStringList PchCache::compileArguments() const
{
    if (!isReady())
        return {};
    if (isClang(m_profile))
        return {QStringLiteral("-include-pch"), pchPath()};
    // gcc silently ignores an unusable .gch; -Winvalid-pch makes it say so.
    return {QStringLiteral("-include"), headerPath(), QStringLiteral("-Winvalid-pch")};
}

void PchCache::ensureReady()
{
    if (m_state == State::Building || m_state == State::Waiting)
        return;
    if (isReady()) {
        setState(State::Ready);
        Q_EMIT finished(true, tr("Precompiled header ready."));
        return;
    }
    QDir().mkpath(directory());
    m_lock = std::make_unique<QLockFile>(directory() + QStringLiteral("/build.lock"));
    // A build never takes this long; a lock older than this belongs to a
    // process that died without cleaning up (QLockFile also checks the pid).
    m_lock->setStaleLockTime(20 * 60 * 1000);
    m_elapsed.start();
    tryLock();
}

void PchCache::tryLock()
{
    if (!m_lock->tryLock(0)) {
        if (m_state != State::Waiting) {
            setState(State::Waiting);
            Q_EMIT progress(0,
                            tr("Waiting for another TorchLab process that is preparing LibTorch…"));
            m_pollTimer.start();
        }
        return;
    }
    m_pollTimer.stop();
    if (isReady()) {
        // Another process built it while we waited.
        m_lock->unlock();
        setState(State::Ready);
        Q_EMIT progress(100, tr("Precompiled header ready."));
        Q_EMIT finished(true, tr("Precompiled header ready."));
        return;
    }
    startBuild();
}

void PchCache::startBuild()
{
    QFile header(headerPath());
    if (!header.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = tr("Cannot write %1: %2").arg(headerPath(), header.errorString());
        m_lock->unlock();
        setState(State::Failed);
        Q_EMIT finished(false, m_error);
        return;
    }
    header.write(
        "// Precompiled by TorchLab; the key of this directory names what it was built with.\n"
        "#include <torch/torch.h>\n"
        "#include <torchlab/lab.h>\n");
    header.close();

    ProcessSpec spec;
    spec.program = m_profile.compiler.path;
    spec.arguments = m_profile.compileFlags + pchOnlyFlags(m_profile);
    spec.arguments << QStringLiteral("-x") << QStringLiteral("c++-header") << headerPath()
                   << QStringLiteral("-o") << pchPath() + QStringLiteral(".tmp");
    spec.workingDirectory = directory();
    spec.limits.cpuSeconds = 900;
    spec.limits.wallMs = 15 * 60 * 1000;
    spec.limits.memoryBytes = 6LL << 30;
    spec.limits.fileSizeBytes = 2LL << 30;
    spec.limits.hardOutputBytes = 16 << 20;

    m_runner = new ProcessRunner(this);
    connect(m_runner, &ProcessRunner::done, this, &PchCache::onBuildDone);
    setState(State::Building);
    m_elapsed.start();
    m_pollTimer.start();
    Q_EMIT progress(0, tr("Preparing LibTorch for fast compiles (one time)…"));
    m_runner->start(spec);
}

void PchCache::onBuildDone(const RunResult &result)
{
    m_pollTimer.stop();
    m_runner->deleteLater();
    m_runner = nullptr;
    const QString tmp = pchPath() + QStringLiteral(".tmp");
    if (result.ok()) {
        QFile::remove(pchPath());
        if (QFile::rename(tmp, pchPath())) {
            QSaveFile meta(lastBuildFile());
            if (meta.open(QIODevice::WriteOnly)) {
                meta.write(
                    QJsonDocument(QJsonObject{{QStringLiteral("buildMs"), m_elapsed.elapsed()},
                                              {QStringLiteral("key"), m_key}})
                        .toJson(QJsonDocument::Compact));
                meta.commit();
            }
            m_lock->unlock();
            setState(State::Ready);
            Q_EMIT progress(100, tr("Precompiled header ready."));
            Q_EMIT finished(true, tr("Precompiled header ready after %1 s.")
                                      .arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1));
            return;
        }
        m_error = tr("Cannot move the precompiled header into place.");
    } else if (result.outcome == RunResult::Outcome::Stopped) {
        m_error = tr("Preparing the precompiled header was cancelled.");
    } else {
        // Keep the compiler's own words: a broken LibTorch install shows up here.
        const QByteArray tail = result.stderrText.right(2000);
        m_error = tr("Could not precompile LibTorch's headers (%1). Compiles still work, only "
                     "slower.\n%2")
                      .arg(result.summary, QString::fromUtf8(tail));
    }
    QFile::remove(tmp);
    m_lock->unlock();
    setState(State::Failed);
    Q_EMIT finished(false, m_error);
}

void PchCache::cancel()
{
    m_pollTimer.stop();
    if (m_runner && m_runner->isRunning())
        m_runner->stop(); // onBuildDone() reports the cancellation and unlocks
    else if (m_state == State::Waiting) {
        setState(State::Missing);
        Q_EMIT finished(false, tr("Preparing the precompiled header was cancelled."));
    }
}

void PchCache::invalidate(const QString &reason)
{
    m_error = reason;
    QFile::remove(pchPath());
    if (m_state == State::Ready)
        setState(State::Missing);
}

bool PchCache::isPchRejection(const QString &out)
{
    static const char *const markers[] = {
        "has been modified since the precompiled header",
        "precompiled header was built",
        "PCH file",
        "AST file",
        "differs in PCH file",
        "was built with a different",
        "error: invalid or corrupt precompiled header",
        "not used because", // gcc -Winvalid-pch
        "cannot open precompiled header",
    };
    for (const char *marker : markers)
        if (out.contains(QLatin1String(marker)))
            return true;
    return false;
}

void PchCache::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

qint64 PchCache::expectedBuildMs() const
{
    QFile f(lastBuildFile());
    if (f.open(QIODevice::ReadOnly)) {
        const qint64 ms = QJsonDocument::fromJson(f.readAll())
                              .object()
                              .value(QStringLiteral("buildMs"))
                              .toInteger();
        if (ms > 0)
            return ms;
    }
    return kDefaultBuildMs;
}

} // namespace torchlab
