#include "dialogs/packkeyfield.h"

#include "style/statusicons.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QLabel>
#include <QPlainTextEdit>

namespace torchlab::packkeyfield {

namespace {

constexpr qint64 MaxKeyFileBytes = 4096;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackKeyField)
};

} // namespace

void setUp(QPlainTextEdit *edit)
{
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    edit->setWordWrapMode(QTextOption::WrapAnywhere);
    edit->setPlaceholderText(Tr::tr("RWQ… or the whole minisign.pub file"));
    // Room for a minisign.pub (comment line + key line) without a scroll bar.
    const QFontMetrics metrics(edit->font());
    const int frame = 2 * edit->frameWidth() + int(2 * edit->document()->documentMargin());
    edit->setFixedHeight(3 * metrics.lineSpacing() + frame + 2);
}

std::optional<QString> readKeyFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = Tr::tr("Cannot read the key file %1: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(MaxKeyFileBytes + 1);
    if (bytes.size() > MaxKeyFileBytes) {
        if (error)
            *error = Tr::tr("%1 is too large to be a minisign public key.")
                         .arg(QDir::toNativeSeparators(path));
        return std::nullopt;
    }
    return QString::fromUtf8(bytes).trimmed();
}

QString notAKeyFile(const QString &path, const QString &text)
{
    QString why;
    MinisignPublicKey::parse(text, &why);
    return Tr::tr("%1 does not hold a public key. %2").arg(QDir::toNativeSeparators(path), why);
}

QString keyProblem(const QString &text)
{
    if (text.trimmed().isEmpty())
        return Tr::tr("Paste the instructor's public key (the line starting with RW) or load "
                      "their .pub file.");
    QString why;
    if (MinisignPublicKey::parse(text.trimmed(), &why))
        return QString();
    return why;
}

QString keyIdSentence(const MinisignPublicKey &key)
{
    return Tr::tr("Key ID %1. Check that it is the one your instructor announced.")
        .arg(key.keyIdHex());
}

void setTone(QLabel *label, bool error)
{
    QPalette p = label->palette();
    const QPalette parentPalette =
        label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    p.setColor(QPalette::WindowText, error ? statusColor(StatusGlyph::Error, parentPalette)
                                           : parentPalette.color(QPalette::WindowText));
    label->setPalette(p);
}

} // namespace torchlab::packkeyfield
