#include "core/run/procscan.h"

#include <QTest>

#include <unistd.h>

using namespace torchlab;

class tst_ProcScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseStat_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("pid");
        QTest::addColumn<char>("state");
        QTest::addColumn<int>("pgrp");
        QTest::addColumn<qulonglong>("cpuTicks");
        QTest::addColumn<qulonglong>("startTicks");
        QTest::addColumn<qlonglong>("rssPages");

        // Lines in the layout of proc(5); the second has a command name that
        // holds spaces and parentheses, which a naive split gets wrong.
        QTest::newRow("sleep")
            << QByteArray(
                   "4242 (sleep) S 4100 4242 4100 34816 4242 4194304 105 0 0 0 3 1 7 2 20 0 1 0 "
                   "987654 5718016 241 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0")
            << true << 4242 << 'S' << 4242 << qulonglong(4) << qulonglong(987654) << qlonglong(241);
        QTest::newRow("name with spaces and parens")
            << QByteArray("77 (a (b) c) R 1 77 77 0 -1 4194560 1 0 0 0 150 50 0 0 20 0 1 0 "
                          "12 100 3 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0")
            << true << 77 << 'R' << 77 << qulonglong(200) << qulonglong(12) << qlonglong(3);
        QTest::newRow("zombie")
            << QByteArray("900 (fakechild) Z 1 880 880 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 "
                          "5000 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0")
            << true << 900 << 'Z' << 880 << qulonglong(0) << qulonglong(5000) << qlonglong(0);
        QTest::newRow("truncated") << QByteArray("12 (x) S 1 12") << false << 0 << '?' << 0
                                   << qulonglong(0) << qulonglong(0) << qlonglong(0);
        QTest::newRow("garbage") << QByteArray("hello") << false << 0 << '?' << 0 << qulonglong(0)
                                 << qulonglong(0) << qlonglong(0);
        QTest::newRow("empty") << QByteArray() << false << 0 << '?' << 0 << qulonglong(0)
                               << qulonglong(0) << qlonglong(0);
    }

    void parseStat()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        const auto stat = ProcScan::parseStat(line);
        QCOMPARE(stat.has_value(), valid);
        if (!valid)
            return;
        QFETCH(int, pid);
        QFETCH(char, state);
        QFETCH(int, pgrp);
        QFETCH(qulonglong, cpuTicks);
        QFETCH(qulonglong, startTicks);
        QFETCH(qlonglong, rssPages);
        QCOMPARE(int(stat->pid), pid);
        QCOMPARE(stat->state, state);
        QCOMPARE(int(stat->pgrp), pgrp);
        QCOMPARE(qulonglong(stat->cpuTicks), cpuTicks);
        QCOMPARE(qulonglong(stat->startTicks), startTicks);
        QCOMPARE(qlonglong(stat->rssPages), rssPages);
        QCOMPARE(stat->isZombie(), state == 'Z');
    }

    void environMatchesWholeEntries_data()
    {
        QTest::addColumn<QByteArray>("environ");
        QTest::addColumn<bool>("found");
        const QByteArray entry = "TORCHLAB_RUN_ID=abc";
        QTest::newRow("first") << QByteArray("TORCHLAB_RUN_ID=abc\0HOME=/root\0", 31) << true;
        QTest::newRow("last, no final NUL")
            << QByteArray("HOME=/\0TORCHLAB_RUN_ID=abc", 26) << true;
        QTest::newRow("other id") << QByteArray("TORCHLAB_RUN_ID=abcd\0", 21) << false;
        QTest::newRow("suffix of another") << QByteArray("XTORCHLAB_RUN_ID=abc\0", 21) << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void environMatchesWholeEntries()
    {
        QFETCH(QByteArray, environ);
        QFETCH(bool, found);
        QCOMPARE(ProcScan::environBlobHas(environ, "TORCHLAB_RUN_ID=abc"), found);
    }

    void readsOwnProcess()
    {
        const auto self = ProcScan::readStat(::getpid());
        QVERIFY(self.has_value());
        QCOMPARE(self->pid, ::getpid());
        QCOMPARE(self->pgrp, ::getpgrp());
        QVERIFY(self->rssPages > 0);
        bool listed = false;
        for (const auto &proc : ProcScan::allProcesses())
            listed = listed || proc.pid == ::getpid();
        QVERIFY(listed);
        // add_lab_test() starts every test with XDG_CACHE_HOME set.
        const QByteArray cache = qgetenv("XDG_CACHE_HOME");
        if (cache.isEmpty())
            QSKIP("XDG_CACHE_HOME is not set; run through ctest");
        QVERIFY(ProcScan::environHas(::getpid(), "XDG_CACHE_HOME=" + cache));
        QVERIFY(!ProcScan::environHas(::getpid(), "XDG_CACHE_HOME=" + cache + "x"));
    }
};

QTEST_GUILESS_MAIN(tst_ProcScan)
#include "tst_procscan.moc"
