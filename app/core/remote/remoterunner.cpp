#include "core/remote/remoterunner.h"

#include "core/remote/jobbundle.h"
#include "core/toolchain/toolchainjson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace torchlab {

namespace {

constexpr qsizetype kStderrKept = 8192;

// srun's options for a run of `ranks` processes: one task on one node holds
// them all (torchlab-cli starts the ranks as torchrun does), with a GPU each
// when the target asks for GPUs.
QStringList srunWords(const Target &t, const QString &jobName)
{
    QStringList w{QStringLiteral("srun"),
                  QStringLiteral("--partition"),
                  t.partition,
                  QStringLiteral("--job-name"),
                  jobName,
                  QStringLiteral("--nodes"),
                  QStringLiteral("1"),
                  QStringLiteral("--ntasks"),
                  QStringLiteral("1"),
                  QStringLiteral("--input"),
                  QStringLiteral("none")};
    if (!t.gres.isEmpty())
        w << QStringLiteral("--gres") << t.gres;
    if (t.timeMinutes > 0)
        w << QStringLiteral("--time") << QString::number(t.timeMinutes);
    return w;
}

} // namespace

RemoteRunnerFactory::RemoteRunnerFactory(Target target, QString language,
                                         std::optional<QJsonObject> doctor,
                                         std::shared_ptr<RemoteSession> session)
    : m_target(std::move(target)), m_language(std::move(language)),
      m_session(session ? std::move(session) : std::make_shared<RemoteSession>(m_target))
{
    if (doctor)
        m_profile =
            ToolchainJson::profileFromJson(doctor->value(QStringLiteral("profile")).toObject());
}

std::optional<ToolchainProfile> RemoteRunnerFactory::targetProfile() const
{
    return m_profile;
}

Runner *RemoteRunnerFactory::create(QObject *parent) const
{
    return new StreamRunner(command(m_target, m_language, m_session), parent);
}

StreamRunner::Command RemoteRunnerFactory::command(const Target &target, const QString &language,
                                                   std::shared_ptr<RemoteSession> session)
{
    const SshTransport ssh(target);
    StreamRunner::Command c;
    c.session = std::move(session);
    c.program = SshTransport::program();
    c.arguments =
        ssh.arguments(ssh.cliCommand({QStringLiteral("run"), QStringLiteral("--job"),
                                      QStringLiteral("-"), QStringLiteral("--json-stream")}));
    c.where = target.host;
    c.bundle = [target, language](const RunSpec &spec) -> Result<QByteArray> {
        const QString name = spec.jobName.isEmpty() ? QStringLiteral("run") : spec.jobName;
        Result<JobBundle> bundle = bundleFromSpec(spec, name, localLearnerName(), language);
        if (!bundle)
            return fail(bundle.error());
        if (target.kind == Target::Kind::Slurm) {
            SlurmRequest slurm;
            slurm.partition = target.partition;
            slurm.gres = target.gres;
            slurm.timeMinutes = target.timeMinutes;
            slurm.jobName = QStringLiteral("torchlab-") + bundle->name;
            bundle->slurm = slurm;
        }
        return encodeJobBundle(*bundle);
    };
    c.explainLost = [ssh](int exitCode, const QByteArray &said, RunnerResult &result) {
        const SshTransport::Diagnosis d = ssh.diagnose(exitCode, said, result.job.ran);
        if (result.job.ran) {
            result.job.run.summary = d.summary;
            result.job.run.explanation = d.explanation;
        } else {
            result.job.compile.summary = d.summary;
            result.job.compile.explanation = d.explanation;
        }
    };
    c.notice = [ssh](const QByteArray &said) { return ssh.newHostKeyNotice(said); };
    return c;
}

RemoteDoctor::RemoteDoctor(Target target, QString language, QObject *parent)
    : QObject(parent), m_target(std::move(target)), m_language(std::move(language))
{
}

RemoteDoctor::~RemoteDoctor()
{
    cancel();
}

