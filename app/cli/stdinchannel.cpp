#include "cli/stdinchannel.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <unistd.h>

namespace torchlab::cli {

namespace {

struct ChannelText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::cli::StdinChannel)
};

} // namespace

StdinChannel::StdinChannel(QObject *parent) : QObject(parent) {}

Result<QByteArray> StdinChannel::readJobLine(qsizetype maxBytes)
{
    char chunk[65536];
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n');
        if (newline >= 0) {
            QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            return line;
        }
        if (m_buffer.size() > maxBytes)
            return fail(ChannelText::tr("The job sent to the server is larger than %1 MiB.")
                            .arg(maxBytes >> 20));
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_ended = true;
            return fail(ChannelText::tr("The lab closed the connection before it sent the job."));
        }
        m_buffer.append(chunk, n);
    }
}

void StdinChannel::watch()
{
    if (m_ended) {
        QTimer::singleShot(0, this, [this] { Q_EMIT stopRequested(true); });
        return;
    }
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinChannel::onReadable);
    QTimer::singleShot(0, this, &StdinChannel::scan); // lines that came with the job
}

void StdinChannel::onReadable()
{
    char chunk[4096];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        m_ended = true;
        Q_EMIT stopRequested(true);
        return;
    }
    m_buffer.append(chunk, n);
    if (m_buffer.size() > (1 << 20))
        m_buffer = m_buffer.right(1 << 16); // control lines are short; nothing grows without bound
    scan();
}

void StdinChannel::scan()
{
    for (qsizetype newline = m_buffer.indexOf('\n'); newline >= 0;
         newline = m_buffer.indexOf('\n')) {
        const QByteArray line = m_buffer.left(newline).trimmed();
        m_buffer.remove(0, newline + 1);
        if (line.contains("\"stop\""))
            Q_EMIT stopRequested(false);
    }
}

} // namespace torchlab::cli
