#pragma once

#include "doctor/environmentreport.h"

#include <QDialog>

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
    void setBusy(bool busy);                  // "Checking…" while a new report is gathered
    QString reportText() const { return m_text; }

Q_SIGNALS:
    void recheckRequested();

private:
    QTextBrowser *m_view = nullptr;
    QString m_text;
};

} // namespace torchlab
