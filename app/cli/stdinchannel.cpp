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

// {"t":"stop"} or {"t":"ping"}: short, and nothing else (a job may name
// itself "stop"). Returns the type, or "".
QString controlLine(QByteArrayView line)
{
    if (line.size() > 256)
        return QString();
    const QString t =
        QJsonDocument::fromJson(line.toByteArray()).object().value(QStringLiteral("t")).toString();
    return t == QLatin1String("stop") || t == QLatin1String("ping") ? t : QString();
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
            if (line.trimmed().isEmpty() || !controlLine(line).isEmpty())
                continue; // a heartbeat, or a stop that came after its job had ended
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
        m_lastInput.start();
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
    m_silentSaid = false;
    m_lastInput.start();
    if (!m_silence) {
        m_silence = new QTimer(this);
        m_silence->setInterval(1000);
        connect(m_silence, &QTimer::timeout, this, [this] {
            if (m_pinged && !m_silentSaid && m_lastInput.elapsed() > SilenceMs) {
                m_silentSaid = true;
                m_ended = true; // the lab is gone: no next job will come
                Q_EMIT stopRequested(true);
            }
        });
    }
    m_silence->start();
    QTimer::singleShot(0, this, &StdinChannel::scan); // lines that came with the job
}

void StdinChannel::unwatch()
{
    delete m_notifier;
    m_notifier = nullptr;
    if (m_silence)
        m_silence->stop();
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
    m_lastInput.start();
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
        const QString control = controlLine(line);
        if (!control.isEmpty()) {
            m_buffer.remove(from, newline - from + 1);
            if (control == QLatin1String("ping"))
                m_pinged = true;
            else
                Q_EMIT stopRequested(false);
            continue;
        }
        from = newline + 1;
    }
    if (m_buffer.size() - from > (qsizetype(64) << 20))
        m_buffer.truncate(from);
}

} // namespace torchlab::cli
