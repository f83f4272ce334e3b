// CheckRunner on the example pack (tests/fixtures/packs/example): staging the
// chosen code, then real compiles and runs with this machine's LibTorch:
// the solution passes, the starter fails with the lesson's message, code that
// does not compile fails `compiles` and leaves the rest unchecked, and a
// two-rank lesson runs as two processes with torchrun's variables.
#include "core/build/pchcache.h"
#include "core/course/packloader.h"
#include "core/grading/checkrunner.h"
#include "core/grading/rankgroup.h"
#include "core/runner/localrunner.h"
#include "helpers/requiredeps.h"

#include "helpers/labtoolchain.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

const CheckResult *test(const CheckReport &r, const QString &name)
{
    for (const CheckResult &t : r.tests)
        if (t.name == name)
            return &t;
    return nullptr;
}

QByteArray joined(const QSignalSpy &spy)
{
    QByteArray all;
    for (const QList<QVariant> &args : spy)
        all += args.first().toByteArray();
    return all;
}

QString describe(const CheckReport &r)
{
    QStringList lines{CheckResult::statusName(r.status) + QStringLiteral(": ") + r.message};
    for (const CheckResult &t : r.tests)
        lines << QStringLiteral("  %1 %2: %3 | %4")
                     .arg(CheckResult::statusName(t.status), t.name, t.message, t.output);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestCheckRunner : public QObject
{
    Q_OBJECT

    Pack m_pack;
    ToolchainProfile m_profile;
    QString m_noToolchain;
    std::unique_ptr<PchCache> m_pch;

    // Runners on this computer sharing the test's precompiled header.
    std::shared_ptr<RunnerFactory> factory()
    {
        LocalRunner::Options options;
        options.pch = [this] { return m_pch.get(); };
        return std::make_shared<LocalRunnerFactory>(options);
    }

    CheckReport check(const Lesson &lesson, CheckRequest request)
    {
        request.profile = m_profile;
        request.quick = true;
        CheckRunner runner;
        runner.setRunnerFactory(factory());
        QSignalSpy done(&runner, &CheckRunner::done);
        runner.start(lesson, request);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 600'000); }();
        QTest::qWait(0);
        return done.isEmpty() ? CheckReport() : done.first().first().value<CheckReport>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // One precompiled header for every test in the build tree (as tst_cli does).
        const QByteArray shared = qgetenv("TORCHLAB_TEST_PCH_CACHE");
        if (!shared.isEmpty())
            qputenv("XDG_CACHE_HOME", shared);
        const PackLoadResult loaded = PackLoader::load(kExample);
        QVERIFY(loaded.valid());
        m_pack = loaded.pack;
        m_profile = testing::machineProfile(&m_noToolchain);
        if (m_profile.isValid())
            m_pch = std::make_unique<PchCache>(m_profile);
    }

    void stageStarterAndSolution()
    {
        QTemporaryDir tmp;
        const Lesson &squares = *m_pack.lesson(QStringLiteral("squares"));
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        Result<StagedSources> s =
            CheckRunner::stage(squares, request, tmp.path() + QStringLiteral("/a"));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->learnerFiles, QStringList{QStringLiteral("exercise.cpp")});
        QCOMPARE(s->units.size(), 2);
        QCOMPARE(readAll(s->units[0].path),
                 readAll(squares.filePath(QStringLiteral("exercise.cpp"))));
        QCOMPARE(s->units[0].shownName, QStringLiteral("exercise.cpp"));
        QVERIFY(s->units[0].learner);
        // The check's main() drives the learner's code; warning_free asks for warnings.
        QVERIFY(s->units[0].extraFlags.contains(QStringLiteral("-Dmain=torchlab_learner_main")));
        QVERIFY(s->units[0].extraFlags.contains(QStringLiteral("-Wextra")));
        // The hidden check travels with the job: copied into its check/ folder.
        QCOMPARE(s->units[1].path, tmp.path() + QStringLiteral("/a/check/check.cpp"));
        QCOMPARE(readAll(s->units[1].path), readAll(squares.filePath(QStringLiteral("check.cpp"))));
        QCOMPARE(s->directory, tmp.path() + QStringLiteral("/a/src"));
        QVERIFY(!s->units[1].learner);
        QVERIFY(!s->units[1].extraFlags.contains(QStringLiteral("-Dmain=torchlab_learner_main")));
        QVERIFY(s->units[1].extraFlags.contains(QStringLiteral("-I") + tmp.path() +
                                                QStringLiteral("/a/src")));

        request.use = CheckRequest::Use::Solution;
        s = CheckRunner::stage(squares, request, tmp.path() + QStringLiteral("/b"));
        QCOMPARE(readAll(s->units[0].path),
                 readAll(squares.filePath(QStringLiteral("solution/exercise.cpp"))));
        QCOMPARE(s->units[0].shownName, QStringLiteral("exercise.cpp"));

        // Without a check file the learner's own main() runs: no renaming.
        const Lesson &fit = *m_pack.lesson(QStringLiteral("fit"));
        s = CheckRunner::stage(fit, request, tmp.path() + QStringLiteral("/c"));
        QCOMPARE(s->units.size(), 1);
        QVERIFY(s->units[0].extraFlags.isEmpty());
    }

    void stageLearnerFiles()
    {
        QTemporaryDir tmp;
        const Lesson &fit = *m_pack.lesson(QStringLiteral("fit"));
        CheckRequest request;
        request.use = CheckRequest::Use::Files;

        // A lesson with one .cpp: any single file replaces it, under the lesson's name.
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/mine.cpp"), "int main() { return 0; }\n"));
        request.files = QStringList{tmp.path() + QStringLiteral("/mine.cpp")};
        Result<StagedSources> s =
            CheckRunner::stage(fit, request, tmp.path() + QStringLiteral("/a"));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->units[0].shownName, QStringLiteral("exercise.cpp"));
        QCOMPARE(readAll(s->units[0].path), QByteArray("int main() { return 0; }\n"));

        // A folder: its files replace the starter files of the same name.
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/work/exercise.cpp"), "// mine\n"));
        request.files = QStringList{tmp.path() + QStringLiteral("/work")};
        s = CheckRunner::stage(fit, request, tmp.path() + QStringLiteral("/b"));
        QCOMPARE(readAll(s->units[0].path), QByteArray("// mine\n"));

        request.files = QStringList{tmp.path() + QStringLiteral("/nothing-here")};
        s = CheckRunner::stage(fit, request, tmp.path() + QStringLiteral("/c"));
        QVERIFY(s.error().contains(QStringLiteral("no such file")));

        QVERIFY(QDir().mkpath(tmp.path() + QStringLiteral("/empty")));
        request.files = QStringList{tmp.path() + QStringLiteral("/empty")};
        s = CheckRunner::stage(fit, request, tmp.path() + QStringLiteral("/d"));
        QVERIFY(s.error().contains(QStringLiteral("holds none of the lesson's files")));
    }

    // .cu files are built only on a CUDA profile with nvcc, and then every
    // unit sees TORCHLAB_WITH_CUDA_KERNELS; otherwise (a CPU profile, or a
    // CUDA LibTorch without the toolkit) they are left out and the lesson
    // takes its CPU path instead of failing to compile.
    void stageCudaFiles()
    {
        QTemporaryDir tmp;
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/lesson/exercise.cpp"), "int main() {}\n"));
        QVERIFY(
            writeAll(tmp.path() + QStringLiteral("/lesson/kernel.cu"), "__global__ void k() {}\n"));
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/lesson/check.cpp"), "int main() {}\n"));
        Lesson lesson;
        lesson.directory = tmp.path() + QStringLiteral("/lesson");
        lesson.starter = QStringList{QStringLiteral("exercise.cpp"), QStringLiteral("kernel.cu")};
        lesson.checkSources = QStringList{QStringLiteral("check.cpp")};
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;

        Result<StagedSources> s =
            CheckRunner::stage(lesson, request, tmp.path() + QStringLiteral("/cpu"));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->leftOut, QStringList{QStringLiteral("kernel.cu")});
        QCOMPARE(s->units.size(), 2);
        QCOMPARE(s->units[0].shownName, QStringLiteral("exercise.cpp"));
        QCOMPARE(s->units[1].shownName, QStringLiteral("check.cpp"));
        for (const SourceFile &u : std::as_const(s->units))
            QVERIFY(!u.extraFlags.contains(QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1")));
        QVERIFY(s->learnerFiles.contains(
            QStringLiteral("kernel.cu"))); // still staged for the learner to see

        request.profile.useCuda = true; // a CUDA LibTorch, but no nvcc found
        s = CheckRunner::stage(lesson, request, tmp.path() + QStringLiteral("/nonvcc"));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->leftOut, QStringList{QStringLiteral("kernel.cu")});
        QCOMPARE(s->units.size(), 2);
        for (const SourceFile &u : std::as_const(s->units))
            QVERIFY(!u.extraFlags.contains(QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1")));

        request.profile.nvcc.kind = CompilerInfo::Kind::Nvcc;
        request.profile.nvcc.path = QStringLiteral("/usr/local/cuda/bin/nvcc");
        s = CheckRunner::stage(lesson, request, tmp.path() + QStringLiteral("/gpu"));
        QVERIFY(s->leftOut.isEmpty());
        QCOMPARE(s->units.size(), 3);
        for (const SourceFile &u : std::as_const(s->units))
            QVERIFY(u.extraFlags.contains(QStringLiteral("-DTORCHLAB_WITH_CUDA_KERNELS=1")));
    }

    void requirementNotes()
    {
        Lesson l;
        l.requirements.cuda = true;
        l.requirements.nvcc = true;
        ToolchainProfile cpu;
        const QStringList notes = CheckRunner::requirementNotes(l, cpu);
        QCOMPARE(notes.size(), 2);
        QVERIFY(notes[0].contains(QStringLiteral("ran on the CPU")));
        QVERIFY(notes[1].contains(QStringLiteral(".cu files were not compiled")));
        ToolchainProfile gpu;
        gpu.useCuda = true;
        gpu.nvcc.kind = CompilerInfo::Kind::Nvcc;
        gpu.nvcc.path = QStringLiteral("/usr/local/cuda/bin/nvcc");
        QVERIFY(CheckRunner::requirementNotes(l, gpu).isEmpty());

        // A GPU, but no CUDA toolkit: only the kernels fall back, and the note says how to get
        // nvcc.
        ToolchainProfile noNvcc = gpu;
        noNvcc.nvcc = CompilerInfo();
        const QStringList without = CheckRunner::requirementNotes(l, noNvcc);
        QCOMPARE(without.size(), 1);
        QVERIFY2(without[0].contains(QStringLiteral("nvcc was not found")), qPrintable(without[0]));
        QVERIFY(without[0].contains(QStringLiteral("CUDA_HOME")));
        QVERIFY(without[0].contains(QStringLiteral("CPU path")));
        QVERIFY(!without[0].contains(QStringLiteral("needs a CUDA build of LibTorch")));
    }

    void solutionPasses()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        CheckRequest request;
        request.use = CheckRequest::Use::Solution;
        for (const Lesson &lesson : std::as_const(m_pack.lessons)) {
            const CheckReport r = check(lesson, request);
            QVERIFY2(r.passed(), qPrintable(lesson.id + QStringLiteral(": ") + describe(r)));
            QCOMPARE(r.tests.size(), lesson.checks.size());
            QCOMPARE(r.lessonId, lesson.id);
            QCOMPARE(r.source, QStringLiteral("solution"));
            QVERIFY(r.runMs > 0);
        }
    }

    void starterFailsWithTheLessonsMessage()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        request.language = QStringLiteral("zh_CN");
        const CheckReport r = check(*m_pack.lesson(QStringLiteral("squares")), request);
        QCOMPARE(r.status, CheckResult::Status::Fail);
        QCOMPARE(test(r, QStringLiteral("compiles without warnings"))->status,
                 CheckResult::Status::Pass);
        QCOMPARE(test(r, QStringLiteral("exits_ok"))->status, CheckResult::Status::Pass);
        const CheckResult *small = test(r, QStringLiteral("small"));
        QVERIFY(small);
        QCOMPARE(small->status, CheckResult::Status::Fail);
        QVERIFY2(small->message.startsWith(QStringLiteral("sum_of_squares([1, 2, 3]) 必须等于 14")),
                 qPrintable(small->message));
        QVERIFY2(small->output.contains(QStringLiteral("returned 0.000000, expected 14")),
                 qPrintable(small->output));
        QCOMPARE(test(r, QStringLiteral("metric error final <= 0.001"))->status,
                 CheckResult::Status::Fail);

        const CheckReport fit = check(*m_pack.lesson(QStringLiteral("fit")), request);
        QCOMPARE(fit.status, CheckResult::Status::Fail);
        QVERIFY2(test(fit, QStringLiteral("stdout matches /slope 2\\.0/"))
                     ->output.contains(QStringLiteral("slope 0.0")),
                 qPrintable(describe(fit)));
        QCOMPARE(test(fit, QStringLiteral("metric loss max >= 1"))->status,
                 CheckResult::Status::Pass);
    }

    void compileFailure()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        QTemporaryDir tmp;
        const QString file = tmp.path() + QStringLiteral("/exercise.cpp");
        QByteArray code = readAll(kExample + QStringLiteral("/01-squares/solution/exercise.cpp"));
        code.replace("return (t * t).sum();", "return (t * t).sum()  // forgot the semicolon\n");
        QVERIFY(writeAll(file, code));
        CheckRequest request;
        request.use = CheckRequest::Use::Files;
        request.files = QStringList{file};
        const CheckReport r = check(*m_pack.lesson(QStringLiteral("squares")), request);
        QCOMPARE(r.status, CheckResult::Status::Fail);
        const CheckResult *compiles = test(r, QStringLiteral("compiles without warnings"));
        QCOMPARE(compiles->status, CheckResult::Status::Fail);
        QVERIFY2(compiles->output.contains(QStringLiteral("exercise.cpp:")),
                 qPrintable(compiles->output));
        QVERIFY2(!compiles->output.contains(tmp.path()),
                 "temporary paths must be mapped to the learner's names");
        for (const CheckResult &t : r.tests)
            if (&t != compiles)
                QCOMPARE(t.status, CheckResult::Status::Error);
        QCOMPARE(r.runMs, 0);
    }

    void warningFails()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        QTemporaryDir tmp;
        const QString file = tmp.path() + QStringLiteral("/exercise.cpp");
        QByteArray code = readAll(kExample + QStringLiteral("/01-squares/solution/exercise.cpp"));
        code.replace("return (t * t).sum();", "int unused = 3;\n    return (t * t).sum();");
        QVERIFY(writeAll(file, code));
        CheckRequest request;
        request.use = CheckRequest::Use::Files;
        request.files = QStringList{file};
        const CheckReport r = check(*m_pack.lesson(QStringLiteral("squares")), request);
        const CheckResult *compiles = test(r, QStringLiteral("compiles without warnings"));
        QCOMPARE(compiles->status, CheckResult::Status::Fail);
        QVERIFY2(compiles->output.contains(QStringLiteral("unused")), qPrintable(compiles->output));
        QCOMPARE(test(r, QStringLiteral("small"))->status,
                 CheckResult::Status::Pass); // it still ran
    }

    // A lesson with requires.ranks = 2 runs two processes that see torchrun's
    // variables; a rank that fails fails exits_ok and its checks count too.
    void twoRanks()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        QTemporaryDir tmp;
        const QByteArray program =
            "#include <torch/torch.h>\n#include <torchlab/lab.h>\n#include <cstdlib>\n#include "
            "<string>\n"
            "int main() {\n"
            "  const std::string rank = std::getenv(\"RANK\") ? std::getenv(\"RANK\") : \"?\";\n"
            "  const std::string world = std::getenv(\"WORLD_SIZE\") ? std::getenv(\"WORLD_SIZE\") "
            ": \"?\";\n"
            "  const bool port = std::getenv(\"MASTER_PORT\") && "
            "std::atoi(std::getenv(\"MASTER_PORT\")) > 0;\n"
            "  lab::check(\"world\", world == \"2\" && port, \"rank \" + rank + \" of \" + "
            "world);\n"
            "  lab::check(\"rank\" + rank, true, \"here\");\n"
            "  return FAIL_RANK_ONE && rank == \"1\" ? 4 : 0;\n}\n";
        QByteArray good = program;
        good.replace("FAIL_RANK_ONE", "false");
        QByteArray bad = program;
        bad.replace("FAIL_RANK_ONE", "true");
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/exercise.cpp"), good));
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/bad/exercise.cpp"), bad));

        Lesson lesson;
        lesson.id = QStringLiteral("ranks");
        lesson.directory = tmp.path();
        lesson.starter = QStringList{QStringLiteral("exercise.cpp")};
        lesson.requirements.ranks = 2;
        Check exitsOk;
        exitsOk.kind = Check::Kind::ExitsOk;
        exitsOk.message =
            LocalizedText{{QStringLiteral("en"), QStringLiteral("Every rank must exit with 0.")}};
        lesson.checks << exitsOk;
        for (const char *name : {"world", "rank0", "rank1"}) {
            Check c;
            c.kind = Check::Kind::Check;
            c.name = QString::fromLatin1(name);
            c.message = LocalizedText{{QStringLiteral("en"), QStringLiteral("not seen")}};
            lesson.checks << c;
        }
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        CheckReport r = check(lesson, request);
        QVERIFY2(r.passed(), qPrintable(describe(r)));

        request.use = CheckRequest::Use::Files;
        request.files = QStringList{tmp.path() + QStringLiteral("/bad")};
        r = check(lesson, request);
        QCOMPARE(r.status, CheckResult::Status::Fail);
        const CheckResult *exits = test(r, QStringLiteral("exits_ok"));
        QVERIFY2(exits->message.contains(QStringLiteral("Rank 1: ")), qPrintable(describe(r)));
        QCOMPARE(test(r, QStringLiteral("rank1"))->status, CheckResult::Status::Pass);
    }

    // Run (grade = false) of a two-rank lesson: the console gets every
    // rank's output, each line with its rank (rank 0's too, unfinished last
    // lines included); the ranks are told the backend and the notes say why.
    void twoRanksRunShowsEveryRank()
    {
        if (!m_profile.isValid())
            LAB_SKIP_MISSING(m_noToolchain);
        QTemporaryDir tmp;
        QVERIFY(
            writeAll(tmp.path() + QStringLiteral("/exercise.cpp"),
                     "#include <torch/torch.h>\n#include <torchlab/lab.h>\n#include "
                     "<cstdlib>\n#include <iostream>\n"
                     "int main() {\n"
                     "  const char *rank = std::getenv(\"RANK\");\n"
                     "  const char *backend = std::getenv(\"TORCHLAB_DIST_BACKEND\");\n"
                     "  std::cout << \"rank \" << (rank ? rank : \"?\") << \" backend \" << "
                     "(backend ? backend : \"none\") << std::endl;\n"
                     "  std::cerr << \"stderr of rank \" << (rank ? rank : \"?\") << std::endl;\n"
                     "  std::cout << \"unfinished\" << std::flush;\n"
                     "  return 0;\n}\n"));
        Lesson lesson;
        lesson.id = QStringLiteral("ranks");
        lesson.directory = tmp.path();
        lesson.starter = QStringList{QStringLiteral("exercise.cpp")};
        lesson.requirements.ranks = 2;
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        request.grade = false;
        request.profile = m_profile;
        request.quick = true;
        request.environment.insert(QStringLiteral("TORCHLAB_DIST_BACKEND"),
                                   QStringLiteral("bogus"));

        CheckRunner runner;
        runner.setRunnerFactory(factory());
        QSignalSpy out(&runner, &CheckRunner::stdoutData);
        QSignalSpy err(&runner, &CheckRunner::stderrData);
        QSignalSpy done(&runner, &CheckRunner::done);
        runner.start(lesson, request);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 600'000);
        const CheckReport r = done.first().first().value<CheckReport>();
        QVERIFY2(r.passed(), qPrintable(describe(r)));
        QCOMPARE(r.device, QStringLiteral("cpu"));

        const RankBackend backend = RankGroup::chooseBackend(m_profile, 0, 2);
        const QByteArray name = backend.name.isEmpty() ? QByteArray("none") : backend.name.toUtf8();
        QVERIFY2(r.notes.contains(backend.reason), qPrintable(r.notes.join(QLatin1Char('|'))));

        const QByteArray stdoutText = joined(out);
        QVERIFY2(stdoutText.endsWith('\n'), stdoutText.constData());
        QList<QByteArray> lines = stdoutText.split('\n');
        lines.removeLast();
        QCOMPARE(lines.size(), 4);
        for (const QByteArray &line : std::as_const(lines))
            QVERIFY2(line.startsWith("[rank 0] ") || line.startsWith("[rank 1] "),
                     line.constData());
        for (const char *rank : {"0", "1"}) {
            const QByteArray prefix = QByteArray("[rank ") + rank + "] ";
            QVERIFY2(lines.contains(prefix + "rank " + rank + " backend " + name),
                     stdoutText.constData());
            QVERIFY2(lines.contains(prefix + "unfinished"), stdoutText.constData());
            QVERIFY2(joined(err).contains(prefix + "stderr of rank " + rank + "\n"),
                     joined(err).constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCheckRunner)
#include "tst_checkrunner.moc"
