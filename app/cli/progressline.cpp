#include "cli/progressline.h"

#include <unistd.h>

namespace torchlab::cli {

ProgressLine::ProgressLine() : m_err(stderr), m_tty(::isatty(STDERR_FILENO) == 1) {}

void ProgressLine::update(int percent, const QString &message)
{
    if (m_tty) {
        const QString line = QStringLiteral("[%1%] %2").arg(percent, 3).arg(message);
        m_err << '\r' << line.leftJustified(m_lastWidth) << Qt::flush;
        m_lastWidth = int(line.size());
        return;
    }
    const int bucket = percent / 10;
    if (bucket != m_lastBucket) {
        m_lastBucket = bucket;
        m_err << QStringLiteral("[%1%] %2").arg(percent, 3).arg(message) << '\n' << Qt::flush;
    }
}

void ProgressLine::done(const QString &message)
{
    if (m_tty)
        m_err << '\r' << message.leftJustified(m_lastWidth) << '\n' << Qt::flush;
    else
        m_err << message << '\n' << Qt::flush;
    m_lastBucket = -1;
    m_lastWidth = 0;
}

} // namespace torchlab::cli
