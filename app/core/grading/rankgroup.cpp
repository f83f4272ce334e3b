#include "core/grading/rankgroup.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace torchlab {

RankLinePrefixer::RankLinePrefixer(int rank, qsizetype maxLineBytes)
    : m_prefix("[rank " + QByteArray::number(rank) + "] "), m_splitter(maxLineBytes)
{
}

void RankLinePrefixer::take(QByteArray &out, QByteArrayView line)
{
    out += m_prefix;
    out.append(line.data(), line.size());
    out += '\n';
}

QByteArray RankLinePrefixer::feed(QByteArrayView chunk)
{
    QByteArray out;
    const qint64 dropped = m_splitter.droppedLines();
    m_splitter.feed(chunk, [this, &out](QByteArrayView line) { take(out, line); });
    for (qint64 i = dropped; i < m_splitter.droppedLines(); ++i)
        out += m_prefix + "[a line longer than " +
               QByteArray::number(m_splitter.maxLineBytes() >> 10) + " KiB was left out]\n";
    return out;
}

QByteArray RankLinePrefixer::flush()
{
    QByteArray out;
    m_splitter.finish([this, &out](QByteArrayView line) { take(out, line); });
    return out;
}

RankGroup::RankGroup(QObject *parent) : QObject(parent)
{
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, &RankGroup::stop);
}

RankGroup::~RankGroup()
{
    qDeleteAll(m_ranks); // runners are children too; the decoders are ours
}

QProcessEnvironment RankGroup::rankEnvironment(QProcessEnvironment base, int rank, int worldSize,
                                               int port, const QString &backend)
{
    if (!backend.isEmpty())
        base.insert(QStringLiteral("TORCHLAB_DIST_BACKEND"), backend);
    base.insert(QStringLiteral("RANK"), QString::number(rank));
    base.insert(QStringLiteral("LOCAL_RANK"), QString::number(rank));
    base.insert(QStringLiteral("WORLD_SIZE"), QString::number(worldSize));
    base.insert(QStringLiteral("LOCAL_WORLD_SIZE"), QString::number(worldSize));
    base.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
    base.insert(QStringLiteral("MASTER_PORT"), QString::number(port));
    return base;
}

int RankGroup::freePort()
{
    // Binding port 0 lets the kernel pick; the port is released again for
    // rank 0's TCPStore. A race with another program is possible but rare.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

RankBackend RankGroup::chooseBackend(const ToolchainProfile &profile, int gpuCount, int worldSize)
{
    const LibTorchInstall &lt = profile.libtorch;
    if (profile.useCuda && lt.nccl && gpuCount >= worldSize)
        return {QStringLiteral("nccl"),
                tr("NCCL: %n rank(s), each on a GPU of its own.", nullptr, worldSize)};
    QString why;
    if (!profile.useCuda)
        why = tr("the build profile runs on the CPU");
    else if (!lt.nccl)
        why = tr("this LibTorch has no usable NCCL");
    else
        why = tr("NCCL needs a GPU per rank, and %n rank(s) share %1 GPU(s)", nullptr, worldSize)
                  .arg(gpuCount);
    if (lt.gloo)
        return {QStringLiteral("gloo"), tr("Gloo, because %1.").arg(why)};
    return {QString(), tr("No c10d backend: %1, and this LibTorch has no Gloo.").arg(why)};
}

void RankGroup::start(const QString &program, const QString &workingDirectory,
                      const QProcessEnvironment &environment, const RunLimits &limits,
                      int worldSize, int port, const SandboxPolicy &sandbox)
{
    for (int rank = 1; rank < worldSize; ++rank) {
        auto *r = new Rank;
        r->rank = rank;
        r->runner = new ProcessRunner(this);
        m_ranks << r;
        connect(r->runner, &ProcessRunner::metricsData, this, [this, r](const QByteArray &chunk) {
            r->decoder.feed(QByteArrayView(chunk), [this](LabEvent &&e) { m_checks.add(e); });
        });
        r->out = std::make_unique<RankLinePrefixer>(rank);
        r->err = std::make_unique<RankLinePrefixer>(rank);
        connect(r->runner, &ProcessRunner::stdoutData, this, [this, r](const QByteArray &chunk) {
            if (const QByteArray lines = r->out->feed(chunk); !lines.isEmpty())
                Q_EMIT rankOutput(r->rank, lines, false);
        });
        connect(r->runner, &ProcessRunner::stderrData, this, [this, r](const QByteArray &chunk) {
            if (const QByteArray lines = r->err->feed(chunk); !lines.isEmpty())
                Q_EMIT rankOutput(r->rank, lines, true);
        });
        connect(r->runner, &ProcessRunner::done, this, [this, r](const RunResult &result) {
            r->decoder.finish([this](LabEvent &&e) { m_checks.add(e); });
            if (const QByteArray rest = r->out->flush(); !rest.isEmpty())
                Q_EMIT rankOutput(r->rank, rest, false);
            if (const QByteArray rest = r->err->flush(); !rest.isEmpty())
                Q_EMIT rankOutput(r->rank, rest, true);
            onRankDone(r->rank, result);
        });
        ProcessSpec spec;
        spec.program = program;
        spec.workingDirectory = workingDirectory;
        spec.environment = rankEnvironment(environment, rank, worldSize, port);
        spec.limits = limits;
        spec.metricsChannel = true;
        spec.sandbox = sandbox;
        r->runner->start(spec);
    }
    if (m_ranks.isEmpty())
        QMetaObject::invokeMethod(this, &RankGroup::finished, Qt::QueuedConnection);
}

bool RankGroup::isRunning() const
{
    return std::any_of(m_ranks.cbegin(), m_ranks.cend(), [](const Rank *r) { return !r->done; });
}

void RankGroup::rankZeroFinished(bool ok)
{
    Q_UNUSED(ok);
    if (isRunning() && !m_grace.isActive())
        m_grace.start(graceMs);
}

void RankGroup::stop()
{
    for (Rank *r : std::as_const(m_ranks))
        if (!r->done && r->runner->isRunning())
            r->runner->stop();
}

void RankGroup::onRankDone(int rank, const RunResult &result)
{
    for (Rank *r : std::as_const(m_ranks))
        if (r->rank == rank)
            r->done = true;
    m_results.append(RankRun{rank, result});
    std::sort(m_results.begin(), m_results.end(),
              [](const RankRun &a, const RankRun &b) { return a.rank < b.rank; });
    if (!result.ok()) {
        if (isRunning() && !m_grace.isActive())
            m_grace.start(graceMs);
        Q_EMIT rankFailed(rank, result);
    }
    if (!isRunning()) {
        m_grace.stop();
        Q_EMIT finished();
    }
}

} // namespace torchlab
