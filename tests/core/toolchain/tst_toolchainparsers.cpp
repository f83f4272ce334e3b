#include "core/toolchain/toolchainparsers.h"

#include <QFile>
#include <QTest>

using namespace torchlab;
using namespace torchlab::ToolchainParsers;

namespace {
QString fixture(const QString &relative)
{
    QFile file(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(relative));
    return QString::fromUtf8(file.readAll());
}
} // namespace

class TestToolchainParsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void torchVersionHeader_data();
    void torchVersionHeader();
    void versionPy_data();
    void versionPy();
    void cudaSuffix_data();
    void cudaSuffix();
    void torchConfig_data();
    void torchConfig();
    void compilerVersion_data();
    void compilerVersion();
    void abiMacros_data();
    void abiMacros();
    void compare_data();
    void compare();
    void runtimeHeader();
    void nvccHost_data();
    void nvccHost();
};

void TestToolchainParsers::torchVersionHeader_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // The real Debian 12 header: the string sits on the line after the backslash.
    QTest::newRow("debian 1.13")
        << fixture(QStringLiteral("debian/usr/include/torch/csrc/api/include/torch/version.h"))
        << "1.13.0";
    QTest::newRow("pip 2.11")
        << fixture(QStringLiteral(
               "pip/site-packages/torch/include/torch/csrc/api/include/torch/version.h"))
        << "2.11.0";
    QTest::newRow("one line") << "#define TORCH_VERSION \"2.4.1\"\n"
                              << "2.4.1";
    QTest::newRow("numbers only")
        << "#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 5\n"
           "#define TORCH_VERSION_PATCH 1\n"
        << "2.5.1";
    QTest::newRow("not a version header") << "#pragma once\nint x;\n"
                                          << "";
}

void TestToolchainParsers::torchVersionHeader()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(torchVersionFromHeader(text), expected);
}

void TestToolchainParsers::versionPy_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("cuda");
    QTest::addColumn<bool>("cudaNone");
    QTest::newRow("2.11 annotated")
        << fixture(QStringLiteral("pip/site-packages/torch/version.py")) << "2.11.0+cu130"
        << "13.0" << false;
    QTest::newRow("cpu wheel") << fixture(QStringLiteral("pip-abi0/site-packages/torch/version.py"))
                               << "2.3.1+cpu"
                               << "" << true;
    QTest::newRow("old plain form")
        << "__version__ = '1.13.1+cu117'\ndebug = False\ncuda = '11.7'\n"
        << "1.13.1+cu117"
        << "11.7" << false;
    QTest::newRow("double quotes") << "__version__ = \"2.5.0\"\ncuda: Optional[str] = \"12.4\"\n"
                                   << "2.5.0"
                                   << "12.4" << false;
    // `hip` must not be taken for `cuda`, nor `cuda_arch` for it either.
    QTest::newRow("other keys") << "__version__ = '2.5.0+rocm6.2'\nhip: Optional[str] = "
                                   "'6.2'\ncuda_arch = 'x'\ncuda = None\n"
                                << "2.5.0+rocm6.2"
                                << "" << true;
    QTest::newRow("empty") << ""
                           << ""
                           << "" << false;
}

void TestToolchainParsers::versionPy()
{
    QFETCH(QString, text);
    QFETCH(QString, version);
    QFETCH(QString, cuda);
    QFETCH(bool, cudaNone);
    const VersionPy parsed = parseVersionPy(text);
    QCOMPARE(parsed.version, version);
    QCOMPARE(parsed.cuda, cuda);
    QCOMPARE(parsed.cudaNone, cudaNone);
}

void TestToolchainParsers::cudaSuffix_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("cuda");
    QTest::newRow("cu130") << "2.11.0+cu130"
                           << "13.0";
    QTest::newRow("cu128") << "2.7.0+cu128"
                           << "12.8";
    QTest::newRow("cu118") << "2.1.0+cu118"
                           << "11.8";
    QTest::newRow("cu92") << "1.4.0+cu92"
                          << "9.2";
    QTest::newRow("cpu") << "2.11.0+cpu"
                         << "";
    QTest::newRow("none") << "1.13.0"
                          << "";
    QTest::newRow("zip build-version")
        << parseBuildVersion(fixture(QStringLiteral("zip/libtorch/build-version"))) << "13.0";
}

void TestToolchainParsers::cudaSuffix()
{
    QFETCH(QString, version);
    QFETCH(QString, cuda);
    QCOMPARE(cudaFromVersionSuffix(version), cuda);
}

