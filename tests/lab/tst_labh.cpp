// lab.h against a real LibTorch: runs tests/lab/labprobe (built from lab.h at
// build time) with a pipe on TORCHLAB_METRICS_FD, or without one, and decodes
// what arrives with the host's MetricsDecoder.
#include "core/metrics/metricsdecoder.h"

#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace torchlab;

namespace {

// lab::exit_code_exception (this test cannot include lab.h: it needs LibTorch).
constexpr int labExitCodeException = 3;

struct ProbeRun
{
    int exitCode = -1;
    qint64 pid = 0;
    QByteArray out;
    QByteArray err;
    QByteArray channel;           // raw bytes from the metrics pipe
    std::vector<LabEvent> events; // decoded from the pipe, or from "@torchlab " stdout lines
    MetricsDecoderStats stats;
};

QProcessEnvironment baseEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"TORCHLAB_METRICS_FD", "TORCHLAB_DEVICE", "TORCHLAB_DATA", "TORCHLAB_QUICK"})
        env.remove(QString::fromLatin1(name));
    return env;
}

// Runs the probe. With `channel`, the child gets the write end of a pipe (kept
// open across exec by clearing FD_CLOEXEC in the child only) and a thread drains
// the read end, so a chatty child never blocks on a full pipe.
ProbeRun runProbe(const QString &scenario, QProcessEnvironment env, bool channel)
{
    ProbeRun run;
    int fds[2] = {-1, -1};
    if (channel) {
        if (::pipe2(fds, O_CLOEXEC) != 0)
            qFatal("pipe2 failed");
        env.insert(QStringLiteral("TORCHLAB_METRICS_FD"), QString::number(fds[1]));
    }
    std::thread reader;
    if (channel) {
        reader = std::thread([&run, readFd = fds[0]] {
            char buf[65536];
            for (;;) {
                const ssize_t n = ::read(readFd, buf, sizeof buf);
                if (n > 0)
                    run.channel.append(buf, n);
                else if (n < 0 && errno == EINTR)
                    continue;
                else
                    break; // EOF: every copy of the write end is closed
            }
        });
    }

    QProcess process;
    process.setProgram(QStringLiteral(TORCHLAB_LABPROBE));
    process.setArguments({scenario});
    process.setProcessEnvironment(env);
    if (channel) {
        const int writeFd = fds[1];
        process.setChildProcessModifier([writeFd] { ::fcntl(writeFd, F_SETFD, 0); });
    }
    process.start();
    const bool started = process.waitForStarted(30000);
    run.pid = process.processId();
    if (channel)
        ::close(fds[1]); // the child holds the only write end now
    if (started && process.waitForFinished(120000) && process.exitStatus() == QProcess::NormalExit)
        run.exitCode = process.exitCode();
    else
        process.kill();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();

    if (channel) {
        reader.join();
        ::close(fds[0]);
        MetricsDecoder decoder;
        decoder.feed(run.channel, run.events);
        decoder.finish(run.events);
        run.stats = decoder.stats();
    } else {
        for (const QByteArray &line : run.out.split('\n')) {
            LabEvent e;
            if (decodeFallbackLine(line, e) == MetricsDecoder::LineResult::Event)
                run.events.push_back(e);
        }
    }
    return run;
}

QList<const LabEvent *> ofType(const std::vector<LabEvent> &events, LabEvent::Type type)
{
    QList<const LabEvent *> out;
    for (const LabEvent &e : events) {
        if (e.type == type)
            out << &e;
    }
    return out;
}

QStringList notes(const std::vector<LabEvent> &events)
{
    QStringList out;
    for (const LabEvent *e : ofType(events, LabEvent::Type::Note))
        out << e->message;
    return out;
}

} // namespace

class tst_LabH : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void channelCarriesEveryEventInOrder();
    void programOutputNeverReachesTheChannel();
    void exceptionsBecomeErrorEvents_data();
    void exceptionsBecomeErrorEvents();
    void bodyExitCodeIsReturned();
    void programThatNeverCallsLabStillSaysHello();
    void threadsNeverInterleaveLines();
    void withoutTheVariableEventsGoToStdout();
    void staleFdFallsBackToStdout();
    void environment_data();
    void environment();
    void checkHelpers();
    void seedFromTheLab();
};

