// The single-instance channel (docs/reliability.md row 38): a second start
// never takes over the socket of a lab that is alive but busy, and still
// replaces one a crashed lab left.
#include "studio/instancechannel.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace torchlab;

class TestInstanceChannel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void busyLabKeepsItsSocket()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("lab.sock");
        InstanceChannel first(path);
        QVERIFY(first.listen());
        QSignalSpy received(&first, &InstanceChannel::messageReceived);

        // The first lab is busy: this thread runs no event loop while the
        // second start tries to hand over and gives up after its 2 s.
        bool forwarded = true, listened = true;
        QString error;
        std::unique_ptr<QThread> second(QThread::create([&] {
            InstanceChannel channel(path);
            forwarded = channel.forward({QStringLiteral("raise")}, 2000);
            listened = channel.listen(&error);
        }));
        second->start();
        QVERIFY(second->wait(30'000)); // blocks this thread: the first cannot answer
        QVERIFY(!forwarded);
        QVERIFY2(!listened, "the second start took over a live lab's socket");
        QVERIFY(!error.isEmpty());

        // The first lab still owns the socket: once it is free again, a
        // later start reaches it.
        bool handedOver = false;
        std::unique_ptr<QThread> third(QThread::create([&] {
            handedOver = InstanceChannel(path).forward({QStringLiteral("link torchlab://x")});
        }));
        third->start();
        QTRY_VERIFY(third->isFinished());
        QVERIFY(handedOver);
        // The busy lab read the second start's message late, then the third's.
        QCOMPARE(received.size(), 2);
        QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("raise"));
        QCOMPARE(received.at(1).at(0).toString(), QStringLiteral("link torchlab://x"));
    }

    void crashedLabsSocketIsReplaced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("lab.sock");
        {
            // A socket file and a lock file that nobody holds: a lab that died.
            QFile stale(path);
            QVERIFY(stale.open(QIODevice::WriteOnly));
            stale.write("stale");
        }
        QFile lock(path + QStringLiteral(".lock"));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.close();
        InstanceChannel next(path);
        QVERIFY(!next.forward({QStringLiteral("raise")}, 500));
        QString error;
        QVERIFY2(next.listen(&error), qPrintable(error));

        // When a lab ends, its lock goes with it and the next start listens.
        {
            InstanceChannel gone(dir.filePath("gone.sock"));
            QVERIFY(gone.listen());
        }
        InstanceChannel after(dir.filePath("gone.sock"));
        QVERIFY(after.listen());
    }
};

QTEST_GUILESS_MAIN(TestInstanceChannel)
#include "tst_instancechannel.moc"
