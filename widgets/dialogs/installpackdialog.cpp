#include "dialogs/installpackdialog.h"

#include "dialogs/dialogheight.h"
#include "dialogs/packkeyfield.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace torchlab {

InstallPackDialog::InstallPackDialog(QWidget *parent)
    : QDialog(parent), m_archive(new QLineEdit(this)), m_signature(new QLineEdit(this)),
      m_key(new QPlainTextEdit(this)), m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Install Pack from File"));
    // Wide enough for a whole minisign key on one line in the key field.
    resize(740, 0);

    auto *intro = new QLabel(tr("A pack is code that will run on this computer, so the lab "
                                "installs it only with its signature and the public key of the "
                                "instructor who signed it."),
                             this);
    intro->setWordWrap(true);

    m_archive->setPlaceholderText(tr("course-pack-1.0.0.tar.gz"));
    m_signature->setPlaceholderText(tr("course-pack-1.0.0.tar.gz.minisig"));
    packkeyfield::setUp(m_key);

    auto *browseArchive = new QPushButton(tr("Browse…"), this);
    auto *browseSignature = new QPushButton(tr("Browse…"), this);
    auto *browseKey = new QPushButton(tr("Load from File…"), this);
    for (QPushButton *b : {browseArchive, browseSignature, browseKey})
        b->setAutoDefault(false);
    browseArchive->setAccessibleName(tr("Browse for the pack archive"));
    browseSignature->setAccessibleName(tr("Browse for the signature"));

    auto row = [this](QWidget *field, QWidget *button) {
        auto *box = new QHBoxLayout;
        box->addWidget(field, 1);
        box->addWidget(button, 0, Qt::AlignTop);
        return box;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("Pack &archive:"), row(m_archive, browseArchive));
    form->addRow(tr("&Signature:"), row(m_signature, browseSignature));
    form->addRow(tr("Instructor's public &key:"), row(m_key, browseKey));
    // QFormLayout gives buddies only to the field widget it holds; these rows hold layouts.
    for (int i = 0; i < form->rowCount(); ++i) {
        auto *label = qobject_cast<QLabel *>(form->itemAt(i, QFormLayout::LabelRole)->widget());
        QWidget *buddies[] = {m_archive, m_signature, m_key};
        if (label)
            label->setBuddy(buddies[i]);
    }

    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_installButton = m_buttons->addButton(tr("&Install"), QDialogButtonBox::AcceptRole);
    m_installButton->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(4);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    keepHeightForWidth(this);

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isComplete())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_archive, &QLineEdit::textChanged, this, [this] { refresh(); });
    // Only the learner's typing guesses here; setArchive() guesses itself.
    connect(m_archive, &QLineEdit::textEdited, this,
            [this](const QString &text) { guessSignature(text); });
    connect(m_signature, &QLineEdit::textChanged, this, [this] { refresh(); });
    connect(m_key, &QPlainTextEdit::textChanged, this, [this] {
        m_keyFileError.clear();
        refresh();
    });
    connect(browseArchive, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Choose a Pack Archive"), startDirectory(archive()),
            tr("Lesson packs (*.tar.gz *.tgz *.tar *.zip);;All files (*)"));
        if (!path.isEmpty())
            setArchive(path);
    });
    connect(browseSignature, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Choose the Signature"),
            startDirectory(signature().isEmpty() ? archive() : signature()),
            tr("Minisign signatures (*.minisig);;All files (*)"));
        if (!path.isEmpty())
            setSignature(path);
    });
    connect(browseKey, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Choose the Instructor's Public Key"), startDirectory(archive()),
            tr("Minisign public keys (*.pub);;All files (*)"));
        if (!path.isEmpty())
            loadKeyFile(path);
    });

    refresh();
}

void InstallPackDialog::setArchive(const QString &path)
{
    m_archive->setText(QDir::toNativeSeparators(path));
    guessSignature(path);
    refresh(); // the same text again emits nothing, but the file may have come or gone
}

void InstallPackDialog::setSignature(const QString &path)
{
    m_signature->setText(QDir::toNativeSeparators(path));
    refresh();
}

