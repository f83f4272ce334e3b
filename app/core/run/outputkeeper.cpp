#include "core/run/outputkeeper.h"

namespace torchlab {

OutputKeeper::OutputKeeper(qint64 keepBytes) : m_keep(qMax<qint64>(0, keepBytes)) {}

void OutputKeeper::append(const QByteArray &chunk)
{
    m_total += chunk.size();
    if (m_keep == 0) {
        m_head += chunk;
        return;
    }
    qsizetype used = 0;
    if (m_head.size() < m_keep) {
        used = qMin<qsizetype>(chunk.size(), m_keep - m_head.size());
        m_head.append(chunk.constData(), used);
    }
    if (used == chunk.size())
        return;
    // The tail is trimmed only when it reaches twice the cap, so that a stream
    // of small chunks costs amortised O(1) per byte instead of a memmove of
    // the whole tail on every append.
    if (chunk.size() - used >= m_keep) {
        m_tail = chunk.right(m_keep);
        return;
    }
    m_tail.append(chunk.constData() + used, chunk.size() - used);
    if (m_tail.size() >= 2 * m_keep)
        m_tail.remove(0, m_tail.size() - m_keep);
}

void OutputKeeper::clear()
{
    m_total = 0;
    m_head.clear();
    m_tail.clear();
}

qint64 OutputKeeper::omittedBytes() const
{
    if (m_keep == 0)
        return 0;
    const qint64 keptTail = qMin<qint64>(m_tail.size(), m_keep);
    return m_total - m_head.size() - keptTail;
}

QByteArray OutputKeeper::omittedNotice(qint64 bytes)
{
    return "\n[... " + QByteArray::number(bytes) + " bytes omitted ...]\n";
}

QByteArray OutputKeeper::text() const
{
    const qint64 omitted = omittedBytes();
    const QByteArray tailPart = m_tail.right(m_keep == 0 ? m_tail.size() : m_keep);
    if (omitted == 0)
        return m_head + tailPart;
    return m_head + omittedNotice(omitted) + tailPart;
}

QByteArray OutputKeeper::tail(qint64 bytes) const
{
    if (bytes <= 0)
        return {};
    const QByteArray tailPart = m_keep == 0 ? QByteArray() : m_tail.right(m_keep);
    if (tailPart.size() >= bytes)
        return tailPart.right(bytes);
    if (omittedBytes() > 0)
        return tailPart; // the bytes before the tail were dropped
    // Nothing was dropped: the stream is head followed by tail.
    const QByteArray all = m_head + tailPart;
    return all.right(bytes);
}

} // namespace torchlab