void tst_LabH::channelCarriesEveryEventInOrder()
{
    const ProbeRun run = runProbe(QStringLiteral("channel"), baseEnvironment(), true);
    QCOMPARE(run.exitCode, labExitCodeException);
    QCOMPARE(run.stats.malformed, 0);
    QCOMPARE(run.stats.tooLong, 0);
    QCOMPARE(run.stats.ignored, 0);
    QVERIFY(run.events.size() > 10);

    const LabEvent &hello = run.events.front();
    QCOMPARE(hello.type, LabEvent::Type::Hello);
    QCOMPARE(hello.protocol, 1);
    QCOMPARE(hello.torchVersion, QStringLiteral(TORCHLAB_EXPECTED_TORCH_VERSION));
    QCOMPARE(hello.device, QStringLiteral("cpu"));
    QCOMPARE(hello.cuda, false);
    QCOMPARE(hello.pid, run.pid);
    QCOMPARE(ofType(run.events, LabEvent::Type::Hello).size(), 1); // two units include lab.h

    QList<const LabEvent *> metrics = ofType(run.events, LabEvent::Type::Metric);
    QStringList loss;
    for (const LabEvent *m : metrics) {
        if (m->name == QLatin1String("loss"))
            loss << QStringLiteral("%1=%2").arg(m->step).arg(m->value, 0, 'g', 17);
    }
    // Exact doubles: 1/3 must come back as the same double the program had.
    QCOMPARE(loss, (QStringList{"0=1", "1=0.5", "2=" + QString::number(1.0 / 3, 'g', 17), "3=0.25",
                                "4=0.20000000000000001"}));

    const auto named = [&metrics](const QString &name) {
        QList<const LabEvent *> out;
        for (const LabEvent *m : metrics) {
            if (m->name == name)
                out << m;
        }
        return out;
    };
    QCOMPARE(named(QString::fromUtf8("odd \"name\"\\\n\t\x01 \xc3\xa9")).size(),
             1); // escaping round-trips
    QCOMPARE(named(QString::fromUtf8("odd \"name\"\\\n\t\x01 \xc3\xa9")).front()->value, -2.5e-300);
    const auto nonfinite = named(QStringLiteral("nonfinite"));
    QCOMPARE(nonfinite.size(), 3);
    QVERIFY(std::isnan(nonfinite[0]->value));
    QVERIFY(std::isinf(nonfinite[1]->value) && nonfinite[1]->value > 0);
    QVERIFY(std::isinf(nonfinite[2]->value) && nonfinite[2]->value < 0);
    QCOMPARE(named(QStringLiteral("second_unit")).size(), 1);
    QVERIFY(run.channel.contains(R"("value":"nan")"));

    QVERIFY(ofType(run.events, LabEvent::Type::Memory).isEmpty()); // CPU build: memory() is a no-op

    const auto checks = ofType(run.events, LabEvent::Type::Check);
    QCOMPARE(checks.size(), 2);
    QCOMPARE(checks[0]->name, QStringLiteral("runs on the lab's device"));
    QCOMPARE(checks[0]->ok, true);
    QCOMPARE(checks[0]->message, QStringLiteral("device cpu"));
    QCOMPARE(checks[1]->ok, false);
    QCOMPARE(checks[1]->message, QStringLiteral("expected 3, got 4"));

    const LabEvent &error = run.events.back();
    QCOMPARE(error.type, LabEvent::Type::Error);
    QCOMPARE(error.kind, QStringLiteral("c10_error"));
    QVERIFY2(error.message.startsWith(QLatin1String("mat1 and mat2 shapes cannot be multiplied")),
             qPrintable(error.message));
    QVERIFY(!error.message.contains(QLatin1Char('\n')));
    QVERIFY(error.detail.startsWith(error.message));
    // The same message is on stderr for the learner's console.
    QVERIFY2(run.err.contains("mat1 and mat2 shapes cannot be multiplied"), run.err.constData());
}

