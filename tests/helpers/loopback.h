#pragma once
// Servers the tests start themselves listen on 127.0.0.1 only, on a port
// nobody uses: these two helpers pick the port and wait for the listener.

#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace torchlab::testing {

// A port of 127.0.0.1 that nothing listens on now.
inline int freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// True once `port` of 127.0.0.1 accepts connections while `server` runs;
// false when it exits first or `timeoutMs` passes.
inline bool waitForListener(int port, const QProcess &server, int timeoutMs = 20'000)
{
    const bool up = QTest::qWaitFor(
        [&] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, quint16(port));
            return probe.waitForConnected(200) || server.state() == QProcess::NotRunning;
        },
        timeoutMs);
    return up && server.state() == QProcess::Running;
}

} // namespace torchlab::testing
