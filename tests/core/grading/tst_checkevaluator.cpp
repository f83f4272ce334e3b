// Check evaluation as a pure function: each row is one check over a made-up
// compile + run (RunJobResult and what lab.h reported), with the verdict and
// the words a learner must see.
#include "core/grading/checkevaluator.h"

#include "helpers/uichinese.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QScopeGuard>
#include <QTest>
#include <QTranslator>

#include <cmath>

using namespace torchlab;

Q_DECLARE_METATYPE(torchlab::Check)
Q_DECLARE_METATYPE(torchlab::RunObservation)
Q_DECLARE_METATYPE(torchlab::CheckResult::Status)

namespace {

using Status = CheckResult::Status;

LocalizedText msg(const char *en)
{
    return LocalizedText{
        {QStringLiteral("en"), QString::fromUtf8(en)},
        {QStringLiteral("zh_CN"), QStringLiteral("中文：") + QString::fromUtf8(en)}};
}

Check makeCheck(Check::Kind kind, const char *message = "LESSON MESSAGE")
{
    Check c;
    c.kind = kind;
    c.message = msg(message);
    return c;
}

Check named(Check::Kind kind, const char *name)
{
    Check c = makeCheck(kind);
    c.name = QString::fromUtf8(name);
    return c;
}

Check outputCheck(const char *pattern, Check::Stream stream = Check::Stream::Stdout)
{
    Check c = makeCheck(Check::Kind::Output);
    c.pattern = QString::fromUtf8(pattern);
    c.stream = stream;
    return c;
}

Check metricCheck(const char *name, Check::Of of, std::optional<double> min,
                  std::optional<double> max)
{
    Check c = named(Check::Kind::Metric, name);
    c.of = of;
    c.min = min;
    c.max = max;
    return c;
}

Check timeCheck(double maxS)
{
    Check c = makeCheck(Check::Kind::Time);
    c.maxSeconds = maxS;
    return c;
}

Check warningFree()
{
    Check c = makeCheck(Check::Kind::Compiles);
    c.warningFree = true;
    return c;
}

RunObservation okRun(const QByteArray &out = "", const QByteArray &err = "")
{
    RunObservation o;
    o.job.compile.outcome = CompileResult::Outcome::Ok;
    o.job.compile.summary = QStringLiteral("Compiled in 1.2 s.");
    o.job.ran = true;
    o.job.run.outcome = RunResult::Outcome::Ok;
    o.job.run.exitCode = 0;
    o.job.run.summary = QStringLiteral("ok");
    o.job.run.wallMs = 1500;
    o.job.run.stdoutText = out;
    o.job.run.stderrText = err;
    o.learnerFiles = QStringList{QStringLiteral("exercise.cpp")};
    return o;
}

Diagnostic diag(Diagnostic::Severity s, const char *file, int line, const char *text)
{
    Diagnostic d;
    d.severity = s;
    d.file = QString::fromUtf8(file);
    d.line = line;
    d.column = 5;
    d.message = QString::fromUtf8(text);
    return d;
}

RunObservation compileErrors()
{
    RunObservation o;
    o.job.compile.outcome = CompileResult::Outcome::CompileErrors;
    o.job.compile.summary = QStringLiteral("1 error in exercise.cpp");
    o.job.compile.diagnostics << diag(Diagnostic::Severity::Error, "exercise.cpp", 12,
                                      "use of undeclared identifier 'x'");
    o.learnerFiles = QStringList{QStringLiteral("exercise.cpp")};
    return o;
}

RunObservation withWarning(const char *file)
{
    RunObservation o = okRun();
    o.job.compile.diagnostics << diag(Diagnostic::Severity::Warning, file, 7,
                                      "unused variable 'n'");
    return o;
}

RunObservation ended(RunResult::Outcome outcome, const char *summary, const char *explanation,
                     const QByteArray &err = "", int exitCode = -1)
{
    RunObservation o = okRun("some output\n", err);
    o.job.run.outcome = outcome;
    o.job.run.summary = QString::fromUtf8(summary);
    o.job.run.explanation = QString::fromUtf8(explanation);
    o.job.run.exitCode = exitCode;
    return o;
}

RunObservation crashed(const QByteArray &err = "Segmentation fault happened here\n")
{
    RunObservation o = ended(RunResult::Outcome::Crashed, "crashed: SIGSEGV (segmentation fault)",
                             "The program read or wrote memory it does not own.", err);
    o.job.run.signal = 11;
    return o;
}

LabEvent checkEvent(const char *name, bool ok, const char *message)
{
    LabEvent e;
    e.type = LabEvent::Type::Check;
    e.name = QString::fromUtf8(name);
    e.ok = ok;
    e.message = QString::fromUtf8(message);
    return e;
}

LabEvent skipEvent(const char *name, const char *reason)
{
    LabEvent e = checkEvent(name, false, reason);
    e.skipped = true;
    return e;
}

RunObservation withChecks(RunObservation o, const QList<LabEvent> &checks)
{
    for (const LabEvent &e : checks)
        o.job.checks.add(e);
    return o;
}

RunObservation withMetric(RunObservation o, const char *name, const QList<double> &values)
{
    for (double v : values)
        o.metrics[QString::fromUtf8(name)].add(v);
    return o;
}

RunObservation withRank(RunObservation o, RunResult::Outcome outcome, const char *summary)
{
    RankRun r;
    r.rank = 1;
    r.run.outcome = outcome;
    r.run.summary = QString::fromUtf8(summary);
    r.run.exitCode = outcome == RunResult::Outcome::Ok ? 0 : 1;
    r.run.stderrText = "rank 1 went wrong\n";
    o.otherRanks << r;
    return o;
}

} // namespace

