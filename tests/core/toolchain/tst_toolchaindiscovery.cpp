#include "core/toolchain/discoverycache.h"
#include "core/toolchain/toolchaindiscovery.h"
#include "helpers/requiredeps.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <utime.h>

using namespace torchlab;

namespace {

const QString kFixtures = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains");

QString fx(const QString &relative)
{
    return kFixtures + QLatin1Char('/') + relative;
}

void copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + path.mid(from.size());
        if (it.fileInfo().isDir())
            QDir().mkpath(target);
        else
            QFile::copy(path, target);
    }
}

int lineCount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n'));
}

// Moves a file's mtime one minute forward without changing its content.
void bumpMtime(const QString &path)
{
    struct stat st
    {
    };
    QVERIFY(::stat(QFile::encodeName(path).constData(), &st) == 0);
    struct utimbuf times
    {
        st.st_atime, st.st_mtime + 60
    };
    QVERIFY(::utime(QFile::encodeName(path).constData(), &times) == 0);
}

} // namespace

class TestToolchainDiscovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void debianLayout();
    void debianWithoutGloo();
    void pipTorchFoundWithoutImport();
    void zipFromLibtorchVariable_data();
    void zipFromLibtorchVariable();
    void optAndHomeFolders();
    void torchDirVariable_data();
    void torchDirVariable();
    void brokenInstalls_data();
    void brokenInstalls();
    void sameRootReachedTwiceIsListedOnce();
    void compilers();
    void onlyGccWithoutLld();
    void warmCallStartsNoProcess();
    void changedFileInvalidatesCache();
    void newInstallInvalidatesCache();
    void environmentChangeInvalidatesCache();
    void cacheRoundTripsEveryField();
    void realMachine();

private:
    DiscoveryOptions fakeOptions() const;

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_log;
};

void TestToolchainDiscovery::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_log = m_tmp->filePath(QStringLiteral("tools.log"));
}

DiscoveryOptions TestToolchainDiscovery::fakeOptions() const
{
    DiscoveryOptions options;
    options.environment = {{QStringLiteral("PATH"), fx(QStringLiteral("bin"))},
                           {QStringLiteral("FAKE_TOOL_LOG"), m_log}};
    options.rootPrefixes.clear();
    options.python3.clear();
    options.pathDirs = {fx(QStringLiteral("bin"))};
    options.homeDir = m_tmp->filePath(QStringLiteral("home"));
    options.cacheDir = m_tmp->filePath(QStringLiteral("cache"));
    return options;
}

void TestToolchainDiscovery::debianLayout()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("debian"))};
    const DiscoveryResult result = ToolchainDiscovery::discover(options);

    QCOMPARE(result.installs.size(), 1);
    const LibTorchInstall &install = result.installs.constFirst();
    const QString usr = fx(QStringLiteral("debian/usr"));
    QCOMPARE(install.kind, LibTorchInstall::Kind::Debian);
    QCOMPARE(install.root, usr);
    QCOMPARE(install.source, QStringLiteral("libtorch-dev"));
    QCOMPARE(install.version, QStringLiteral("1.13.0"));
    QCOMPARE(install.versionMajor, 1);
    QCOMPARE(install.versionMinor, 13);
    QVERIFY(install.usable());
    QVERIFY(!install.cuda);
    QCOMPARE(install.cxx11Abi, 1);
    QCOMPARE(install.cxxStandard, 17); // TorchConfig says 14; exercises need at least 17
    QVERIFY(install.gloo);
    QVERIFY(!install.nccl); // NCCL needs a CUDA build
    QCOMPARE(install.libDir, usr + QStringLiteral("/lib/x86_64-linux-gnu"));
    QCOMPARE(install.includeDirs,
             QStringList({usr + QStringLiteral("/include"),
                          usr + QStringLiteral("/include/torch/csrc/api/include")}));
    QCOMPARE(install.defines, QStringList({QStringLiteral("_GLIBCXX_USE_CXX11_ABI=1"),
                                           QStringLiteral("USE_C10D_GLOO")}));
    const QString libDir = install.libDir;
    QCOMPARE(
        install.libraries,
        QStringList({QStringLiteral("-L") + libDir, QStringLiteral("-Wl,-rpath,") + libDir,
                     QStringLiteral("-ltorch"), QStringLiteral("-ltorch_cpu"),
                     QStringLiteral("-lc10"), QStringLiteral("-L") + usr + QStringLiteral("/lib"),
                     QStringLiteral("-Wl,-rpath,") + usr + QStringLiteral("/lib"),
                     QStringLiteral("-lgloo"), QStringLiteral("-lpthread")}));
    QCOMPARE(install.versionFile,
             usr + QStringLiteral("/include/torch/csrc/api/include/torch/version.h"));
    QCOMPARE(install.displayName(), QStringLiteral("LibTorch 1.13.0 (CPU, Debian libtorch-dev)"));
    QCOMPARE(install.id(), QStringLiteral("debian:") + usr);
}

