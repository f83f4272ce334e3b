// CompileJob and PchCache against the real compiler and LibTorch of this
// machine. docs/reliability.md row 15 (compiler bombs) lives here.
#include "core/build/compilejob.h"
#include "core/build/pchcache.h"
#include "core/run/runresult.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

Q_DECLARE_METATYPE(torchlab::CompileResult)

class TestCompileJob : public QObject
{
    Q_OBJECT

private:
    ToolchainProfile m_profile;
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return path;
    }

    CompileResult compile(CompileRequest request, int timeoutMs = 240'000)
    {
        CompileJob job;
        QSignalSpy spy(&job, &CompileJob::done);
        job.start(request);
        if (spy.isEmpty())
            spy.wait(timeoutMs);
        // Exactly one done() per start.
        QCoreApplication::processEvents();
        [&] { QCOMPARE(spy.count(), 1); }();
        return spy.isEmpty() ? CompileResult() : spy.first().first().value<CompileResult>();
    }

    CompileRequest request(const QList<SourceFile> &sources, const QString &out)
    {
        CompileRequest r;
        r.profile = m_profile;
        r.sources = sources;
        r.outputPath = m_dir.filePath(out);
        r.workDirectory = m_dir.filePath(out + QStringLiteral(".d"));
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<CompileResult>();
        QString why;
        m_profile = testing::machineProfile(&why);
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(QStringLiteral("no LibTorch toolchain on this machine: ") + why);
    }

    // Row 15: a preprocessor bomb (2^40 tokens) never ends by itself.
    void compilerBombEndsWithVerdict()
    {
        QByteArray text = "#define X0 x\n";
        for (int i = 1; i <= 40; ++i)
            text += "#define X" + QByteArray::number(i) + " X" + QByteArray::number(i - 1) + " X" +
                    QByteArray::number(i - 1) + "\n";
        text += "int main() { X40; }\n";
        const QString src = write(QStringLiteral("bomb.cpp"), text);
        CompileRequest r =
            request({{src, QStringLiteral("bomb.cpp"), true}}, QStringLiteral("bomb"));
        r.profile.compileFlags = {QStringLiteral("-std=c++17")}; // no LibTorch needed to explode
        r.limits.wallMs = 4000;
        r.limits.cpuSeconds = 4;
        r.limits.memoryBytes = 512LL << 20;
        const CompileResult result = compile(r, 30'000);
        QVERIFY2(
            result.outcome == CompileResult::Outcome::TimeLimit ||
                result.outcome == CompileResult::Outcome::MemoryLimit,
            qPrintable(compileOutcomeName(result.outcome) + QLatin1Char(' ') + result.summary));
        QVERIFY(result.explanation.contains(QLatin1String("Undo the last change")));
    }

    // Row 15: `#include "/dev/zero"`. gcc reads it for ever; clang 14 stats a
    // zero size and reads nothing. Either way the compile must end, with a
    // limit verdict or a plain result, never hang.
    void devZeroIncludeEnds()
    {
        const QString src =
            write(QStringLiteral("zero.cpp"), "#include \"/dev/zero\"\nint main(){}\n");
        CompileRequest r =
            request({{src, QStringLiteral("zero.cpp"), true}}, QStringLiteral("zero"));
        r.profile.compileFlags = {QStringLiteral("-std=c++17")};
        r.limits.wallMs = 4000;
        r.limits.cpuSeconds = 4;
        r.limits.memoryBytes = 512LL << 20;
        const CompileResult result = compile(r, 30'000);
        QVERIFY2(
            result.outcome == CompileResult::Outcome::Ok ||
                result.outcome == CompileResult::Outcome::TimeLimit ||
                result.outcome == CompileResult::Outcome::MemoryLimit ||
                result.outcome == CompileResult::Outcome::CompileErrors,
            qPrintable(compileOutcomeName(result.outcome) + QLatin1Char(' ') + result.summary));
    }

    // Row 15: template explosion (exponential instantiation) under a short limit.
    void templateExplosionEndsWithVerdict()
    {
        const QString src =
            write(QStringLiteral("tmpl.cpp"),
                  "template<int N, class T> struct B { using t = typename B<N-1, B<N, T>>::t; };\n"
                  "template<class T> struct B<0, T> { using t = T; };\n"
                  "template<int N> struct E { static constexpr long v = E<N-1>::v + E<N-2>::v; };\n"
                  "template<> struct E<1> { static constexpr long v = 1; };\n"
                  "template<> struct E<0> { static constexpr long v = 0; };\n"
                  "int main() { B<900, int>::t x = 0; return int(E<40>::v) + x; }\n");
        CompileRequest r =
            request({{src, QStringLiteral("tmpl.cpp"), true}}, QStringLiteral("tmpl"));
        r.profile.compileFlags = {QStringLiteral("-std=c++17"),
                                  QStringLiteral("-ftemplate-depth=100000")};
        r.limits.wallMs = 4000;
        r.limits.cpuSeconds = 4;
        r.limits.memoryBytes = 512LL << 20;
        const CompileResult result = compile(r, 30'000);
        QVERIFY2(
            result.outcome == CompileResult::Outcome::TimeLimit ||
                result.outcome == CompileResult::Outcome::MemoryLimit ||
                result.outcome == CompileResult::Outcome::CompileErrors,
            qPrintable(compileOutcomeName(result.outcome) + QLatin1Char(' ') + result.summary));
        QVERIFY(!result.summary.isEmpty());
    }

    void missingCompilerIsAClearFailure()
    {
        const QString src = write(QStringLiteral("x.cpp"), "int main(){}\n");
        CompileRequest r = request({{src, QString(), true}}, QStringLiteral("x"));
        r.profile.compiler.path = m_dir.filePath(QStringLiteral("no-such-compiler"));
        const CompileResult result = compile(r);
        QCOMPARE(result.outcome, CompileResult::Outcome::CompilerFailed);
        QVERIFY(result.explanation.contains(QLatin1String("doctor")));
    }

    // The learner file and the hidden check file are separate units; errors
    // come back under the names the learner knows, on the right line.
    void errorsMapToLearnerNames()
    {
        const QString src =
            write(QStringLiteral("job-123-exercise.cpp"), "#include <torch/torch.h>\n"
                                                          "torch::Tensor make() {\n"
                                                          "    return torch::ones({2, 2})\n"
                                                          "}\n");
        const QString check = write(QStringLiteral("check-abc.cpp"),
                                    "#include <torch/torch.h>\ntorch::Tensor make();\n"
                                    "int main() { return make().numel() == 4 ? 0 : 1; }\n");
        CompileRequest r = request({{src, QStringLiteral("exercise.cpp"), true},
                                    {check, QStringLiteral("check.cpp"), false}},
                                   QStringLiteral("mapped"));
        const CompileResult result = compile(r);
        QCOMPARE(result.outcome, CompileResult::Outcome::CompileErrors);
        QVERIFY(!result.diagnostics.isEmpty());
        const Diagnostic &d = result.diagnostics.first();
        QCOMPARE(d.file, QStringLiteral("exercise.cpp"));
        QCOMPARE(d.line, 3);
        QVERIFY(d.inLearnerFile);
        QVERIFY2(!result.output.contains(m_dir.path()), qPrintable(result.output));
        QVERIFY(result.summary.contains(QLatin1String("exercise.cpp")));
    }

    // Precompiled header: built once, used, and a corrupt one is rejected by
    // the compiler and falls back to a plain compile instead of an error.
    void pchBuildUseAndCorruptFallback()
    {
        PchCache pch(m_profile);
        QSignalSpy finished(&pch, &PchCache::finished);
        QSignalSpy progress(&pch, &PchCache::progress);
        pch.ensureReady();
        if (finished.isEmpty())
            QVERIFY(finished.wait(600'000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(pch.isReady());
        QCOMPARE(pch.state(), PchCache::State::Ready);

        const QString src =
            write(QStringLiteral("ok.cpp"),
                  "#include <torch/torch.h>\n#include <iostream>\n"
                  "int main() { std::cout << torch::ones({3}).sum().item<int>() << \"\\n\"; }\n");
        CompileRequest r = request({{src, QStringLiteral("ok.cpp"), true}}, QStringLiteral("ok"));
        r.pchArguments = pch.compileArguments();
        QVERIFY(!r.pchArguments.isEmpty());
        CompileResult result = compile(r);
        QVERIFY2(result.ok(), qPrintable(result.summary + QLatin1Char('\n') + result.output));
        QVERIFY(result.usedPch);
        QVERIFY(!result.pchRejected);
        QVERIFY(QFileInfo(result.binaryPath).isExecutable());

        // Overwrite the PCH with garbage of the same size.
        {
            QFile f(pch.pchPath());
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            f.seek(0);
            f.write(QByteArray(int(qMin<qint64>(size, 1 << 20)), 'x'));
        }
        r.outputPath = m_dir.filePath(QStringLiteral("ok2"));
        result = compile(r);
        QVERIFY2(result.ok(), qPrintable(result.summary + QLatin1Char('\n') + result.output));
        QVERIFY(result.pchRejected);
        QVERIFY(!result.usedPch);
        // The learner sees no PCH complaint as a diagnostic.
        for (const Diagnostic &d : result.diagnostics)
            QVERIFY2(!d.isError(), qPrintable(d.message));
        pch.invalidate(QStringLiteral("test"));
        QVERIFY(!pch.isReady());
    }

    void pchRejectionRecognised_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("rejected");
        QTest::newRow("clang modified")
            << QStringLiteral(
                   "fatal error: file '/usr/include/torch/csrc/api/include/torch/torch.h' has been "
                   "modified "
                   "since the precompiled header '/c/torchlab_pch.h.pch' was built: mtime changed")
            << true;
        QTest::newRow("clang corrupt") << QStringLiteral("fatal error: malformed or corrupted AST "
                                                         "file: 'Unable to load module \"x.pch\"'")
                                       << true;
        QTest::newRow("clang pie")
            << QStringLiteral("error: is pie differs in PCH file vs. current file") << true;
        QTest::newRow("learner error")
            << QStringLiteral("exercise.cpp:3:5: error: use of undeclared identifier 'torh'")
            << false;
    }

    void pchRejectionRecognised()
    {
        QFETCH(QString, output);
        QFETCH(bool, rejected);
        QCOMPARE(PchCache::isPchRejection(output), rejected);
    }
};

QTEST_GUILESS_MAIN(TestCompileJob)
#include "tst_compilejob.moc"
