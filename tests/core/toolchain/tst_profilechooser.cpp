#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchainjson.h"
#include "core/util/labpaths.h"

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
    options.pathDirs =
        bin.isEmpty() ? QStringList{fx(QStringLiteral("no-such-bin"))} : QStringList{fx(bin)};
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
    probe.devices = {
        GpuDevice{0, QStringLiteral("NVIDIA H100 80GB HBM3"), 85520809984ull, 649068544ull}};
    return probe;
}

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
    void nvccJoinsCudaProfiles();
    void nvccHostCompiler();
    void nvccRuntimeFromToolkit();
};

void TestProfileChooser::choose_data()
{
    QTest::addColumn<QStringList>("roots");
    QTest::addColumn<QString>("libtorch"); // $LIBTORCH fixture
    QTest::addColumn<QString>("bin");
    QTest::addColumn<QString>("gpu");    // none | h100 | h100-old-driver
    QTest::addColumn<QString>("device"); // TORCHLAB_DEVICE
    QTest::addColumn<QString>("libtorchRequest");
    QTest::addColumn<QString>("compilerRequest");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("chosenRoot");
    QTest::addColumn<bool>("useCuda");
    QTest::addColumn<QString>("compiler"); // clang | gcc
    QTest::addColumn<QString>("reason");   // exact reason, or error substring when !ok
    QTest::addColumn<int>("warnings");

    const QStringList debian{QStringLiteral("debian")};
    const QString pip = QStringLiteral("pip/site-packages/torch");
    const QString bin = QStringLiteral("bin");
    const QString none;

    QTest::newRow("Debian CPU, no GPU") << debian << none << bin << "none" << none << none << none
                                        << true << fx("debian/usr") << false << "clang"
                                        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no "
                                           "NVIDIA GPU was found (libnvidia-ml.so.1 is not "
                                           "installed and no NVIDIA kernel driver is loaded)"
                                        << 0;
    QTest::newRow("GPU picks the CUDA build")
        << debian << pip << bin << "h100" << none << none << none << true << fx(pip) << true
        << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) with clang++ 17: found NVIDIA H100 80GB HBM3 "
           "(80 GiB); "
           "driver 580.159.04, supports CUDA 13.0"
        << 0;
    QTest::newRow("no GPU prefers the CPU build")
        << debian << pip << bin << "none" << none << none << none << true << fx("debian/usr")
        << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no NVIDIA GPU was found "
           "(libnvidia-ml.so.1 is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("only a CUDA build, no GPU: it runs on the CPU")
        << QStringList() << pip << bin << "none" << none << none << none << true << fx(pip) << false
        << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) on the CPU with clang++ 17: no NVIDIA GPU was "
           "found "
           "(libnvidia-ml.so.1 is not installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("GPU but only a CPU build")
        << debian << none << bin << "h100" << none << none << none << true << fx("debian/usr")
        << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: an NVIDIA GPU is present but no CUDA "
           "build of "
           "LibTorch was found"
        << 0;
    QTest::newRow("driver too old for the CUDA build")
        << debian << pip << bin << "h100-old-driver" << none << none << none << true
        << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: the NVIDIA driver supports CUDA 12.4 but "
           "the CUDA "
           "LibTorch needs CUDA 13.0"
        << 0;
    QTest::newRow("only a CUDA build, driver too old: it runs on the CPU")
        << QStringList() << pip << bin << "h100-old-driver" << none << none << none << true
        << fx(pip) << false << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) on the CPU with clang++ 17: the NVIDIA driver "
           "supports CUDA "
           "12.4 but the CUDA LibTorch needs CUDA 13.0"
        << 0;
    QTest::newRow("TORCHLAB_DEVICE=cpu on a GPU machine")
        << debian << pip << bin << "h100"
        << "cpu" << none << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: TORCHLAB_DEVICE=cpu asks for the CPU"
        << 0;
    QTest::newRow("TORCHLAB_DEVICE=cuda without a GPU")
        << debian << pip << bin << "none"
        << "cuda" << none << none << true << fx(pip) << true << "clang"
        << "CUDA LibTorch 2.11.0+cu130 (pip torch) with clang++ 17: TORCHLAB_DEVICE=cuda asks for "
           "the GPU"
        << 1;
    QTest::newRow("TORCHLAB_LIBTORCH by root")
        << debian << pip << bin << "none" << none << fx("debian/usr") << none << true
        << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: chosen by TORCHLAB_LIBTORCH" << 0;
    QTest::newRow("TORCHLAB_LIBTORCH by id, CPU build on a GPU machine")
        << debian << pip << bin << "h100" << none << QStringLiteral("debian:") + fx("debian/usr")
        << none << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: chosen by TORCHLAB_LIBTORCH" << 1;
    QTest::newRow("TORCHLAB_LIBTORCH names nothing found")
        << debian << none << bin << "none" << none << QStringLiteral("zip:/nowhere") << none
        << false << QString() << false << QString() << "is not a LibTorch install TorchLab found"
        << 0;
    QTest::newRow("TORCHLAB_LIBTORCH names a broken install")
        << debian << QStringLiteral("broken/libtorch") << bin << "none" << none
        << fx("broken/libtorch") << none << false << QString() << false << QString()
        << "cannot be used" << 0;
    QTest::newRow("TORCHLAB_COMPILER picks g++")
        << debian << none << bin << "none" << none << none << fx("bin/g++") << true
        << fx("debian/usr") << false << "gcc"
        << "CPU LibTorch 1.13.0 (Debian) with g++ 13: no NVIDIA GPU was found (libnvidia-ml.so.1 "
           "is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("TORCHLAB_COMPILER by name")
        << debian << none << bin << "none"
        << "cpu" << none << QStringLiteral("g++") << true << fx("debian/usr") << false << "gcc"
        << "CPU LibTorch 1.13.0 (Debian) with g++ 13: TORCHLAB_DEVICE=cpu asks for the CPU" << 0;
    QTest::newRow("TORCHLAB_COMPILER is not a compiler")
        << debian << none << bin << "none" << none << none << fx("bin/ld.lld") << false << QString()
        << false << QString() << "was not found or is not clang++ or g++" << 0;
    QTest::newRow("only g++ installed")
        << debian << none << "bin-gcc"
        << "none" << none << none << none << true << fx("debian/usr") << false << "gcc"
        << "CPU LibTorch 1.13.0 (Debian) with g++ 13: no NVIDIA GPU was found (libnvidia-ml.so.1 "
           "is not "
           "installed and no NVIDIA kernel driver is loaded)"
        << 0;
    QTest::newRow("no compiler") << debian << none << QString() << "none" << none << none << none
                                 << false << QString() << false << QString()
                                 << "No C++ compiler was found" << 0;
    QTest::newRow("no LibTorch") << QStringList() << none << bin << "none" << none << none << none
                                 << false << QString() << false << QString()
                                 << "No usable LibTorch was found" << 0;
    QTest::newRow("broken install is skipped")
        << debian << QStringLiteral("broken/libtorch") << bin << "none" << none << none << none
        << true << fx("debian/usr") << false << "clang"
        << "CPU LibTorch 1.13.0 (Debian) with clang++ 17: no NVIDIA GPU was found "
           "(libnvidia-ml.so.1 is not "
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
    const GpuProbe probe = gpu == QLatin1String("h100")              ? h100()
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
    QVERIFY2(choice.warnings.size() == warnings,
             qPrintable(choice.warnings.join(QLatin1Char('\n'))));
    QVERIFY(choice.profile.isValid());
}