void TestToolchainDiscovery::debianWithoutGloo()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("debian-nogloo"))};
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 1);
    QVERIFY(result.installs.constFirst().usable());
    QVERIFY(!result.installs.constFirst().gloo);
    QVERIFY(!result.installs.constFirst().defines.contains(QStringLiteral("USE_C10D_GLOO")));
    QVERIFY(!result.installs.constFirst().libraries.contains(QStringLiteral("-lgloo")));
}

void TestToolchainDiscovery::pipTorchFoundWithoutImport()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        LAB_SKIP_MISSING("python3 is not installed");
    DiscoveryOptions options = fakeOptions();
    // The fixture's torch/__init__.py exits when imported: finding it proves
    // discovery only located the package.
    options.environment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    options.environment.insert(QStringLiteral("HOME"), qEnvironmentVariable("HOME"));
    options.environment.insert(QStringLiteral("PYTHONPATH"),
                               fx(QStringLiteral("pip/site-packages")));
    options.python3 = python;
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QVERIFY2(result.notes.isEmpty(), qPrintable(result.notes.join(QLatin1Char('\n'))));

    const QString torch = fx(QStringLiteral("pip/site-packages/torch"));
    QCOMPARE(QFileInfo(result.pythonTorchDir).canonicalFilePath(),
             QFileInfo(torch).canonicalFilePath());
    QCOMPARE(result.installs.size(), 1);
    const LibTorchInstall &install = result.installs.constFirst();
    QCOMPARE(install.kind, LibTorchInstall::Kind::PipTorch);
    QCOMPARE(install.source, QStringLiteral("python3 torch"));
    QCOMPARE(install.version, QStringLiteral("2.11.0+cu130"));
    QCOMPARE(install.versionMajor, 2);
    QCOMPARE(install.versionMinor, 11);
    QVERIFY(install.usable());
    QVERIFY(install.cuda);
    QCOMPARE(install.cudaVersion, QStringLiteral("13.0"));
    QCOMPARE(install.cxx11Abi, 1);
    QVERIFY(install.gloo);
    QVERIFY(install.nccl);
    const QString root = install.root;
    const QString cu13 = QDir::cleanPath(root + QStringLiteral("/../nvidia/cu13"));
    QCOMPARE(install.includeDirs,
             QStringList({root + QStringLiteral("/include"),
                          root + QStringLiteral("/include/torch/csrc/api/include"),
                          cu13 + QStringLiteral("/include")}));
    QCOMPARE(
        install.defines,
        QStringList({QStringLiteral("_GLIBCXX_USE_CXX11_ABI=1"), QStringLiteral("USE_C10D_GLOO"),
                     QStringLiteral("USE_C10D_NCCL"), QStringLiteral("TORCHLAB_WITH_CUDA=1")}));
    const QString lib = root + QStringLiteral("/lib");
    // libtorch_cuda must be linked even though exercise code never names it,
    // or torch::cuda::is_available() is false at run time.
    QCOMPARE(
        install.libraries,
        QStringList({QStringLiteral("-L") + lib, QStringLiteral("-Wl,-rpath,") + lib,
                     QStringLiteral("-Wl,--no-as-needed"), QStringLiteral("-ltorch_cuda"),
                     QStringLiteral("-lc10_cuda"), QStringLiteral("-Wl,--as-needed"),
                     QStringLiteral("-ltorch"), QStringLiteral("-ltorch_cpu"),
                     QStringLiteral("-lc10"), QStringLiteral("-L") + cu13 + QStringLiteral("/lib"),
                     QStringLiteral("-Wl,-rpath,") + cu13 + QStringLiteral("/lib"),
                     QStringLiteral("-l:libcudart.so.13"), QStringLiteral("-l:libnccl.so.2"),
                     QStringLiteral("-lpthread")}));
    QVERIFY(install.notes.isEmpty());
}

