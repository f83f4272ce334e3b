// The custom CUDA kernel lesson (lessons/course/13-cuda-kernel) built for
// real with this machine's nvcc: kernel.cu by nvcc, exercise.cpp and check.cpp
// by the C++ compiler, staged and flagged the way CheckRunner does on a CUDA
// profile, then linked. Nothing runs (no GPU in CI); tests/gpu/run.sh runs it.
//
// CI has Debian's CPU LibTorch 1.13, whose c10/cuda headers come without
// libc10_cuda.so: the link is made with --warn-unresolved-symbols and every
// symbol left over must be one of libc10_cuda's (c10::cuda::...), which a CUDA
// LibTorch provides. Everything else — the kernel's launcher from kernel.o,
// the CUDA runtime the kernel stub calls — must resolve.
#include "core/build/compilejob.h"
#include "core/toolchain/elfinfo.h"
#include "core/toolchain/profilechooser.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

Q_DECLARE_METATYPE(torchlab::CompileResult)

namespace {

const QString kLesson =
    QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course/13-cuda-kernel");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// 1-based number of the first line of `text` containing `needle`; 0 if none.
int lineOf(const QByteArray &text, const QByteArray &needle)
{
    const qsizetype at = text.indexOf(needle);
    return at < 0 ? 0 : int(text.left(at).count('\n')) + 1;
}

} // namespace

class TestNvccCompile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void kernelLessonCompilesAndLinks();
    void nvccErrorLandsOnTheLearnersLine_data();
    void nvccErrorLandsOnTheLearnersLine();

private:
    CompileResult compile(const CompileRequest &request);
    // exercise.cpp + kernel.cu (the learner's, copied into src/) and check.cpp
    // (the lesson's own), with CheckRunner's flags for a CUDA profile.
    QList<SourceFile> stage(const QString &src, const QStringList &learnerFiles);

    ToolchainProfile m_profile;
    QString m_cudaInclude;
    QTemporaryDir m_dir;
};

