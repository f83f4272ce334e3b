#pragma once

#include <QDialog>

class QTextEdit;

namespace torchlab {

// Shows a line diff (editor/linediff.h in core) of two texts as a unified
// diff, removed lines red, added green; read-only, copyable. Line-end
// differences (CRLF/LF) do not count as changes. Used for "compare with
// the solution" and for "the starter changed in a pack update".
class DiffDialog : public QDialog
{
    Q_OBJECT
public:
    DiffDialog(const QString &title, const QString &leftLabel, const QString &left,
               const QString &rightLabel, const QString &right, QWidget *parent = nullptr);

    int changedLineCount() const { return m_changed; } // added + removed lines, for tests
    QString diffText() const;                          // unified text, for tests and copying

private:
    QTextEdit *m_view = nullptr;
    int m_changed = 0;
    QString m_unified;
};

} // namespace torchlab