void TestToolchainDiscovery::zipFromLibtorchVariable_data()
{
    QTest::addColumn<QString>("cudaHome");
    QTest::addColumn<bool>("withCudaHeaders");
    QTest::newRow("no CUDA toolkit") << QString() << false;
    QTest::newRow("CUDA_HOME set") << fx(QStringLiteral("pip/site-packages/nvidia/cu13")) << true;
}

void TestToolchainDiscovery::zipFromLibtorchVariable()
{
    QFETCH(QString, cudaHome);
    QFETCH(bool, withCudaHeaders);
    DiscoveryOptions options = fakeOptions();
    options.environment.insert(QStringLiteral("LIBTORCH"), fx(QStringLiteral("zip/libtorch")));
    if (!cudaHome.isEmpty())
        options.environment.insert(QStringLiteral("CUDA_HOME"), cudaHome);
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 1);
    const LibTorchInstall &install = result.installs.constFirst();
    QCOMPARE(install.kind, LibTorchInstall::Kind::Zip);
    QCOMPARE(install.source, QStringLiteral("$LIBTORCH"));
    QCOMPARE(install.version, QStringLiteral("2.11.0+cu130"));
    QCOMPARE(install.versionFile,
             fx(QStringLiteral("zip/libtorch/include/torch/csrc/api/include/torch/version.h")));
    QVERIFY(install.cuda);
    QCOMPARE(install.cudaVersion, QStringLiteral("13.0"));
    QVERIFY(install.usable());
    QCOMPARE(install.defines.contains(QStringLiteral("TORCHLAB_WITH_CUDA=1")), withCudaHeaders);
    // Without the CUDA headers the install still works; the doctor says what is limited.
    QCOMPARE(install.notes.isEmpty(), withCudaHeaders);
    QCOMPARE(install.includeDirs.contains(cudaHome + QStringLiteral("/include")), withCudaHeaders);
    QCOMPARE(install.displayName(),
             QStringLiteral("LibTorch 2.11.0+cu130 (CUDA 13.0, LibTorch zip)"));
    QCOMPARE(install.cxx11Abi, 1);
    QVERIFY(install.defines.contains(QStringLiteral("_GLIBCXX_USE_CXX11_ABI=1")));
    // libtorch_cuda is bracketed by --no-as-needed (tst_cudalink links it for
    // real); the CUDA runtime comes from CUDA_HOME when it is set.
    const QString lib = fx(QStringLiteral("zip/libtorch/lib"));
    QStringList expected{QStringLiteral("-L") + lib,
                         QStringLiteral("-Wl,-rpath,") + lib,
                         QStringLiteral("-Wl,--no-as-needed"),
                         QStringLiteral("-ltorch_cuda"),
                         QStringLiteral("-lc10_cuda"),
                         QStringLiteral("-Wl,--as-needed"),
                         QStringLiteral("-ltorch"),
                         QStringLiteral("-ltorch_cpu"),
                         QStringLiteral("-lc10")};
    if (withCudaHeaders)
        expected << QStringLiteral("-L") + cudaHome + QStringLiteral("/lib")
                 << QStringLiteral("-Wl,-rpath,") + cudaHome + QStringLiteral("/lib")
                 << QStringLiteral("-l:libcudart.so.13") << QStringLiteral("-l:libnccl.so.2");
    expected << QStringLiteral("-lpthread");
    QCOMPARE(install.libraries, expected);
}

void TestToolchainDiscovery::optAndHomeFolders()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("optroot"))};
    options.homeDir = fx(QStringLiteral("zip")); // holds libtorch/
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 2);
    QCOMPARE(result.installs.at(0).root, fx(QStringLiteral("optroot/opt/libtorch")));
    QCOMPARE(result.installs.at(0).source, QStringLiteral("/opt/libtorch"));
    QCOMPARE(result.installs.at(0).version, QStringLiteral("2.11.0+cpu"));
    QVERIFY(!result.installs.at(0).cuda);
    QVERIFY(result.installs.at(0).cudaVersion.isEmpty());
    QCOMPARE(result.installs.at(1).root, fx(QStringLiteral("zip/libtorch")));
    QCOMPARE(result.installs.at(1).source, QStringLiteral("~/libtorch"));
}

