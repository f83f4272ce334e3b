// CompileJob and PchCache against the real compiler and LibTorch of this
// machine. docs/reliability.md row 15 (compiler bombs) lives here.
#include "core/build/compilejob.h"
#include "core/build/objectcache.h"
#include "core/build/pchcache.h"
#include "core/run/runresult.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QDir>
#include <QFile>
#include <QProcess>
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
        // The object cache starts empty: "compiled" and "reused" are asserted.
        QDir(ObjectCache::instance().directory()).removeRecursively();
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
        r.useCache = false; // the unit is cached: only a real compile meets the broken PCH
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

    // The object cache: a unit staged in another folder with the same text is
    // not compiled again, the program is not linked again, and the result is
    // the same program; a changed header or text is compiled.
    void cachedUnitsFromAnotherFolder()
    {
        const QByteArray program = "#include \"helper.h\"\n#include <cstdio>\n"
                                   "int main() { std::printf(\"%s %d\\n\", __FILE__, value()); }\n";
        auto stage = [&](const QString &job, const QByteArray &helper) {
            write(job + QStringLiteral("/src/helper.h"), helper);
            const QString src = write(job + QStringLiteral("/src/prog.cpp"), program);
            CompileRequest r =
                request({{src, QStringLiteral("prog.cpp"), true}}, job + QStringLiteral("/prog"));
            r.profile.compileFlags = {QStringLiteral("-std=c++17")};
            return r;
        };
        QDir().mkpath(m_dir.filePath(QStringLiteral("jobA/src")));
        QDir().mkpath(m_dir.filePath(QStringLiteral("jobB/src")));
        QDir().mkpath(m_dir.filePath(QStringLiteral("jobC/src")));
        const QByteArray helper = "inline int value() { return 42; }\n";

        CompileResult first = compile(stage(QStringLiteral("jobA"), helper));
        QVERIFY2(first.ok(), qPrintable(first.output));
        QCOMPARE(first.unitsFromCache, 0);
        QVERIFY(!first.linkFromCache);

        CompileResult second = compile(stage(QStringLiteral("jobB"), helper));
        QVERIFY2(second.ok(), qPrintable(second.output));
        QCOMPARE(second.unitsFromCache, 1);
        QVERIFY(second.linkFromCache);
        QVERIFY(second.summary.contains(QLatin1String("Up to date")));
        // The same program: __FILE__ names the file, not the job folder.
        QProcess run;
        run.start(second.binaryPath, {});
        QVERIFY(run.waitForFinished(10'000));
        QCOMPARE(run.readAllStandardOutput(), QByteArray("prog.cpp 42\n"));

        // The learner's header changed: compiled again.
        CompileResult third =
            compile(stage(QStringLiteral("jobC"), "inline int value() { return 7; }\n"));
        QVERIFY2(third.ok(), qPrintable(third.output));
        QCOMPARE(third.unitsFromCache, 0);
        run.start(third.binaryPath, {});
        QVERIFY(run.waitForFinished(10'000));
        QCOMPARE(run.readAllStandardOutput(), QByteArray("prog.cpp 7\n"));

        // Turned off for one request: a real compile.
        CompileRequest off = stage(QStringLiteral("jobB"), helper);
        off.useCache = false;
        QCOMPARE(compile(off).unitsFromCache, 0);
    }

    // Errors are kept too, with the same diagnostics under the learner's
    // names; fixing the header they come from is a miss.
    void cachedErrorsKeepTheirDiagnostics()
    {
        auto stage = [&](const QString &job, const QByteArray &helper) {
            QDir().mkpath(m_dir.filePath(job + QStringLiteral("/src")));
            write(job + QStringLiteral("/src/helper.h"), helper);
            const QString src = write(job + QStringLiteral("/src/bad.cpp"),
                                      "#include \"helper.h\"\nint main() { return value(); }\n");
            CompileRequest r =
                request({{src, QStringLiteral("bad.cpp"), true}}, job + QStringLiteral("/bad"));
            r.profile.compileFlags = {QStringLiteral("-std=c++17")};
            return r;
        };
        const QByteArray broken = "int value() { return undeclared_name; }\n";
        const CompileResult first = compile(stage(QStringLiteral("errA"), broken));
        QCOMPARE(first.outcome, CompileResult::Outcome::CompileErrors);
        QCOMPARE(first.unitsFromCache, 0);
        const CompileResult second = compile(stage(QStringLiteral("errB"), broken));
        QCOMPARE(second.outcome, CompileResult::Outcome::CompileErrors);
        QCOMPARE(second.unitsFromCache, 1);
        QCOMPARE(second.diagnostics.size(), first.diagnostics.size());
        QVERIFY(!second.diagnostics.isEmpty());
        QCOMPARE(QFileInfo(second.diagnostics.first().file).fileName(),
                 QFileInfo(first.diagnostics.first().file).fileName());
        QCOMPARE(second.diagnostics.first().line, first.diagnostics.first().line);
        // What the compiler said, as if it had run in the second folder.
        QCOMPARE(second.output,
                 QString(first.output).replace(QLatin1String("/errA/"), QLatin1String("/errB/")));

        const CompileResult fixed =
            compile(stage(QStringLiteral("errC"), "int value() { return 0; }\n"));
        QVERIFY2(fixed.ok(), qPrintable(fixed.output));
        QCOMPARE(fixed.unitsFromCache, 0);
    }

    // A job that wants a unit another job is compiling waits for it and
    // takes its object; when the other job is cancelled, it compiles itself.
    void waitsForTheSameUnitInFlight()
    {
        // Heavy enough headers that the first compile is still running.
        const QByteArray program = "#include <regex>\n#include <iostream>\n#include <map>\n"
                                   "int main() { std::regex r(\"a+\"); "
                                   "std::cout << std::regex_match(\"aaa\", r) << '\\n'; }\n";
        auto stage = [&](const QString &job) {
            QDir().mkpath(m_dir.filePath(job + QStringLiteral("/src")));
            const QString src = write(job + QStringLiteral("/src/w.cpp"), program);
            CompileRequest r =
                request({{src, QStringLiteral("w.cpp"), true}}, job + QStringLiteral("/w"));
            r.profile.compileFlags = {QStringLiteral("-std=c++17"), QStringLiteral("-O1")};
            return r;
        };
        {
            CompileJob background, run;
            QSignalSpy backgroundDone(&background, &CompileJob::done);
            QSignalSpy runDone(&run, &CompileJob::done);
            background.start(stage(QStringLiteral("flyA")));
            run.start(stage(QStringLiteral("flyB")));
            QVERIFY(runDone.wait(240'000));
            const CompileResult r = runDone.first().first().value<CompileResult>();
            QVERIFY2(r.ok(), qPrintable(r.output));
            QCOMPARE(r.unitsAwaited, 1);
            QCOMPARE(r.unitsFromCache, 1);
            if (backgroundDone.isEmpty())
                QVERIFY(backgroundDone.wait(10'000));
            QVERIFY(backgroundDone.first().first().value<CompileResult>().ok());
        }
        {
            // Another text (a new flag), so nothing is cached yet.
            CompileJob background, run;
            QSignalSpy runDone(&run, &CompileJob::done);
            CompileRequest a = stage(QStringLiteral("flyC"));
            a.extraCompileFlags << QStringLiteral("-DVARIANT=2");
            CompileRequest b = stage(QStringLiteral("flyD"));
            b.extraCompileFlags << QStringLiteral("-DVARIANT=2");
            background.start(a);
            run.start(b);
            QTest::qWait(200);
            background.cancel(); // a keystroke abandons the background build
            QVERIFY(runDone.wait(240'000));
            const CompileResult r = runDone.first().first().value<CompileResult>();
            QVERIFY2(r.ok(), qPrintable(r.output));
            QCOMPARE(r.unitsAwaited, 1);
            QCOMPARE(r.unitsFromCache, 0); // compiled it itself
        }
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
