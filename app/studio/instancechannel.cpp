#include "studio/instancechannel.h"

#include "core/util/labpaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace torchlab {

namespace {

// A whole connection (every message of one start) is small; more is not a lab.
constexpr qsizetype MaxConnectionBytes = 64 * 1024;
const QByteArray Acknowledgement = QByteArrayLiteral("ok\n");

} // namespace

InstanceChannel::InstanceChannel(const QString &socketPath, QObject *parent)
    : QObject(parent), m_path(socketPath.isEmpty() ? defaultSocketPath() : socketPath)
{
}

InstanceChannel::~InstanceChannel()
{
    delete m_server; // closes the socket before the lock goes
    m_server = nullptr;
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

QString InstanceChannel::defaultSocketPath()
{
    QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty())
        runtime = QDir::tempPath();
    // Named after the data folder: a test or a second learner home with its own
    // XDG_DATA_HOME gets its own lab.
    const QByteArray hash =
        QCryptographicHash::hash(QDir(LabPaths::dataDir()).absolutePath().toUtf8(),
                                 QCryptographicHash::Sha1)
            .toHex()
            .left(12);
    return runtime + QStringLiteral("/torchlab-") + QString::fromLatin1(hash) +
           QStringLiteral(".sock");
}

bool InstanceChannel::forward(const QStringList &messages, int timeoutMs) const
{
    QLocalSocket socket;
    socket.connectToServer(m_path);
    if (!socket.waitForConnected(timeoutMs))
        return false; // nobody listens: this start is the first
    QByteArray payload;
    for (const QString &message : messages) {
        QByteArray line = message.toUtf8();
        if (line.contains('\n') || line.size() > MaxMessageBytes)
            continue;
        payload += line + '\n';
    }
    payload += "\n"; // an empty line ends the conversation
    socket.write(payload);
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    QElapsedTimer clock;
    clock.start();
    QByteArray answer;
    while (answer.size() < Acknowledgement.size() && clock.elapsed() < timeoutMs) {
        if (!socket.waitForReadyRead(int(timeoutMs - clock.elapsed())))
            break;
        answer += socket.readAll();
    }
    return answer.startsWith(Acknowledgement);
}

bool InstanceChannel::listen(QString *error)
{
    if (m_server && m_server->isListening())
        return true;
    // Only the holder of the lock may own the socket. The lock file is never
    // removed: two starts must always lock the same file.
    if (m_lockFd < 0) {
        const int fd = ::open(QFile::encodeName(m_path + QStringLiteral(".lock")).constData(),
                              O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            if (error)
                *error = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        int locked;
        do
            locked = ::flock(fd, LOCK_EX | LOCK_NB);
        while (locked != 0 && errno == EINTR);
        if (locked != 0) {
            ::close(fd);
            if (error)
                *error = tr("another TorchLab is running but did not answer");
            return false;
        }
        m_lockFd = fd;
    }
    if (!m_server)
        m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_path)) {
        // We hold the lock, so no lab is behind this socket file: a crash left it.
        QLocalServer::removeServer(m_path);
        if (!m_server->listen(m_path)) {
            if (error)
                *error = m_server->errorString();
            return false;
        }
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QLocalSocket::readyRead, this, [this, socket, buffer] {
                *buffer += socket->readAll();
                if (buffer->size() > MaxConnectionBytes) {
                    socket->abort();
                    return;
                }
                qsizetype end;
                while ((end = buffer->indexOf('\n')) >= 0) {
                    const QByteArray line = buffer->left(end);
                    buffer->remove(0, end + 1);
                    if (line.isEmpty()) {
                        socket->write(Acknowledgement);
                        socket->flush();
                        socket->disconnectFromServer();
                        return;
                    }
                    if (line.size() <= MaxMessageBytes)
                        Q_EMIT messageReceived(QString::fromUtf8(line));
                }
            });
        }
    });
    return true;
}

bool InstanceChannel::isListening() const
{
    return m_server && m_server->isListening();
}

} // namespace torchlab
