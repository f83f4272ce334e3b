// RankGroup: ranks launched the way torchrun does, their output merged with a
// rank prefix, every rank stopped once one fails, and the c10d backend chosen
// for the profile (NCCL on a GPU per rank, Gloo otherwise). The ranks here are
// a small shell script; tst_checkrunner runs a real two-rank LibTorch lesson.
#include "core/grading/rankgroup.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace torchlab;

class TestRankGroup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void prefixer_data();
    void prefixer();
    void prefixerBoundsLongLines();
    void environmentIsTorchruns();
    void freePortIsBindable();
    void outputIsMergedWithRankPrefixes();
    void oneFailingRankStopsTheOthers();
    void rankZeroEndingStopsTheRest();
    void backend_data();
    void backend();

private:
    QString m_script;
    QTemporaryDir m_dir;
};

void TestRankGroup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_script = m_dir.filePath(QStringLiteral("rank.sh"));
    QFile f(m_script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // Prints what it was given, a line in two writes and an unfinished last
    // line; RANK_<n>_EXIT / RANK_<n>_SLEEP decide how rank n ends.
    f.write("#!/bin/sh\n"
            "echo \"rank $RANK of $WORLD_SIZE local $LOCAL_RANK/$LOCAL_WORLD_SIZE at "
            "$MASTER_ADDR:$MASTER_PORT "
            "backend ${TORCHLAB_DIST_BACKEND:-none}\"\n"
            "printf 'two '; printf 'parts\\n'\n"
            "echo \"warning from $RANK\" >&2\n"
            "printf 'no newline'\n"
            "eval \"sleep_for=\\${RANK_${RANK}_SLEEP:-0}\"\n"
            "eval \"code=\\${RANK_${RANK}_EXIT:-0}\"\n"
            "[ \"$sleep_for\" -gt 0 ] && exec sleep \"$sleep_for\"\n"
            "exit \"$code\"\n");
    f.close();
    QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
}

void TestRankGroup::prefixer_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QByteArray>("merged");
    QTest::newRow("whole lines") << QList<QByteArray>{"a\nb\n"}
                                 << QByteArray("[rank 3] a\n[rank 3] b\n");
    QTest::newRow("a line over three chunks") << QList<QByteArray>{"lo", "ss 0.", "5\nnext"}
                                              << QByteArray("[rank 3] loss 0.5\n[rank 3] next\n");
    QTest::newRow("empty lines keep their prefix")
        << QList<QByteArray>{"\n\n"} << QByteArray("[rank 3] \n[rank 3] \n");
    QTest::newRow("carriage return stays in its line")
        << QList<QByteArray>{"50%\r100%\n"} << QByteArray("[rank 3] 50%\r100%\n");
    QTest::newRow("nothing") << QList<QByteArray>{} << QByteArray();
}

void TestRankGroup::prefixer()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QByteArray, merged);
    RankLinePrefixer prefixer(3);
    QByteArray out;
    for (const QByteArray &chunk : chunks)
        out += prefixer.feed(chunk);
    out += prefixer.flush();
    QCOMPARE(out, merged);
    QCOMPARE(prefixer.flush(), QByteArray()); // flushed once
}

// One rank's unterminated line cannot grow to the output limit: at most the
// line cap is held, and the learner reads that a line was left out.
void TestRankGroup::prefixerBoundsLongLines()
{
    RankLinePrefixer prefixer(2, 1024);
    QByteArray out;
    const QByteArray piece(4096, 'x');
    for (int i = 0; i < 2560; ++i) { // 10 MiB without a newline
        out += prefixer.feed(piece);
        QVERIFY(prefixer.bufferCapacity() <= 1025);
    }
    out += prefixer.feed("\nafter\r\n");
    out += prefixer.flush();
    QCOMPARE(out, QByteArray("[rank 2] [a line longer than 1 KiB was left out]\n[rank 2] after\n"));
}

void TestRankGroup::environmentIsTorchruns()
{
    QProcessEnvironment base;
    base.insert(QStringLiteral("KEEP"), QStringLiteral("1"));
    const QProcessEnvironment env =
        RankGroup::rankEnvironment(base, 1, 2, 29511, QStringLiteral("nccl"));
    QCOMPARE(env.value(QStringLiteral("RANK")), QStringLiteral("1"));
    QCOMPARE(env.value(QStringLiteral("LOCAL_RANK")), QStringLiteral("1"));
    QCOMPARE(env.value(QStringLiteral("WORLD_SIZE")), QStringLiteral("2"));
    QCOMPARE(env.value(QStringLiteral("LOCAL_WORLD_SIZE")), QStringLiteral("2"));
    QCOMPARE(env.value(QStringLiteral("MASTER_ADDR")), QStringLiteral("127.0.0.1"));
    QCOMPARE(env.value(QStringLiteral("MASTER_PORT")), QStringLiteral("29511"));
    QCOMPARE(env.value(QStringLiteral("TORCHLAB_DIST_BACKEND")), QStringLiteral("nccl"));
    QCOMPARE(env.value(QStringLiteral("KEEP")), QStringLiteral("1"));
    QVERIFY(!RankGroup::rankEnvironment(base, 0, 2, 29511)
                 .contains(QStringLiteral("TORCHLAB_DIST_BACKEND")));
}