void TestToolchainDiscovery::torchDirVariable_data()
{
    QTest::addColumn<QString>("torchDir");
    QTest::addColumn<QString>("root");
    QTest::addColumn<int>("kind");
    QTest::newRow("zip share/cmake/Torch")
        << fx(QStringLiteral("zip/libtorch/share/cmake/Torch"))
        << fx(QStringLiteral("zip/libtorch")) << int(LibTorchInstall::Kind::TorchDir);
    QTest::newRow("pip share/cmake/Torch")
        << fx(QStringLiteral("pip/site-packages/torch/share/cmake/Torch"))
        << fx(QStringLiteral("pip/site-packages/torch")) << int(LibTorchInstall::Kind::PipTorch);
    QTest::newRow("debian multiarch cmake")
        << fx(QStringLiteral("debian/usr/lib/x86_64-linux-gnu/cmake/Torch"))
        << fx(QStringLiteral("debian/usr")) << int(LibTorchInstall::Kind::Debian);
}

void TestToolchainDiscovery::torchDirVariable()
{
    QFETCH(QString, torchDir);
    QFETCH(QString, root);
    QFETCH(int, kind);
    DiscoveryOptions options = fakeOptions();
    options.environment.insert(QStringLiteral("Torch_DIR"), torchDir);
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 1);
    QCOMPARE(result.installs.constFirst().root, root);
    QCOMPARE(int(result.installs.constFirst().kind), kind);
    QCOMPARE(result.installs.constFirst().source, QStringLiteral("$Torch_DIR"));
    QVERIFY(result.installs.constFirst().usable());
}

void TestToolchainDiscovery::brokenInstalls_data()
{
    QTest::addColumn<QString>("libtorch");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("headers and libc10 missing")
        << fx(QStringLiteral("broken/libtorch"))
        << QStringList{QStringLiteral("torch/torch.h"), QStringLiteral("libc10.so")};
    QTest::newRow("folder missing")
        << fx(QStringLiteral("does-not-exist")) << QStringList{QStringLiteral("does not exist")};
    QTest::newRow("not LibTorch") << fx(QStringLiteral("bin"))
                                  << QStringList{QStringLiteral("does not contain LibTorch")};
}

void TestToolchainDiscovery::brokenInstalls()
{
    QFETCH(QString, libtorch);
    QFETCH(QStringList, mentions);
    DiscoveryOptions options = fakeOptions();
    options.environment.insert(QStringLiteral("LIBTORCH"), libtorch);
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 1);
    const LibTorchInstall &install = result.installs.constFirst();
    QVERIFY(!install.usable());
    const QString problems = install.problems.join(QLatin1Char('\n'));
    for (const QString &mention : mentions)
        QVERIFY2(problems.contains(mention), qPrintable(problems));
}

void TestToolchainDiscovery::sameRootReachedTwiceIsListedOnce()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("optroot"))};
    options.environment.insert(QStringLiteral("LIBTORCH"),
                               fx(QStringLiteral("optroot/opt/../opt/libtorch/")));
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.installs.size(), 1);
    QCOMPARE(result.installs.constFirst().source,
             QStringLiteral("$LIBTORCH")); // the higher-ranked source wins
}

void TestToolchainDiscovery::compilers()
{
    DiscoveryOptions options = fakeOptions();
    options.environment.insert(QStringLiteral("FAKE_NVCC_RELEASE"), QStringLiteral("12.6"));
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QCOMPARE(result.lldPath, fx(QStringLiteral("bin/ld.lld")));
    const QList<CompilerInfo> cxx = result.cxxCompilers();
    QCOMPARE(cxx.size(), 2);
    QCOMPARE(cxx.at(0).kind, CompilerInfo::Kind::Clang);
    QCOMPARE(cxx.at(0).version, QStringLiteral("17.0.6"));
    QCOMPARE(cxx.at(0).versionMajor, 17);
    QCOMPARE(cxx.at(0).path, fx(QStringLiteral("bin/clang++")));
    QVERIFY(cxx.at(0).lld);
    QCOMPARE(cxx.at(0).defaultCxx11Abi, 1);
    QVERIFY(cxx.at(0).dualAbi);
    QCOMPARE(cxx.at(0).displayName(), QStringLiteral("clang++ 17.0.6"));
    QCOMPARE(cxx.at(1).kind, CompilerInfo::Kind::Gcc);
    QCOMPARE(cxx.at(1).version, QStringLiteral("13.3.0"));
    const auto nvcc = result.nvcc();
    QVERIFY(nvcc.has_value());
    QCOMPARE(nvcc->version, QStringLiteral("12.6.88"));
    QCOMPARE(nvcc->versionMinor, 6);
    // Each C++ compiler runs twice (--version, ABI macros), nvcc once.
    QCOMPARE(lineCount(m_log), 5);
}

