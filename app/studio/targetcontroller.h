#pragma once

#include "core/course/pack.h"
#include "core/remote/jobbundle.h"
#include "core/remote/remoterunner.h"
#include "core/remote/target.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace torchlab {

class DoctorDialog;
class LabSession;
class MainWindow;

// Where the lab's runs happen, for the window: the target the settings name
// (this computer, a course GPU server, a Slurm cluster) set on the
// LabSession, shown in the status bar, its server's doctor report asked for
// in the background (for the Environment dialog and for what a lesson sends),
// its first-connection key and its failures in the notice bar, the queue
// while Slurm holds a run, and a pack's suggested server offered once.
class TargetController : public QObject
{
    Q_OBJECT
public:
    TargetController(MainWindow *window, LabSession *session, QString language,
                     QObject *parent = nullptr);

    // Runs go to `name` ("" or "local": this computer). A name no longer in
    // the store falls back to this computer, said in the notice bar.
    void use(const QString &name);
    const Target &target() const { return m_target; }
    // Asks the server's doctor again (the Environment dialog's Check again).
    void refresh();
    // The Environment dialog shows the server first.
    void attach(DoctorDialog *dialog);
    // A pack that suggests a server ([server] in pack.toml): the learner is
    // asked, unless the server is a target already or they said no before.
    void offer(const Pack &pack, const QStringList &declined);

    // The server's doctor report, once it answered (or from the last time).
    std::optional<QJsonObject> serverReport() const { return m_report; }
    // For tests: what the server's doctor found.
    QStringList serverSummary() const { return m_summary; }
    QString serverError() const { return m_error; }

Q_SIGNALS:
    // The learner picked a target from a notice (a suggested server, or back
    // to this computer): the settings should keep it.
    void chosen(const QString &name);
    // The learner declined a pack's suggestion ("pack id:host").
    void declined(const QString &key);
    // The target changed, or its server's doctor answered (or failed).
    void serverChecked();

private:
    void onDoctor(const QJsonObject &report, const QString &error, const QString &notice);
    void onNotice(const QString &id);
    void updateStatus();
    void updateDialog();

    MainWindow *m_window;
    LabSession *m_session;
    QString m_language;
    Target m_target = Target::local();
    RemoteDoctor *m_doctor = nullptr;
    std::shared_ptr<RemoteSession> m_remote; // warm while the target is chosen
    QStringList m_summary;
    std::optional<QJsonObject> m_report;
    QString m_error;
    QPointer<DoctorDialog> m_dialog;
    Pack m_offered; // the pack whose server is on offer
};

} // namespace torchlab
