#pragma once

#include "core/packs/minisign.h"

#include <QDialog>
#include <QString>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace torchlab {

class PackKeyField;

// Install a pack from a file: the archive (.tar.gz/.tgz/.tar/.zip), its
// .minisig (filled in as archive + ".minisig" when that file exists), and the
// instructor's public key, pasted ("RW…" or the whole minisign.pub) or read
// from a key file. Each field has a Browse… button. Install is enabled only
// when the archive and signature exist and the key parses (MinisignPublicKey
// in core); otherwise a line under the fields says what is missing, in plain
// words. Nothing is installed here: the caller reads the values after exec().
class InstallPackDialog : public QDialog
{
    Q_OBJECT
public:
    explicit InstallPackDialog(QWidget *parent = nullptr);

    void setArchive(const QString &path); // also guesses the signature
    void setSignature(const QString &path);
    void setKeyText(const QString &text);
    bool loadKeyFile(const QString &path); // false (and the reason shown) when unreadable/invalid

    QString archive() const;
    QString signature() const;
    std::optional<MinisignPublicKey> key() const;
    bool isComplete() const; // what enables Install
    QString problem() const; // the sentence shown when !isComplete()

    QLineEdit *archiveEdit() const { return m_archive; }
    QLineEdit *signatureEdit() const { return m_signature; }
    QPlainTextEdit *keyEdit() const;
    QDialogButtonBox *buttons() const { return m_buttons; }
    QPushButton *installButton() const { return m_installButton; }

private:
    // Private members are the implementation's choice.
    QString check(bool *isError) const; // problem(), and whether it is an error or a step to take
    void guessSignature(const QString &archivePath);
    void refresh();
    QString startDirectory(const QString &near) const;

    QLineEdit *m_archive = nullptr;
    QLineEdit *m_signature = nullptr;
    PackKeyField *m_keyField = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_installButton = nullptr;
    QString m_guessedSignature; // the signature setArchive() filled in, if any
};

} // namespace torchlab
