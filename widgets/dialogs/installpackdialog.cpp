#include "widgets/dialogs/installpackdialog.h"

#include "widgets/dialogs/dialogheight.h"
#include "widgets/dialogs/packkeyfield.h"
#include "widgets/dialogs/trustnote.h"

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
      m_keyField(new PackKeyField(staticMetaObject.className(), this)), m_problem(new QLabel(this)),
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

    auto *browseArchive = new QPushButton(tr("Browse…"), this);
    auto *browseSignature = new QPushButton(tr("Browse…"), this);
    for (QPushButton *b : {browseArchive, browseSignature})
        b->setAutoDefault(false);
    // The fields first, then their buttons, as before the key field was shared.
    setTabOrder(browseSignature, m_keyField->loadButton());
    browseArchive->setAccessibleName(tr("Browse for the pack archive"));
    browseSignature->setAccessibleName(tr("Browse for the signature"));

    auto row = [](QWidget *field, QWidget *button) {
        auto *box = new QHBoxLayout;
        box->addWidget(field, 1);
        box->addWidget(button, 0, Qt::AlignTop);
        return box;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("Pack &archive:"), row(m_archive, browseArchive));
    form->addRow(tr("&Signature:"), row(m_signature, browseSignature));
    form->addRow(tr("Instructor's public &key:"), m_keyField);
    // QFormLayout gives buddies only to the field widget it holds; these rows hold layouts
    // or, for the key, a field whose text edit is what the shortcut should focus.
    for (int i = 0; i < form->rowCount(); ++i) {
        auto *label = qobject_cast<QLabel *>(form->itemAt(i, QFormLayout::LabelRole)->widget());
        QWidget *buddies[] = {m_archive, m_signature, m_keyField->edit()};
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
    layout->addWidget(makeTrustNote(this));
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
    connect(m_keyField, &PackKeyField::changed, this, [this] { refresh(); });
    m_keyField->setStartDirectory([this] { return startDirectory(archive()); });
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
    m_keyField->setKeyText(text);
}

bool InstallPackDialog::loadKeyFile(const QString &path)
{
    return m_keyField->loadKeyFile(path);
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
    return m_keyField->key();
}

QPlainTextEdit *InstallPackDialog::keyEdit() const
{
    return m_keyField->edit();
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
    return m_keyField->problem(isError);
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
    m_keyField->showStatus(m_problem, why, error);
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