class TestCheckEvaluator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void evaluate_data()
    {
        QTest::addColumn<Check>("check");
        QTest::addColumn<RunObservation>("observation");
        QTest::addColumn<Status>("status");
        QTest::addColumn<QString>("message"); // part of the message; "" = the message must be empty
        QTest::addColumn<QString>("output");  // part of the output; "" = not checked

        const Check compiles = makeCheck(Check::Kind::Compiles);
        const Check exitsOk = makeCheck(Check::Kind::ExitsOk);

        QTest::newRow("compiles: ok") << compiles << okRun() << Status::Pass << ""
                                      << "Compiled in";
        QTest::newRow("compiles: errors")
            << compiles << compileErrors() << Status::Fail
            << "LESSON MESSAGE\n1 error in exercise.cpp"
            << "exercise.cpp:12:5: error: use of undeclared identifier 'x'";
        RunObservation broken = compileErrors();
        broken.job.compile.outcome = CompileResult::Outcome::CompilerFailed;
        broken.job.compile.summary = QStringLiteral("No C++ compiler is available.");
        QTest::newRow("compiles: no compiler is an error, not the learner's fault")
            << compiles << broken << Status::Error << "No C++ compiler is available."
            << "";
        QTest::newRow("warning-free: learner warning")
            << warningFree() << withWarning("exercise.cpp") << Status::Fail << "LESSON MESSAGE"
            << "exercise.cpp:7:5: warning: unused variable";
        QTest::newRow("warning-free: warning in hidden check code only")
            << warningFree() << withWarning("check.cpp") << Status::Pass << ""
            << "";
        QTest::newRow("plain compiles ignores warnings")
            << compiles << withWarning("exercise.cpp") << Status::Pass << ""
            << "";

        QTest::newRow("exits_ok: ok") << exitsOk << okRun() << Status::Pass << ""
                                      << "";
        QTest::newRow("exits_ok: exit code")
            << exitsOk
            << ended(RunResult::Outcome::ExitCode, "exit code 1", "", "data not found\n", 1)
            << Status::Fail << "LESSON MESSAGE\nexit code 1"
            << "data not found";
        QTest::newRow("exits_ok: crash")
            << exitsOk << crashed() << Status::Fail
            << "crashed: SIGSEGV (segmentation fault). The program read or wrote memory"
            << "Segmentation fault happened here";
        QTest::newRow("exits_ok: LibTorch error")
            << exitsOk
            << ended(RunResult::Outcome::TorchError,
                     "LibTorch error: expected scalar type Long but found Float",
                     "LibTorch refused an operation.",
                     "error (c10_error): expected scalar type Long\n", 3)
            << Status::Fail << "expected scalar type Long but found Float"
            << "error (c10_error)";
        QTest::newRow("exits_ok: not compiled") << exitsOk << compileErrors() << Status::Error
                                                << "Not checked: the code did not compile."
                                                << "";
        QTest::newRow("exits_ok: other rank failed")
            << exitsOk << withRank(okRun(), RunResult::Outcome::ExitCode, "exit code 1")
            << Status::Fail << "Rank 1: exit code 1"
            << "rank 1 went wrong";
        QTest::newRow("stopped") << exitsOk << ended(RunResult::Outcome::Stopped, "stopped", "")
                                 << Status::Error << "Not checked: the run was stopped."
                                 << "";

        QTest::newRow("output: multiline match")
            << outputCheck("^slope 2\\.0$") << okRun("loss 0.1\nslope 2.0\nbye\n") << Status::Pass
            << ""
            << "slope 2.0";
        QTest::newRow("output: no match shows the tail")
            << outputCheck("^slope 2\\.0$") << okRun("loss 0.1\nslope 0.0\n") << Status::Fail
            << "LESSON MESSAGE"
            << "slope 0.0";
        QTest::newRow("output: stderr stream")
            << outputCheck("warned", Check::Stream::Stderr) << okRun("warned on stdout\n", "")
            << Status::Fail << "LESSON MESSAGE"
            << "(nothing on stderr)";
        QTest::newRow("output: stderr match") << outputCheck("warned", Check::Stream::Stderr)
                                              << okRun("", "I warned you\n") << Status::Pass << ""
                                              << "warned";
        QTest::newRow("output: after a crash") << outputCheck("anything") << crashed()
                                               << Status::Error << "Not checked: crashed: SIGSEGV"
                                               << "Segmentation fault";
        QTest::newRow("output: after a non-zero exit is still checked")
            << outputCheck("some output")
            << ended(RunResult::Outcome::ExitCode, "exit code 2", "", "", 2) << Status::Pass << ""
            << "";

        QTest::newRow("metric: final within")
            << metricCheck("loss", Check::Of::Final, std::nullopt, 0.5)
            << withMetric(okRun(), "loss", {2.0, 1.0, 0.3}) << Status::Pass << ""
            << "loss: final 0.3 (first 2, min 0.3, max 2, 3 values)";
        QTest::newRow("metric: final above max")
            << metricCheck("loss", Check::Of::Final, std::nullopt, 0.5)
            << withMetric(okRun(), "loss", {2.0, 1.0, 0.9}) << Status::Fail << "LESSON MESSAGE"
            << "final 0.9";
        QTest::newRow("metric: min of")
            << metricCheck("loss", Check::Of::Min, std::nullopt, 0.5)
            << withMetric(okRun(), "loss", {2.0, 0.4, 0.9}) << Status::Pass << ""
            << "min 0.4";
        QTest::newRow("metric: max of below min")
            << metricCheck("acc", Check::Of::Max, 0.9, 1.0)
            << withMetric(okRun(), "acc", {0.5, 0.8}) << Status::Fail << "LESSON MESSAGE"
            << "acc: max 0.8";
        QTest::newRow("metric: bounds are inclusive")
            << metricCheck("acc", Check::Of::Final, 0.75, 0.75)
            << withMetric(okRun(), "acc", {0.75}) << Status::Pass << ""
            << "";
        QTest::newRow("metric: NaN fails")
            << metricCheck("loss", Check::Of::Final, std::nullopt, 10.0)
            << withMetric(okRun(), "loss", {1.0, NAN}) << Status::Fail << "LESSON MESSAGE"
            << "final nan";
        QTest::newRow("metric: NaN on the way poisons min")
            << metricCheck("loss", Check::Of::Min, std::nullopt, 10.0)
            << withMetric(okRun(), "loss", {NAN, 1.0}) << Status::Fail << "LESSON MESSAGE"
            << "min nan";
        QTest::newRow("metric: never reported")
            << metricCheck("loss", Check::Of::Final, std::nullopt, 1.0)
            << withMetric(okRun(), "other", {1.0}) << Status::Fail << "LESSON MESSAGE"
            << "never reported the metric \"loss\"";
        QTest::newRow("metric: after a crash")
            << metricCheck("loss", Check::Of::Final, std::nullopt, 1.0)
            << withMetric(crashed(), "loss", {0.1}) << Status::Error
            << "Not checked: crashed: SIGSEGV"
            << "";

        const Check small = named(Check::Kind::Check, "small");
        QTest::newRow("check: passed")
            << small << withChecks(okRun(), {checkEvent("small", true, "returns 14")})
            << Status::Pass << ""
            << "returns 14";
        QTest::newRow("check: failed shows its own words")
            << small << withChecks(okRun(), {checkEvent("small", false, "returned 0, expected 14")})
            << Status::Fail << "LESSON MESSAGE"
            << "returned 0, expected 14";
        QTest::newRow("check: never reported")
            << small << withChecks(okRun(), {checkEvent("other", true, "")}) << Status::Fail
            << "LESSON MESSAGE"
            << "never reported \"small\"";
        QTest::newRow("check: not reported before a crash")
            << small << crashed() << Status::Error << "Not checked: crashed: SIGSEGV"
            << "Segmentation fault";
        QTest::newRow("check: reported before a crash still counts")
            << small << withChecks(crashed(), {checkEvent("small", true, "fine")}) << Status::Pass
            << ""
            << "fine";
        QTest::newRow("check: one failing report of two fails")
            << small
            << withChecks(okRun(), {checkEvent("small", true, "first fine"),
                                    checkEvent("small", false, "then wrong")})
            << Status::Fail << "LESSON MESSAGE"
            << "then wrong\nfirst fine";
        RunObservation ranks = withRank(okRun(), RunResult::Outcome::Ok, "ok");
        ranks.job.checks.add(checkEvent("same_params", true, "rank 0 agrees"));
        ranks.otherChecks.add(checkEvent("same_params", false, "rank 1 differs"));
        QTest::newRow("check: every rank must pass")
            << named(Check::Kind::Check, "same_params") << ranks << Status::Fail << "LESSON MESSAGE"
            << "rank 1 differs";

        QTest::newRow("time: within") << timeCheck(2) << okRun() << Status::Pass << ""
                                      << "ran 1.50 s (at most 2 s)";
        QTest::newRow("time: too slow")
            << timeCheck(1) << okRun() << Status::Fail << "LESSON MESSAGE"
            << "ran 1.50 s";
        QTest::newRow("time: time limit")
            << timeCheck(30)
            << ended(RunResult::Outcome::TimeLimit, "time limit exceeded",
                     "It ran longer than the lesson allows.")
            << Status::Fail << "LESSON MESSAGE\ntime limit exceeded"
            << "stopped after 1.5 s";
        QTest::newRow("time: after a crash")
            << timeCheck(30) << crashed() << Status::Error << "Not checked: crashed"
            << "";
        QTest::newRow("time: memory limit")
            << timeCheck(30)
            << ended(RunResult::Outcome::MemoryLimit, "out of memory",
                     "The program asked for more memory than its limit allows.")
            << Status::Error << "Not checked: out of memory. The program asked"
            << "";
    }

    void evaluate()
    {
        QFETCH(Check, check);
        QFETCH(RunObservation, observation);
        QFETCH(Status, status);
        QFETCH(QString, message);
        QFETCH(QString, output);
        const CheckResult r = evaluateCheck(check, observation, QStringLiteral("en"));
        QVERIFY2(r.status == status,
                 qPrintable(CheckResult::statusName(r.status) + QStringLiteral(": ") + r.message +
                            QStringLiteral(" | ") + r.output));
        if (message.isEmpty())
            QVERIFY2(r.message.isEmpty(), qPrintable(r.message));
        else
            QVERIFY2(r.message.contains(message), qPrintable(r.message));
        if (!output.isEmpty())
            QVERIFY2(r.output.contains(output), qPrintable(r.output));
        QCOMPARE(r.name, check.id());
        QCOMPARE(r.kind, check.kind);
    }

    // lab::skip: a check that cannot run here is skipped with its reason, never
    // passed; a failing report of the same name still fails it.
    void skippedChecks()
    {
        const Check c = named(Check::Kind::Check, "cuda_sync");
        CheckResult r = evaluateCheck(
            c, withChecks(okRun(), {skipEvent("cuda_sync", "No GPU here.")}), QStringLiteral("en"));
        QCOMPARE(r.status, Status::Skipped);
        QCOMPARE(r.message, QStringLiteral("No GPU here."));
        QCOMPARE(CheckResult::statusName(r.status), QStringLiteral("skipped"));

        r = evaluateCheck(c,
                          withChecks(okRun(), {skipEvent("cuda_sync", "No GPU here."),
                                               checkEvent("cuda_sync", false, "wrong")}),
                          QStringLiteral("en"));
        QCOMPARE(r.status, Status::Fail);
        QCOMPARE(r.message, QStringLiteral("LESSON MESSAGE"));

        // One rank ran it and passed, another could not: it passed where it ran.
        r = evaluateCheck(c,
                          withChecks(okRun(), {skipEvent("cuda_sync", "No GPU here."),
                                               checkEvent("cuda_sync", true, "fine")}),
                          QStringLiteral("en"));
        QCOMPARE(r.status, Status::Pass);

        r = evaluateCheck(c, withChecks(okRun(), {skipEvent("cuda_sync", "")}),
                          QStringLiteral("en"));
        QCOMPARE(r.status, Status::Skipped);
        QVERIFY2(r.message.contains(QLatin1String("without a reason")), qPrintable(r.message));

        // The lesson passes on what could run, and says what was skipped.
        Lesson lesson;
        lesson.checks << makeCheck(Check::Kind::Compiles) << named(Check::Kind::Check, "small")
                      << c;
        CheckReport report =
            evaluateLesson(lesson,
                           withChecks(okRun(), {checkEvent("small", true, ""),
                                                skipEvent("cuda_sync", "No GPU here.")}),
                           QStringLiteral("en"));
        QCOMPARE(report.status, Status::Pass);
        QVERIFY(report.passed());
        QCOMPARE(report.count(Status::Skipped), 1);
        QCOMPARE(report.message, QStringLiteral("1 check could not run here and was skipped."));
        const QJsonArray tests = report.toJson().value(QStringLiteral("tests")).toArray();
        QCOMPARE(tests[2].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("skipped"));
        QCOMPARE(tests[2].toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("No GPU here."));

        // A failure elsewhere still fails the lesson; the skip is mentioned.
        report = evaluateLesson(lesson,
                                withChecks(okRun(), {checkEvent("small", false, ""),
                                                     skipEvent("cuda_sync", "No GPU here.")}),
                                QStringLiteral("en"));
        QCOMPARE(report.status, Status::Fail);
        QCOMPARE(report.message,
                 QStringLiteral("1 of 3 checks passed. 1 check could not run here and was "
                                "skipped."));
    }

    void chosenLanguage()
    {
        const Check c = named(Check::Kind::Check, "small");
        const RunObservation o = withChecks(okRun(), {checkEvent("small", false, "wrong")});
        QCOMPARE(evaluateCheck(c, o, QStringLiteral("zh_CN")).message,
                 QStringLiteral("中文：LESSON MESSAGE"));
        QCOMPARE(evaluateCheck(c, o, QStringLiteral("fr")).message,
                 QStringLiteral("LESSON MESSAGE"));
    }

    void lessonStatus()
    {
        Lesson lesson;
        lesson.checks << makeCheck(Check::Kind::Compiles) << makeCheck(Check::Kind::ExitsOk)
                      << named(Check::Kind::Check, "small");

        CheckReport r = evaluateLesson(lesson, withChecks(okRun(), {checkEvent("small", true, "")}),
                                       QStringLiteral("en"));
        QCOMPARE(r.status, Status::Pass);
        QVERIFY(r.message.isEmpty());
        QCOMPARE(r.runMs, 1500);

        // A compile failure: compiles fails, the rest cannot be checked.
        r = evaluateLesson(lesson, compileErrors(), QStringLiteral("en"));
        QCOMPARE(r.status, Status::Fail);
        QCOMPARE(r.tests[0].status, Status::Fail);
        QCOMPARE(r.tests[1].status, Status::Error);
        QCOMPARE(r.tests[2].status, Status::Error);
        QCOMPARE(r.message, QStringLiteral("1 error in exercise.cpp"));
        QCOMPARE(r.runMs, 0);

        r = evaluateLesson(lesson, withChecks(okRun(), {checkEvent("small", false, "")}),
                           QStringLiteral("en"));
        QCOMPARE(r.status, Status::Fail);
        QCOMPARE(r.message, QStringLiteral("2 of 3 checks passed."));

        // Nothing failed but something could not be checked: error.
        Lesson outputOnly;
        outputOnly.checks << makeCheck(Check::Kind::Compiles) << outputCheck("x");
        r = evaluateLesson(outputOnly,
                           ended(RunResult::Outcome::MemoryLimit, "out of memory", "Too much."),
                           QStringLiteral("en"));
        QCOMPARE(r.status, Status::Error);
        QCOMPARE(r.message, QStringLiteral("out of memory. Too much."));
    }

    void jsonShape()
    {
        Lesson lesson;
        lesson.checks << makeCheck(Check::Kind::Compiles) << named(Check::Kind::Check, "small");
        CheckReport r =
            evaluateLesson(lesson, withChecks(okRun(), {checkEvent("small", false, "got 0")}),
                           QStringLiteral("en"));
        r.lessonId = QStringLiteral("squares");
        const QJsonObject j = r.toJson();
        QCOMPARE(j.value(QStringLiteral("version")).toInt(), 2);
        QCOMPARE(j.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
        QCOMPARE(j.value(QStringLiteral("lesson")).toString(), QStringLiteral("squares"));
        const QJsonArray tests = j.value(QStringLiteral("tests")).toArray();
        QCOMPARE(tests.size(), 2);
        const QJsonObject pass = tests[0].toObject(), fail = tests[1].toObject();
        // "name" is what a person reads, "id" what a script matches.
        QCOMPARE(pass.value(QStringLiteral("name")).toString(),
                 QStringLiteral("The program compiles"));
        QCOMPARE(pass.value(QStringLiteral("id")).toString(), QStringLiteral("compiles"));
        QCOMPARE(pass.value(QStringLiteral("status")).toString(), QStringLiteral("pass"));
        QVERIFY(pass.value(QStringLiteral("message")).isNull());
        QCOMPARE(fail.value(QStringLiteral("name")).toString(), QStringLiteral("small"));
        QCOMPARE(fail.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
        QCOMPARE(fail.value(QStringLiteral("message")).toString(),
                 QStringLiteral("LESSON MESSAGE"));
        QCOMPARE(fail.value(QStringLiteral("output")).toString(), QStringLiteral("got 0"));
    }

    // Exercism caps messages at 65,535 characters; a flood of output must not
    // make a report that no tool can read.
    void capsMessages()
    {
        Check c = outputCheck("never");
        const QByteArray flood(200'000, 'x');
        const CheckResult r = evaluateCheck(c, okRun(flood + "\n"), QStringLiteral("en"));
        QVERIFY(r.output.size() <= 2001);
        QCOMPARE(capText(QString(70'000, QLatin1Char('y'))).size(), CheckReport::MaxMessageChars);
        QCOMPARE(capText(QStringLiteral("short")), QStringLiteral("short"));
    }

    void tail_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("lines");
        QTest::addColumn<QString>("tail");
        QTest::newRow("short") << "a\nb\n" << 5 << "a\nb";
        QTest::newRow("cut") << "1\n2\n3\n4\n" << 2 << QStringLiteral("\u2026") + "3\n4";
        QTest::newRow("empty") << "" << 3 << "";
        QTest::newRow("crlf end") << "a\r\n" << 3 << "a";
    }
    void tail()
    {
        QFETCH(QString, text);
        QFETCH(int, lines);
        QFETCH(QString, tail);
        QCOMPARE(tailLines(text, lines), tail);
    }

    // What a learner reads for each check: the manifest's title in their
    // language, or a sentence made from the kind, never the raw id; the id
    // stays in the report (and --json) for scripts.
    void titlesInBothLanguages()
    {
        Lesson lesson;
        Check own = named(Check::Kind::Check, "pick_cpu");
        own.titleText = {
            {QStringLiteral("en"), QStringLiteral("pick_device(false) returns the CPU")},
            {QStringLiteral("zh_CN"), QStringLiteral("pick_device(false) 返回 CPU")}};
        lesson.checks << makeCheck(Check::Kind::Compiles) << makeCheck(Check::Kind::ExitsOk)
                      << outputCheck("LibTorch [0-9]+")
                      << metricCheck("loss", Check::Of::Final, {}, 1)
                      << metricCheck("accuracy", Check::Of::Max, 0.7, {}) << own
                      << named(Check::Kind::Check, "untitled") << timeCheck(150);
        const QStringList ids{QStringLiteral("compiles"),
                              QStringLiteral("exits_ok"),
                              QStringLiteral("stdout matches /LibTorch [0-9]+/"),
                              QStringLiteral("metric loss final <= 1"),
                              QStringLiteral("metric accuracy max >= 0.7"),
                              QStringLiteral("pick_cpu"),
                              QStringLiteral("untitled"),
                              QStringLiteral("time <= 150 s")};
        bool jsonCarriesBoth = true;
        auto titlesOf = [&](const QString &language, QStringList *idsSeen) {
            const CheckReport r = evaluateLesson(lesson, okRun(), language);
            QStringList titles;
            for (const CheckResult &t : r.tests) {
                titles << t.title;
                *idsSeen << t.name;
            }
            const QJsonArray tests = r.toJson().value(QStringLiteral("tests")).toArray();
            for (qsizetype i = 0; i < tests.size(); ++i) {
                const QJsonObject t = tests[i].toObject();
                if (t.value(QStringLiteral("name")).toString() != titles[i] ||
                    t.value(QStringLiteral("id")).toString() != (*idsSeen)[i])
                    jsonCarriesBoth = false;
            }
            return titles;
        };
        QStringList seen;
        QCOMPARE(
            titlesOf(QStringLiteral("en"), &seen),
            (QStringList{QStringLiteral("The program compiles"),
                         QStringLiteral("The program ends without an error"),
                         QStringLiteral("The output shows the expected text"),
                         QStringLiteral("Final loss is at most 1"),
                         QStringLiteral("Highest accuracy is at least 0.7"),
                         QStringLiteral("pick_device(false) returns the CPU"),
                         QStringLiteral("untitled"), QStringLiteral("Finishes within 150 s")}));
        QCOMPARE(seen, ids);
        QVERIFY(jsonCarriesBoth);

        testing::UiChinese chinese;
        const QStringList loaded = chinese.loaded();
        QVERIFY(!loaded.isEmpty());
        seen.clear();
        QCOMPARE(titlesOf(QStringLiteral("zh_CN"), &seen),
                 (QStringList{
                     QStringLiteral("程序编译通过"), QStringLiteral("程序正常结束，没有错误"),
                     QStringLiteral("输出中有预期的文字"), QStringLiteral("loss 的最终值不超过 1"),
                     QStringLiteral("accuracy 的最大值不低于 0.7"),
                     QStringLiteral("pick_device(false) 返回 CPU"), QStringLiteral("untitled"),
                     QStringLiteral("在 150 秒内完成")}));
        QCOMPARE(seen, ids);
        QVERIFY(jsonCarriesBoth);
    }
};

QTEST_GUILESS_MAIN(TestCheckEvaluator)
#include "tst_checkevaluator.moc"
