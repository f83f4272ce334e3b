#include "studio/targetcontroller.h"

#include "core/session/labsession.h"
#include "studio/mainwindow.h"
#include "widgets/dialogs/doctordialog.h"
#include "widgets/editor/noticebar.h"

#include <QStatusBar>

namespace torchlab {

namespace {

const QString NoticeLocal = QStringLiteral("target-local");
const QString NoticeRetry = QStringLiteral("target-retry");
const QString NoticeAccept = QStringLiteral("target-accept");
const QString NoticeDecline = QStringLiteral("target-decline");
const QString NoticeOk = QStringLiteral("target-ok");

QString offerKey(const Pack &pack)
{
    return pack.id + QLatin1Char(':') + pack.server.host;
}

Target targetFor(const SuggestedServer &s, const QString &name)
{
    Target t = *Target::fromUrl(
        name, QStringLiteral("ssh://%1%2")
                  .arg(s.host, s.port > 0 ? QStringLiteral(":%1").arg(s.port) : QString()));
    if (!s.remoteCli.isEmpty())
        t.remoteCli = s.remoteCli;
    if (!s.partition.isEmpty()) {
        t.kind = Target::Kind::Slurm;
        t.partition = s.partition;
        t.gres = s.gres;
        t.timeMinutes = s.timeMinutes;
    }
    return t;
}

} // namespace

TargetController::TargetController(MainWindow *window, LabSession *session, QString language,
                                   QObject *parent)
    : QObject(parent), m_window(window), m_session(session), m_language(std::move(language))
{
    connect(m_window->noticeBar(), &NoticeBar::actionTriggered, this, &TargetController::onNotice);
    connect(m_session, &LabSession::queued, this,
            [this](const QueueState &state) { m_window->setRunState(state.text(), true); });
    connect(m_session, &LabSession::notice, this, [this](const QString &text) {
        m_window->noticeBar()->showNotice(text, {{NoticeOk, tr("OK")}});
    });
    updateStatus();
}

void TargetController::use(const QString &name)
{
    if (m_doctor) {
        m_doctor->cancel();
        m_doctor->deleteLater();
        m_doctor = nullptr;
    }
    m_summary.clear();
    m_error.clear();
    Result<Target> found = TargetStore().find(name);
    if (!found) {
        m_window->noticeBar()->showNotice(
            tr("The server \"%1\" is no longer set up (%2). Runs happen on this computer.")
                .arg(name, found.error()),
            {{NoticeOk, tr("OK")}}, NoticeBar::Tone::Warning);
        found = Target::local();
    }
    m_target = *found;
    m_remote.reset();
    m_report = TargetStore::loadDoctor(m_target.name);
    if (m_target.isLocal()) {
        m_session->setRunnerFactory(nullptr);
        updateStatus();
        updateDialog();
        Q_EMIT serverChecked();
        return;
    }
    m_remote = std::make_shared<RemoteSession>(m_target);
    m_session->setRunnerFactory(std::make_shared<RemoteRunnerFactory>(
        m_target, m_language, TargetStore::loadDoctor(m_target.name), m_remote));
    updateStatus();
    Q_EMIT serverChecked(); // what is known from last time, until the server answers
    refresh();
}

void TargetController::refresh()
{
    if (m_target.isLocal())
        return;
    if (!m_doctor) {
        m_doctor = new RemoteDoctor(m_target, m_language, this);
        connect(m_doctor, &RemoteDoctor::finished, this, &TargetController::onDoctor);
    }
    m_summary.clear();
    m_error.clear();
    updateDialog();
    m_doctor->start();
}

void TargetController::onDoctor(const QJsonObject &report, const QString &error,
                                const QString &notice)
{
    if (!notice.isEmpty())
        m_window->noticeBar()->showNotice(notice, {{NoticeOk, tr("OK")}});
    m_error = error;
    if (error.isEmpty()) {
        m_summary = RemoteDoctor::summarize(report);
        m_report = report;
        if (const Status kept = TargetStore::saveDoctor(m_target.name, report); !kept)
            m_window->statusBar()->showMessage(kept.error(), 10000);
        // What the server builds decides what a lesson sends.
        m_session->setRunnerFactory(
            std::make_shared<RemoteRunnerFactory>(m_target, m_language, report, m_remote));
        m_remote->open(); // the first Run is warm too
    } else {
        m_window->noticeBar()->showNotice(
            tr("The course server %1 cannot be used now: %2").arg(m_target.host, error),
            {{NoticeRetry, tr("Try Again")}, {NoticeLocal, tr("Run on This Computer")}},
            NoticeBar::Tone::Warning);
    }
    updateStatus();
    updateDialog();
    Q_EMIT serverChecked();
}

void TargetController::onNotice(const QString &id)
{
    if (!id.startsWith(QLatin1String("target-")))
        return;
    m_window->noticeBar()->hideNotice();
    if (id == NoticeRetry) {
        refresh();
    } else if (id == NoticeLocal) {
        use(QString());
        Q_EMIT chosen(QString());
    } else if (id == NoticeDecline) {
        Q_EMIT declined(offerKey(m_offered));
    } else if (id == NoticeAccept && m_offered.server.isSet()) {
        // The pack's last id part names the target: org.example.gpu-course → gpu-course.
        QString name = jobFolderName(m_offered.id.section(QLatin1Char('.'), -1));
        if (!Target::checkName(name))
            name = QStringLiteral("course");
        const Target wanted = targetFor(m_offered.server, name);
        TargetStore store;
        Result<Target> existing = store.find(name);
        Status added = existing && existing->url() == wanted.url() ? store.add(wanted, true)
                                                                   : store.add(wanted, false);
        for (int i = 2; !added && i < 10; ++i)
            added = store.add(targetFor(m_offered.server, name + QStringLiteral("-%1").arg(i)));
        if (!added) {
            m_window->statusBar()->showMessage(added.error(), 15000);
            return;
        }
        Result<QList<Target>> all = store.load();
        QString chosenName = name;
        if (all)
            for (const Target &t : *all)
                if (t.url() == wanted.url())
                    chosenName = t.name;
        use(chosenName);
        Q_EMIT chosen(chosenName);
    }
}

void TargetController::offer(const Pack &pack, const QStringList &declined)
{
    if (!pack.server.isSet() || declined.contains(offerKey(pack)))
        return;
    Result<QList<Target>> all = TargetStore().load();
    if (all)
        for (const Target &t : *all)
            if (t.host == pack.server.host)
                return; // set up already: the learner picks it in Settings
    m_offered = pack;
    const QString where =
        pack.server.partition.isEmpty()
            ? pack.server.host
            : tr("%1 (Slurm, partition %2)").arg(pack.server.host, pack.server.partition);
    m_window->noticeBar()->showNotice(
        tr("This course runs its GPU lessons on %1. Run your code there? Your SSH key is used; "
           "the lab never asks for a password.")
            .arg(where),
        {{NoticeAccept, tr("Run There")}, {NoticeDecline, tr("Not Now")}});
}

void TargetController::attach(DoctorDialog *dialog)
{
    m_dialog = dialog;
    updateDialog();
}

void TargetController::updateStatus()
{
    if (m_target.isLocal()) {
        m_window->setTargetText(tr("Runs on this computer"),
                                tr("Settings → Run on picks a course GPU server instead."));
        return;
    }
    QString tip = m_target.url();
    if (!m_summary.isEmpty())
        tip += QLatin1Char('\n') + m_summary.join(QLatin1Char('\n'));
    if (!m_error.isEmpty())
        tip += QLatin1Char('\n') + m_error;
    m_window->setTargetText(tr("Runs on %1").arg(m_target.describe()), tip);
}

void TargetController::updateDialog()
{
    if (!m_dialog)
        return;
    if (m_target.isLocal())
        m_dialog->setRemote(QString(), {}, QString());
    else
        m_dialog->setRemote(m_target.describe(), m_summary, m_error);
}

} // namespace torchlab
