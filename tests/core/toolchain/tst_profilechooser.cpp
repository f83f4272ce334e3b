#include "toolchain/profilechooser.h"
#include "toolchain/toolchainjson.h"
#include "util/labpaths.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <utime.h>

using namespace torchlab;

namespace {

const QString kFixtures = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains");

QString fx(const QString &relative)
{
    return relative.isEmpty() ? QString() : kFixtures + QLatin1Char('/') + relative;
}

DiscoveryResult discoverFake(const QStringList &roots, const QString &libtorch, const QString &bin,
                             const QHash<QString, QString> &extraEnv = {})
{
    DiscoveryOptions options;
    options.environment = {{QStringLiteral("PATH"), fx(bin)}};
    for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
        options.environment.insert(it.key(), it.value());
    if (!libtorch.isEmpty())
        options.environment.insert(QStringLiteral("LIBTORCH"), fx(libtorch));
    options.rootPrefixes.clear();
    for (const QString &root : roots)
        options.rootPrefixes << fx(root);
    options.python3.clear();
    options.pathDirs = bin.isEmpty() ? QStringList{fx(QStringLiteral("no-such-bin"))} : QStringList{fx(bin)};
    options.homeDir = fx(QStringLiteral("no-such-home"));
    options.useCache = false;
    return ToolchainDiscovery::discover(options);
}

GpuProbe noGpu()
{
    GpuProbe probe;
    probe.state = GpuProbe::State::NoLibrary;
    probe.libraryPath = QStringLiteral("libnvidia-ml.so.1");
    probe.reason = QStringLiteral("libnvidia-ml.so.1 is not installed");
    return probe;
}

GpuProbe h100(const QString &cuda = QStringLiteral("13.0"))
{
    GpuProbe probe;
    probe.state = GpuProbe::State::Ok;
    probe.driverVersion = QStringLiteral("580.159.04");
    probe.cudaDriverVersion = cuda;
    probe.deviceNodePresent = probe.kernelModulePresent = true;
    probe.devices = {GpuDevice{0, QStringLiteral("NVIDIA H100 80GB HBM3"), 85520809984ull, 649068544ull}};
    return probe;
}

void bumpMtime(const QString &path)
{
    struct stat st {};
    QVERIFY(::stat(QFile::encodeName(path).constData(), &st) == 0);
    struct utimbuf times{st.st_atime, st.st_mtime + 60};
    QVERIFY(::utime(QFile::encodeName(path).constData(), &times) == 0);
}

} // namespace

class TestProfileChooser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void choose_data();
    void choose();
    void abiCompatibility_data();
    void abiCompatibility();
    void flags();
    void keyChangesWithInputs();
    void requestFromEnvironment();
};

