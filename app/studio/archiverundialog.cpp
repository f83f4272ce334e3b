#include "studio/archiverundialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace torchlab {

ArchiveRunDialog::ArchiveRunDialog(const BundleMetadata &initial, const QString &suggestedName,
                                   QWidget *parent)
    : QDialog(parent), m_initial(initial)
{
    setWindowTitle(tr("Export Run for Archiving"));
    auto *form = new QFormLayout;
    m_title = new QLineEdit(initial.title, this);
    form->addRow(tr("&Title:"), m_title);
    m_authors = new QPlainTextEdit(this);
    m_authors->setPlaceholderText(tr("One author per line: Name, or Name, ORCID iD"));
    m_authors->setTabChangesFocus(true);
    m_authors->setFixedHeight(m_authors->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(tr("&Authors:"), m_authors);
    m_license = new QComboBox(this);
    m_license->setEditable(true);
    m_license->addItems({QStringLiteral("CC-BY-4.0"), QStringLiteral("CC0-1.0"),
                         QStringLiteral("MIT"), QStringLiteral("Apache-2.0"),
                         QStringLiteral("BSD-3-Clause")});
    m_license->setCurrentText(initial.license.isEmpty() ? QStringLiteral("CC-BY-4.0")
                                                        : initial.license);
    m_license->setToolTip(tr("An SPDX license identifier"));
    form->addRow(tr("&License:"), m_license);
    m_description = new QPlainTextEdit(initial.description, this);
    m_description->setTabChangesFocus(true);
    form->addRow(tr("&Description:"), m_description);
    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(QDir::home().filePath(suggestedName), this);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ArchiveRunDialog::browse);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    // A label with a buddy, so that its mnemonic works and no '&' shows.
    auto *pathLabel = new QLabel(tr("&Save as:"), this);
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d02424"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ArchiveRunDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ArchiveRunDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("The code, environment, seed, output, metrics and plots of "
                                    "the last finished run, with CITATION.cff, Zenodo metadata "
                                    "and a SHA-256 manifest, as one .tar.gz."),
                                 this));
    layout->itemAt(0)->widget()->setProperty("wordWrap", true);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    resize(620, sizeHint().height());
}

Result<QList<BundleAuthor>> ArchiveRunDialog::authors() const
{
    QList<BundleAuthor> list;
    const QStringList lines = m_authors->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        Result<BundleAuthor> author = parseBundleAuthor(line);
        if (!author)
            return fail(author.error());
        list << *author;
    }
    return list;
}

BundleMetadata ArchiveRunDialog::metadata() const
{
    BundleMetadata m = m_initial;
    m.title = m_title->text().trimmed();
    m.authors = authors().valueOr({});
    m.license = m_license->currentText().trimmed();
    m.description = m_description->toPlainText().trimmed();
    return m;
}

QString ArchiveRunDialog::path() const
{
    return m_path->text().trimmed();
}

void ArchiveRunDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

void ArchiveRunDialog::setAuthorsText(const QString &text)
{
    m_authors->setPlainText(text);
}

void ArchiveRunDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export Run for Archiving"),
                                                        path(), tr("Archive (*.tar.gz)"));
    if (!chosen.isEmpty())
        m_path->setText(chosen.endsWith(QLatin1String(".tar.gz"))
                            ? chosen
                            : chosen + QStringLiteral(".tar.gz"));
}

void ArchiveRunDialog::accept()
{
    QString problem;
    if (const Result<QList<BundleAuthor>> a = authors(); !a)
        problem = a.error();
    else if (m_title->text().trimmed().isEmpty())
        problem = tr("The archive needs a title.");
    else if (m_license->currentText().trimmed().isEmpty())
        problem = tr("Choose a license (CC-BY-4.0 if unsure).");
    else if (path().isEmpty())
        problem = tr("Choose where to save the archive.");
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace torchlab