void tst_LabH::programOutputNeverReachesTheChannel()
{
    const ProbeRun run = runProbe(QStringLiteral("channel"), baseEnvironment(), true);
    for (const LabEvent &e : run.events)
        QVERIFY(e.name != QLatin1String("fake"));
    QVERIFY(!run.channel.contains("plain stdout line"));
    QVERIFY(!run.channel.contains("stderr line"));
    // ... and events never reach stdout while the channel is there.
    QVERIFY(run.out.contains("plain stdout line"));
    QVERIFY(run.out.contains(R"({"ev":"metric","name":"fake")"));
    QVERIFY(!run.out.contains("@torchlab"));
    QVERIFY(run.err.contains("stderr line"));
}

void tst_LabH::exceptionsBecomeErrorEvents_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("detail");

    QTest::newRow("c10::OutOfMemoryError")
        << "oom"
        << "cuda_oom"
        << "CUDA out of memory. Tried to allocate 1024.00 GiB (GPU 0; 79.11 GiB total capacity)"
        << "CUDA out of memory. Tried to allocate 1024.00 GiB (GPU 0; 79.11 GiB total capacity)";
    QTest::newRow("c10::Error saying CUDA out of memory")
        << "oom_text"
        << "cuda_oom"
        << "CUDA out of memory. Tried to allocate 2.00 GiB"
        << "CUDA out of memory. Tried to allocate 2.00 GiB";
    QTest::newRow("std::bad_alloc") << "bad_alloc"
                                    << "bad_alloc"
                                    << "std::bad_alloc"
                                    << "std::bad_alloc";
    QTest::newRow("std::runtime_error, two lines") << "std_exception"
                                                   << "std_exception"
                                                   << "first line"
                                                   << "first line\nsecond line";
}

void tst_LabH::exceptionsBecomeErrorEvents()
{
    QFETCH(QString, scenario);
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QFETCH(QString, detail);
    const ProbeRun run = runProbe(scenario, baseEnvironment(), true);
    QCOMPARE(run.exitCode, labExitCodeException);
    QCOMPARE(run.stats.malformed, 0);
    const auto errors = ofType(run.events, LabEvent::Type::Error);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0]->kind, kind);
    QCOMPARE(errors[0]->message, message);
    QCOMPARE(errors[0]->detail, detail);
    QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
}

void tst_LabH::bodyExitCodeIsReturned()
{
    const ProbeRun run = runProbe(QStringLiteral("exit_code"), baseEnvironment(), true);
    QCOMPARE(run.exitCode, 7);
    QVERIFY(ofType(run.events, LabEvent::Type::Error).isEmpty());
}

void tst_LabH::programThatNeverCallsLabStillSaysHello()
{
    const ProbeRun run = runProbe(QStringLiteral("silent"), baseEnvironment(), true);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.events.size(), size_t(1));
    QCOMPARE(run.events[0].type, LabEvent::Type::Hello);
}

void tst_LabH::threadsNeverInterleaveLines()
{
    const ProbeRun run = runProbe(QStringLiteral("threads"), baseEnvironment(), true);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.stats.malformed, 0);
    QCOMPARE(run.stats.linesOk, 1 + 4 * 2000);
    QHash<QString, qint64> nextStep;
    for (const LabEvent *m : ofType(run.events, LabEvent::Type::Metric)) {
        QCOMPARE(m->step, nextStep.value(m->name, 0)); // each thread's samples arrive in its order
        QCOMPARE(m->value, double(m->step) * 0.5);
        nextStep[m->name] = m->step + 1;
    }
    QCOMPARE(nextStep.size(), 4);
}