void TestToolchainDiscovery::onlyGccWithoutLld()
{
    DiscoveryOptions options = fakeOptions();
    options.pathDirs = {fx(QStringLiteral("bin-gcc"))};
    options.environment.insert(QStringLiteral("FAKE_CXX_ABI"), QStringLiteral("0"));
    options.environment.insert(QStringLiteral("FAKE_DUAL_ABI"), QStringLiteral("0"));
    const DiscoveryResult result = ToolchainDiscovery::discover(options);
    QVERIFY(result.lldPath.isEmpty());
    QCOMPARE(result.cxxCompilers().size(), 1);
    const CompilerInfo gcc = result.cxxCompilers().constFirst();
    QVERIFY(!gcc.lld);
    QCOMPARE(gcc.defaultCxx11Abi, 0);
    QVERIFY(!gcc.dualAbi);
    QVERIFY(gcc.canUseAbi(0));
    QVERIFY(!gcc.canUseAbi(1));
    QVERIFY(!result.nvcc().has_value());
}

void TestToolchainDiscovery::warmCallStartsNoProcess()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("debian"))};
    const DiscoveryResult cold = ToolchainDiscovery::discover(options);
    QVERIFY(!cold.fromCache);
    const int spawnsAfterCold = lineCount(m_log);
    QVERIFY(spawnsAfterCold > 0);
    QVERIFY(QFile::exists(ToolchainDiscovery::cacheFilePath(options)));

    const DiscoveryResult warm = ToolchainDiscovery::discover(options);
    QVERIFY(warm.fromCache);
    QCOMPARE(lineCount(m_log), spawnsAfterCold);
    QCOMPARE(warm.installs.size(), cold.installs.size());
    QCOMPARE(warm.installs.constFirst().libraries, cold.installs.constFirst().libraries);
    QCOMPARE(warm.compilers.size(), cold.compilers.size());
    QVERIFY(!cold.stamps.isEmpty());
    qInfo("fake tree: cold %.1f ms, warm %.2f ms, %d paths stamped", cold.elapsedUs / 1000.0,
          warm.elapsedUs / 1000.0, int(cold.stamps.size()));

    options.refresh = true;
    QVERIFY(!ToolchainDiscovery::discover(options).fromCache);
    QVERIFY(lineCount(m_log) > spawnsAfterCold);
}

void TestToolchainDiscovery::changedFileInvalidatesCache()
{
    const QString root = m_tmp->filePath(QStringLiteral("root"));
    copyTree(fx(QStringLiteral("debian")), root);
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {root};
    QVERIFY(!ToolchainDiscovery::discover(options).fromCache);
    QVERIFY(ToolchainDiscovery::discover(options).fromCache);

    // An in-place upgrade touches the version header.
    bumpMtime(root + QStringLiteral("/usr/include/torch/csrc/api/include/torch/version.h"));
    QVERIFY(!ToolchainDiscovery::discover(options).fromCache);
    QVERIFY(ToolchainDiscovery::discover(options).fromCache);

    // A removed library makes the install unusable, and discovery notices.
    QVERIFY(QFile::remove(root + QStringLiteral("/usr/lib/x86_64-linux-gnu/libc10.so")));
    const DiscoveryResult after = ToolchainDiscovery::discover(options);
    QVERIFY(!after.fromCache);
    QVERIFY(!after.installs.constFirst().usable());
}

void TestToolchainDiscovery::newInstallInvalidatesCache()
{
    const QString root = m_tmp->filePath(QStringLiteral("root"));
    QDir().mkpath(root);
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {root};
    QVERIFY(ToolchainDiscovery::discover(options).installs.isEmpty());
    QVERIFY(ToolchainDiscovery::discover(options).fromCache);

    copyTree(fx(QStringLiteral("optroot/opt/libtorch")), root + QStringLiteral("/opt/libtorch"));
    const DiscoveryResult after = ToolchainDiscovery::discover(options);
    QVERIFY(!after.fromCache);
    QCOMPARE(after.installs.size(), 1);
    QCOMPARE(after.installs.constFirst().source, QStringLiteral("/opt/libtorch"));
}