void RemoteDoctor::start(int timeoutMs)
{
    cancel();
    const SshTransport ssh(m_target);
    QStringList remote = ssh.cliCommand(
        {QStringLiteral("doctor"), QStringLiteral("--json"), QStringLiteral("--lang"), m_language});
    if (m_target.kind == Target::Kind::Slurm)
        remote = srunWords(m_target, QStringLiteral("torchlab-doctor")) + remote;
    m_stderr.clear();
    m_process = new QProcess(this);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > kStderrKept)
            m_stderr = m_stderr.right(kStderrKept);
    });
    connect(m_process, &QProcess::finished, this, &RemoteDoctor::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onFinished();
    });
    QTimer::singleShot(timeoutMs, m_process, [p = m_process] { p->kill(); });
    m_process->start(SshTransport::program(), ssh.arguments(remote));
}

void RemoteDoctor::cancel()
{
    if (!m_process)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    m_process->kill();
    m_process->waitForFinished(2000);
    m_process->deleteLater();
    m_process = nullptr;
}

void RemoteDoctor::onFinished()
{
    if (!m_process)
        return;
    QProcess *p = m_process;
    m_process = nullptr;
    p->deleteLater();
    m_stderr += p->readAllStandardError();
    const SshTransport ssh(m_target);
    const QString notice = ssh.newHostKeyNotice(m_stderr);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(p->readAllStandardOutput(), &error);
    // The doctor exits 1 when it found an error in the server's set-up: the
    // report still says what it found.
    if (p->exitStatus() == QProcess::NormalExit && p->exitCode() <= 1 &&
        error.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject report = doc.object();
        const int protocol = report.value(QStringLiteral("protocol")).toInt();
        if (protocol != runstream::ProtocolVersion) {
            Q_EMIT finished({},
                            tr("%1 runs a torchlab-cli that speaks protocol %2; this lab speaks "
                               "%3. Install the same TorchLab version on both.")
                                .arg(m_target.host)
                                .arg(protocol)
                                .arg(runstream::ProtocolVersion),
                            notice);
            return;
        }
        Q_EMIT finished(report, QString(), notice);
        return;
    }
    const int code = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    const SshTransport::Diagnosis d = ssh.diagnose(code, m_stderr, false);
    //: An ssh failure: its short summary ("%1 cannot be reached"), then its explanation.
    const QString failure = tr("%1: %2").arg(d.summary, d.explanation);
    Q_EMIT finished({}, failure, notice);
}

QStringList RemoteDoctor::summarize(const QJsonObject &doctor)
{
    QStringList lines;
    lines << tr("Host: %1 (TorchLab %2)")
                 .arg(doctor.value(QStringLiteral("host")).toString(),
                      doctor.value(QStringLiteral("torchlabVersion")).toString());
    const QJsonObject gpu = doctor.value(QStringLiteral("gpu")).toObject();
    if (gpu.value(QStringLiteral("hasGpu")).toBool()) {
        QStringList names;
        for (const QJsonValue &d : gpu.value(QStringLiteral("devices")).toArray())
            names << d.toObject().value(QStringLiteral("name")).toString();
        lines << tr("GPU: %1; driver %2 (CUDA %3)")
                     .arg(names.join(QStringLiteral(", ")),
                          gpu.value(QStringLiteral("driverVersion")).toString(),
                          gpu.value(QStringLiteral("cudaDriverVersion")).toString());
    } else {
        lines << tr("GPU: none (%1)").arg(gpu.value(QStringLiteral("summary")).toString());
    }
    const QJsonObject profile = doctor.value(QStringLiteral("profile")).toObject();
    if (profile.isEmpty()) {
        lines << tr("LibTorch: none usable (%1)")
                     .arg(doctor.value(QStringLiteral("reason")).toString());
    } else {
        const QJsonObject libtorch = profile.value(QStringLiteral("libtorch")).toObject();
        const QJsonObject compiler = profile.value(QStringLiteral("compiler")).toObject();
        lines << tr("LibTorch: %1, runs on %2")
                     .arg(libtorch.value(QStringLiteral("displayName")).toString(),
                          profile.value(QStringLiteral("useCuda")).toBool()
                              ? QStringLiteral("CUDA")
                              : QStringLiteral("CPU"));
        lines << tr("Compiler: %1").arg(compiler.value(QStringLiteral("displayName")).toString());
    }
    return lines;
}

} // namespace torchlab
