#include "widgets/editor/problemsview.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QStyle>

namespace torchlab {

namespace {

enum Role
{
    FileRole = Qt::UserRole + 1,
    LineRole,
    ColumnRole
};

QString locationText(const QString &file, int line, int column)
{
    if (file.isEmpty())
        return QString();
    QString text = QFileInfo(file).fileName();
    if (line > 0) {
        text += u':' + QString::number(line);
        if (column > 0)
            text += u':' + QString::number(column);
    }
    return text;
}

} // namespace

ProblemsView::ProblemsView(QWidget *parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Location"), tr("Message")});
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setTextElideMode(Qt::ElideRight);
    setWordWrap(false);
    setAllColumnsShowFocus(true);

    // itemActivated covers double-click, Enter and the platform's
    // single-click preference alike.
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const int line = item->data(0, LineRole).toInt();
        const QString file = item->data(0, FileRole).toString();
        if (!file.isEmpty() && line > 0)
            Q_EMIT activated(file, line, item->data(0, ColumnRole).toInt());
    });
}

void ProblemsView::setDiagnostics(const QList<Diagnostic> &diagnostics, Source source)
{
    clear();
    m_errors = 0;
    m_warnings = 0;
    m_source = source;
    setHeaderLabels({tr("Location"), source == Source::Typing
                                         ? tr("Message (found while you typed, before Run)")
                                         : tr("Message")});

    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon noteIcon = style()->standardIcon(QStyle::SP_MessageBoxInformation);

    auto fill = [&](QTreeWidgetItem *item, const Diagnostic &d) {
        // Jump to where the learner can act: the line of exercise.cpp that
        // instantiated a failing LibTorch template, not the header.
        const QString file = d.hasLearnerLocation() ? d.learnerFile : d.file;
        const int line = d.hasLearnerLocation() ? d.learnerLine : d.line;
        const int column = d.hasLearnerLocation() ? d.learnerColumn : d.column;
        QString location = locationText(file, line, column);
        if (location.isEmpty())
            location = d.tool == Diagnostic::Tool::Linker ? tr("linker") : tr("compiler");
        item->setText(0, location);
        QString message = d.message;
        if (!d.symbol.isEmpty() && !message.contains(d.symbol))
            message += QStringLiteral(" (%1)").arg(d.symbol);
        item->setText(1, message);
        QString tip = message;
        if (d.hasLearnerLocation() && !d.file.isEmpty() && d.file != d.learnerFile)
            tip += u'\n' + tr("Reported in %1").arg(locationText(d.file, d.line, d.column));
        item->setToolTip(0, tip);
        item->setToolTip(1, tip);
        item->setData(0, FileRole, file);
        item->setData(0, LineRole, line);
        item->setData(0, ColumnRole, column);
        switch (d.severity) {
        case Diagnostic::Severity::Error:
        case Diagnostic::Severity::Fatal:
            item->setIcon(0, errorIcon);
            break;
        case Diagnostic::Severity::Warning:
            item->setIcon(0, warningIcon);
            break;
        case Diagnostic::Severity::Note:
            item->setIcon(0, noteIcon);
            break;
        }
    };

    QList<QTreeWidgetItem *> rows;
    for (const Diagnostic &d : diagnostics) {
        auto *row = new QTreeWidgetItem;
        fill(row, d);
        for (const Diagnostic &note : d.notes) {
            auto *child = new QTreeWidgetItem(row);
            fill(child, note);
        }
        rows.append(row);
        if (d.isError())
            ++m_errors;
        else if (d.severity == Diagnostic::Severity::Warning)
            ++m_warnings;
    }
    addTopLevelItems(rows);
    if (!rows.isEmpty())
        setCurrentItem(rows.first());
    Q_EMIT countsChanged(m_errors, m_warnings);
}

void ProblemsView::clearDiagnostics()
{
    setDiagnostics({});
}

} // namespace torchlab
