// cudaRunVerdict(): after a run, a CUDA profile whose program said
// cuda=false in its hello line is explained: libtorch_cuda dropped at link
// time (proven from the program's DT_NEEDED) or CUDA not starting at run time.
// The programs are real links of an empty main against stand-in libraries.
#include "core/doctor/runverdict.h"
#include "core/toolchain/toolchaindiscovery.h"
#include "helpers/requiredeps.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

LabEvent hello(bool cuda)
{
    LabEvent e;
    e.type = LabEvent::Type::Hello;
    e.protocol = 1;
    e.torchVersion = QStringLiteral("2.11.0");
    e.device = cuda ? QStringLiteral("cuda:0") : QStringLiteral("cpu");
    e.cuda = cuda;
    return e;
}

ToolchainProfile cudaProfile()
{
    ToolchainProfile p;
    p.compiler.path = QStringLiteral("/usr/bin/g++");
    p.libtorch.kind = LibTorchInstall::Kind::PipTorch;
    p.libtorch.root = QStringLiteral("/opt/venv/lib/python3.12/site-packages/torch");
    p.libtorch.version = QStringLiteral("2.11.0+cu130");
    p.libtorch.cuda = true;
    p.libtorch.cudaVersion = QStringLiteral("13.0");
    p.useCuda = true;
    return p;
}

} // namespace

class TestRunVerdict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void nothingToSay_data();
    void nothingToSay();
    void droppedAtLink();
    void linkedButUnavailable();
    void unreadableBinary();
    void gpuStateIsAdded();

private:
    bool run(const QStringList &args, const QByteArray &input = QByteArray());

    QTemporaryDir m_tmp;
    QString m_cxx;
    QString m_withCuda;    // DT_NEEDED has libtorch_cuda.so
    QString m_withoutCuda; // linked with --as-needed: libtorch_cuda.so dropped
};

bool TestRunVerdict::run(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(m_cxx, args);
    if (!p.waitForStarted())
        return false;
    p.write(input);
    p.closeWriteChannel();
    return p.waitForFinished(120'000) && p.exitStatus() == QProcess::NormalExit &&
           p.exitCode() == 0;
}

void TestRunVerdict::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    DiscoveryOptions options;
    options.rootPrefixes.clear();
    options.python3.clear();
    options.cacheDir = m_tmp.filePath(QStringLiteral("cache"));
    const QList<CompilerInfo> compilers = ToolchainDiscovery::discover(options).cxxCompilers();
    if (compilers.isEmpty())
        LAB_SKIP_MISSING("no C++ compiler on this machine");
    m_cxx = compilers.constFirst().path;

    const QString lib = m_tmp.filePath(QStringLiteral("lib"));
    QVERIFY(QDir().mkpath(lib));
    QVERIFY(run({QStringLiteral("-shared"), QStringLiteral("-fPIC"), QStringLiteral("-x"),
                 QStringLiteral("c++"), QStringLiteral("-"), QStringLiteral("-o"),
                 lib + QStringLiteral("/libtorch_cuda.so"),
                 QStringLiteral("-Wl,-soname,libtorch_cuda.so")},
                "extern \"C\" void torchlab_stub() {}\n"));
    const QString main = m_tmp.filePath(QStringLiteral("main.o"));
    QVERIFY(run({QStringLiteral("-x"), QStringLiteral("c++"), QStringLiteral("-c"),
                 QStringLiteral("-"), QStringLiteral("-o"), main},
                "int main() { return 0; }\n"));
    m_withCuda = m_tmp.filePath(QStringLiteral("with-cuda"));
    m_withoutCuda = m_tmp.filePath(QStringLiteral("without-cuda"));
    QVERIFY(run({main, QStringLiteral("-o"), m_withCuda, QStringLiteral("-L") + lib,
                 QStringLiteral("-Wl,--no-as-needed"), QStringLiteral("-ltorch_cuda")}));
    QVERIFY(run({main, QStringLiteral("-o"), m_withoutCuda, QStringLiteral("-L") + lib,
                 QStringLiteral("-Wl,--as-needed"), QStringLiteral("-ltorch_cuda")}));
}

