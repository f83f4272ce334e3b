// A CUDA LibTorch profile must keep libtorch_cuda in the program even though
// exercise code never calls into it: with --as-needed (Ubuntu's default) the
// linker would drop it and torch::cuda::is_available() would say false at run
// time. Proven here with this machine's real compiler and linker against
// stand-in shared objects laid out like pip torch 2.11+cu130 and the official
// LibTorch zip.
#include "core/toolchain/elfinfo.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchaindiscovery.h"
#include "helpers/requiredeps.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

const QString kFixtures = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/toolchains");

void copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile::copy(file, target);
    }
}

} // namespace

class TestCudaLink : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void libtorchCudaStaysLinked_data();
    void libtorchCudaStaysLinked();
    void elfReaderRefusesOtherFiles();

private:
    // Replaces an empty fixture library by a real (empty) shared object.
    bool stubLibrary(const QString &path, const QString &soname);
    bool link(const ToolchainProfile &profile, const QStringList &linkFlags, const QString &output,
              QString *log);

    CompilerInfo m_compiler;
    QTemporaryDir m_tmp;
    QString m_main;
};

bool TestCudaLink::stubLibrary(const QString &path, const QString &soname)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QProcess cc;
    cc.start(m_compiler.path,
             {QStringLiteral("-shared"), QStringLiteral("-fPIC"), QStringLiteral("-x"),
              QStringLiteral("c++"), QStringLiteral("-"), QStringLiteral("-o"), path,
              QStringLiteral("-Wl,-soname,") + soname});
    if (!cc.waitForStarted())
        return false;
    cc.write("extern \"C\" void torchlab_stub() {}\n");
    cc.closeWriteChannel();
    return cc.waitForFinished(60'000) && cc.exitCode() == 0;
}

