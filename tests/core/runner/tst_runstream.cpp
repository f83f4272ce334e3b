// The JSON event stream of `torchlab-cli run --json-stream` (docs/json-stream.md)
// and the job file of `run --job`: what one side writes the other reads back
// exactly, and nothing a broken or hostile stream sends gets further than a
// counted bad line.
#include "core/runner/runnerjson.h"
#include "core/runner/runstream.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace torchlab;

namespace {

LabEvent labEvent(LabEvent::Type type, const QString &name = QString())
{
    LabEvent e;
    e.type = type;
    e.name = name;
    return e;
}

RunnerResult sampleResult()
{
    RunnerResult r;
    r.job.compile.outcome = CompileResult::Outcome::Ok;
    r.job.compile.summary = QStringLiteral("compiled in 1.8 s");
    Diagnostic d;
    d.severity = Diagnostic::Severity::Warning;
    d.tool = Diagnostic::Tool::Clang;
    d.file = QStringLiteral("exercise.cpp");
    d.line = 7;
    d.column = 5;
    d.message = QStringLiteral("unused variable 'x'");
    d.option = QStringLiteral("-Wunused-variable");
    d.inLearnerFile = true;
    d.learnerFile = QStringLiteral("exercise.cpp");
    d.learnerLine = 7;
    d.learnerColumn = 5;
    Diagnostic note;
    note.severity = Diagnostic::Severity::Note;
    note.message = QStringLiteral("declared here");
    d.notes << note;
    d.fixIts << FixIt{7, 5, 6, 7, QStringLiteral("y")};
    r.job.compile.diagnostics << d;
    r.job.ran = true;
    r.job.run.outcome = RunResult::Outcome::Crashed;
    r.job.run.signal = 11;
    r.job.run.signalName = QStringLiteral("SIGSEGV");
    r.job.run.summary = QStringLiteral("crashed: SIGSEGV");
    r.job.run.explanation = QStringLiteral("It read memory it does not own.");
    r.job.run.wallMs = 1234;
    r.job.run.stdoutText = "hello\n";
    r.job.run.peakRssBytes = 5 << 20;
    r.job.haveHello = true;
    r.job.hello.type = LabEvent::Type::Hello;
    r.job.hello.protocol = 1;
    r.job.hello.torchVersion = QStringLiteral("1.13.0");
    r.job.hello.device = QStringLiteral("cpu");
    LabEvent c = labEvent(LabEvent::Type::Check, QStringLiteral("shapes"));
    c.ok = false;
    c.message = QStringLiteral("wrong \"size\"\n2 lines");
    r.job.checks.add(c);
    c.ok = true;
    c.message = QStringLiteral("fine");
    r.job.checks.add(c);
    LabEvent error = labEvent(LabEvent::Type::Error);
    error.kind = QStringLiteral("c10_error");
    error.message = QStringLiteral("mat1 and mat2 shapes cannot be multiplied");
    r.job.errors << error;
    r.job.metricsStats.linesOk = 10;
    r.job.metricsStats.malformed = 2;
    RankRun rank;
    rank.rank = 1;
    rank.run.outcome = RunResult::Outcome::Ok;
    rank.run.exitCode = 0;
    r.otherRanks << rank;
    c.ok = false;
    c.message = QStringLiteral("rank 1 differs");
    r.otherChecks.add(c);
    r.notes << QStringLiteral("Gloo, because the build profile runs on the CPU.");
    return r;
}

} // namespace