void TestToolchainParsers::torchConfig_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("abi");
    QTest::addColumn<int>("standard");
    QTest::newRow("debian") << fixture(QStringLiteral(
                                   "debian/usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake"))
                            << 1 << 14;
    QTest::newRow("pip") << fixture(QStringLiteral(
                                "pip/site-packages/torch/share/cmake/Torch/TorchConfig.cmake"))
                         << 1 << 17;
    QTest::newRow("old pip")
        << fixture(
               QStringLiteral("pip-abi0/site-packages/torch/share/cmake/Torch/TorchConfig.cmake"))
        << 0 << 17;
    QTest::newRow("compile feature") << "target_compile_features(torch INTERFACE cxx_std_20)\n"
                                     << -1 << 20;
    QTest::newRow("nothing") << "# empty\n" << -1 << 0;
}

void TestToolchainParsers::torchConfig()
{
    QFETCH(QString, text);
    QFETCH(int, abi);
    QFETCH(int, standard);
    QCOMPARE(abiFromTorchConfig(text), abi);
    QCOMPARE(cxxStandardFromTorchConfig(text), standard);
}

void TestToolchainParsers::compilerVersion_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<bool>("recognised");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    const int clang = int(CompilerInfo::Kind::Clang);
    const int gcc = int(CompilerInfo::Kind::Gcc);
    const int nvcc = int(CompilerInfo::Kind::Nvcc);
    QTest::newRow("clang 14 debian") << fixture(QStringLiteral("versions/clang-14-debian12.txt"))
                                     << true << clang << "14.0.6" << 14 << 0;
    QTest::newRow("clang 18 ubuntu") << fixture(QStringLiteral("versions/clang-18-ubuntu24.txt"))
                                     << true << clang << "18.1.3" << 18 << 1;
    QTest::newRow("g++ 12 debian") << fixture(QStringLiteral("versions/gcc-12-debian12.txt"))
                                   << true << gcc << "12.2.0" << 12 << 2;
    QTest::newRow("g++ 13 ubuntu") << fixture(QStringLiteral("versions/gcc-13-ubuntu24.txt"))
                                   << true << gcc << "13.3.0" << 13 << 3;
    QTest::newRow("g++ 14 fedora") << fixture(QStringLiteral("versions/gcc-14-fedora.txt")) << true
                                   << gcc << "14.2.1" << 14 << 2;
    QTest::newRow("nvcc 13.0") << fixture(QStringLiteral("versions/nvcc-13.0.txt")) << true << nvcc
                               << "13.0.88" << 13 << 0;
    QTest::newRow("nvcc 12.6") << fixture(QStringLiteral("versions/nvcc-12.6.txt")) << true << nvcc
                               << "12.6.85" << 12 << 6;
    QTest::newRow("apple clang") << "Apple clang version 15.0.0 (clang-1500.3.9.4)\n"
                                 << true << clang << "15.0.0" << 15 << 0;
    QTest::newRow("not a compiler") << "Python 3.11.2\n" << false << gcc << "" << 0 << 0;
}

void TestToolchainParsers::compilerVersion()
{
    QFETCH(QString, output);
    QFETCH(bool, recognised);
    QFETCH(int, kind);
    QFETCH(QString, version);
    QFETCH(int, major);
    QFETCH(int, minor);
    const CompilerVersion parsed = parseCompilerVersion(output);
    QCOMPARE(parsed.recognised, recognised);
    if (!recognised)
        return;
    QCOMPARE(int(parsed.kind), kind);
    QCOMPARE(parsed.version, version);
    QCOMPARE(parsed.major, major);
    QCOMPARE(parsed.minor, minor);
    QVERIFY(!parsed.firstLine.isEmpty());
}

void TestToolchainParsers::abiMacros_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<int>("abi");
    QTest::addColumn<bool>("dual");
    QTest::newRow("clang 14 debian")
        << fixture(QStringLiteral("versions/abi-macros-clang-14-debian12.txt")) << 1 << true;
    QTest::newRow("old abi only")
        << "#define _GLIBCXX_USE_CXX11_ABI 0\n#define _GLIBCXX_USE_DUAL_ABI 0\n"
        << 0 << false;
    QTest::newRow("libc++") << "#define _LIBCPP_VERSION 170000\n" << -1 << true;
}

void TestToolchainParsers::abiMacros()
{
    QFETCH(QString, output);
    QFETCH(int, abi);
    QFETCH(bool, dual);
    const AbiMacros parsed = parseAbiMacros(output);
    QCOMPARE(parsed.defaultAbi, abi);
    QCOMPARE(parsed.dualAbi, dual);
}

