#pragma once

#include "core/remote/remotesession.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"
#include "core/runner/streamrunner.h"

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTimer>

namespace torchlab {

// Runners for a target other than this computer: StreamRunners that send the
// job bundle (and, for Slurm, the srun request) to the factory's warm
// session (`torchlab-cli serve --json-stream` over ssh), or, while the session
// is busy, run `torchlab-cli run --job - --json-stream` over ssh for one job.
class RemoteRunnerFactory : public RunnerFactory
{
public:
    // `language`: the learner's, for the server's messages ("en", "zh_CN").
    // `doctor`: the server's report (TargetStore::loadDoctor); without one the
    // server is assumed to build no CUDA kernels.
    // `session`: a warm session to share (the window keeps one per target);
    // null: the factory makes its own.
    RemoteRunnerFactory(Target target, QString language,
                        std::optional<QJsonObject> doctor = std::nullopt,
                        std::shared_ptr<RemoteSession> session = nullptr);
    Runner *create(QObject *parent) const override;
    std::optional<ToolchainProfile> targetProfile() const override;

    const Target &target() const { return m_target; }
    const std::shared_ptr<RemoteSession> &session() const { return m_session; }
    // Without a session: a command for one job.
    static StreamRunner::Command command(const Target &target, const QString &language,
                                         std::shared_ptr<RemoteSession> session = nullptr);

private:
    Target m_target;
    QString m_language;
    ToolchainProfile m_profile;
    std::shared_ptr<RemoteSession> m_session;
};

// The server's own doctor report (`torchlab-cli doctor --json` there; on a
// Slurm target, through srun on a node of the partition), for `target test`
// and the Environment dialog. One at a time; finished() once per start().
class RemoteDoctor : public QObject
{
    Q_OBJECT
public:
    // `language`: the learner's, for the findings ("en", "zh_CN").
    explicit RemoteDoctor(Target target, QString language = QStringLiteral("en"),
                          QObject *parent = nullptr);
    ~RemoteDoctor() override;

    void start(int timeoutMs = 120'000);
    void cancel();
    bool isRunning() const { return m_process != nullptr; }

    // The doctor's facts in a few lines: host, GPU and driver, LibTorch, CUDA.
    static QStringList summarize(const QJsonObject &doctor);

Q_SIGNALS:
    // `doctor` empty and `error` set when it failed; `notice`: a new host key.
    void finished(const QJsonObject &doctor, const QString &error, const QString &notice);

private:
    void onFinished();
    Target m_target;
    QString m_language;
    QProcess *m_process = nullptr;
    QByteArray m_stderr;
};

} // namespace torchlab
