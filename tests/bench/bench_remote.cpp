// Per-Run overhead of a course-server target over loopback SSH against the
// same run on this computer, side by side in one run.
//
//   build/tests/bench/bench_remote [--runs N]
//
// Starts its own sshd on 127.0.0.1 (tests/helpers/sshserver.h) whose sessions
// share this benchmark's cache, so both sides use the same precompiled
// header. Each round runs the same small program here (LabSession with this
// computer's runner), through the target as the lab does (RemoteRunnerFactory:
// the job uploaded to the warm `torchlab-cli serve` session over the shared
// ControlMaster connection, the stream decoded back), and through one ssh
// command per Run (the session's fallback), alternating so that load on the
// machine hits all alike. Prints
// medians of Run → verdict, of the compile and run times each side measured
// itself, and the overhead left when those are taken out: the transport, the
// upload, the remote CLI's start and the stream decoding. Asserts nothing.
#include "core/remote/remoterunner.h"
#include "core/remote/sshtransport.h"
#include "core/runner/streamrunner.h"
#include "core/session/environmentsession.h"
#include "core/session/labsession.h"
#include "core/toolchain/profilechooser.h"
#include "core/util/labpaths.h"
#include "helpers/benchstats.h"
#include "helpers/sshserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>

using namespace torchlab;
using torchlab::testing::SshServer;

namespace {

QTextStream out(stdout);

using torchlab::bench::median;

struct Timing
{
    double totalMs = 0;   // startProgram → finished
    double compileMs = 0; // as the compiling side measured it (compile + link)
    double programMs = 0; // the program's own wall time, as the running side measured it
    double overheadMs() const { return totalMs - compileMs - programMs; }
    bool ok = false;
};

Timing runOnce(LabSession &session, const RunSpec &spec)
{
    Timing t;
    QEventLoop loop;
    QElapsedTimer clock;
    QObject::connect(&session, &LabSession::finished, &loop, [&](const SessionResult &r) {
        t.totalMs = clock.nsecsElapsed() / 1e6;
        t.compileMs = double(r.run.job.compile.compileMs + r.run.job.compile.linkMs);
        t.programMs = double(r.run.job.run.wallMs);
        t.ok = r.outcome == RunResult::Outcome::Ok;
        loop.quit();
    });
    clock.start();
    if (!session.startProgram(spec))
        return t;
    loop.exec();
    QObject::disconnect(&session, &LabSession::finished, &loop, nullptr);
    return t;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 7;
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(QStringLiteral("--runs")); i > 0 && i + 1 < args.size())
        runs = std::max(1, args[i + 1].toInt());

    QTemporaryDir dir;
    SshServer server;
    QString error;
    const QString cache = LabPaths::cacheDir().section(QLatin1Char('/'), 0, -2); // XDG_CACHE_HOME
    if (!server.start(dir.filePath(QStringLiteral("sshd")),
                      {QStringLiteral("XDG_CACHE_HOME=") + cache}, &error)) {
        out << "bench_remote: " << error << "\n";
        return 1;
    }
    qputenv("TORCHLAB_SSH_CONFIG", server.clientConfig().toUtf8());
    QDir().mkpath(dir.filePath(QStringLiteral("run")));
    qputenv("XDG_RUNTIME_DIR", dir.filePath(QStringLiteral("run")).toUtf8());

    const QString job = dir.filePath(QStringLiteral("job"));
    QDir().mkpath(job);
    QFile::copy(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/cli/lab_metrics.cpp"),
                job + QStringLiteral("/lab_metrics.cpp"));
    RunSpec spec;
    spec.sources << SourceFile{
        job + QStringLiteral("/lab_metrics.cpp"), QStringLiteral("lab_metrics.cpp"), true, {}};
    spec.workingDirectory = job;
    spec.jobName = QStringLiteral("bench");

    LabSession local;
    local.setProfileRequest(ProfileRequest(), true);
    Target target =
        *Target::fromUrl(QStringLiteral("bench"), QStringLiteral("ssh://") + SshServer::alias());
    target.remoteCli = QStringLiteral(TORCHLAB_CLI);
    LabSession remote; // the window's way: a warm `torchlab-cli serve` session
    remote.setRunnerFactory(std::make_shared<RemoteRunnerFactory>(target, QStringLiteral("en")));
    // One ssh command per Run (what a busy session falls back to): pays the
    // account's shell start-up (~/.bashrc) and torchlab-cli's start each time.
    class OneShotFactory : public RunnerFactory
    {
    public:
        explicit OneShotFactory(Target t) : m_target(std::move(t)) {}
        Runner *create(QObject *parent) const override
        {
            return new StreamRunner(RemoteRunnerFactory::command(m_target, QStringLiteral("en")),
                                    parent);
        }
        std::optional<ToolchainProfile> targetProfile() const override
        {
            return ToolchainProfile();
        }

    private:
        Target m_target;
    };
    LabSession oneShot;
    oneShot.setRunnerFactory(std::make_shared<OneShotFactory>(target));
    LabSession *sides[3] = {&local, &remote, &oneShot};

    out << "bench_remote: " << runs << " rounds of lab_metrics.cpp (50 metric events, 1 check), "
        << "here and through ssh://" << SshServer::alias() << " (loopback sshd on port "
        << server.port() << ")\n"
        << Qt::flush;
    // Warm-up: this computer's toolchain and PCH; the shared connection.
    const Timing warmLocal = runOnce(local, spec);
    const Timing warmRemote = runOnce(remote, spec);
    const Timing warmOneShot = runOnce(oneShot, spec);
    if (!warmLocal.ok || !warmRemote.ok || !warmOneShot.ok) {
        out << "bench_remote: the warm-up runs failed (local " << warmLocal.ok << ", remote "
            << warmRemote.ok << ")\n";
        return 1;
    }
    QList<double> total[3], compile[3], program[3], overhead[3];
    for (int i = 0; i < runs; ++i) {
        for (int side = 0; side < 3; ++side) {
            const Timing t = runOnce(*sides[side], spec);
            if (!t.ok) {
                out << "bench_remote: a run failed\n";
                return 1;
            }
            total[side] << t.totalMs;
            compile[side] << t.compileMs;
            program[side] << t.programMs;
            overhead[side] << t.overheadMs();
        }
    }
    const auto row = [](const char *name, const QList<double> *v) {
        out << QStringLiteral("%1 %2 %3 %4\n")
                   .arg(QLatin1String(name), -38)
                   .arg(median(v[0]), 10, 'f', 1)
                   .arg(median(v[1]), 14, 'f', 1)
                   .arg(median(v[2]), 14, 'f', 1);
    };
    out << QStringLiteral("%1 %2 %3 %4\n")
               .arg(QStringLiteral("median of %1 rounds, ms").arg(runs), -38)
               .arg(QStringLiteral("here"), 10)
               .arg(QStringLiteral("ssh session"), 14)
               .arg(QStringLiteral("ssh per Run"), 14);
    row("Run -> verdict", total);
    row("  compile + link (measured there)", compile);
    row("  program wall time", program);
    row("  the rest (transport, start, stream)", overhead);
    out << "per-Run overhead of the SSH target (warm session, as the lab runs): "
        << QString::number(median(overhead[1]) - median(overhead[0]), 'f', 1)
        << " ms (goal: <= 150 ms); one ssh command per Run: "
        << QString::number(median(overhead[2]) - median(overhead[0]), 'f', 1) << " ms\n";
    SshTransport(target).closeConnection();
    server.stop();
    return 0;
}