void TestRunVerdict::nothingToSay_data()
{
    QTest::addColumn<bool>("useCuda");
    QTest::addColumn<int>("helloKind"); // 0: no hello line, 1: cuda=false, 2: cuda=true
    QTest::newRow("CPU profile, cuda=false") << false << 1;
    QTest::newRow("CUDA profile, cuda=true") << true << 2;
    QTest::newRow("CUDA profile, no hello (not a lab.h program)") << true << 0;
}

void TestRunVerdict::nothingToSay()
{
    QFETCH(bool, useCuda);
    QFETCH(int, helloKind);
    ToolchainProfile profile = cudaProfile();
    profile.useCuda = useCuda;
    LabEvent event = hello(helloKind == 2);
    if (helloKind == 0)
        event = LabEvent(); // what RunJobResult::hello holds when haveHello is false
    QVERIFY(!cudaRunVerdict(profile, event, m_withoutCuda).has_value());
}

void TestRunVerdict::droppedAtLink()
{
    const auto verdict = cudaRunVerdict(cudaProfile(), hello(false), m_withoutCuda);
    QVERIFY(verdict.has_value());
    QCOMPARE(verdict->id, QStringLiteral("cuda-dropped-at-link"));
    QCOMPARE(verdict->severity, Verdict::Severity::Error);
    QVERIFY2(verdict->explanation.contains(
                 QLatin1String("LibTorch 2.11.0+cu130 (CUDA 13.0, pip torch)")),
             qPrintable(verdict->explanation));
    QVERIFY(verdict->explanation.contains(QLatin1String("is_available() was false")));
    QVERIFY2(verdict->fix.contains(QLatin1String("-Wl,--no-as-needed -ltorch_cuda")),
             qPrintable(verdict->fix));
}

void TestRunVerdict::linkedButUnavailable()
{
    const auto verdict = cudaRunVerdict(cudaProfile(), hello(false), m_withCuda);
    QVERIFY(verdict.has_value());
    QCOMPARE(verdict->id, QStringLiteral("cuda-unavailable-at-run-time"));
    QCOMPARE(verdict->severity, Verdict::Severity::Warning);
    QVERIFY(verdict->explanation.contains(QLatin1String("libtorch_cuda.so is linked")));
    QVERIFY(verdict->fix.contains(QLatin1String("CUDA_VISIBLE_DEVICES")));
    QVERIFY(!verdict->fix.contains(QLatin1String("--no-as-needed"))); // the link is not the problem
}

void TestRunVerdict::unreadableBinary()
{
    // Without the program (a remote run, a deleted job folder) both causes
    // are possible, and the fix names both.
    for (const QString &path : {QString(), m_tmp.filePath(QStringLiteral("gone"))}) {
        const auto verdict = cudaRunVerdict(cudaProfile(), hello(false), path);
        QVERIFY(verdict.has_value());
        QCOMPARE(verdict->id, QStringLiteral("cuda-unavailable-at-run-time"));
        QVERIFY(verdict->fix.contains(QLatin1String("CUDA_VISIBLE_DEVICES")));
        QVERIFY(verdict->fix.contains(QLatin1String("--no-as-needed")));
    }
}

void TestRunVerdict::gpuStateIsAdded()
{
    GpuProbe none;
    none.state = GpuProbe::State::NoDevice;
    const auto noGpu = cudaRunVerdict(cudaProfile(), hello(false), m_withCuda, &none);
    QVERIFY(noGpu.has_value());
    QVERIFY2(noGpu->explanation.contains(QLatin1String("No NVIDIA GPU is visible now either: ")),
             qPrintable(noGpu->explanation));

    GpuProbe old;
    old.state = GpuProbe::State::Ok;
    old.cudaDriverVersion = QStringLiteral("12.4");
    old.devices = {GpuDevice{0, QStringLiteral("NVIDIA H100 80GB HBM3"), 85520809984ull, 0}};
    const auto tooOld = cudaRunVerdict(cudaProfile(), hello(false), m_withCuda, &old);
    QVERIFY(tooOld.has_value());
    QVERIFY2(tooOld->explanation.contains(
                 QLatin1String("The driver supports CUDA 12.4; this LibTorch needs CUDA 13.0.")),
             qPrintable(tooOld->explanation));
}

QTEST_GUILESS_MAIN(TestRunVerdict)
#include "tst_runverdict.moc"
