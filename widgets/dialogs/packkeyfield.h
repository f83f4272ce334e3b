#pragma once

#include "core/packs/minisign.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace torchlab {

// The instructor's public key field that InstallPackDialog and SubscribeDialog
// share, so both say the same things in the same words: a monospace text field
// about three lines high for a pasted key ("RW…" or the whole minisign.pub; Tab
// moves focus) and a "Load from File…" button beside it. The field only parses
// keys (MinisignPublicKey in core); the dialog decides what its key is for.
class PackKeyField : public QWidget
{
    Q_OBJECT
public:
    // trContext is the tr() context of the dialog that holds the field (its
    // class name, e.g. "torchlab::InstallPackDialog"): the button and its file
    // dialog are translated under it. The pointer must outlive the field (a
    // string literal or a staticMetaObject's className()).
    explicit PackKeyField(const char *trContext, QWidget *parent = nullptr);

    QPlainTextEdit *edit() const { return m_edit; }
    QPushButton *loadButton() const { return m_loadButton; }

    // Where "Load from File…" opens, asked each time it is clicked; the home
    // folder when never set.
    void setStartDirectory(std::function<QString()> directory);

    void setKeyText(const QString &text);
    // Reads a key file (at most 4 KiB) into the field. False when it cannot be
    // read, is too large, or holds no key; problem() then says why until the
    // key text changes.
    bool loadKeyFile(const QString &path);

    // The field's text, trimmed, parsed; nullopt while it is not a key.
    std::optional<MinisignPublicKey> key() const;
    // Empty when the key parses. Otherwise why not, in plain words: the last
    // loadKeyFile() failure, what to do with an empty field, or what is wrong
    // with the text. *isError (when given) is false for the empty field, a
    // step still to take, and true for a key that is wrong.
    QString problem(bool *isError = nullptr) const;

    // Puts a dialog's problem on its status line, in the error tone when
    // isError; with no problem, the key id to compare with the one the
    // instructor announced, in the plain tone.
    void showStatus(QLabel *line, const QString &problem, bool isError) const;

Q_SIGNALS:
    // The key text changed or loadKeyFile() failed: key() or problem() may differ.
    void changed();

private:
    void browse();

    const char *m_trContext;
    QPlainTextEdit *m_edit = nullptr;
    QPushButton *m_loadButton = nullptr;
    std::function<QString()> m_startDirectory;
    QString m_fileError; // why the last loadKeyFile() failed, until the key text changes
};

} // namespace torchlab
