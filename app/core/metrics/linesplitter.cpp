#include "core/metrics/linesplitter.h"

#include <algorithm>

namespace torchlab {

LineSplitter::LineSplitter(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(1, maxLineBytes))
{
}

void LineSplitter::stash(QByteArrayView piece)
{
    if (m_discarding)
        return;
    // One byte of slack for a "\r" that may turn out to precede the "\n".
    const qsizetype limit = m_maxLineBytes + 1;
    const qsizetype needed = m_partial.size() + piece.size();
    if (needed > limit) {
        ++m_droppedLines;
        m_discarding = true;
        m_partial = QByteArray(); // give the memory back: over-long lines are rare
        return;
    }
    if (needed > m_partial.capacity()) {
        // Grow geometrically, but never past the cap, so capacity stays bounded.
        const qsizetype grown = std::max<qsizetype>({needed, 2 * m_partial.capacity(), 256});
        m_partial.reserve(std::min(grown, limit));
    }
    m_partial.append(piece);
}

QList<QByteArray> LineSplitter::feed(QByteArrayView chunk)
{
    QList<QByteArray> lines;
    feed(chunk, [&lines](QByteArrayView line) { lines.append(line.toByteArray()); });
    return lines;
}

QList<QByteArray> LineSplitter::finish()
{
    QList<QByteArray> lines;
    finish([&lines](QByteArrayView line) { lines.append(line.toByteArray()); });
    return lines;
}

} // namespace torchlab
