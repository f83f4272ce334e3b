#pragma once

#include "core/doctor/environmentreport.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace torchlab {

// The Environment dialog: the doctor's verdicts (severity icon, title,
// explanation, fix) and the full report text, with "Copy report" (plain text,
// EnvironmentReport::toText) and "Check again" (emits recheckRequested; the
// caller gathers a new report off the GUI thread and calls setReport).
class DoctorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DoctorDialog(QWidget *parent = nullptr);

    void setReport(const EnvironmentReport &report);
    // Runs happen elsewhere: that machine's findings come first. `lines` is
    // what its doctor found; `error` why it could not be asked; both empty
    // while it is being asked. An empty `where` removes the section.
    void setRemote(const QString &where, const QStringList &lines, const QString &error);
    void setBusy(bool busy); // "Checking…" while a new report is gathered
    QString reportText() const { return m_text; }
    // The findings as the learner reads them, without markup (tests, accessibility).
    QString findingsText() const;

Q_SIGNALS:
    void recheckRequested();

private:
    void registerIcons();

    QTextBrowser *m_view = nullptr;
    QPlainTextEdit *m_reportView = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_recheckButton = nullptr;
    QString m_text;
    QString m_localHtml;
    QString m_remoteHtml;
};

} // namespace torchlab
