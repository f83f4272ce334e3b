// Instant Run: edit -> Run -> the program's first line, through the lab's own
// LabSession (staging, object cache, background build, warm runner), beside
// a plain g++ build, all in one run. Also what it costs: CPU of background
// building per minute of typing, the warm runner's memory, and a training
// program's step time under the warm runner, idle and while the learner types.
//
//   ninja -C build bench_instantrun && build/tests/bench/bench_instantrun [--runs N]
//       [--typing-seconds S] [--costs-only]
//
// Prints a table; asserts nothing. A private XDG cache (the precompiled header
// is built once first and reported). Every measured Run edits its text first
// (a fresh comment), so no cache holds it unless the scenario built it.
#include "core/build/objectcache.h"
#include "core/build/pchcache.h"
#include "core/course/packloader.h"
#include "core/run/warmrunner.h"
#include "core/session/backgroundbuild.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/toolchain/profilechooser.h"
#include "core/toolchain/toolchaindiscovery.h"
#include "helpers/benchstats.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

#include <cstdio>
#include <sys/resource.h>

using namespace torchlab;
using torchlab::bench::median;

namespace {

QTextStream out(stdout);

struct Program
{
    QString name;
    Lesson lesson;
    QString file; // the one file the learner edits
    QString text;
};

QString readText(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll());
}

void waitFor(QObject *sender, const char *signal, int timeoutMs = 600'000)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, SLOT(quit()));
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

void sleepMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

qint64 childrenCpuMs()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return qint64(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 +
           (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000;
}

QString edited(const Program &p)
{
    return p.text + QStringLiteral("\n// edit ") + QUuid::createUuid().toString() +
           QLatin1Char('\n');
}

// Run pressed now: seconds to the program's first stdout bytes; the run is
// stopped right after (what follows is the program, not the lab).
double runToFirstOutput(LabSession &session, const Program &p, const QString &text,
                        QString *launch = nullptr, bool *cached = nullptr)
{
    QElapsedTimer t;
    double first = -1;
    QEventLoop loop;
    auto c1 = QObject::connect(&session, &LabSession::output, &loop,
                               [&](const QByteArray &chunk, bool isStderr) {
                                   if (!isStderr && first < 0 && !chunk.isEmpty()) {
                                       first = t.elapsed() / 1000.0;
                                       session.stop();
                                   }
                               });
    auto c2 = QObject::connect(&session, &LabSession::compiled, &loop, [&](const CompileResult &c) {
        if (cached)
            *cached = c.linkFromCache;
    });
    auto c3 = QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        if (launch)
            *launch = r.run.job.launch;
        if (!r.started || r.compileFailed)
            std::fprintf(stderr, "%s: %s\n", qPrintable(p.name), qPrintable(r.statusText()));
        loop.quit();
    });
    t.start();
    session.startWithCode(RunMode::Run, QStringLiteral("bench"), p.lesson, {{p.file, text}},
                          {p.file}, CheckRequest());
    loop.exec();
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    QObject::disconnect(c3);
    return first;
}

void typeInto(LabSession &session, const Program &p, const QString &text)
{
    session.codeEdited(QStringLiteral("bench"), p.lesson, {{p.file, text}}, {p.file},
                       CheckRequest());
}

