// What CheckRequest's Run mode and limits change, without compiling: a Run
// (grade = false) stages only the learner's code with its own main(), limits
// follow the time scale and memory cap from Settings, a Run reports only
// "compiles" and "exits_ok", and the report's JSON carries the run's outcome
// and the compile's diagnostics and the program's device next to the keys it
// always had.
#include "core/course/packloader.h"
#include "core/grading/checkrunner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace torchlab;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

bool writeAll(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace

class TestCheckRequest : public QObject
{
    Q_OBJECT

    Pack m_pack;

private Q_SLOTS:
    void initTestCase()
    {
        const PackLoadResult loaded = PackLoader::load(kExample);
        QVERIFY(loaded.valid());
        m_pack = loaded.pack;
    }

    void defaults()
    {
        const CheckRequest r;
        QVERIFY(r.grade);
        QCOMPARE(r.timeScale, 1.0);
        QCOMPARE(r.memoryCapMb, 0);
    }

    void runStagesOnlyTheLearnersProgram()
    {
        QTemporaryDir tmp;
        const Lesson &squares = *m_pack.lesson(QStringLiteral("squares")); // has a check.cpp
        QVERIFY(!squares.checkSources.isEmpty());
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        request.grade = false;
        const Result<StagedSources> staged =
            CheckRunner::stage(squares, request, tmp.path() + QStringLiteral("/run"));
        QVERIFY2(staged.ok(), qPrintable(staged.error()));
        const StagedSources &s = *staged;
        QCOMPARE(s.units.size(), 1);
        QCOMPARE(s.units[0].shownName, QStringLiteral("exercise.cpp"));
        QVERIFY(s.units[0].learner);
        QVERIFY(!s.units[0].extraFlags.contains(QStringLiteral("-Dmain=torchlab_learner_main")));
        QCOMPARE(s.learnerFiles, QStringList{QStringLiteral("exercise.cpp")});

        request.grade = true; // unchanged for Check
        const Result<StagedSources> checked =
            CheckRunner::stage(squares, request, tmp.path() + QStringLiteral("/check"));
        QVERIFY2(checked.ok(), qPrintable(checked.error()));
        const StagedSources &c = *checked;
        QCOMPARE(c.units.size(), 2);
        QVERIFY(c.units[0].extraFlags.contains(QStringLiteral("-Dmain=torchlab_learner_main")));
    }

    void runIgnoresCudaCheckUnits()
    {
        QTemporaryDir tmp;
        QVERIFY(writeAll(tmp.path() + QStringLiteral("/lesson/exercise.cpp"), "int main() {}\n"));
        QVERIFY(
            writeAll(tmp.path() + QStringLiteral("/lesson/check.cu"), "__global__ void k() {}\n"));
        Lesson lesson;
        lesson.directory = tmp.path() + QStringLiteral("/lesson");
        lesson.starter = QStringList{QStringLiteral("exercise.cpp")};
        lesson.checkSources = QStringList{QStringLiteral("check.cu")};
        CheckRequest request;
        request.use = CheckRequest::Use::Starter;
        request.grade = false;
        const Result<StagedSources> staged =
            CheckRunner::stage(lesson, request, tmp.path() + QStringLiteral("/run"));
        QVERIFY2(staged.ok(), qPrintable(staged.error()));
        const StagedSources &s = *staged;
        QVERIFY(s.leftOut.isEmpty());
        QCOMPARE(s.units.size(), 1);
        QVERIFY(s.units[0].extraFlags.isEmpty());
    }

    void limitsFollowTimeScaleAndMemoryCap()
    {
        Lesson lesson;
        lesson.limits.timeSeconds = 60;
        lesson.limits.memoryMb = 4096;
        CheckRequest request;
        RunLimits l = CheckRunner::runLimits(lesson, request);
        QCOMPARE(l.wallMs, 60'000);
        QCOMPARE(l.memoryBytes, qint64(4096) << 20);
        QVERIFY(l.cpuSeconds >= 121);
        const int cpuAtOne = l.cpuSeconds;

        request.timeScale = 2.5;
        l = CheckRunner::runLimits(lesson, request);
        QCOMPARE(l.wallMs, 150'000);
        QVERIFY(l.cpuSeconds > cpuAtOne);

        for (double bad : {0.0, -1.0, double(NAN), double(INFINITY)}) {
            request.timeScale = bad;
            QCOMPARE(CheckRunner::runLimits(lesson, request).wallMs, 60'000);
        }
        request.timeScale = 1;

        request.memoryCapMb = 1024; // Settings caps the lesson's limit ...
        QCOMPARE(CheckRunner::runLimits(lesson, request).memoryBytes, qint64(1024) << 20);
        request.memoryCapMb = 8192; // ... but never raises it
        QCOMPARE(CheckRunner::runLimits(lesson, request).memoryBytes, qint64(4096) << 20);
        lesson.limits.memoryMb = 0;
        request.memoryCapMb = 512;
        QCOMPARE(CheckRunner::runLimits(lesson, request).memoryBytes, qint64(512) << 20);
    }

    void runReportsCompilesAndExitsOkOnly()
    {
        const Lesson &squares = *m_pack.lesson(QStringLiteral("squares"));
        const QList<Check> checks = CheckRunner::runChecks(squares);
        QCOMPARE(checks.size(), 2);
        QCOMPARE(checks[0].kind, Check::Kind::Compiles);
        QVERIFY(!checks[0]
                     .warningFree); // squares asks for warning-free code; a Run does not grade that
        QCOMPARE(checks[0].id(), QStringLiteral("compiles"));
        QCOMPARE(checks[1].kind, Check::Kind::ExitsOk);
        for (const Check &c : squares.checks)
            if (c.kind == Check::Kind::ExitsOk)
                QCOMPARE(checks[1].message, c.message);

        const QList<Check> bare = CheckRunner::runChecks(Lesson());
        QCOMPARE(bare.size(), 2);
        QVERIFY(!localized(bare[1].message, QStringLiteral("en")).isEmpty());
        QVERIFY(!localized(bare[1].message, QStringLiteral("zh_CN")).isEmpty());
    }

    void jsonCarriesRunAndDiagnostics()
    {
        CheckReport r;
        r.lessonId = QStringLiteral("squares");
        QJsonObject j = r.toJson();
        for (const char *key :
             {"version", "status", "message", "tests", "lesson", "folder", "title", "source",
              "language", "quick", "notes", "compile_ms", "run_ms"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QVERIFY(j.value(QStringLiteral("run_outcome")).isNull());
        QVERIFY(j.contains(QStringLiteral("device")));
        QVERIFY(j.value(QStringLiteral("device")).isNull()); // no hello line
        QVERIFY(j.value(QStringLiteral("diagnostics")).toArray().isEmpty());

        r.runOutcome = RunResult::Outcome::TorchError;
        r.runSummary = QStringLiteral("LibTorch error: mat1 and mat2 shapes cannot be multiplied");
        r.runExplanation = QStringLiteral("Check the shapes.");
        r.runDetail = QStringLiteral("mat1 and mat2 shapes cannot be multiplied");
        r.device = QStringLiteral("cuda:0");
        Diagnostic d;
        d.severity = Diagnostic::Severity::Warning;
        d.file = QStringLiteral("exercise.cpp");
        d.line = 3;
        d.message = QStringLiteral("unused variable 'x'");
        for (int i = 0; i < 250; ++i)
            r.diagnostics << d;
        j = r.toJson();
        QCOMPARE(j.value(QStringLiteral("run_outcome")).toString(), QStringLiteral("torch_error"));
        QCOMPARE(j.value(QStringLiteral("run_summary")).toString(), r.runSummary);
        QCOMPARE(j.value(QStringLiteral("run_explanation")).toString(), r.runExplanation);
        QCOMPARE(j.value(QStringLiteral("run_detail")).toString(), r.runDetail);
        QCOMPARE(j.value(QStringLiteral("device")).toString(), QStringLiteral("cuda:0"));
        const QJsonArray diagnostics = j.value(QStringLiteral("diagnostics")).toArray();
        QCOMPARE(diagnostics.size(), 200);
        QCOMPARE(j.value(QStringLiteral("diagnostics_omitted")).toInt(), 50);
        QCOMPARE(diagnostics[0].toObject().value(QStringLiteral("line")).toInt(), 3);
        QCOMPARE(diagnostics[0].toObject().value(QStringLiteral("file")).toString(),
                 QStringLiteral("exercise.cpp"));
    }
};

QTEST_GUILESS_MAIN(TestCheckRequest)
#include "tst_checkrequest.moc"
