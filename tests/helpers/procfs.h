#pragma once
// Processes as /proc shows them, for tests that check what a run left behind.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QMultiHash>

#include <cerrno>
#include <csignal>

namespace torchlab::testing {

// The parent of `pid` (0 when gone).
inline qint64 parentOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() : 0;
}

inline bool alive(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH;
}

// The processes below `root` (not `root` itself), from /proc.
inline QList<qint64> descendantsOf(qint64 root)
{
    QMultiHash<qint64, qint64> children;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1)
            children.insert(fields[1].toLongLong(), pid);
    }
    QList<qint64> out;
    QList<qint64> pending{root};
    while (!pending.isEmpty()) {
        const qint64 p = pending.takeFirst();
        for (qint64 c : children.values(p)) {
            out << c;
            pending << c;
        }
    }
    return out;
}

inline QByteArray commandOf(qint64 pid)
{
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    return comm.open(QIODevice::ReadOnly) ? comm.readAll().trimmed() : QByteArray();
}

} // namespace torchlab::testing
