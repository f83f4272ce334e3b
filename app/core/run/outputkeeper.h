#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace torchlab {

// Keeps the first and the last `keepBytes` of a byte stream, whatever its
// length, so that a program printing gigabytes costs the host O(keepBytes)
// memory. keepBytes == 0 keeps everything. Not thread-safe.
class OutputKeeper
{
public:
    explicit OutputKeeper(qint64 keepBytes = 1 << 20);

    void append(const QByteArray &chunk);
    void clear();

    qint64 totalBytes() const { return m_total; }
    qint64 omittedBytes() const;
    bool truncated() const { return omittedBytes() > 0; }

    // head + "\n[... N bytes omitted ...]\n" + tail when bytes were dropped,
    // otherwise everything that was written.
    QByteArray text() const;
    // The last `bytes` bytes that were written (at most keepBytes of them when
    // truncated): what classifiers look at.
    QByteArray tail(qint64 bytes) const;

    static QByteArray omittedNotice(qint64 bytes);

private:
    qint64 m_keep;
    qint64 m_total = 0;
    QByteArray m_head;
    QByteArray m_tail; // may hold up to 2 * m_keep before it is trimmed
};

} // namespace torchlab