CompileResult TestNvccCompile::compile(const CompileRequest &request)
{
    CompileJob job;
    QSignalSpy spy(&job, &CompileJob::done);
    job.start(request);
    if (spy.isEmpty())
        spy.wait(600'000);
    return spy.isEmpty() ? CompileResult() : spy.first().first().value<CompileResult>();
}

QList<SourceFile> TestNvccCompile::stage(const QString &src, const QStringList &learnerFiles)
{
    QDir().mkpath(src);
    const QStringList common{QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1")};
    QList<SourceFile> units;
    for (const QString &name : learnerFiles) {
        const QString to = src + QLatin1Char('/') + name;
        if (!QFile::exists(to))
            QFile::copy(kLesson + QStringLiteral("/solution/") + name, to);
        SourceFile unit{to, name, true, common};
        unit.extraFlags << QStringLiteral("-Dmain=torchlab_learner_main");
        units << unit;
    }
    SourceFile check{kLesson + QStringLiteral("/check.cpp"), QStringLiteral("check.cpp"), false,
                     common};
    check.extraFlags << QStringLiteral("-I") + src;
    units << check;
    return units;
}

void TestNvccCompile::initTestCase()
{
    qRegisterMetaType<CompileResult>();
    QVERIFY(m_dir.isValid());
    QString why;
    m_profile = testing::machineProfile(&why);
    if (!m_profile.isValid())
        LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain on this machine: ") + why);
    const DiscoveryResult discovery = ToolchainDiscovery::discover();
    const auto nvcc = discovery.nvcc();
    if (!nvcc)
        QSKIP(
            "nvcc is not installed (set CUDA_HOME or install the CUDA toolkit in /usr/local/cuda)");
    QVERIFY2(ProfileChooser::addNvcc(m_profile, *nvcc, discovery.cxxCompilers(), &why),
             qPrintable(why));
    QVERIFY(m_profile.hasNvcc());

    // exercise.cpp includes c10/cuda headers under TORCHLAB_WITH_CUDA_KERNELS:
    // the toolkit's cuda_runtime_api.h, and the one generated c10 header a
    // CPU LibTorch lacks (tests/lab/cuda-headers).
    m_cudaInclude =
        QDir::cleanPath(QFileInfo(nvcc->path).absolutePath() + QStringLiteral("/../include"));
    QVERIFY2(QFile::exists(m_cudaInclude + QStringLiteral("/cuda_runtime_api.h")),
             qPrintable(m_cudaInclude));
    m_profile.compileFlags << QStringLiteral("-isystem")
                           << QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/lab/cuda-headers")
                           << QStringLiteral("-isystem") << m_cudaInclude
                           << QStringLiteral("-DTORCHLAB_WITH_CUDA=1");
}

void TestNvccCompile::kernelLessonCompilesAndLinks()
{
    const QString src = m_dir.filePath(QStringLiteral("ok/src"));
    CompileRequest request;
    request.profile = m_profile;
    request.profile.linkFlags << QStringLiteral("-Wl,--warn-unresolved-symbols");
    request.sources = stage(src, {QStringLiteral("exercise.cpp"), QStringLiteral("kernel.cu")});
    request.outputPath = m_dir.filePath(QStringLiteral("ok/program"));
    request.workDirectory = m_dir.filePath(QStringLiteral("ok/obj"));

    const CompileResult result = compile(request);
    QVERIFY2(result.ok(),
             qPrintable(compileOutcomeName(result.outcome) + QLatin1Char(' ') + result.summary +
                        QLatin1Char('\n') + result.output.right(4000)));
    for (const Diagnostic &d : result.diagnostics)
        QVERIFY2(!d.isError(), qPrintable(d.file + QLatin1Char(':') + QString::number(d.line) +
                                          QLatin1Char(' ') + d.message));
    QVERIFY(QFile::exists(result.binaryPath));

    // What the linker could not resolve: only libc10_cuda's symbols.
    static const QRegularExpression undefinedRe(
        QStringLiteral("(?:undefined symbol: |undefined reference to `)([^'\\n]+)"));
    QStringList unresolved;
    for (auto it = undefinedRe.globalMatch(result.output); it.hasNext();)
        unresolved << it.next().captured(1).trimmed();
    unresolved.removeDuplicates();
    for (const QString &symbol : std::as_const(unresolved))
        QVERIFY2(symbol.startsWith(QLatin1String("c10::cuda::")),
                 qPrintable(QStringLiteral("not libc10_cuda's: ") + symbol));
    QVERIFY(!unresolved.isEmpty()); // the C++ side really called into CUDA LibTorch

    // The kernel's host side (kernel launch, fat binary registration) is
    // linked against the CUDA runtime, which the loader finds by itself.
    const ElfInfo::Dynamic elf = ElfInfo::readDynamic(result.binaryPath);
    QVERIFY2(elf.ok, qPrintable(elf.error));
    QVERIFY2(std::any_of(
                 elf.needed.cbegin(), elf.needed.cend(),
                 [](const QString &lib) { return lib.startsWith(QLatin1String("libcudart.so")); }),
             qPrintable(elf.needed.join(QLatin1Char(' '))));
    for (const QString &flag : m_profile.cudaRuntimeLinkFlags) {
        if (flag.startsWith(QLatin1String("-Wl,-rpath,")))
            QVERIFY2(elf.runpath.contains(flag.mid(11)),
                     qPrintable(elf.runpath.join(QLatin1Char(':'))));
    }
}

void TestNvccCompile::nvccErrorLandsOnTheLearnersLine_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("message");
    // nvcc's own front end (EDG): "kernel.cu(19): error: identifier "j" is undefined".
    QTest::newRow("device code, nvcc front end")
        << QByteArray("const float v = x[i];") << QByteArray("const float v = x[j];")
        << QStringLiteral("identifier \"j\" is undefined");
    // The host compiler's preprocessor, run by nvcc: gcc/clang format.
    QTest::newRow("host preprocessor, missing header")
        << QByteArray("#include <cstdint>") << QByteArray("#include <cstdintz>")
        << QStringLiteral("cstdintz");
}

void TestNvccCompile::nvccErrorLandsOnTheLearnersLine()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, message);
    const QString dir = m_dir.filePath(QStringLiteral("err-%1")
                                           .arg(QTest::currentDataTag())
                                           .replace(QLatin1Char(' '), QLatin1Char('-')));
    const QString src = dir + QStringLiteral("/src");
    QVERIFY(QDir().mkpath(src));
    QByteArray kernel = readFile(kLesson + QStringLiteral("/solution/kernel.cu"));
    const int line = lineOf(kernel, from);
    QVERIFY2(line > 0, from.constData());
    kernel.replace(from, to);
    QVERIFY(writeFile(src + QStringLiteral("/kernel.cu"), kernel));

    CompileRequest request;
    request.profile = m_profile;
    request.sources = {stage(src, {QStringLiteral("kernel.cu")}).constFirst()}; // nvcc alone: fast
    request.outputPath = dir + QStringLiteral("/program");
    request.workDirectory = dir + QStringLiteral("/obj");
    const CompileResult result = compile(request);
    QCOMPARE(result.outcome, CompileResult::Outcome::CompileErrors);
    const auto error = std::find_if(result.diagnostics.cbegin(), result.diagnostics.cend(),
                                    [](const Diagnostic &d) { return d.isError(); });
    QVERIFY2(error != result.diagnostics.cend(), qPrintable(result.output));
    QCOMPARE(error->file, QStringLiteral("kernel.cu"));
    QCOMPARE(error->line, line);
    QVERIFY(error->inLearnerFile);
    QCOMPARE(error->learnerFile, QStringLiteral("kernel.cu"));
    QCOMPARE(error->learnerLine, line);
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    // The learner never sees the job folder's temporary path.
    QVERIFY2(!result.output.contains(src), qPrintable(result.output));
    QVERIFY2(result.summary.contains(QLatin1String("kernel.cu")), qPrintable(result.summary));
}

QTEST_GUILESS_MAIN(TestNvccCompile)
#include "tst_nvcccompile.moc"
