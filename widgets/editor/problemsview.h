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

    // Where the diagnostics come from: the last Run or Check, or the build
    // made while the learner typed (marked so in the header).
    enum class Source
    {
        Run,
        Typing
    };
    void setDiagnostics(const QList<Diagnostic> &diagnostics, Source source = Source::Run);
    void clearDiagnostics();
    Source source() const { return m_source; }
    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }

Q_SIGNALS:
    void activated(const QString &file, int line, int column);
    void countsChanged(int errors, int warnings);

private:
    int m_errors = 0;
    int m_warnings = 0;
    Source m_source = Source::Run;
};

} // namespace torchlab