void TestToolchainDiscovery::environmentChangeInvalidatesCache()
{
    DiscoveryOptions options = fakeOptions();
    QVERIFY(!ToolchainDiscovery::discover(options).fromCache);
    QVERIFY(ToolchainDiscovery::discover(options).fromCache);
    options.environment.insert(QStringLiteral("LIBTORCH"), fx(QStringLiteral("zip/libtorch")));
    const DiscoveryResult withZip = ToolchainDiscovery::discover(options);
    QVERIFY(!withZip.fromCache);
    QCOMPARE(withZip.installs.size(), 1);
    // A variable discovery does not read leaves the cache alone.
    options.environment.insert(QStringLiteral("SOMETHING_ELSE"), QStringLiteral("1"));
    QVERIFY(ToolchainDiscovery::discover(options).fromCache);
}

void TestToolchainDiscovery::cacheRoundTripsEveryField()
{
    DiscoveryOptions options = fakeOptions();
    options.rootPrefixes = {fx(QStringLiteral("debian"))};
    options.environment.insert(QStringLiteral("LIBTORCH"), fx(QStringLiteral("zip/libtorch")));
    options.environment.insert(QStringLiteral("CUDA_HOME"),
                               fx(QStringLiteral("pip/site-packages/nvidia/cu13")));
    const DiscoveryResult cold = ToolchainDiscovery::discover(options);
    const DiscoveryResult warm = ToolchainDiscovery::discover(options);
    QVERIFY(warm.fromCache);
    // Compare through JSON: every serialised field of every install and compiler.
    QJsonObject coldJson = DiscoveryCache::toJson(cold);
    QJsonObject warmJson = DiscoveryCache::toJson(warm);
    QCOMPARE(warmJson, coldJson);
    QCOMPARE(warm.installs.at(0).notes, cold.installs.at(0).notes);
    QCOMPARE(warm.installs.at(0).versionFile, cold.installs.at(0).versionFile);
}

void TestToolchainDiscovery::realMachine()
{
    if (!QFile::exists(QStringLiteral("/usr/include/torch/csrc/api/include/torch/version.h")))
        LAB_SKIP_MISSING("Debian's libtorch-dev is not installed here");
    DiscoveryOptions options; // the real system
    options.cacheDir = m_tmp->filePath(QStringLiteral("cache"));
    QElapsedTimer timer;
    timer.start();
    const DiscoveryResult cold = ToolchainDiscovery::discover(options);
    const qint64 coldNs = timer.nsecsElapsed();
    timer.restart();
    const DiscoveryResult warm = ToolchainDiscovery::discover(options);
    const qint64 warmNs = timer.nsecsElapsed();
    QVERIFY(!cold.fromCache);
    QVERIFY(warm.fromCache);
    qInfo("real machine: cold %.1f ms, warm %.2f ms (%d paths stamped)", coldNs / 1e6, warmNs / 1e6,
          int(cold.stamps.size()));

    const auto debian = cold.install(QStringLiteral("debian:/usr"));
    QVERIFY(debian.has_value());
    QCOMPARE(debian->version, QStringLiteral("1.13.0"));
    QVERIFY(debian->usable());
    QCOMPARE(debian->cxx11Abi, 1);
    QCOMPARE(debian->libDir, QStringLiteral("/usr/lib/x86_64-linux-gnu"));
    // System folders are not passed with -I/-L (that would reorder the compiler's search).
    QVERIFY(!debian->includeDirs.contains(QStringLiteral("/usr/include")));
    if (QFile::exists(QStringLiteral("/usr/include/gloo/algorithm.h")))
        QVERIFY(debian->gloo);
    if (QFile::exists(QStringLiteral("/usr/bin/clang++"))) {
        QVERIFY(!cold.cxxCompilers().isEmpty());
        QCOMPARE(cold.cxxCompilers().constFirst().kind, CompilerInfo::Kind::Clang);
    }
}

QTEST_GUILESS_MAIN(TestToolchainDiscovery)
#include "tst_toolchaindiscovery.moc"
