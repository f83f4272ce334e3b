#include "widgets/dialogs/trustnote.h"

#include "core/run/sandbox.h"
#include "core/util/labsettings.h"

#include <QCoreApplication>
#include <QLabel>

namespace torchlab {

namespace {

struct TrustNote
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::TrustNote)
};

} // namespace

QLabel *makeTrustNote(QWidget *parent)
{
    const Sandbox::Status status = Sandbox::status();
    const SandboxMode mode = sandboxModeFromEnvironment(LabSettings::load().sandbox);
    QString text;
    if (mode != SandboxMode::Off && status.available) {
        text = TrustNote::tr(
            "What its code can do on this computer: it runs in a sandbox. It can read your files "
            "but change only its own job folder; it cannot see your SSH keys, key rings, browser "
            "profiles or session, it has no network unless a lesson declares it, and everything it "
            "starts ends with the run. Updates install in the background and run at your next Run "
            "or Check.");
    } else if (mode == SandboxMode::Require) {
        text = TrustNote::tr("What its code can do on this computer: nothing yet. This computer "
                             "cannot make the sandbox (%1), and your settings require it, so the "
                             "lab will refuse to run the pack's code.")
                   .arg(status.reason);
    } else {
        const QString why = mode == SandboxMode::Off
                                ? TrustNote::tr("the sandbox is turned off in Settings")
                                : status.reason;
        text = TrustNote::tr("What its code can do on this computer: everything your account can. "
                             "There is no sandbox here (%1), so the pack's code could read and "
                             "change your files and use the network. Install packs only from "
                             "instructors you trust.")
                   .arg(why);
    }
    auto *label = new QLabel(text, parent);
    label->setObjectName(QStringLiteral("trustNote"));
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

} // namespace torchlab