bool TestCudaLink::link(const ToolchainProfile &profile, const QStringList &linkFlags,
                        const QString &output, QString *log)
{
    // Ubuntu's g++ passes --as-needed first; say it explicitly so that
    // Debian's compilers (which do not) link the same way.
    QStringList args{m_main, QStringLiteral("-o"), output, QStringLiteral("-Wl,--as-needed")};
    if (profile.compiler.lld)
        args << QStringLiteral("-fuse-ld=lld");
    args << linkFlags;
    QProcess cc;
    cc.setProcessChannelMode(QProcess::MergedChannels);
    cc.start(profile.compiler.path, args);
    const bool ok = cc.waitForFinished(120'000) && cc.exitStatus() == QProcess::NormalExit &&
                    cc.exitCode() == 0;
    *log = args.join(QLatin1Char(' ')) + QLatin1Char('\n') + QString::fromUtf8(cc.readAll());
    return ok;
}

void TestCudaLink::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    DiscoveryOptions options;
    options.rootPrefixes.clear();
    options.python3.clear();
    options.cacheDir = m_tmp.filePath(QStringLiteral("cache"));
    const QList<CompilerInfo> compilers = ToolchainDiscovery::discover(options).cxxCompilers();
    if (compilers.isEmpty())
        LAB_SKIP_MISSING("no C++ compiler on this machine");
    m_compiler = compilers.constFirst();

    m_main = m_tmp.filePath(QStringLiteral("main.o"));
    QProcess cc;
    cc.start(m_compiler.path, {QStringLiteral("-x"), QStringLiteral("c++"), QStringLiteral("-c"),
                               QStringLiteral("-"), QStringLiteral("-o"), m_main});
    QVERIFY(cc.waitForStarted());
    cc.write("int main() { return 0; }\n");
    cc.closeWriteChannel();
    QVERIFY(cc.waitForFinished(60'000));
    QCOMPARE(cc.exitCode(), 0);

    // pip torch 2.11+cu130: torch/lib plus the CUDA runtime and NCCL wheels beside it.
    const QString pip = m_tmp.filePath(QStringLiteral("pip"));
    copyTree(kFixtures + QStringLiteral("/pip"), pip);
    const QString torchLib = pip + QStringLiteral("/site-packages/torch/lib/");
    for (const char *name :
         {"libtorch.so", "libtorch_cpu.so", "libc10.so", "libtorch_cuda.so", "libc10_cuda.so"})
        QVERIFY(stubLibrary(torchLib + QLatin1String(name), QLatin1String(name)));
    const QString cu13 = pip + QStringLiteral("/site-packages/nvidia/cu13/lib/");
    QVERIFY(
        stubLibrary(cu13 + QStringLiteral("libcudart.so.13"), QStringLiteral("libcudart.so.13")));
    QVERIFY(stubLibrary(cu13 + QStringLiteral("libnccl.so.2"), QStringLiteral("libnccl.so.2")));

    // The official zip layout: include/, lib/, share/cmake/Torch, build-version.
    const QString zip = m_tmp.filePath(QStringLiteral("zip"));
    copyTree(kFixtures + QStringLiteral("/zip"), zip);
    for (const char *name :
         {"libtorch.so", "libtorch_cpu.so", "libc10.so", "libtorch_cuda.so", "libc10_cuda.so"})
        QVERIFY(stubLibrary(zip + QStringLiteral("/libtorch/lib/") + QLatin1String(name),
                            QLatin1String(name)));
}

void TestCudaLink::libtorchCudaStaysLinked_data()
{
    QTest::addColumn<QString>("libtorch");
    QTest::addColumn<bool>("lld");
    QTest::addColumn<QString>("expectedKind");
    const QString pip = QStringLiteral("pip/site-packages/torch");
    const QString zip = QStringLiteral("zip/libtorch");
    QTest::newRow("pip torch 2.11+cu130, ld.bfd") << pip << false << QStringLiteral("pip");
    QTest::newRow("pip torch 2.11+cu130, lld") << pip << true << QStringLiteral("pip");
    QTest::newRow("LibTorch zip, ld.bfd") << zip << false << QStringLiteral("zip");
    QTest::newRow("LibTorch zip, lld") << zip << true << QStringLiteral("zip");
}

void TestCudaLink::libtorchCudaStaysLinked()
{
    QFETCH(QString, libtorch);
    QFETCH(bool, lld);
    QFETCH(QString, expectedKind);
    if (lld && !m_compiler.lld)
        LAB_SKIP_MISSING("ld.lld is not installed");

    DiscoveryOptions options;
    options.rootPrefixes.clear();
    options.python3.clear();
    options.pathDirs = {
        m_tmp.filePath(QStringLiteral("no-tools"))}; // compilers are not needed here
    options.environment = {{QStringLiteral("LIBTORCH"), m_tmp.filePath(libtorch)}};
    options.cacheDir = m_tmp.filePath(QStringLiteral("cache-") + expectedKind);
    const DiscoveryResult discovery = ToolchainDiscovery::discover(options);
    QCOMPARE(discovery.installs.size(), 1);
    const LibTorchInstall install = discovery.installs.constFirst();
    QVERIFY2(install.usable(), qPrintable(install.problems.join(QLatin1Char('\n'))));
    QVERIFY(install.cuda);
    QCOMPARE(install.id().section(QLatin1Char(':'), 0, 0), expectedKind);
    QCOMPARE(install.cxx11Abi, 1);

    CompilerInfo compiler = m_compiler;
    compiler.lld = lld;
    const ToolchainProfile profile = ProfileChooser::makeProfile(compiler, install, true);
    QVERIFY(profile.compileFlags.contains(QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1")));

    const QString program =
        m_tmp.filePath(QStringLiteral("prog-%1-%2").arg(expectedKind, lld ? "lld" : "bfd"));
    QString log;
    QVERIFY2(link(profile, profile.libtorch.libraries, program, &log), qPrintable(log));
    const ElfInfo::Dynamic elf = ElfInfo::readDynamic(program);
    QVERIFY2(elf.ok, qPrintable(elf.error));
    const QString needed = elf.needed.join(QLatin1Char(' '));
    for (const char *lib : {"libtorch_cuda.so", "libc10_cuda.so"})
        QVERIFY2(elf.needs(QLatin1String(lib)),
                 qPrintable(QLatin1String(lib) + QStringLiteral(" dropped: ") + needed));
    // Everything else may go: the program itself calls nothing in them, and
    // libtorch_cuda names the CUDA runtime and NCCL it needs itself.
    // The loader finds LibTorch without LD_LIBRARY_PATH.
    QVERIFY2(elf.runpath.contains(install.libDir), qPrintable(elf.runpath.join(QLatin1Char(':'))));

    // The same link without the --no-as-needed bracket loses libtorch_cuda:
    // what the bracket is there for, and what the doctor's
    // "cuda-dropped-at-link" verdict detects.
    QStringList plain = profile.libtorch.libraries;
    plain.removeAll(QStringLiteral("-Wl,--no-as-needed"));
    const QString plainProgram = program + QStringLiteral("-plain");
    QVERIFY2(link(profile, plain, plainProgram, &log), qPrintable(log));
    const ElfInfo::Dynamic dropped = ElfInfo::readDynamic(plainProgram);
    QVERIFY(dropped.ok);
    QVERIFY2(!dropped.needs(QStringLiteral("libtorch_cuda.so")),
             qPrintable(dropped.needed.join(QLatin1Char(' '))));
}

void TestCudaLink::elfReaderRefusesOtherFiles()
{
    const ElfInfo::Dynamic missing =
        ElfInfo::readDynamic(m_tmp.filePath(QStringLiteral("nothing-here")));
    QVERIFY(!missing.ok);
    QVERIFY(!missing.error.isEmpty());
    QFile text(m_tmp.filePath(QStringLiteral("text.txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("#!/bin/sh\necho not a program\n");
    text.close();
    const ElfInfo::Dynamic notElf = ElfInfo::readDynamic(text.fileName());
    QVERIFY(!notElf.ok);
    QCOMPARE(notElf.error, QStringLiteral("not an ELF file"));
    // An object file is ELF but has no dynamic section.
    const ElfInfo::Dynamic object = ElfInfo::readDynamic(m_main);
    QVERIFY(!object.ok);
    QVERIFY(object.error.startsWith(QStringLiteral("no dynamic section")));
    // A shared object names itself.
    const ElfInfo::Dynamic library = ElfInfo::readDynamic(
        m_tmp.filePath(QStringLiteral("pip/site-packages/torch/lib/libtorch_cuda.so")));
    QVERIFY(library.ok);
    QCOMPARE(library.soname, QStringLiteral("libtorch_cuda.so"));
}

QTEST_GUILESS_MAIN(TestCudaLink)
#include "tst_cudalink.moc"
