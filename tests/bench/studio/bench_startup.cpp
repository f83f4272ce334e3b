// Start-up figures for the lab window: runs `torchlab --quit-when-ready`
// under the offscreen platform and prints min / median / max of
//  - ready_ms: what the app reports (process start to the window shown with
//    the course loaded and the event loop idle),
//  - to-ready wall time: from QProcess::start() to the ready line on stdout,
//  - exit wall time: until the process has exited (the doctor's worker thread
//    finishes first; cold, discovery runs python3 and each compiler).
// "warm": one shared XDG cache, already filled by an unmeasured start.
// "cold": a fresh XDG_CACHE_HOME for every start (no toolchain discovery cache).
// A figure, not a test: the 2-core CI machine is shared.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

namespace {

struct Sample
{
    qint64 readyMs = -1;
    qint64 toReadyMs = -1;
    qint64 exitMs = -1;
};

Sample startOnce(const QString &binary, const QString &cacheHome, const QString &home,
                 const QStringList &extra)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), cacheHome);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    Sample sample;
    QElapsedTimer clock;
    QByteArray out;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &process, [&] {
        out += process.readAllStandardOutput();
        if (sample.toReadyMs < 0 && out.contains("ready_ms="))
            sample.toReadyMs = clock.elapsed();
    });
    clock.start();
    process.start(binary, QStringList{QStringLiteral("--quit-when-ready")} + extra);
    if (!process.waitForStarted(10000))
        return sample;
    while (process.state() != QProcess::NotRunning)
        process.waitForReadyRead(50);
    sample.exitMs = clock.elapsed();
    out += process.readAllStandardOutput();
    if (sample.toReadyMs < 0 && out.contains("ready_ms="))
        sample.toReadyMs = sample.exitMs;
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith("ready_ms="))
            sample.readyMs = line.mid(9).toLongLong();
    }
    if (process.exitCode() != 0 || sample.readyMs < 0)
        std::fprintf(stderr, "start failed (exit %d): %s\n", process.exitCode(),
                     process.readAllStandardError().constData());
    return sample;
}

QString figures(QList<qint64> values)
{
    values.removeAll(-1);
    if (values.isEmpty())
        return QStringLiteral("n/a");
    std::sort(values.begin(), values.end());
    const qint64 median =
        values.size() % 2 ? values.at(values.size() / 2)
                          : (values.at(values.size() / 2 - 1) + values.at(values.size() / 2)) / 2;
    return QStringLiteral("min %1  median %2  max %3 ms")
        .arg(values.first())
        .arg(median)
        .arg(values.last());
}

void report(const char *name, const QList<Sample> &samples)
{
    QList<qint64> ready, toReady, exit;
    for (const Sample &s : samples) {
        ready << s.readyMs;
        toReady << s.toReadyMs;
        exit << s.exitMs;
    }
    std::printf("%-5s ready_ms (in app)    : %s\n", name, qPrintable(figures(ready)));
    std::printf("%-5s to ready (wall)      : %s\n", name, qPrintable(figures(toReady)));
    std::printf("%-5s to exit (wall)       : %s\n", name, qPrintable(figures(exit)));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 10;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--runs"));
    if (at >= 0 && at + 1 < args.size())
        runs = qMax(1, args.at(at + 1).toInt());
    const QString binary = QStringLiteral(TORCHLAB_STUDIO_BINARY);
    QTemporaryDir home;
    QTemporaryDir warmCache;
    std::printf("torchlab --quit-when-ready, %d starts each, QT_QPA_PLATFORM=offscreen\n", runs);

    startOnce(binary, warmCache.path(), home.path(), {}); // fills the warm cache
    QList<Sample> warm;
    for (int i = 0; i < runs; ++i)
        warm << startOnce(binary, warmCache.path(), home.path(), {});
    report("warm", warm);

    QList<Sample> cold;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir fresh;
        cold << startOnce(binary, fresh.path(), home.path(), {});
    }
    report("cold", cold);
    return 0;
}