void InstallPackDialog::setKeyText(const QString &text)
{
    m_key->setPlainText(text);
}

bool InstallPackDialog::loadKeyFile(const QString &path)
{
    QString error;
    const std::optional<QString> text = packkeyfield::readKeyFile(path, &error);
    if (!text) {
        m_keyFileError = error;
        refresh();
        return false;
    }
    m_key->setPlainText(*text); // clears m_keyFileError
    if (!key()) {
        m_keyFileError = packkeyfield::notAKeyFile(path, m_key->toPlainText());
        refresh();
        return false;
    }
    return true;
}

QString InstallPackDialog::archive() const
{
    return QDir::fromNativeSeparators(m_archive->text().trimmed());
}

QString InstallPackDialog::signature() const
{
    return QDir::fromNativeSeparators(m_signature->text().trimmed());
}

std::optional<MinisignPublicKey> InstallPackDialog::key() const
{
    return MinisignPublicKey::parse(m_key->toPlainText().trimmed());
}

bool InstallPackDialog::isComplete() const
{
    return problem().isEmpty();
}

QString InstallPackDialog::problem() const
{
    return check(nullptr);
}

QString InstallPackDialog::check(bool *isError) const
{
    // An empty field is a step still to take (plain tone); a filled-in field
    // that is wrong is an error (error tone).
    auto say = [isError](const QString &text, bool error) {
        if (isError)
            *isError = error;
        return text;
    };
    const QString archivePath = archive();
    if (archivePath.isEmpty())
        return say(tr("Choose the pack archive (.tar.gz, .tgz, .tar or .zip)."), false);
    const QFileInfo archiveInfo(archivePath);
    if (!archiveInfo.exists())
        return say(tr("There is no file %1.").arg(QDir::toNativeSeparators(archivePath)), true);
    if (!archiveInfo.isFile())
        return say(
            tr("%1 is a folder, not a pack archive.").arg(QDir::toNativeSeparators(archivePath)),
            true);
    const QString signaturePath = signature();
    if (signaturePath.isEmpty())
        return say(tr("Choose the signature file (the archive's name followed by .minisig). "
                      "Ask your instructor for it if you do not have it."),
                   false);
    if (!QFileInfo(signaturePath).isFile())
        return say(
            tr("There is no signature file %1.").arg(QDir::toNativeSeparators(signaturePath)),
            true);
    if (!m_keyFileError.isEmpty())
        return say(m_keyFileError, true);
    const QString keyText = m_key->toPlainText();
    return say(packkeyfield::keyProblem(keyText), !keyText.trimmed().isEmpty());
}

void InstallPackDialog::guessSignature(const QString &archivePath)
{
    // Fill in the usual companion file, but never overwrite a signature the
    // learner chose themselves (only an empty field or our own earlier guess).
    const QString current = signature();
    if (!current.isEmpty() && current != m_guessedSignature)
        return;
    const QString guess =
        QDir::fromNativeSeparators(archivePath.trimmed()) + QStringLiteral(".minisig");
    if (!archivePath.trimmed().isEmpty() && QFileInfo(guess).isFile()) {
        m_guessedSignature = guess;
        setSignature(guess);
    } else if (!current.isEmpty()) {
        m_guessedSignature.clear();
        m_signature->clear();
    }
}

void InstallPackDialog::refresh()
{
    bool error = false;
    const QString why = check(&error);
    if (why.isEmpty()) {
        if (const std::optional<MinisignPublicKey> k = key())
            m_problem->setText(packkeyfield::keyIdSentence(*k));
    } else {
        m_problem->setText(why);
    }
    packkeyfield::setTone(m_problem, !why.isEmpty() && error);
    m_installButton->setEnabled(why.isEmpty());
}

QString InstallPackDialog::startDirectory(const QString &near) const
{
    const QFileInfo info(near);
    if (!near.isEmpty() && info.dir().exists())
        return info.absolutePath();
    return QDir::homePath();
}

} // namespace torchlab