void TestProfileChooser::abiCompatibility_data()
{
    QTest::addColumn<QString>("compilerAbi");
    QTest::addColumn<QString>("dual");
    QTest::addColumn<bool>("ok");
    // pip torch 2.3 was built with the old ABI (0). Compilers whose libstdc++
    // can build both ABIs are fine; a single-ABI one must match.
    QTest::newRow("dual ABI compiler") << "1"
                                       << "1" << true;
    QTest::newRow("old-ABI-only compiler") << "0"
                                           << "0" << true;
    QTest::newRow("new-ABI-only compiler") << "1"
                                           << "0" << false;
}

void TestProfileChooser::abiCompatibility()
{
    QFETCH(QString, compilerAbi);
    QFETCH(QString, dual);
    QFETCH(bool, ok);
    const DiscoveryResult discovery = discoverFake(
        {}, QStringLiteral("pip-abi0/site-packages/torch"), QStringLiteral("bin"),
        {{QStringLiteral("FAKE_CXX_ABI"), compilerAbi}, {QStringLiteral("FAKE_DUAL_ABI"), dual}});
    QCOMPARE(discovery.installs.size(), 1);
    QCOMPARE(discovery.installs.constFirst().cxx11Abi, 0);
    const ProfileChoice choice = ProfileChooser::choose(discovery, noGpu(), ProfileRequest());
    QCOMPARE(choice.ok, ok);
    if (ok)
        QVERIFY(choice.profile.compileFlags.contains(QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=0")));
    else
        QVERIFY2(choice.error.contains(QStringLiteral("_GLIBCXX_USE_CXX11_ABI=0")),
                 qPrintable(choice.error));
}

void TestProfileChooser::flags()
{
    const DiscoveryResult discovery =
        discoverFake({QStringLiteral("debian")}, QStringLiteral("pip/site-packages/torch"),
                     QStringLiteral("bin"),
                     {{QStringLiteral("CUDA_HOME"), fx("pip/site-packages/nvidia/cu13")}});
    const ProfileChoice choice = ProfileChooser::choose(discovery, h100(), ProfileRequest());
    QVERIFY(choice.ok);
    const ToolchainProfile &p = choice.profile;
    const QString torch = fx("pip/site-packages/torch");
    QCOMPARE(p.compileFlags,
             QStringList(
                 {QStringLiteral("-std=c++17"), QStringLiteral("-fPIC"),
                  QStringLiteral("-I") + LabPaths::sdkIncludeDir(), QStringLiteral("-isystem"),
                  torch + QStringLiteral("/include"), QStringLiteral("-isystem"),
                  torch + QStringLiteral("/include/torch/csrc/api/include"),
                  QStringLiteral("-isystem"), fx("pip/site-packages/nvidia/cu13/include"),
                  QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1"), QStringLiteral("-DUSE_C10D_GLOO"),
                  QStringLiteral("-DUSE_C10D_NCCL"), QStringLiteral("-DTORCHLAB_WITH_CUDA=1")}));
    QCOMPARE(p.linkFlags.constFirst(), QStringLiteral("-fuse-ld=lld"));
    QCOMPARE(p.linkFlags.mid(1), p.libtorch.libraries);
    QVERIFY(p.linkFlags.indexOf(QStringLiteral("-ltorch_cuda")) <
            p.linkFlags.indexOf(QStringLiteral("-ltorch")));

    // g++ without lld: no -fuse-ld.
    const DiscoveryResult gccOnly =
        discoverFake({QStringLiteral("debian")}, QString(), QStringLiteral("bin-gcc"));
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
    ProfileRequest request = ProfileRequest::fromEnvironment(
        {{QStringLiteral("TORCHLAB_DEVICE"), QStringLiteral("CUDA")},
         {QStringLiteral("TORCHLAB_COMPILER"), QStringLiteral("/x/g++")}},
        &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(request.device, DevicePreference::Cuda);
    QCOMPARE(request.compiler, QStringLiteral("/x/g++"));
    QCOMPARE(request.compilerOrigin, QStringLiteral("TORCHLAB_COMPILER"));

    request = ProfileRequest::fromEnvironment(
        {{QStringLiteral("TORCHLAB_DEVICE"), QStringLiteral("tpu")}}, &error);
    QCOMPARE(request.device, DevicePreference::Auto);
    QVERIFY(error.contains(QStringLiteral("cpu or cuda")));

    QVERIFY(request.setDevice(QStringLiteral("cpu"), QStringLiteral("--device")));
    QCOMPARE(request.device, DevicePreference::Cpu);
    QVERIFY(!request.setDevice(QStringLiteral("metal"), QStringLiteral("--device")));
}

void TestProfileChooser::nvccJoinsCudaProfiles()
{
    const DiscoveryResult discovery =
        discoverFake({QStringLiteral("debian")}, QStringLiteral("pip/site-packages/torch"),
                     QStringLiteral("bin"),
                     {{QStringLiteral("CUDA_HOME"), fx("pip/site-packages/nvidia/cu13")}});
    QVERIFY(discovery.nvcc().has_value());
    const ProfileChoice gpu = ProfileChooser::choose(discovery, h100(), ProfileRequest());
    QVERIFY(gpu.ok);
    QVERIFY(gpu.profile.useCuda);
    QVERIFY(gpu.profile.hasNvcc());
    QVERIFY(gpu.profile.canBuildCudaKernels());
    QCOMPARE(gpu.profile.nvcc.path, fx("bin/nvcc"));
    QCOMPARE(gpu.profile.nvccHost,
             fx("bin/clang++")); // nvcc 13.0 accepts clang++ 17, the profile's compiler
    QCOMPARE(gpu.profile.nvccFlags,
             QStringList({QStringLiteral("-ccbin"), fx("bin/clang++"), QStringLiteral("-gencode"),
                          QStringLiteral("arch=compute_90,code=sm_90"), QStringLiteral("-gencode"),
                          QStringLiteral("arch=compute_75,code=compute_75"),
                          QStringLiteral("-Xcompiler"), QStringLiteral("-fPIC")}));
    // pip torch links the wheel's libcudart already: the kernels use that one.
    QVERIFY(gpu.profile.cudaRuntimeLinkFlags.isEmpty());
    QVERIFY(gpu.warnings.isEmpty());

    // On the CPU the kernel lesson takes its CPU path: no nvcc in the profile.
    const ProfileChoice cpu = ProfileChooser::choose(discovery, noGpu(), ProfileRequest());
    QVERIFY(cpu.ok);
    QVERIFY(!cpu.profile.hasNvcc());
    QVERIFY(!cpu.profile.canBuildCudaKernels());
}

void TestProfileChooser::nvccHostCompiler()
{
    const DiscoveryResult discovery =
        discoverFake({}, QStringLiteral("pip/site-packages/torch"), QStringLiteral("bin"));
    const LibTorchInstall install = discovery.installs.constFirst();
    CompilerInfo nvcc;
    nvcc.kind = CompilerInfo::Kind::Nvcc;
    nvcc.path = fx("bin/nvcc");
    nvcc.version = QStringLiteral("12.0.76");
    nvcc.versionMajor = 12;
    CompilerInfo gcc13;
    gcc13.kind = CompilerInfo::Kind::Gcc;
    gcc13.path = QStringLiteral("/usr/bin/g++-13");
    gcc13.version = QStringLiteral("13.3.0");
    gcc13.versionMajor = 13;
    CompilerInfo gcc12 = gcc13;
    gcc12.path = QStringLiteral("/usr/bin/g++-12");
    gcc12.versionMajor = 12;
    CompilerInfo gcc12OldAbi = gcc12;
    gcc12OldAbi.path = QStringLiteral("/opt/old/g++-12");
    gcc12OldAbi.defaultCxx11Abi = 0;
    gcc12OldAbi.dualAbi = false;

    // nvcc 12.0 refuses g++ 13 (the profile's compiler): the next host it
    // accepts that builds LibTorch's ABI (1) is taken.
    ToolchainProfile profile = ProfileChooser::makeProfile(gcc13, install, true);
    QVERIFY(ProfileChooser::addNvcc(profile, nvcc, {gcc13, gcc12OldAbi, gcc12}));
    QCOMPARE(profile.nvccHost, gcc12.path);
    QCOMPARE(profile.nvccFlags.mid(0, 2), QStringList({QStringLiteral("-ccbin"), gcc12.path}));

    // None fits: the profile is left alone and the reason names the limits.
    ToolchainProfile none = ProfileChooser::makeProfile(gcc13, install, true);
    QString why;
    QVERIFY(!ProfileChooser::addNvcc(none, nvcc, {gcc13, gcc12OldAbi}, &why));
    QVERIFY(!none.hasNvcc());
    QVERIFY(none.nvccFlags.isEmpty());
    QCOMPARE(why,
             QStringLiteral(
                 "nvcc 12.0.76 accepts g++ up to 12 and clang++ up to 14 as its host compiler, and "
                 "none of the compilers found is one of those."));

    // nvcc older than 11.8 cannot build sm_90 machine code: PTX only.
    CompilerInfo old = nvcc;
    old.version = QStringLiteral("11.4.48");
    old.versionMajor = 11;
    old.versionMinor = 4;
    QCOMPARE(ProfileChooser::nvccArchFlags(old),
             QStringList(
                 {QStringLiteral("-gencode"), QStringLiteral("arch=compute_75,code=compute_75")}));
}

void TestProfileChooser::nvccRuntimeFromToolkit()
{
    // A LibTorch that brings no libcudart (the zip without CUDA_HOME, Debian):
    // the toolkit's, found next to nvcc, with an rpath.
    QTemporaryDir toolkit;
    QVERIFY(toolkit.isValid());
    QVERIFY(QDir().mkpath(toolkit.filePath(QStringLiteral("bin"))));
    QVERIFY(QDir().mkpath(toolkit.filePath(QStringLiteral("lib64"))));
    QVERIFY(QFile::copy(fx("bin/nvcc"), toolkit.filePath(QStringLiteral("bin/nvcc"))));
    QFile runtime(toolkit.filePath(QStringLiteral("lib64/libcudart.so")));
    QVERIFY(runtime.open(QIODevice::WriteOnly));
    runtime.close();

    const DiscoveryResult discovery =
        discoverFake({}, QStringLiteral("zip/libtorch"), QStringLiteral("bin"));
    const LibTorchInstall install = discovery.installs.constFirst();
    QVERIFY(install.cuda);
    const CompilerInfo clang = discovery.cxxCompilers().constFirst();
    CompilerInfo nvcc = *discovery.nvcc();
    nvcc.path = toolkit.filePath(QStringLiteral("bin/nvcc"));
    ToolchainProfile profile = ProfileChooser::makeProfile(clang, install, true);
    QVERIFY(ProfileChooser::addNvcc(profile, nvcc, discovery.cxxCompilers()));
    const QString lib64 = QDir::cleanPath(toolkit.filePath(QStringLiteral("lib64")));
    QCOMPARE(profile.cudaRuntimeLinkFlags,
             QStringList({QStringLiteral("-L") + lib64, QStringLiteral("-Wl,-rpath,") + lib64,
                          QStringLiteral("-lcudart")}));
    // The JSON form (doctor --json) names the nvcc side too.
    const QJsonObject json = ToolchainJson::toJson(profile);
    QCOMPARE(json.value(QStringLiteral("nvccHost")).toString(), clang.path);
    QCOMPARE(json.value(QStringLiteral("nvcc")).toObject().value(QStringLiteral("path")).toString(),
             nvcc.path);
}

QTEST_GUILESS_MAIN(TestProfileChooser)
#include "tst_profilechooser.moc"
