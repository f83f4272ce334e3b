#pragma once

#include "core/packs/minisign.h"

#include <QDialog>
#include <QString>
#include <QUrl>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace torchlab {

class PackKeyField;
struct SubscribeLink;

// Subscribe to an instructor's feed: the feed URL and the instructor's public
// key (pasted, or from a key file via Browse…). Pasting a whole
// torchlab://subscribe?… link into the URL field fills both fields (and shows
// the link's name); setLink() does the same for a link the lab was opened with,
// so the student only confirms. Subscribe is enabled only when the URL is
// http(s) and the key parses; otherwise a plain sentence says what is wrong.
// A plain-http URL that is not on this machine gets a visible note that the
// signature, not the connection, is what protects the student.
class SubscribeDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SubscribeDialog(QWidget *parent = nullptr);

    void setLink(const SubscribeLink &link);
    void setUrlText(const QString &text); // a URL or a torchlab:// link
    void setKeyText(const QString &text);
    bool loadKeyFile(const QString &path);

    QUrl feedUrl() const;
    std::optional<MinisignPublicKey> key() const;
    QString linkName() const; // the name a link carried; empty otherwise
    bool isComplete() const;
    QString problem() const;

    QLineEdit *urlEdit() const { return m_url; }
    QPlainTextEdit *keyEdit() const;
    QDialogButtonBox *buttons() const { return m_buttons; }
    QPushButton *subscribeButton() const { return m_subscribeButton; }
    // The plain-http note (shown or hidden with its icon).
    QWidget *plainHttpNote() const { return m_noteRow; }

private:
    // Private members are the implementation's choice.
    QString check(bool *isError) const; // problem(), and whether it is an error or a step to take
    void urlChanged(const QString &text);
    void refresh();

    QLineEdit *m_url = nullptr;
    PackKeyField *m_keyField = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_subscribeButton = nullptr;
    QLabel *m_noteIcon = nullptr;
    QWidget *m_noteRow = nullptr;
    QString m_linkError; // why the torchlab:// text in the URL field does not parse
    QString m_linkFeed;  // the feed URL a link filled in, while the field still shows it
    QString m_linkName;
};

} // namespace torchlab
