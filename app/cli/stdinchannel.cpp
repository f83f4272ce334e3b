#include "cli/stdinchannel.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
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

// {"t":"stop"}: short, and nothing else (a job may name itself "stop").
bool isStopLine(QByteArrayView line)
{
    if (line.size() > 256)
        return false;
    return QJsonDocument::fromJson(line.toByteArray()).object().value(QStringLiteral("t")) ==
           QLatin1String("stop");
}

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
            if (line.trimmed().isEmpty() || isStopLine(line))
                continue; // a stop that came after its job had ended
            return line;
        }
        if (m_buffer.size() > maxBytes)
            return fail(ChannelText::tr("The job sent to the server is larger than %1 MiB.")
                            .arg(maxBytes >> 20));
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || m_ended) {
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

void StdinChannel::unwatch()
{
    delete m_notifier;
    m_notifier = nullptr;
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
    scan();
}

void StdinChannel::scan()
{
    // Stop lines are read here; anything else (the next job, sent early)
    // stays for readJobLine(). A line longer than a job may be is dropped so
    // that nothing grows without bound.
    qsizetype from = 0;
    for (qsizetype newline = m_buffer.indexOf('\n', from); newline >= 0;
         newline = m_buffer.indexOf('\n', from)) {
        const QByteArrayView line = QByteArrayView(m_buffer).sliced(from, newline - from);
        if (isStopLine(line)) {
            m_buffer.remove(from, newline - from + 1);
            Q_EMIT stopRequested(false);
            continue;
        }
        from = newline + 1;
    }
    if (m_buffer.size() - from > (qsizetype(64) << 20))
        m_buffer.truncate(from);
}

} // namespace torchlab::cli