void TestProfileChooser::choose_data()
{
    QTest::addColumn<QStringList>("roots");
    QTest::addColumn<QString>("libtorch");      // $LIBTORCH fixture
    QTest::addColumn<QString>("bin");
    QTest::addColumn<QString>("gpu");           // none | h100 | h100-old-driver
    QTest::addColumn<QString>("device");        // TORCHLAB_DEVICE
    QTest::addColumn<QString>("libtorchRequest");
    QTest::addColumn<QString>("compilerRequest");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("chosenRoot");
    QTest::addColumn<bool>("useCuda");
    QTest::addColumn<QString>("compiler");      // clang | gcc
    QTest::addColumn<QString>("reason");        // exact reason, or error substring when !ok
    QTest::addColumn<int>("warnings");

    const QStringList debian{QStringLiteral("debian")};
    const QString pip = QStringLiteral("pip/site-packages/torch");
    const QString bin = QStringLiteral("bin");
    const QString none;

    QTest::newRow("Debian CPU, no GPU")
        << debian << none << bin << "none" << none << none << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no NVIDIA GPU was found (libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("GPU picks the CUDA build")
        << debian << pip << bin << "h100" << none << none << none << true << fx(pip) << true << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) with clang++ 17: found NVIDIA H100 80GB HBM3 (80 GiB); "
           "driver 580.159.04, supports CUDA 13.0"
        << 0;
    QTest::newRow("no GPU prefers the CPU build")
        << debian << pip << bin << "none" << none << none << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no NVIDIA GPU was found (libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("only a CUDA build, no GPU: it runs on the CPU")
        << QStringList() << pip << bin << "none" << none << none << none << true << fx(pip) << false << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) on the CPU with clang++ 17: no NVIDIA GPU was found "
           "(libnvidia-ml.so.1 is not installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("GPU but only a CPU build")
        << debian << none << bin << "h100" << none << none << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: an NVIDIA GPU is present but no CUDA build of "
           "LibTorch was found"
        << 0;
    QTest::newRow("driver too old for the CUDA build")
        << debian << pip << bin << "h100-old-driver" << none << none << none << true << fx("debian/usr") << false
        << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: the NVIDIA driver supports CUDA 12.4 but the CUDA "
           "LibTorch needs CUDA 13.0"
        << 0;
    QTest::newRow("only a CUDA build, driver too old: it runs on the CPU")
        << QStringList() << pip << bin << "h100-old-driver" << none << none << none << true << fx(pip) << false
        << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) on the CPU with clang++ 17: the NVIDIA driver supports CUDA "
           "12.4 but the CUDA LibTorch needs CUDA 13.0"
        << 0;
    QTest::newRow("TORCHLAB_DEVICE=cpu on a GPU machine")
        << debian << pip << bin << "h100" << "cpu" << none << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: TORCHLAB_DEVICE=cpu asks for the CPU" << 0;
    QTest::newRow("TORCHLAB_DEVICE=cuda without a GPU")
        << debian << pip << bin << "none" << "cuda" << none << none << true << fx(pip) << true << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) with clang++ 17: TORCHLAB_DEVICE=cuda asks for the GPU" << 1;
    QTest::newRow("TORCHLAB_LIBTORCH by root")
        << debian << pip << bin << "none" << none << fx("debian/usr") << none << true << fx("debian/usr") << false
        << "clang" << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: chosen by TORCHLAB_LIBTORCH" << 0;
    QTest::newRow("TORCHLAB_LIBTORCH by id, CPU build on a GPU machine")
        << debian << pip << bin << "h100" << none << QStringLiteral("debian:") + fx("debian/usr") << none << true
        << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: chosen by TORCHLAB_LIBTORCH" << 1;
    QTest::newRow("TORCHLAB_LIBTORCH names nothing found")
        << debian << none << bin << "none" << none << QStringLiteral("zip:/nowhere") << none << false << QString() << false
        << QString() << "is not a LibTorch install TorchLab found" << 0;
    QTest::newRow("TORCHLAB_LIBTORCH names a broken install")
        << debian << QStringLiteral("broken/libtorch") << bin << "none" << none << fx("broken/libtorch") << none
        << false << QString() << false << QString() << "cannot be used" << 0;
    QTest::newRow("TORCHLAB_COMPILER picks g++")
        << debian << none << bin << "none" << none << none << fx("bin/g++") << true << fx("debian/usr") << false
        << "gcc"
        << "CPU LibTorch 1.13.0 (Debian) with g++ 13: no NVIDIA GPU was found (libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("TORCHLAB_COMPILER by name")
        << debian << none << bin << "none" << "cpu" << none << QStringLiteral("g++") << true << fx("debian/usr")
        << false << "gcc" << "CPU LibTorch 1.13.0 (Debian) with g++ 13: TORCHLAB_DEVICE=cpu asks for the CPU" << 0;
    QTest::newRow("TORCHLAB_COMPILER is not a compiler")
        << debian << none << bin << "none" << none << none << fx("bin/ld.lld") << false << QString() << false
        << QString() << "was not found or is not clang++ or g++" << 0;
    QTest::newRow("only g++ installed")
        << debian << none << "bin-gcc" << "none" << none << none << none << true << fx("debian/usr") << false << "gcc"
        << "CPU LibTorch 1.13.0 (Debian) with g++ 13: no NVIDIA GPU was found (libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("no compiler") << debian << none << QString() << "none" << none << none << none << false << QString()
                                 << false << QString() << "No C++ compiler was found" << 0;
    QTest::newRow("no LibTorch") << QStringList() << none << bin << "none" << none << none << none << false
                                 << QString() << false << QString() << "No usable LibTorch was found" << 0;
    QTest::newRow("broken install is skipped")
        << debian << QStringLiteral("broken/libtorch") << bin << "none" << none << none << none << true
        << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no NVIDIA GPU was found (libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
}

