// How CompileJob hands .cu units to nvcc: the argument lists, the link, and
// the plain failure when no nvcc is there. No compiler runs here;
// tst_nvcccompile builds the kernel lesson for real.
#include "core/build/compilejob.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace torchlab;

Q_DECLARE_METATYPE(torchlab::CompileResult)

namespace {

ToolchainProfile profile(bool withNvcc)
{
    ToolchainProfile p;
    p.compiler.kind = CompilerInfo::Kind::Clang;
    p.compiler.path = QStringLiteral("/usr/bin/clang++");
    p.libtorch.root = QStringLiteral("/usr");
    p.compileFlags = {QStringLiteral("-std=c++17"),
                      QStringLiteral("-I/opt/lab/include"),
                      QStringLiteral("-isystem"),
                      QStringLiteral("/opt/torch/include"),
                      QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1"),
                      QStringLiteral("-DTORCHLAB_WITH_CUDA=1")};
    p.linkFlags = {QStringLiteral("-fuse-ld=lld"), QStringLiteral("-ltorch")};
    if (withNvcc) {
        p.nvcc.kind = CompilerInfo::Kind::Nvcc;
        p.nvcc.path = QStringLiteral("/usr/local/cuda/bin/nvcc");
        p.nvccHost = QStringLiteral("/usr/bin/clang++");
        p.nvccFlags = {QStringLiteral("-ccbin"),     QStringLiteral("/usr/bin/clang++"),
                       QStringLiteral("-gencode"),   QStringLiteral("arch=compute_90,code=sm_90"),
                       QStringLiteral("-Xcompiler"), QStringLiteral("-fPIC")};
        p.cudaRuntimeLinkFlags = {QStringLiteral("-L/usr/local/cuda/lib64"),
                                  QStringLiteral("-Wl,-rpath,/usr/local/cuda/lib64"),
                                  QStringLiteral("-lcudart")};
    }
    return p;
}

CompileRequest request(bool withNvcc, bool withKernel)
{
    CompileRequest r;
    r.profile = profile(withNvcc);
    r.sources = {SourceFile{QStringLiteral("/job/src/exercise.cpp"),
                            QStringLiteral("exercise.cpp"),
                            true,
                            {QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1"),
                             QStringLiteral("-Dmain=torchlab_learner_main")}}};
    if (withKernel)
        r.sources << SourceFile{QStringLiteral("/job/src/kernel.cu"),
                                QStringLiteral("kernel.cu"),
                                true,
                                {QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1"),
                                 QStringLiteral("-Wall"), QStringLiteral("-Wextra")}};
    r.outputPath = QStringLiteral("/job/program");
    r.workDirectory = QStringLiteral("/job/obj");
    r.extraCompileFlags = {QStringLiteral("-O2"), QStringLiteral("-g"),
                           QStringLiteral("-fno-omit-frame-pointer")};
    r.pchArguments = {QStringLiteral("-include-pch"), QStringLiteral("/cache/torch.pch")};
    return r;
}

} // namespace

class TestNvccArguments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cudaUnitsGoToNvcc()
    {
        const CompileRequest r = request(true, true);
        const SourceFile &kernel = r.sources.at(1);
        QVERIFY(CompileJob::isCudaSource(kernel.path));
        QVERIFY(!CompileJob::isCudaSource(r.sources.at(0).path));
        QCOMPARE(CompileJob::compilerFor(r.profile, kernel),
                 QStringLiteral("/usr/local/cuda/bin/nvcc"));
        QCOMPARE(CompileJob::compilerFor(r.profile, r.sources.at(0)),
                 QStringLiteral("/usr/bin/clang++"));
        // nvcc's own flags first, then the C++ flags: include folders, defines,
        // -std, -O and -g as they are, host-only options through -Xcompiler,
        // and never the precompiled header (nvcc cannot read clang's PCH).
        QCOMPARE(CompileJob::compileArguments(r, kernel, QStringLiteral("/job/obj/unit1.o"), true),
                 QStringList({QStringLiteral("-ccbin"),
                              QStringLiteral("/usr/bin/clang++"),
                              QStringLiteral("-gencode"),
                              QStringLiteral("arch=compute_90,code=sm_90"),
                              QStringLiteral("-Xcompiler"),
                              QStringLiteral("-fPIC"),
                              QStringLiteral("-std=c++17"),
                              QStringLiteral("-I/opt/lab/include"),
                              QStringLiteral("-isystem"),
                              QStringLiteral("/opt/torch/include"),
                              QStringLiteral("-D_GLIBCXX_USE_CXX11_ABI=1"),
                              QStringLiteral("-DTORCHLAB_WITH_CUDA=1"),
                              QStringLiteral("-O2"),
                              QStringLiteral("-g"),
                              QStringLiteral("-Xcompiler"),
                              QStringLiteral("-fno-omit-frame-pointer"),
                              QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1"),
                              QStringLiteral("-Xcompiler"),
                              QStringLiteral("-Wall"),
                              QStringLiteral("-Xcompiler"),
                              QStringLiteral("-Wextra"),
                              QStringLiteral("-c"),
                              QStringLiteral("/job/src/kernel.cu"),
                              QStringLiteral("-o"),
                              QStringLiteral("/job/obj/unit1.o")}));
        // The C++ unit is compiled as before, with the PCH.
        const QStringList cpp = CompileJob::compileArguments(
            r, r.sources.at(0), QStringLiteral("/job/obj/unit0.o"), true);
        QVERIFY(cpp.contains(QStringLiteral("-include-pch")));
        QVERIFY(!cpp.contains(QStringLiteral("-ccbin")));
        QVERIFY(!cpp.contains(QStringLiteral("-Xcompiler")));
    }

    void cudaRuntimeLinkedOnlyWithKernels()
    {
        const QStringList objects{QStringLiteral("/job/obj/unit0.o"),
                                  QStringLiteral("/job/obj/unit1.o")};
        const QStringList withKernel = CompileJob::linkArguments(request(true, true), objects);
        QVERIFY(withKernel.contains(QStringLiteral("-lcudart")));
        QVERIFY(withKernel.indexOf(QStringLiteral("-lcudart")) >
                withKernel.indexOf(QStringLiteral("-ltorch")));
        QVERIFY(withKernel.contains(QStringLiteral("-Wl,-rpath,/usr/local/cuda/lib64")));
        const QStringList plain =
            CompileJob::linkArguments(request(true, false), objects.mid(0, 1));
        QVERIFY(!plain.contains(QStringLiteral("-lcudart")));
    }

    void noNvccIsAPlainFailure()
    {
        qRegisterMetaType<CompileResult>();
        CompileJob job;
        QSignalSpy done(&job, &CompileJob::done);
        CompileRequest r = request(false, true);
        r.workDirectory = QDir::tempPath() + QStringLiteral("/tst_nvccarguments");
        job.start(r);
        QCOMPARE(done.count(), 1); // decided before any process starts
        const CompileResult result = done.first().first().value<CompileResult>();
        QCOMPARE(result.outcome, CompileResult::Outcome::CompilerFailed);
        QCOMPARE(result.summary,
                 QStringLiteral(
                     "kernel.cu is CUDA code, and nvcc (the CUDA compiler) is not available."));
        QVERIFY(result.explanation.contains(QLatin1String("CUDA toolkit")));
        QVERIFY(!job.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestNvccArguments)
#include "tst_nvccarguments.moc"
