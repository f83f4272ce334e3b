#include "widgets/dialogs/packkeyfield.h"

#include "widgets/style/statusicons.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>

namespace torchlab {

namespace {

constexpr qint64 MaxKeyFileBytes = 4096;

// These three strings were written in each dialog before the field was shared,
// and resources/translations/torchlab_zh_CN.ts translates them under each
// dialog's context. They keep those contexts: the QT_TRANSLATE_NOOP entries let
// lupdate find them there, and QCoreApplication::translate() looks them up
// under the holding dialog's context (PackKeyField::m_trContext). The field's
// own tr() strings are in the context torchlab::PackKeyField, which they
// already had as free helper functions.
constexpr char LoadText[] = "Load from File…";
constexpr char LoadTitle[] = "Choose the Instructor's Public Key";
constexpr char LoadFilter[] = "Minisign public keys (*.pub);;All files (*)";
[[maybe_unused]] constexpr const char *HolderStrings[] = {
    QT_TRANSLATE_NOOP("torchlab::InstallPackDialog", "Load from File…"),
    QT_TRANSLATE_NOOP("torchlab::InstallPackDialog", "Choose the Instructor's Public Key"),
    QT_TRANSLATE_NOOP("torchlab::InstallPackDialog", "Minisign public keys (*.pub);;All files (*)"),
    QT_TRANSLATE_NOOP("torchlab::SubscribeDialog", "Load from File…"),
    QT_TRANSLATE_NOOP("torchlab::SubscribeDialog", "Choose the Instructor's Public Key"),
    QT_TRANSLATE_NOOP("torchlab::SubscribeDialog", "Minisign public keys (*.pub);;All files (*)"),
};

void setTone(QLabel *label, bool error)
{
    QPalette p = label->palette();
    const QPalette parentPalette =
        label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    p.setColor(QPalette::WindowText, error ? statusColor(StatusGlyph::Error, parentPalette)
                                           : parentPalette.color(QPalette::WindowText));
    label->setPalette(p);
}

} // namespace

PackKeyField::PackKeyField(const char *trContext, QWidget *parent)
    : QWidget(parent), m_trContext(trContext), m_edit(new QPlainTextEdit(this)),
      m_loadButton(new QPushButton(QCoreApplication::translate(trContext, LoadText), this))
{
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAnywhere);
    m_edit->setPlaceholderText(tr("RWQ… or the whole minisign.pub file"));
    // Room for a minisign.pub (comment line + key line) without a scroll bar.
    const QFontMetrics metrics(m_edit->font());
    const int frame = 2 * m_edit->frameWidth() + int(2 * m_edit->document()->documentMargin());
    m_edit->setFixedHeight(3 * metrics.lineSpacing() + frame + 2);

    m_loadButton->setAutoDefault(false);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_loadButton, 0, Qt::AlignTop);

    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        m_fileError.clear();
        Q_EMIT changed();
    });
    connect(m_loadButton, &QPushButton::clicked, this, &PackKeyField::browse);
}

void PackKeyField::setStartDirectory(std::function<QString()> directory)
{
    m_startDirectory = std::move(directory);
}

void PackKeyField::setKeyText(const QString &text)
{
    m_edit->setPlainText(text);
}

bool PackKeyField::loadKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_fileError = tr("Cannot read the key file %1: %2")
                          .arg(QDir::toNativeSeparators(path), file.errorString());
        Q_EMIT changed();
        return false;
    }
    const QByteArray bytes = file.read(MaxKeyFileBytes + 1);
    if (bytes.size() > MaxKeyFileBytes) {
        m_fileError =
            tr("%1 is too large to be a minisign public key.").arg(QDir::toNativeSeparators(path));
        Q_EMIT changed();
        return false;
    }
    m_edit->setPlainText(QString::fromUtf8(bytes).trimmed()); // clears m_fileError
    QString why;
    if (!MinisignPublicKey::parse(m_edit->toPlainText().trimmed(), &why)) {
        m_fileError =
            tr("%1 does not hold a public key. %2").arg(QDir::toNativeSeparators(path), why);
        Q_EMIT changed();
        return false;
    }
    return true;
}

std::optional<MinisignPublicKey> PackKeyField::key() const
{
    return MinisignPublicKey::parse(m_edit->toPlainText().trimmed());
}

QString PackKeyField::problem(bool *isError) const
{
    const QString text = m_edit->toPlainText().trimmed();
    if (isError)
        *isError = !m_fileError.isEmpty() || !text.isEmpty();
    if (!m_fileError.isEmpty())
        return m_fileError;
    if (text.isEmpty())
        return tr("Paste the instructor's public key (the line starting with RW) or load "
                  "their .pub file.");
    QString why;
    if (MinisignPublicKey::parse(text, &why))
        return QString();
    return why;
}

void PackKeyField::showStatus(QLabel *line, const QString &problem, bool isError) const
{
    if (problem.isEmpty()) {
        if (const std::optional<MinisignPublicKey> k = key())
            line->setText(tr("Key ID %1. Check that it is the one your instructor announced.")
                              .arg(k->keyIdHex()));
    } else {
        line->setText(problem);
    }
    setTone(line, !problem.isEmpty() && isError);
}

void PackKeyField::browse()
{
    const QString path =
        QFileDialog::getOpenFileName(window(), QCoreApplication::translate(m_trContext, LoadTitle),
                                     m_startDirectory ? m_startDirectory() : QDir::homePath(),
                                     QCoreApplication::translate(m_trContext, LoadFilter));
    if (!path.isEmpty())
        loadKeyFile(path);
}

} // namespace torchlab