void tst_LabH::withoutTheVariableEventsGoToStdout()
{
    const ProbeRun run = runProbe(QStringLiteral("channel"), baseEnvironment(), false);
    QCOMPARE(run.exitCode, labExitCodeException);
    QVERIFY(
        run.out.startsWith("@torchlab {\"ev\":\"hello\"")); // before anything the program prints
    QVERIFY(run.out.contains("\nplain stdout line\n"));
    QVERIFY(!run.err.contains("@torchlab"));
    QVERIFY(run.events.size() > 10);
    QCOMPARE(run.events.front().type, LabEvent::Type::Hello);
    QCOMPARE(run.events.front().torchVersion, QStringLiteral(TORCHLAB_EXPECTED_TORCH_VERSION));
    QCOMPARE(run.events.front().device, QStringLiteral("cpu"));
    QCOMPARE(ofType(run.events, LabEvent::Type::Check).size(), 2);
    QCOMPARE(run.events.back().kind, QStringLiteral("c10_error"));
    // The same events as through the pipe, in the same order.
    const ProbeRun piped = runProbe(QStringLiteral("channel"), baseEnvironment(), true);
    QCOMPARE(run.events.size(), piped.events.size());
    for (size_t i = 1; i < run.events.size(); ++i) {
        QCOMPARE(run.events[i].type, piped.events[i].type);
        QCOMPARE(run.events[i].name, piped.events[i].name);
    }
}

void tst_LabH::staleFdFallsBackToStdout()
{
    QProcessEnvironment env = baseEnvironment();
    env.insert(QStringLiteral("TORCHLAB_METRICS_FD"),
               QStringLiteral("987")); // not open in the child
    const ProbeRun run = runProbe(QStringLiteral("silent"), env, false);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.events.size(), size_t(1));
    QCOMPARE(run.events[0].type, LabEvent::Type::Hello);
}

void tst_LabH::environment_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QStringList>("expectedNotes");

    QTest::newRow("defaults") << QStringList{"HOME=/home/learner", "XDG_DATA_HOME="}
                              << QStringList{"device=cpu",
                                             "data_dir=/home/learner/.local/share/torchlab/data",
                                             "quick=0"};
    QTest::newRow("XDG_DATA_HOME")
        << QStringList{"HOME=/home/learner", "XDG_DATA_HOME=/xdg/data"}
        << QStringList{"device=cpu", "data_dir=/xdg/data/torchlab/data", "quick=0"};
    QTest::newRow("relative XDG_DATA_HOME is ignored")
        << QStringList{"HOME=/h", "XDG_DATA_HOME=rel"}
        << QStringList{"device=cpu", "data_dir=/h/.local/share/torchlab/data", "quick=0"};
    QTest::newRow("TORCHLAB_DATA wins")
        << QStringList{"XDG_DATA_HOME=/xdg", "TORCHLAB_DATA=/data/fmnist"}
        << QStringList{"device=cpu", "data_dir=/data/fmnist", "quick=0"};
    QTest::newRow("quick") << QStringList{"TORCHLAB_QUICK=1", "TORCHLAB_DATA=/d"}
                           << QStringList{"device=cpu", "data_dir=/d", "quick=1"};
    QTest::newRow("TORCHLAB_QUICK=0") << QStringList{"TORCHLAB_QUICK=0", "TORCHLAB_DATA=/d"}
                                      << QStringList{"device=cpu", "data_dir=/d", "quick=0"};
    QTest::newRow("forced cpu") << QStringList{"TORCHLAB_DEVICE=cpu", "TORCHLAB_DATA=/d"}
                                << QStringList{"device=cpu", "data_dir=/d", "quick=0"};
    // Forcing CUDA without a GPU: device() says cuda:0 and LibTorch fails at the
    // first tensor op, with its own message (not exercised here).
    QTest::newRow("forced cuda") << QStringList{"TORCHLAB_DEVICE=cuda", "TORCHLAB_DATA=/d"}
                                 << QStringList{"device=cuda:0", "data_dir=/d", "quick=0"};
}

void tst_LabH::environment()
{
    QFETCH(QStringList, variables);
    QFETCH(QStringList, expectedNotes);
    QProcessEnvironment env = baseEnvironment();
    for (const QString &v : variables) {
        const qsizetype eq = v.indexOf(QLatin1Char('='));
        if (eq == v.size() - 1)
            env.remove(v.left(eq));
        else
            env.insert(v.left(eq), v.mid(eq + 1));
    }
    const ProbeRun run = runProbe(QStringLiteral("environment"), env, true);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(notes(run.events), expectedNotes);
    QCOMPARE(run.events.front().device, expectedNotes.front().mid(7)); // hello agrees with device()
}