void TestProfileChooser::choose()
{
    QFETCH(QStringList, roots);
    QFETCH(QString, libtorch);
    QFETCH(QString, bin);
    QFETCH(QString, gpu);
    QFETCH(QString, device);
    QFETCH(QString, libtorchRequest);
    QFETCH(QString, compilerRequest);
    QFETCH(bool, ok);
    QFETCH(QString, chosenRoot);
    QFETCH(bool, useCuda);
    QFETCH(QString, compiler);
    QFETCH(QString, reason);
    QFETCH(int, warnings);

    QHash<QString, QString> env;
    if (!compilerRequest.isEmpty())
        env.insert(QStringLiteral("TORCHLAB_COMPILER"), compilerRequest);
    if (!libtorchRequest.isEmpty())
        env.insert(QStringLiteral("TORCHLAB_LIBTORCH"), libtorchRequest);
    if (!device.isEmpty())
        env.insert(QStringLiteral("TORCHLAB_DEVICE"), device);
    const DiscoveryResult discovery = discoverFake(roots, libtorch, bin, env);
    const GpuProbe probe = gpu == QLatin1String("h100")            ? h100()
                           : gpu == QLatin1String("h100-old-driver") ? h100(QStringLiteral("12.4"))
                                                                     : noGpu();
    QString requestError;
    const ProfileRequest request = ProfileRequest::fromEnvironment(env, &requestError);
    QVERIFY(requestError.isEmpty());

    const ProfileChoice choice = ToolchainDiscovery::chooseProfile(discovery, probe, request);
    QCOMPARE(choice.ok, ok);
    if (!ok) {
        QVERIFY2(choice.error.contains(reason), qPrintable(choice.error));
        QVERIFY(!choice.profile.isValid());
        return;
    }
    QVERIFY(choice.error.isEmpty());
    QCOMPARE(choice.profile.libtorch.root, chosenRoot);
    QCOMPARE(choice.profile.useCuda, useCuda);
    QCOMPARE(ToolchainJson::kindName(choice.profile.compiler.kind), compiler);
    QCOMPARE(choice.reason, reason);
    QVERIFY2(choice.warnings.size() == warnings, qPrintable(choice.warnings.join(QLatin1Char('\n'))));
    QVERIFY(choice.profile.isValid());
}

void TestProfileChooser::abiCompatibility_data()
{
    QTest::addColumn<QString>("compilerAbi");
    QTest::addColumn<QString>("dual");
    QTest::addColumn<bool>("ok");
    // pip torch 2.3 was built with the old ABI (0). Compilers whose libstdc++
    // can build both ABIs are fine; a single-ABI one must match.
    QTest::newRow("dual ABI compiler") << "1" << "1" << true;
    QTest::newRow("old-ABI-only compiler") << "0" << "0" << true;
    QTest::newRow("new-ABI-only compiler") << "1" << "0" << false;
}

