// CheckRunner in Run mode (grade = false) on the built-in course's first
// lesson, with real LibTorch compiles (two in all): the learner's own main()
// runs -- not the hidden checks -- and the report holds only "compiles" and
// "exits_ok"; the GUI's signals arrive (compiled with diagnostics, started with
// a pid); a LibTorch error comes back as the run's outcome, summary and
// detail, with the compile's warnings as diagnostics on the right line.
#include "core/build/pchcache.h"
#include "core/course/packloader.h"
#include "core/grading/checkrunner.h"
#include "core/run/outcomeadvice.h"
#include "core/runner/localrunner.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

const QString kCourse = QStringLiteral(TORCHLAB_COURSE_DIR);

QStringList testNames(const CheckReport &r)
{
    QStringList names;
    for (const CheckResult &t : r.tests)
        names << t.name + QLatin1Char('=') + CheckResult::statusName(t.status);
    return names;
}

QString describe(const CheckReport &r)
{
    return CheckResult::statusName(r.status) + QStringLiteral(": ") + r.message +
           QStringLiteral(" | ") + testNames(r).join(QStringLiteral(", ")) +
           QStringLiteral(" | run: ") +
           (r.runOutcome ? outcomeName(*r.runOutcome) : QStringLiteral("-")) + QStringLiteral(" ") +
           r.runSummary;
}

} // namespace

class TestCheckRunnerRun : public QObject
{
    Q_OBJECT

    Pack m_pack;
    ToolchainProfile m_profile;
    QString m_noToolchain;
    std::unique_ptr<PchCache> m_pch;

    std::shared_ptr<RunnerFactory> factory()
    {
        LocalRunner::Options options;
        options.pch = [this] { return m_pch.get(); };
        return std::make_shared<LocalRunnerFactory>(options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // One precompiled header for every test in the build tree (as tst_checkrunner does).
        const QByteArray shared = qgetenv("TORCHLAB_TEST_PCH_CACHE");
        if (!shared.isEmpty())
            qputenv("XDG_CACHE_HOME", shared);
        const PackLoadResult loaded = PackLoader::load(kCourse);
        QVERIFY(loaded.valid());
        m_pack = loaded.pack;
        m_profile = testing::machineProfile(&m_noToolchain);
        if (m_profile.isValid())
            m_pch = std::make_unique<PchCache>(m_profile);
    }

    // The starter of lesson 1 fails its checks, but as a Run it is a program
    // that compiles and exits 0: the report passes and its output is the
    // learner's own ("LibTorch unknown" from the unfinished libtorch_version()).
    void runTheStarter()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        const Lesson &hello = *m_pack.lesson(QStringLiteral("hello"));
        QVERIFY(!hello.checkSources.isEmpty());
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        request.grade = false;
        request.quick = true;
        request.profile = m_profile;
        request.timeScale = 2;
        request.memoryCapMb = 1536;

        CheckRunner runner;
        QSignalSpy compiled(&runner, &CheckRunner::compiled);
        QSignalSpy started(&runner, &CheckRunner::started);
        QSignalSpy done(&runner, &CheckRunner::done);
        QByteArray out;
        connect(&runner, &CheckRunner::stdoutData, this,
                [&out](const QByteArray &chunk) { out += chunk; });
        runner.setRunnerFactory(factory());
        runner.start(hello, request);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 600'000);

        const CheckReport r = done.first().first().value<CheckReport>();
        QVERIFY2(r.passed(), qPrintable(describe(r)));
        QCOMPARE(testNames(r),
                 (QStringList{QStringLiteral("compiles=pass"), QStringLiteral("exits_ok=pass")}));
        QCOMPARE(r.source, QStringLiteral("starter"));
        QCOMPARE(r.runOutcome, RunResult::Outcome::Ok);
        QVERIFY(!r.runSummary.isEmpty());
        QVERIFY(r.runMs > 0);
        QVERIFY2(out.contains("LibTorch unknown"), out.constData());
        QVERIFY2(out.contains("CPU threads:"), out.constData());

        QCOMPARE(compiled.size(), 1);
        QVERIFY(compiled.first().first().value<CompileResult>().ok());
        QCOMPARE(started.size(), 1);
        QVERIFY(started.first().first().toLongLong() > 0);
    }

    // A LibTorch error and a compiler warning in the learner's file.
    void runReportsTheOutcomeAndDiagnostics()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        QTemporaryDir tmp;
        const QString file = tmp.path() + QStringLiteral("/mine.cpp");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "#include <torch/torch.h>\n"
            "int forgot_to_return(int x) { if (x > 0) return 1; }\n" // -Wreturn-type is on by
                                                                     // default
            "int main() {\n"
            "  std::cout << \"before\" << std::endl;\n"
            "  std::cout << torch::matmul(torch::ones({2, 3}), torch::ones({2, 3})) << std::endl;\n"
            "  return forgot_to_return(1) - 1;\n"
            "}\n");
        f.close();
        CheckRequest request;
        request.use = CheckRequest::Use::Files;
        request.files = QStringList{file};
        request.grade = false;
        request.quick = true;
        request.profile = m_profile;

        CheckRunner runner;
        QSignalSpy compiled(&runner, &CheckRunner::compiled);
        QSignalSpy done(&runner, &CheckRunner::done);
        runner.setRunnerFactory(factory());
        runner.start(*m_pack.lesson(QStringLiteral("hello")), request);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 600'000);

        const CheckReport r = done.first().first().value<CheckReport>();
        QCOMPARE(r.status, CheckResult::Status::Fail);
        QCOMPARE(testNames(r),
                 (QStringList{QStringLiteral("compiles=pass"), QStringLiteral("exits_ok=fail")}));
        QCOMPARE(r.runOutcome, RunResult::Outcome::TorchError);
        QVERIFY2(r.runSummary.contains(QStringLiteral("LibTorch error")), qPrintable(r.runSummary));
        QVERIFY(!r.runExplanation.isEmpty());
        QVERIFY2(r.runDetail.contains(QStringLiteral("mat1 and mat2")) ||
                     r.runDetail.contains(QStringLiteral("size")),
                 qPrintable(r.runDetail));
        QVERIFY2(whatToTry(RunResult::Outcome::TorchError, r.runDetail)
                     .first()
                     .contains(QStringLiteral("sizes()")),
                 qPrintable(r.runDetail));

        // The warning, on line 2 of the learner's file under its lesson name.
        const auto warning =
            std::find_if(r.diagnostics.cbegin(), r.diagnostics.cend(), [](const Diagnostic &d) {
                return d.severity == Diagnostic::Severity::Warning && d.line == 2;
            });
        QVERIFY2(warning != r.diagnostics.cend(),
                 qPrintable(QString::number(r.diagnostics.size())));
        QCOMPARE(warning->file, QStringLiteral("exercise.cpp"));
        QVERIFY(warning->inLearnerFile);
        QCOMPARE(compiled.size(), 1);
        QCOMPARE(compiled.first().first().value<CompileResult>().diagnostics.size(),
                 r.diagnostics.size());
    }
};

QTEST_GUILESS_MAIN(TestCheckRunnerRun)
#include "tst_checkrunnerrun.moc"