// check.h (labprobe_checks.cpp): attempt() turns the learner's exception into a failed check
// with the exception's own words and no C++ backtrace; guarded() fails the named check with a
// labelled message; every other helper gave its documented result ("helpers").
void tst_LabH::checkHelpers()
{
    const ProbeRun run = runProbe(QStringLiteral("checks"), baseEnvironment(), true);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.stats.malformed, 0);
    QVERIFY(ofType(run.events, LabEvent::Type::Error).isEmpty());
    QHash<QString, const LabEvent *> checks;
    for (const LabEvent *c : ofType(run.events, LabEvent::Type::Check)) {
        QVERIFY2(!checks.contains(c->name), qPrintable(c->name)); // each reported once
        checks.insert(c->name, c);
    }
    QCOMPARE(checks.size(), 5);

    const LabEvent *attempt = checks.value(QStringLiteral("attempt"));
    QVERIFY(attempt);
    QCOMPARE(attempt->ok, false);
    QVERIFY2(
        attempt->message.startsWith(QLatin1String(
            "learner_function() threw: mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)")),
        qPrintable(attempt->message));
    QVERIFY2(!attempt->message.contains(QLatin1String("Exception raised from")),
             qPrintable(attempt->message));

    const LabEvent *libtorch = checks.value(QStringLiteral("guarded_libtorch"));
    QVERIFY(libtorch);
    QCOMPARE(libtorch->ok, false);
    QCOMPARE(libtorch->message, QStringLiteral("LibTorch error: tensor trouble"));
    const LabEvent *plain = checks.value(QStringLiteral("guarded_std"));
    QVERIFY(plain);
    QCOMPARE(plain->ok, false);
    QCOMPARE(plain->message, QStringLiteral("exception: plain trouble"));
    const LabEvent *returns = checks.value(QStringLiteral("guarded_returns"));
    QVERIFY(returns);
    QCOMPARE(returns->ok, true); // guarded() adds nothing when the body returns
    QCOMPARE(returns->message, QStringLiteral("the body's own"));

    const LabEvent *helpers = checks.value(QStringLiteral("helpers"));
    QVERIFY(helpers);
    QVERIFY2(helpers->ok, qPrintable(helpers->message));
}

// TORCHLAB_SEED: lab::run seeds LibTorch with it (a run archived with its seed
// reruns with the same numbers); without it, or with a value that is not a
// number, LibTorch's generator is left as it was.
void tst_LabH::seedFromTheLab()
{
    const auto firstRandom = [](const QString &seed) {
        QProcessEnvironment env = baseEnvironment();
        env.remove(QStringLiteral("TORCHLAB_SEED"));
        if (!seed.isNull())
            env.insert(QStringLiteral("TORCHLAB_SEED"), seed);
        const ProbeRun run = runProbe(QStringLiteral("seeded"), env, true);
        const QStringList n = notes(run.events);
        return run.exitCode == 0 && n.size() == 1 ? n.first() : QString();
    };
    const QString five = firstRandom(QStringLiteral("5"));
    QVERIFY(five.startsWith(QStringLiteral("rand=")));
    QCOMPARE(firstRandom(QStringLiteral("5")), five);
    QVERIFY(firstRandom(QStringLiteral("6")) != five);
    // Unseeded, LibTorch starts each process from a seed of its own: two runs differ.
    const QString unseeded = firstRandom(QString());
    QVERIFY(unseeded.startsWith(QStringLiteral("rand=")));
    QVERIFY(unseeded != firstRandom(QString()));
    QVERIFY(firstRandom(QStringLiteral("five")) != firstRandom(QStringLiteral("five")));
    QVERIFY(firstRandom(QStringLiteral("5x")) != firstRandom(QStringLiteral("5x")));
}

QTEST_GUILESS_MAIN(tst_LabH)
#include "tst_labh.moc"
