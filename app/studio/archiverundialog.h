#pragma once

#include "core/bundle/bundlemetadata.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace torchlab {

// Asks how an archived run is cited: title, authors (one per line, "Name" or
// "Name, ORCID"), license (default CC-BY-4.0), description, and where the
// archive goes. OK stays meaningful only with a valid author list and a path.
class ArchiveRunDialog : public QDialog
{
    Q_OBJECT
public:
    ArchiveRunDialog(const BundleMetadata &initial, const QString &suggestedName,
                     QWidget *parent = nullptr);

    BundleMetadata metadata() const;
    QString path() const;
    void setPath(const QString &path);
    void setAuthorsText(const QString &text);

    void accept() override;

private:
    void browse();
    Result<QList<BundleAuthor>> authors() const;

    BundleMetadata m_initial;
    QLineEdit *m_title = nullptr;
    QPlainTextEdit *m_authors = nullptr;
    QComboBox *m_license = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace torchlab
