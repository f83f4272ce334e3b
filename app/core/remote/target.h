#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace torchlab {

// Where runs happen: this computer, a course GPU server reached over SSH
// whose torchlab-cli does the work, or a Slurm login host whose runs go
// through srun (docs/course-server.md).
struct Target
{
    enum class Kind
    {
        Local,
        Ssh,
        Slurm,
    };

    QString name; // what the learner picked: "local", "course-gpu"
    Kind kind = Kind::Local;
    QString user;     // empty: ssh's own choice (~/.ssh/config, the local name)
    QString host;     // a host name, an address or a ~/.ssh/config alias
    int port = 0;     // 0: ssh's own choice (~/.ssh/config or 22)
    QString identity; // a private key file handed to ssh -i; empty: ssh's own keys
    QString remoteCli = QStringLiteral("torchlab-cli"); // the server's torchlab-cli
    // Slurm: the partition, generic resources per run ("gpu:1") and the time
    // limit in minutes (0: the partition's default).
    QString partition;
    QString gres;
    int timeMinutes = 0;

    bool isLocal() const { return kind == Kind::Local; }
    // "[user@]host", as ssh takes it.
    QString destination() const;
    // "ssh://user@host:port", the form `target add` reads.
    QString url() const;
    // For the learner: "gpu.example.edu", "login.hpc.edu (Slurm, partition gpu)".
    QString describe() const;

    static Target local();
    // NAME and ssh://[USER@]HOST[:PORT]; Slurm fields are set by the caller.
    static Result<Target> fromUrl(const QString &name, const QString &url);
    // Names are 1–64 letters, digits, '.', '_' or '-'; "local" is taken.
    static Status checkName(const QString &name);
};

bool operator==(const Target &a, const Target &b);

QJsonObject targetToJson(const Target &target);
Result<Target> targetFromJson(const QJsonObject &json);

// The targets a user added, in $XDG_CONFIG_HOME/torchlab/targets.json. The
// file holds no secret: keys stay with ssh. Writes are atomic.
class TargetStore
{
public:
    explicit TargetStore(QString path = defaultPath());
    static QString defaultPath();

    QString path() const { return m_path; }
    // The saved targets (none when the file does not exist yet).
    Result<QList<Target>> load() const;
    // "local" or a saved target.
    Result<Target> find(const QString &name) const;
    // Adds `target`; one with the same name is replaced only when `replace`.
    Status add(const Target &target, bool replace = false);
    Status remove(const QString &name);

    // The server's last doctor report (`target test`, the Environment dialog),
    // kept in $XDG_CACHE_HOME/torchlab/targets/NAME.json: what it can build
    // decides what a lesson sends (.cu files or not) before each run.
    static Status saveDoctor(const QString &name, const QJsonObject &doctor);
    static std::optional<QJsonObject> loadDoctor(const QString &name);

private:
    Status save(const QList<Target> &targets) const;
    QString m_path;
};

} // namespace torchlab