void TestToolchainParsers::compare_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("equal") << "13.0"
                           << "13.0" << 0;
    QTest::newRow("missing part is zero") << "13"
                                          << "13.0" << 0;
    QTest::newRow("minor") << "12.4"
                           << "12.8" << -1;
    QTest::newRow("major beats minor") << "13.0"
                                       << "12.9" << 1;
    QTest::newRow("numeric not lexical") << "12.10"
                                         << "12.9" << 1;
    QTest::newRow("suffix ignored") << "2.11.0+cu130"
                                    << "2.11.0" << 0;
}

void TestToolchainParsers::compare()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(compareVersions(a, b), expected);
    QCOMPARE(compareVersions(b, a), -expected);
}

void TestToolchainParsers::runtimeHeader()
{
    QCOMPARE(cudaFromRuntimeHeader(QStringLiteral("#define CUDART_VERSION 12040\n")),
             QStringLiteral("12.4"));
    QCOMPARE(cudaFromRuntimeHeader(fixture(
                 QStringLiteral("pip/site-packages/nvidia/cu13/include/cuda_runtime_api.h"))),
             QStringLiteral("13.0"));
    QCOMPARE(cudaFromRuntimeHeader(QStringLiteral("nothing")), QString());
    QCOMPARE(majorMinor(QStringLiteral("13.0.88")), QStringLiteral("13.0"));
}

void TestToolchainParsers::nvccHost_data()
{
    QTest::addColumn<QString>("nvcc");
    QTest::addColumn<int>("hostKind"); // CompilerInfo::Kind
    QTest::addColumn<int>("hostMajor");
    QTest::addColumn<bool>("accepted");
    const int gcc = int(CompilerInfo::Kind::Gcc);
    const int clang = int(CompilerInfo::Kind::Clang);
    // 13.0's limits as its crt/host_config.h on the CI machine states them.
    QTest::newRow("13.0, g++ 12 (Debian 12)") << "13.0.88" << gcc << 12 << true;
    QTest::newRow("13.0, g++ 13 (Ubuntu 24.04)") << "13.0.88" << gcc << 13 << true;
    QTest::newRow("13.0, g++ 15") << "13.0.88" << gcc << 15 << true;
    QTest::newRow("13.0, g++ 16") << "13.0.88" << gcc << 16 << false;
    QTest::newRow("13.0, clang++ 14 (Debian 12)") << "13.0.88" << clang << 14 << true;
    QTest::newRow("13.0, clang++ 20") << "13.0.88" << clang << 20 << true;
    QTest::newRow("13.0, clang++ 21") << "13.0.88" << clang << 21 << false;
    QTest::newRow("12.9, g++ 14") << "12.9.86" << gcc << 14 << true;
    QTest::newRow("12.9, g++ 15") << "12.9.86" << gcc << 15 << false;
    QTest::newRow("12.6, g++ 13") << "12.6.85" << gcc << 13 << true;
    QTest::newRow("12.6, g++ 14") << "12.6.85" << gcc << 14 << false;
    QTest::newRow("12.6, clang++ 18") << "12.6.85" << clang << 18 << true;
    QTest::newRow("12.0, g++ 13") << "12.0.76" << gcc << 13 << false;
    QTest::newRow("12.0, clang++ 15") << "12.0.76" << clang << 15 << false;
    QTest::newRow("a release newer than the table is not limited")
        << "14.1.20" << gcc << 17 << true;
    QTest::newRow("unknown host version is tried") << "13.0.88" << gcc << 0 << true;
    QTest::newRow("nvcc is no host compiler")
        << "13.0.88" << int(CompilerInfo::Kind::Nvcc) << 13 << false;
}

void TestToolchainParsers::nvccHost()
{
    QFETCH(QString, nvcc);
    QFETCH(int, hostKind);
    QFETCH(int, hostMajor);
    QFETCH(bool, accepted);
    CompilerInfo compiler;
    compiler.kind = CompilerInfo::Kind::Nvcc;
    compiler.path = QStringLiteral("/usr/local/cuda/bin/nvcc");
    compiler.version = nvcc;
    compiler.versionMajor = nvcc.section(QLatin1Char('.'), 0, 0).toInt();
    compiler.versionMinor = nvcc.section(QLatin1Char('.'), 1, 1).toInt();
    CompilerInfo host;
    host.kind = CompilerInfo::Kind(hostKind);
    host.path = QStringLiteral("/usr/bin/host");
    host.versionMajor = hostMajor;
    QCOMPARE(nvccAcceptsHost(compiler, host), accepted);
}

QTEST_GUILESS_MAIN(TestToolchainParsers)
#include "tst_toolchainparsers.moc"
