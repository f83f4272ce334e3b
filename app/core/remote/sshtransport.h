#pragma once

#include "core/remote/target.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace torchlab {

// How the lab talks to a target: the system's OpenSSH client, always with an
// argument list (the remote command is quoted word by word here, never built
// from learner input), in batch mode (no password prompt: keys are ssh's
// business), with a ControlMaster socket kept for ten minutes so that each
// Run after the first costs one round trip rather than a handshake. A host
// seen for the first time is accepted and its key remembered
// (StrictHostKeyChecking=accept-new); a changed key is refused.
// ~/.ssh/config applies as for any ssh command; TORCHLAB_SSH_CONFIG names
// another configuration file instead (ssh -F).
class SshTransport
{
public:
    explicit SshTransport(Target target);

    const Target &target() const { return m_target; }
    // The ssh executable ("" when OpenSSH's client is not installed).
    static QString program();
    // ssh's options and destination, then `remoteCommand` quoted for the
    // server's shell as one word each.
    QStringList arguments(const QStringList &remoteCommand) const;
    // The target's torchlab-cli followed by `arguments`.
    QStringList cliCommand(const QStringList &arguments) const;
    // Ends the shared connection, if one is open (ssh -O exit).
    void closeConnection() const;

    // A word for a POSIX shell: as is when it needs no quoting, else in
    // single quotes. A leading "~/" stays unquoted so the shell expands it.
    static QString quote(const QString &word);
    // The private (0700) folder of the ControlMaster sockets; "" when none
    // can be made safely (then every Run makes its own connection).
    static QString controlDirectory();

    // Why an ssh command failed, from its exit code and what it printed on
    // stderr, in the learner's language.
    enum class Failure
    {
        None,
        Unreachable,    // no route, refused, unknown host name, timeout
        KeyRefused,     // the server did not accept any of the keys
        HostKeyChanged, // the server's key is not the one remembered
        NoRemoteCli,    // torchlab-cli is not installed where the target says
        ConnectionLost, // the connection dropped after it was made
        SlurmMissing,   // srun is not on the login host
        PartitionUnknown,
        Other,
    };
    struct Diagnosis
    {
        Failure failure = Failure::None;
        QString summary;     // one line
        QString explanation; // what happened and what to do
    };
    Diagnosis diagnose(int exitCode, QByteArrayView stderrText, bool connected) const;

    // After a first connection: "the server's key was remembered", with its
    // fingerprint (ssh-keygen -l), to show the learner once. Empty when
    // ssh's output does not say a key was added.
    QString newHostKeyNotice(QByteArrayView stderrText) const;

private:
    QStringList options() const;
    Target m_target;
};

} // namespace torchlab
