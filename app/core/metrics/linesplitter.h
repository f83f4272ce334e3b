#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QtGlobal>

#include <cstring>

namespace torchlab {

// Cuts a byte stream into lines. Feed chunks as they arrive; complete lines are
// handed to a callback without their terminator ("\n" or "\r\n"). Lines that
// end inside one chunk are passed as views into that chunk (no copy); only a
// line that spans chunks is buffered.
//
// A line longer than maxLineBytes() (terminator excluded) is dropped and counted
// once. It is never buffered past the cap: once a partial line goes over it, the
// rest of that line is skipped up to its newline, so a stream of 1 GB without a
// newline costs at most maxLineBytes() + 1 bytes of memory.
//
// Not thread-safe; a callback must not call back into the same splitter.
class LineSplitter
{
public:
    static constexpr qsizetype DefaultMaxLineBytes = 64 * 1024;

    explicit LineSplitter(qsizetype maxLineBytes = DefaultMaxLineBytes);

    // onLine(QByteArrayView line): the view is valid only during the call.
    template <class OnLine> void feed(QByteArrayView chunk, OnLine &&onLine);
    // End of stream: passes on a last line that had no newline (if within the cap)
    // and resets for a new stream. Counters are kept.
    template <class OnLine> void finish(OnLine &&onLine);

    // Convenience overloads that copy the lines (tests, small inputs).
    QList<QByteArray> feed(QByteArrayView chunk);
    QList<QByteArray> finish();

    qsizetype maxLineBytes() const { return m_maxLineBytes; }
    qint64 droppedLines() const { return m_droppedLines; } // lines over the cap so far
    qsizetype bufferedBytes() const { return m_partial.size(); }
    // Bytes allocated for the partial line; never more than maxLineBytes() + 1.
    qsizetype bufferCapacity() const { return m_partial.capacity(); }
    // True while the rest of an over-long line is being skipped.
    bool isDiscarding() const { return m_discarding; }

private:
    template <class OnLine> void deliver(QByteArrayView line, OnLine &onLine);
    void stash(QByteArrayView piece); // keeps a partial line or starts discarding it

    QByteArray m_partial;
    qsizetype m_maxLineBytes;
    qint64 m_droppedLines = 0;
    bool m_discarding = false;
};

template <class OnLine> void LineSplitter::deliver(QByteArrayView line, OnLine &onLine)
{
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    if (line.size() > m_maxLineBytes) {
        ++m_droppedLines;
        return;
    }
    onLine(line);
}

template <class OnLine> void LineSplitter::feed(QByteArrayView chunk, OnLine &&onLine)
{
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    while (p < end) {
        const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!nl) {
            stash(QByteArrayView(p, end));
            return;
        }
        const QByteArrayView piece(p, nl);
        p = nl + 1;
        if (m_discarding) {
            m_discarding = false; // the dropped line ends here; it was counted when it overflowed
            continue;
        }
        if (m_partial.isEmpty()) {
            deliver(piece, onLine);
            continue;
        }
        stash(piece);
        if (m_discarding) {
            m_discarding = false;
            continue;
        }
        deliver(m_partial, onLine);
        m_partial.resize(0); // keeps the (bounded) capacity for the next partial line
    }
}

template <class OnLine> void LineSplitter::finish(OnLine &&onLine)
{
    if (!m_discarding && !m_partial.isEmpty())
        deliver(m_partial, onLine);
    m_discarding = false;
    m_partial.resize(0);
}

} // namespace torchlab