void TestProfileChooser::abiCompatibility()
{
    QFETCH(QString, compilerAbi);
    QFETCH(QString, dual);
    QFETCH(bool, ok);
    const DiscoveryResult discovery = discoverFake({}, QStringLiteral("pip-abi0/site-packages/torch"),
                                                   QStringLiteral("bin"),
                                                   {{QStringLiteral("FAKE_CXX_ABI"), compilerAbi},
                                                    {QStringLiteral("FAKE_DUAL_ABI"), dual}});
    QCOMPARE(discovery.installs.size(), 1);
    QCOMPARE(discovery.installs.constFirst().cxx11Abi, 0);
    const ProfileChoice choice = ProfileChooser::choose(discovery, noGpu(), ProfileRequest());
    QCOMPARE(choice.ok, ok);
    if (ok)
        QVERIFY(choice.profile.compileFlags.contains(QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=0")));
    else
        QVERIFY2(choice.error.contains(QStringLiteral("_GLIBCXX_USE_CXX11_ABI=0")), qPrintable(choice.error));
}

void TestProfileChooser::flags()
{
    const DiscoveryResult discovery = discoverFake({QStringLiteral("debian")}, QStringLiteral("pip/site-packages/torch"),
                                                   QStringLiteral("bin"),
                                                   {{QStringLiteral("CUDA_HOME"), fx("pip/site-packages/nvidia/cu13")}});
    const ProfileChoice choice = ProfileChooser::choose(discovery, h100(), ProfileRequest());
    QVERIFY(choice.ok);
    const ToolchainProfile &p = choice.profile;
    const QString torch = fx("pip/site-packages/torch");
    QCOMPARE(p.compileFlags,
             QStringList({QStringLiteral("-std=c++17"), QStringLiteral("-I") + LabPaths::sdkIncludeDir(),
                          QStringLiteral("-isystem"), torch + QStringLiteral("/include"), QStringLiteral("-isystem"),
                          torch + QStringLiteral("/include/torch/csrc/api/include"), QStringLiteral("-isystem"),
                          fx("pip/site-packages/nvidia/cu13/include"), QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1"),
                          QStringLiteral("-DUSE_C10D_GLOO"), QStringLiteral("-DUSE_C10D_NCCL"),
                          QStringLiteral("-DTORCHLAB_WITH_CUDA=1")}));
    QCOMPARE(p.linkFlags.constFirst(), QStringLiteral("-fuse-ld=lld"));
    QCOMPARE(p.linkFlags.mid(1), p.libtorch.libraries);
    QVERIFY(p.linkFlags.indexOf(QStringLiteral("-ltorch_cuda")) < p.linkFlags.indexOf(QStringLiteral("-ltorch")));

    // g++ without lld: no -fuse-ld.
    const DiscoveryResult gccOnly = discoverFake({QStringLiteral("debian")}, QString(), QStringLiteral("bin-gcc"));
    const ProfileChoice gcc = ProfileChooser::choose(gccOnly, noGpu(), ProfileRequest());
    QVERIFY(gcc.ok);
    QVERIFY(!gcc.profile.linkFlags.contains(QStringLiteral("-fuse-ld=lld")));
    QCOMPARE(gcc.profile.linkFlags, gcc.profile.libtorch.libraries);
}

void TestProfileChooser::keyChangesWithInputs()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // A private copy of the Debian tree, so its version header can be touched.
    const QString root = tmp.filePath(QStringLiteral("root"));
    const QString from = fx("debian");
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = root + path.mid(from.size());
        if (it.fileInfo().isDir())
            QDir().mkpath(target);
        else
            QFile::copy(path, target);
    }
    DiscoveryOptions options;
    options.environment = {{QStringLiteral("PATH"), fx("bin")}};
    options.rootPrefixes = {root};
    options.python3.clear();
    options.pathDirs = {fx("bin")};
    options.homeDir = tmp.filePath(QStringLiteral("home"));
    options.useCache = false;
    const DiscoveryResult discovery = ToolchainDiscovery::discover(options);
    const ProfileChoice choice = ProfileChooser::choose(discovery, noGpu(), ProfileRequest());
    QVERIFY(choice.ok);

    const QString key = choice.profile.key();
    QCOMPARE(key.size(), 64); // SHA-256, hex
    QCOMPARE(ProfileChooser::choose(discovery, noGpu(), ProfileRequest()).profile.key(), key);

    ToolchainProfile otherFlags = choice.profile;
    otherFlags.compileFlags << QStringLiteral("-DEXTRA");
    QVERIFY(otherFlags.key() != key);

    ToolchainProfile otherCompiler = choice.profile;
    otherCompiler.compiler.version = QStringLiteral("17.0.7");
    QVERIFY(otherCompiler.key() != key);

    bumpMtime(choice.profile.libtorch.versionFile);
    QVERIFY(choice.profile.key() != key);
}

void TestProfileChooser::requestFromEnvironment()
{
    QString error;
    ProfileRequest request = ProfileRequest::fromEnvironment({{QStringLiteral("TORCHLAB_DEVICE"), QStringLiteral("CUDA")},
                                                              {QStringLiteral("TORCHLAB_COMPILER"), QStringLiteral("/x/g++")}},
                                                             &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(request.device, DevicePreference::Cuda);
    QCOMPARE(request.compiler, QStringLiteral("/x/g++"));
    QCOMPARE(request.compilerOrigin, QStringLiteral("TORCHLAB_COMPILER"));

    request = ProfileRequest::fromEnvironment({{QStringLiteral("TORCHLAB_DEVICE"), QStringLiteral("tpu")}}, &error);
    QCOMPARE(request.device, DevicePreference::Auto);
    QVERIFY(error.contains(QStringLiteral("cpu or cuda")));

    QVERIFY(request.setDevice(QStringLiteral("cpu"), QStringLiteral("--device")));
    QCOMPARE(request.device, DevicePreference::Cpu);
    QVERIFY(!request.setDevice(QStringLiteral("metal"), QStringLiteral("--device")));
}

QTEST_GUILESS_MAIN(TestProfileChooser)
#include "tst_profilechooser.moc"
