#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;

namespace torchlab {

// One lab window per learner home. The first start listens on a local socket
// named after the data folder; a later start (a torchlab:// link clicked in a
// browser, the menu entry used twice) hands its messages to the first one and
// exits, so two windows never save over each other's work. Messages are single
// lines of UTF-8 ("raise", "link torchlab://…"), at most 8 KiB each.
class InstanceChannel : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxMessageBytes = 8192;

    // `socketPath` empty: defaultSocketPath().
    explicit InstanceChannel(const QString &socketPath = QString(), QObject *parent = nullptr);
    ~InstanceChannel() override;

    // <runtime dir>/torchlab-<hash of LabPaths::dataDir()>.sock
    static QString defaultSocketPath();
    QString socketPath() const { return m_path; }

    // True when a running lab accepted every message (it answered within timeoutMs).
    bool forward(const QStringList &messages, int timeoutMs = 2000) const;
    // Becomes the first instance. The channel holds an flock() on
    // <socket>.lock while it lives; the kernel drops it when the lab exits or
    // crashes. A socket file is replaced only when that lock is free (its lab
    // is gone): a live lab that is busy and did not answer forward() keeps
    // its socket. False (with `error`) when another lab holds the lock or the
    // socket cannot be created.
    bool listen(QString *error = nullptr);
    bool isListening() const;

Q_SIGNALS:
    void messageReceived(const QString &message);

private:
    QString m_path;
    QLocalServer *m_server = nullptr;
    int m_lockFd = -1; // the flock()ed <socket>.lock while listening
};

} // namespace torchlab