class tst_RunStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyEventComesBack()
    {
        QByteArray wire;
        RunStreamWriter writer([&wire](const QByteArray &lines) { wire += lines; });
        writer.hello(QStringLiteral("gpu01"));
        writer.phase(RunPhase::Compiling);
        writer.pchProgress(40, QStringLiteral("Precompiling <torch/torch.h>"));
        CompileResult compiled = sampleResult().job.compile;
        writer.compiled(compiled);
        writer.phase(RunPhase::Running);
        writer.started(4242);
        writer.output("plain text\n", false);
        writer.output(QByteArray("\xff\xfe binary \x00 bytes", 18), true);
        LabEvent metric = labEvent(LabEvent::Type::Metric, QStringLiteral("loss"));
        metric.step = 3;
        metric.value = std::nan("");
        LabEvent memory = labEvent(LabEvent::Type::Memory);
        memory.allocated = 1 << 20;
        memory.reserved = 2 << 20;
        memory.peak = 3 << 20;
        LabEvent note = labEvent(LabEvent::Type::Note);
        note.message = QStringLiteral("tab\there, quote \" and \\ and 中文");
        writer.labEvents({metric, memory, note});
        MemorySample sample;
        sample.timeMs = 500;
        sample.deviceIndex = 0;
        sample.deviceUsed = 7LL << 30;
        sample.deviceTotal = 80LL << 30;
        sample.processUsed = 3LL << 30;
        sample.processCount = 2;
        writer.sample(sample);
        writer.done(sampleResult(), 139);

        // Every line is one JSON object with a type.
        for (const QByteArray &line : wire.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            QVERIFY2(doc.isObject(), line.constData());
            QVERIFY(!doc.object().value(QStringLiteral("t")).toString().isEmpty());
        }

        QList<RunStreamEvent> events;
        RunStreamReader reader([&events](RunStreamEvent &&e) { events << std::move(e); });
        // Fed in awkward pieces, as a pipe or a socket delivers them.
        for (qsizetype at = 0; at < wire.size(); at += 7)
            reader.feed(QByteArrayView(wire).sliced(at, std::min<qsizetype>(7, wire.size() - at)));
        reader.finish();
        QCOMPARE(reader.badLines(), 0);
        using T = RunStreamEvent::Type;
        QList<T> types;
        for (const RunStreamEvent &e : events)
            types << e.type;
        QCOMPARE(types,
                 (QList<T>{T::Hello, T::Phase, T::PchProgress, T::Compiled, T::Phase, T::Started,
                           T::Stdout, T::Stderr, T::Lab, T::Lab, T::Lab, T::Sample, T::Done}));
        QCOMPARE(events[0].protocol, runstream::ProtocolVersion);
        QCOMPARE(events[0].where, QStringLiteral("gpu01"));
        QVERIFY(reader.sawHello());
        QCOMPARE(events[1].phase, RunPhase::Compiling);
        QCOMPARE(events[2].percent, 40);
        QCOMPARE(events[3].compile.diagnostics.first().learnerLine, 7);
        QCOMPARE(events[3].compile.diagnostics.first().notes.first().message,
                 QStringLiteral("declared here"));
        QCOMPARE(events[3].compile.diagnostics.first().fixIts.first().replacement,
                 QStringLiteral("y"));
        QCOMPARE(events[5].pid, 4242);
        QCOMPARE(events[6].data, QByteArray("plain text\n"));
        QCOMPARE(events[7].data, QByteArray("\xff\xfe binary \x00 bytes", 18)); // byte for byte
        QCOMPARE(events[8].lab.name, QStringLiteral("loss"));
        QVERIFY(std::isnan(events[8].lab.value));
        QCOMPARE(events[9].lab.reserved, 2 << 20);
        QCOMPARE(events[10].lab.message, note.message);
        QCOMPARE(events[11].memory.deviceTotal, 80LL << 30);
        QCOMPARE(events[11].memory.processCount, 2);
        QCOMPARE(events[12].exitCode, 139);

        const RunnerResult &r = events[12].result;
        const RunnerResult expected = sampleResult();
        QCOMPARE(r.job.run.outcome, RunResult::Outcome::Crashed);
        QCOMPARE(r.job.run.signalName, QStringLiteral("SIGSEGV"));
        QCOMPARE(r.job.run.wallMs, 1234);
        QCOMPARE(r.job.run.stdoutText, QByteArray("hello\n"));
        QCOMPARE(r.job.hello.torchVersion, QStringLiteral("1.13.0"));
        QVERIFY(r.job.haveHello);
        QCOMPARE(r.job.checks.received(), 2);
        QCOMPARE(r.job.checks.tally(QStringLiteral("shapes"))->failures, 1);
        QCOMPARE(r.job.checks.tally(QStringLiteral("shapes"))->messages(),
                 expected.job.checks.tally(QStringLiteral("shapes"))->messages());
        QCOMPARE(r.job.errors.first().message, expected.job.errors.first().message);
        QCOMPARE(r.job.metricsStats.malformed, 2);
        QCOMPARE(r.otherRanks.first().rank, 1);
        QCOMPARE(r.otherChecks.tally(QStringLiteral("shapes"))->failingMessages,
                 QStringList{"rank 1 differs"});
        QCOMPARE(r.notes, expected.notes);
    }

    void everyOutcomeHasAStableName()
    {
        // outcomeFromName() walks outcomeName(): a new outcome is named or the walk ends early.
        int known = 0;
        for (int i = 0; i < 64; ++i) {
            const QString name = outcomeName(RunResult::Outcome(i));
            if (name == QLatin1String("unknown"))
                break;
            QCOMPARE(outcomeFromName(name), RunResult::Outcome(i));
            ++known;
        }
        QCOMPARE(known, int(RunResult::Outcome::TooManyProcesses) + 1);
        QVERIFY(!outcomeFromName(QStringLiteral("no such outcome")));
        QCOMPARE(compileOutcomeFromName(QStringLiteral("link_errors")),
                 CompileResult::Outcome::LinkErrors);
        QVERIFY(!compileOutcomeFromName(QStringLiteral("bogus")));
    }

    void badLinesAreCountedNeverFatal()
    {
        QList<RunStreamEvent> events;
        RunStreamReader reader([&events](RunStreamEvent &&e) { events << std::move(e); });
        reader.feed("not json\n"
                    "[1,2]\n"
                    "{\"no\":\"type\"}\n"
                    "{\"t\":\"phase\",\"phase\":\"dancing\"}\n"
                    "{\"t\":\"lab\",\"ev\":\"metric\",\"name\":\"x\"}\n"
                    "{\"t\":\"compiled\",\"result\":{\"outcome\":\"exploded\"}}\n"
                    "{\"t\":\"done\",\"result\":{\"job\":{\"compile\":{}}}}\n"
                    "\n"
                    "{\"t\":\"future_event\",\"x\":1}\n"
                    "{\"t\":\"phase\",\"phase\":\"running\"}\n");
        reader.feed(QByteArray(runstream::MaxLineBytes + 10, 'x'));
        reader.feed("\n{\"t\":\"started\",\"pid\":9}\n");
        reader.finish();
        QCOMPARE(reader.badLines(), 8);
        QCOMPARE(reader.firstProblem(), QStringLiteral("a line that is not a JSON object"));
        QCOMPARE(events.size(), 3);
        QCOMPARE(events[0].type, RunStreamEvent::Type::Other); // newer writers may add events
        QCOMPARE(events[1].phase, RunPhase::Running);
        QCOMPARE(events[2].pid, 9);
    }

    void jobFileTravelsWithItsFolder()
    {
        QTemporaryDir job;
        QVERIFY(QDir().mkpath(job.filePath("src")) && QDir().mkpath(job.filePath("check")));
        for (const char *f : {"src/exercise.cpp", "check/check.cpp"}) {
            QFile file(job.filePath(f));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("int main() {}\n");
        }
        RunSpec spec;
        spec.sources << SourceFile{job.filePath("src/exercise.cpp"),
                                   "exercise.cpp",
                                   true,
                                   {"-Dmain=torchlab_learner_main"}}
                     << SourceFile{job.filePath("check/check.cpp"),
                                   "check.cpp",
                                   false,
                                   {"-I" + job.filePath("src")}};
        spec.arguments = {"--epochs", "2"};
        spec.device = QStringLiteral("cuda");
        spec.limits.wallMs = 30'000;
        spec.limits.memoryBytes = 2LL << 30;
        spec.variables.insert(QStringLiteral("TORCHLAB_QUICK"), QStringLiteral("1"));
        spec.datasets = {QStringLiteral("fashion-mnist")};
        spec.ranks = 2;
        const QJsonObject json = runSpecToJson(spec, job.path());
        // Paths inside the job are relative: the folder can move to another machine.
        const QByteArray text = QJsonDocument(json).toJson();
        QVERIFY2(!text.contains(job.path().toUtf8()), text.constData());

        QTemporaryDir elsewhere;
        QVERIFY(QDir().mkpath(elsewhere.filePath("src")) &&
                QDir().mkpath(elsewhere.filePath("check")));
        QVERIFY(
            QFile::copy(job.filePath("src/exercise.cpp"), elsewhere.filePath("src/exercise.cpp")));
        QVERIFY(
            QFile::copy(job.filePath("check/check.cpp"), elsewhere.filePath("check/check.cpp")));
        const Result<RunSpec> back = runSpecFromJson(json, elsewhere.path());
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE(back->sources.size(), 2);
        QCOMPARE(back->sources[0].path, elsewhere.filePath("src/exercise.cpp"));
        QCOMPARE(back->sources[0].extraFlags, QStringList{"-Dmain=torchlab_learner_main"});
        QVERIFY(!back->sources[1].learner);
        QCOMPARE(back->sources[1].extraFlags, QStringList{"-I" + elsewhere.filePath("src")});
        QCOMPARE(back->arguments, spec.arguments);
        QCOMPARE(back->device, QStringLiteral("cuda"));
        QCOMPARE(back->limits.wallMs, 30'000);
        QCOMPARE(back->limits.memoryBytes, 2LL << 30);
        QCOMPARE(back->variables.value(QStringLiteral("TORCHLAB_QUICK")), QStringLiteral("1"));
        QCOMPARE(back->datasets, spec.datasets);
        QCOMPARE(back->ranks, 2);
        QCOMPARE(back->workingDirectory, elsewhere.path());
    }

    void hostileJobFilesAreRefused()
    {
        QTemporaryDir job;
        QFile file(job.filePath("exercise.cpp"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const auto refused = [&job](const char *json) {
            const Result<RunSpec> r =
                runSpecFromJson(QJsonDocument::fromJson(json).object(), job.path());
            return r.ok() ? QString() : r.error();
        };
        QVERIFY(refused(R"({"v":2,"sources":[{"path":"exercise.cpp"}]})").contains("version 1"));
        QVERIFY(refused(R"({"v":1,"sources":[]})").contains("no source"));
        QVERIFY(refused(R"({"v":1,"sources":[{"path":"../../etc/passwd"}]})").contains("outside"));
        QVERIFY(refused(R"({"v":1,"sources":[{"path":"/etc/passwd"}]})").contains("outside"));
        QVERIFY(
            refused(R"({"v":1,"sources":[{"path":"missing.cpp"}]})").contains("does not exist"));
        QVERIFY(refused(R"({"v":1,"sources":[{"path":"exercise.cpp","flags":["-I../.."]}]})")
                    .contains("outside the job"));
        QVERIFY(refused(R"({"v":1,"sources":[{"path":"exercise.cpp"}],"device":"tpu"})")
                    .contains("tpu"));
        QVERIFY(refused(R"({"v":1,"sources":[{"path":"exercise.cpp"}]})").isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_RunStream)
#include "tst_runstream.moc"