double plainFirstOutput(const ToolchainProfile &profile, const QString &gxx, const Program &p,
                        const QString &work)
{
    const QString dir = work + QStringLiteral("/plain-") + p.name;
    QDir().mkpath(dir);
    QFile::remove(dir + QLatin1Char('/') + p.file);
    QFile src(dir + QLatin1Char('/') + p.file);
    src.open(QIODevice::WriteOnly);
    src.write(edited(p).toUtf8());
    src.close();
    QStringList compileFlags = profile.compileFlags;
    compileFlags.removeAll(QStringLiteral("-fPIC"));
    QStringList linkFlags = profile.linkFlags;
    linkFlags.removeAll(QStringLiteral("-fuse-ld=lld"));
    QElapsedTimer t;
    t.start();
    QProcess cc;
    cc.start(gxx, compileFlags + QStringList{QStringLiteral("-c"), src.fileName(),
                                             QStringLiteral("-o"), dir + QStringLiteral("/p.o")});
    cc.waitForFinished(-1);
    QProcess ld;
    ld.start(gxx, QStringList{dir + QStringLiteral("/p.o"), QStringLiteral("-o"),
                              dir + QStringLiteral("/p")} +
                      linkFlags);
    ld.waitForFinished(-1);
    if (cc.exitCode() != 0 || ld.exitCode() != 0) {
        std::fprintf(stderr, "plain build of %s failed\n%s%s", qPrintable(p.name),
                     cc.readAllStandardError().constData(), ld.readAllStandardError().constData());
        return -1;
    }
    QProcess run;
    run.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    run.setProcessChannelMode(QProcess::SeparateChannels);
    run.setReadChannel(QProcess::StandardOutput);
    run.start(dir + QStringLiteral("/p"), {});
    run.waitForReadyRead(-1);
    const double s = t.elapsed() / 1000.0;
    run.kill();
    run.waitForFinished(-1);
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&args](const QString &name, int fallback) {
        const qsizetype i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? qMax(1, args.at(i + 1).toInt()) : fallback;
    };
    const int runs = option(QStringLiteral("--runs"), 3);
    const int typingSeconds = option(QStringLiteral("--typing-seconds"), 60);
    const bool latency = !args.contains(QStringLiteral("--costs-only"));

    QTemporaryDir home;
    qputenv("XDG_CACHE_HOME", home.filePath(QStringLiteral("cache")).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    const QString work = home.filePath(QStringLiteral("work"));
    QDir().mkpath(work);

    // The programs: the 108-line MLP and three lessons' solutions.
    QList<Program> programs;
    {
        Program mlp;
        mlp.name = QStringLiteral("train_mlp (108 lines)");
        mlp.file = QStringLiteral("train_mlp.cpp");
        mlp.lesson.id = QStringLiteral("train-mlp");
        mlp.lesson.directory = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/bench/programs");
        mlp.lesson.starter = {mlp.file};
        mlp.lesson.limits.timeSeconds = 600;
        mlp.text = readText(mlp.lesson.filePath(mlp.file));
        programs << mlp;
        const PackLoadResult course = PackLoader::load(QStringLiteral(TORCHLAB_COURSE_DIR));
        for (const QString &id :
             {QStringLiteral("hello"), QStringLiteral("autograd"), QStringLiteral("module")}) {
            const Lesson *lesson = course.pack.lesson(id);
            if (!lesson || lesson->solution.isEmpty())
                continue;
            Program p;
            p.name = QStringLiteral("lesson ") + lesson->folder;
            p.lesson = *lesson;
            p.file = QFileInfo(lesson->starter.first()).fileName();
            p.text = readText(lesson->filePath(lesson->solution.first()));
            programs << p;
        }
    }

    LabSession session;
    session.backgroundBuild()->setDelayMs(600);
    session.environment()->setWarmRunnerEnabled(true);
    QElapsedTimer pchTimer;
    pchTimer.start();
    session.startEnvironment(ProfileRequest(), true);
    while (!session.environment()->isReady() &&
           session.environment()->state() != EnvironmentSession::State::Unusable)
        waitFor(session.environment(), SIGNAL(stateChanged(torchlab::EnvironmentSession::State)));
    if (!session.environment()->isReady()) {
        std::fprintf(stderr, "no toolchain: %s\n",
                     qPrintable(session.environment()->report().choice.error));
        return 1;
    }
    const double pchSeconds = pchTimer.elapsed() / 1000.0;
    const ToolchainProfile profile = session.environment()->profile();
    WarmRunner *warm = session.environment()->warm();
    while (warm && warm->state() == WarmRunner::State::Preparing)
        waitFor(warm, SIGNAL(stateChanged(torchlab::WarmRunner::State)));
    if (!warm || !warm->isReady()) {
        std::fprintf(stderr, "warm runner: %s\n", warm ? qPrintable(warm->error()) : "none");
        return 1;
    }
    QString gxx;
    for (const CompilerInfo &c : ToolchainDiscovery::discover().cxxCompilers())
        if (c.kind == CompilerInfo::Kind::Gcc)
            gxx = c.path;

    out << "TorchLab Instant Run benchmark: Run pressed -> the program's first line\n"
        << "profile: " << profile.compiler.displayName() << ", LibTorch "
        << profile.libtorch.version << (profile.useCuda ? " (CUDA)" : " (CPU)") << "\n"
        << "median of " << runs << " runs, seconds; PCH built first in " << pchSeconds << " s\n\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
               .arg(QStringLiteral("program"), -28)
               .arg(QStringLiteral("plain g++"), 10)
               .arg(QStringLiteral("lab today"), 10)
               .arg(QStringLiteral("bg ready"), 10)
               .arg(QStringLiteral("+warm"), 10)
               .arg(QStringLiteral("mid-type"), 10);
    out.flush();

    for (const Program &p : std::as_const(programs)) {
        if (!latency)
            break;
        QList<double> plain, today, ready, warmReady, midType;
        for (int r = 0; r < runs; ++r) {
            if (!gxx.isEmpty())
                plain << plainFirstOutput(profile, gxx, p, work);

            // Today: no background build, no object cache, exec.
            session.backgroundBuild()->setEnabled(false);
            session.environment()->setWarmRunnerEnabled(false);
            qputenv("TORCHLAB_OBJECT_CACHE", "0");
            today << runToFirstOutput(session, p, edited(p));
            qunsetenv("TORCHLAB_OBJECT_CACHE");

            // The background build is ready (typing stopped 3 s ago), exec.
            session.backgroundBuild()->setEnabled(true);
            QString text = edited(p);
            typeInto(session, p, text);
            waitFor(&session, SIGNAL(backgroundBuilt(torchlab::CompileResult)));
            sleepMs(300);
            ready << runToFirstOutput(session, p, text);

            // ... and the warm runner.
            session.environment()->setWarmRunnerEnabled(true);
            warm = session.environment()->warm();
            while (warm->state() != WarmRunner::State::Ready &&
                   warm->state() != WarmRunner::State::Failed)
                waitFor(warm, SIGNAL(stateChanged(torchlab::WarmRunner::State)));
            text = edited(p);
            typeInto(session, p, text);
            waitFor(&session, SIGNAL(backgroundBuilt(torchlab::CompileResult)));
            sleepMs(3'000);
            QString launch;
            warmReady << runToFirstOutput(session, p, text, &launch);
            if (launch != QLatin1String("warm"))
                std::fprintf(stderr, "%s: not warm: %s\n", qPrintable(p.name), qPrintable(launch));

            // Run pressed mid-keystroke: nothing built yet for this text.
            text = edited(p);
            typeInto(session, p, text);
            midType << runToFirstOutput(session, p, text);
        }
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(p.name, -28)
                   .arg(median(plain), 10, 'f', 2)
                   .arg(median(today), 10, 'f', 2)
                   .arg(median(ready), 10, 'f', 2)
                   .arg(median(warmReady), 10, 'f', 2)
                   .arg(median(midType), 10, 'f', 2);
        out.flush();
    }

    // Cost 1: CPU of background building while typing: bursts of 20
    // keystrokes 150 ms apart, then a pause of 4 s, for typingSeconds.
    const Program &typed = programs.first();
    session.backgroundBuild()->setEnabled(true);
    const qint64 cpuBefore = childrenCpuMs();
    QElapsedTimer typing;
    typing.start();
    int keystrokes = 0, builds = 0;
    QObject::connect(session.backgroundBuild(), &BackgroundBuild::started, &app,
                     [&builds] { ++builds; });
    QString text = edited(typed);
    while (typing.elapsed() < typingSeconds * 1000LL) {
        for (int k = 0; k < 20; ++k) {
            text += QLatin1Char(k % 10 == 9 ? '\n' : ' ');
            typeInto(session, typed, text);
            ++keystrokes;
            sleepMs(150);
        }
        sleepMs(4'000);
    }
    sleepMs(5'000); // the last build
    const double cpuPerMinute =
        (childrenCpuMs() - cpuBefore) / 1000.0 / (typing.elapsed() / 60'000.0);

    // Cost 2: the step time of a training program (tests/bench/programs/steptime.cpp
    // times its own steps after a warm-up and prints "step_ms X"): bare, under
    // the lab exec'd, under the warm runner idle, and under the warm runner
    // while the learner types (the background build holds still meanwhile).
    const QString stepSource =
        QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/bench/programs/steptime.cpp");
    auto stepMs = [](const QByteArray &output) {
        const qsizetype at = output.lastIndexOf("step_ms ");
        return at < 0 ? -1.0 : output.mid(at + 8).split(' ').first().trimmed().toDouble();
    };
    auto train = [&](bool warmRun, bool typingMeanwhile) {
        session.environment()->setWarmRunnerEnabled(warmRun);
        if (warmRun) {
            WarmRunner *w = session.environment()->warm();
            while (w->state() != WarmRunner::State::Ready &&
                   w->state() != WarmRunner::State::Failed)
                waitFor(w, SIGNAL(stateChanged(torchlab::WarmRunner::State)));
        }
        RunSpec spec;
        spec.sources = {{stepSource, QStringLiteral("steptime.cpp"), true}};
        spec.limits.wallMs = 600'000;
        spec.limits.cpuSeconds = 1200;
        QEventLoop loop;
        QTimer keys;
        QString typedText = edited(typed);
        QObject::connect(&keys, &QTimer::timeout, &loop, [&] {
            typedText += QLatin1Char(' ');
            typeInto(session, typed, typedText);
        });
        QByteArray output;
        QString launch;
        auto c1 = QObject::connect(&session, &LabSession::programStarted, &loop, [&] {
            if (typingMeanwhile)
                keys.start(150);
        });
        auto c2 = QObject::connect(&session, &LabSession::output, &loop,
                                   [&](const QByteArray &chunk, bool) { output += chunk; });
        auto c3 =
            QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
                launch = r.run.job.launch;
                loop.quit();
            });
        session.startProgram(spec);
        loop.exec();
        keys.stop();
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        QObject::disconnect(c3);
        const double ms = stepMs(output);
        std::fprintf(stderr, "  %s%s: %.2f ms/step\n", qPrintable(launch),
                     typingMeanwhile ? " (typing)" : "", ms);
        if (ms < 0 || (warmRun != (launch == QLatin1String("warm"))))
            std::fprintf(stderr, "training run (%s): %s\n", qPrintable(launch),
                         output.right(300).constData());
        return ms;
    };
    QList<double> bareTimes, execTimes, warmIdle, warmTyping;
    QString bareBinary;
    {
        // The same program built by the lab as an executable, run bare.
        CompileRequest c;
        c.profile = profile;
        c.sources = {{stepSource, QStringLiteral("steptime.cpp"), true}};
        c.workDirectory = work + QStringLiteral("/bare");
        c.outputPath = c.workDirectory + QStringLiteral("/steptime");
        c.pchArguments = session.environment()->pch()->compileArguments();
        CompileJob job;
        QEventLoop loop;
        QObject::connect(&job, &CompileJob::done, &loop, [&](const CompileResult &r) {
            bareBinary = r.binaryPath;
            loop.quit();
        });
        job.start(c);
        loop.exec();
    }
    for (int r = 0; r < qMax(3, runs); ++r) {
        std::fprintf(stderr, "step time, round %d\n", r + 1);
        QProcess bare;
        bare.start(bareBinary, {});
        bare.waitForFinished(-1);
        bareTimes << stepMs(bare.readAllStandardOutput());
        std::fprintf(stderr, "  bare: %.2f ms/step\n", bareTimes.last());
        execTimes << train(false, false);
        warmIdle << train(true, false);
        warmTyping << train(true, true);
    }
    warm = session.environment()->warm();

    out << "\n";
    out << QStringLiteral("%1 %2\n")
               .arg(QStringLiteral("background building while typing"), -52)
               .arg(QStringLiteral("%1 CPU s per minute (%2 keystrokes, %3 builds started)")
                        .arg(cpuPerMinute, 0, 'f', 1)
                        .arg(keystrokes)
                        .arg(builds));
    out << QStringLiteral("%1 %2\n")
               .arg(QStringLiteral("warm runner, resident memory"), -52)
               .arg(QStringLiteral("%1 MiB").arg(warm->residentBytes() / double(1 << 20), 0, 'f',
                                                 0));
    const double b = median(bareTimes);
    auto row = [&](const QString &name, double v) {
        out << QStringLiteral("%1 %2 ms  %3x\n")
                   .arg(name, -52)
                   .arg(v, 6, 'f', 2)
                   .arg(b > 0 ? v / b : 0, 0, 'f', 3);
    };
    out << QStringLiteral("training step time (tests/bench/programs/steptime.cpp), median of %1:\n")
               .arg(bareTimes.size());
    row(QStringLiteral("  bare executable"), b);
    row(QStringLiteral("  the lab, exec"), median(execTimes));
    row(QStringLiteral("  the lab, warm runner, idle"), median(warmIdle));
    row(QStringLiteral("  the lab, warm runner, learner typing every 150 ms"), median(warmTyping));
    out.flush();
    return 0;
}
