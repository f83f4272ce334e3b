#pragma once

#include "core/build/diagnostic.h"

#include <QTreeWidget>

namespace torchlab {

// The Problems list: one row per diagnostic (severity icon, "file:line:col",
// message), notes as children. Activating a row (double-click, Enter) emits
// activated() with the learner location, so the editor can jump there.
class ProblemsView : public QTreeWidget
{
    Q_OBJECT
public:
    explicit ProblemsView(QWidget *parent = nullptr);

    void setDiagnostics(const QList<Diagnostic> &diagnostics);
    void clearDiagnostics();
    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }

Q_SIGNALS:
    void activated(const QString &file, int line, int column);
    void countsChanged(int errors, int warnings);

private:
    int m_errors = 0;
    int m_warnings = 0;
};

} // namespace torchlab