void TestRankGroup::freePortIsBindable()
{
    const int port = RankGroup::freePort();
    QVERIFY(port > 0 && port < 65536);
    // Rank 0's TCPStore can listen on it.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(port));
    const int rc = ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::close(fd);
    QCOMPARE(rc, 0);
}

void TestRankGroup::outputIsMergedWithRankPrefixes()
{
    RankGroup group;
    QSignalSpy output(&group, &RankGroup::rankOutput);
    QSignalSpy finished(&group, &RankGroup::finished);
    QSignalSpy failed(&group, &RankGroup::rankFailed);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TORCHLAB_DIST_BACKEND"), QStringLiteral("gloo"));
    group.start(m_script, m_dir.path(), env, RunLimits(), 3, 29512);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
    QCOMPARE(failed.count(), 0);

    QHash<int, QByteArray> out, err;
    for (const QList<QVariant> &signal : std::as_const(output))
        (signal.at(2).toBool() ? err : out)[signal.at(0).toInt()] += signal.at(1).toByteArray();
    QCOMPARE(out.keys().size(), 2); // ranks 1 and 2; rank 0 is RunJob's
    for (int rank : {1, 2}) {
        const QByteArray p = "[rank " + QByteArray::number(rank) + "] ";
        QCOMPARE(out.value(rank), p + "rank " + QByteArray::number(rank) + " of 3 local " +
                                      QByteArray::number(rank) +
                                      "/3 at 127.0.0.1:29512 backend gloo\n" + p + "two parts\n" +
                                      p + "no newline\n");
        QCOMPARE(err.value(rank), p + "warning from " + QByteArray::number(rank) + "\n");
    }
    QCOMPARE(group.results().size(), 2);
    QCOMPARE(group.results().at(0).rank, 1);
    QVERIFY(group.results().at(0).run.ok());
}

void TestRankGroup::oneFailingRankStopsTheOthers()
{
    RankGroup group;
    group.graceMs = 200;
    QSignalSpy finished(&group, &RankGroup::finished);
    QSignalSpy failed(&group, &RankGroup::rankFailed);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RANK_1_EXIT"), QStringLiteral("7"));
    env.insert(QStringLiteral("RANK_2_SLEEP"),
               QStringLiteral("600")); // blocked in a collective, say
    RunLimits limits;
    limits.wallMs = 600'000;
    group.start(m_script, m_dir.path(), env, limits, 3, 29513);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
    QVERIFY(!group.isRunning());
    QVERIFY(failed.count() >= 1);
    QCOMPARE(failed.first().at(0).toInt(), 1);
    const QList<RankRun> results = group.results();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0).rank, 1);
    QCOMPARE(results.at(0).run.outcome, RunResult::Outcome::ExitCode);
    QCOMPARE(results.at(0).run.exitCode, 7);
    QCOMPARE(results.at(1).rank, 2);
    QCOMPARE(results.at(1).run.outcome, RunResult::Outcome::Stopped); // not left behind
}

void TestRankGroup::rankZeroEndingStopsTheRest()
{
    RankGroup group;
    group.graceMs = 200;
    QSignalSpy finished(&group, &RankGroup::finished);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RANK_1_SLEEP"), QStringLiteral("600"));
    RunLimits limits;
    limits.wallMs = 600'000;
    group.start(m_script, m_dir.path(), env, limits, 2, 29514);
    QVERIFY(group.isRunning());
    group.rankZeroFinished(false); // rank 0 died: rank 1 would wait for it for ever
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
    QCOMPARE(group.results().constFirst().run.outcome, RunResult::Outcome::Stopped);
}

void TestRankGroup::backend_data()
{
    QTest::addColumn<bool>("useCuda");
    QTest::addColumn<bool>("nccl");
    QTest::addColumn<bool>("gloo");
    QTest::addColumn<int>("gpus");
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("reason");
    QTest::newRow("CUDA profile, a GPU per rank") << true << true << true << 2 << "nccl"
                                                  << "NCCL: 2 rank(s), each on a GPU of its own.";
    QTest::newRow("CUDA profile, one GPU for two ranks")
        << true << true << true << 1 << "gloo"
        << "Gloo, because NCCL needs a GPU per rank, and 2 rank(s) share 1 GPU(s).";
    QTest::newRow("CUDA LibTorch without NCCL")
        << true << false << true << 2 << "gloo"
        << "Gloo, because this LibTorch has no usable NCCL.";
    QTest::newRow("CPU profile (Debian)") << false << false << true << 0 << "gloo"
                                          << "Gloo, because the build profile runs on the CPU.";
    QTest::newRow("CPU profile without Gloo")
        << false << false << false << 0 << ""
        << "No c10d backend: the build profile runs on the CPU, and this LibTorch has no Gloo.";
}

void TestRankGroup::backend()
{
    QFETCH(bool, useCuda);
    QFETCH(bool, nccl);
    QFETCH(bool, gloo);
    QFETCH(int, gpus);
    QFETCH(QString, backend);
    QFETCH(QString, reason);
    ToolchainProfile profile;
    profile.useCuda = useCuda;
    profile.libtorch.cuda = useCuda;
    profile.libtorch.nccl = nccl;
    profile.libtorch.gloo = gloo;
    const RankBackend chosen = RankGroup::chooseBackend(profile, gpus, 2);
    QCOMPARE(chosen.name, backend);
    QCOMPARE(chosen.reason, reason);
}

QTEST_GUILESS_MAIN(TestRankGroup)
#include "tst_rankgroup.moc"
