#include "widgets/dialogs/doctordialog.h"

#include "widgets/style/statusicons.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

namespace torchlab {

namespace {

StatusGlyph glyphFor(Verdict::Severity severity)
{
    switch (severity) {
    case Verdict::Severity::Ok:
        return StatusGlyph::Passed;
    case Verdict::Severity::Info:
        return StatusGlyph::Info;
    case Verdict::Severity::Warning:
        return StatusGlyph::Warning;
    case Verdict::Severity::Error:
        break;
    }
    return StatusGlyph::Error;
}

QUrl iconUrl(Verdict::Severity severity)
{
    return QUrl(QStringLiteral("torchlab-icon:") + Verdict::severityName(severity));
}

QString headline(Verdict::Severity worst)
{
    switch (worst) {
    case Verdict::Severity::Ok:
    case Verdict::Severity::Info:
        return DoctorDialog::tr("Everything the lab needs is in place.");
    case Verdict::Severity::Warning:
        return DoctorDialog::tr("The lab works; some things deserve a look.");
    case Verdict::Severity::Error:
        break;
    }
    return DoctorDialog::tr("Something keeps the lab from building exercises.");
}

} // namespace

DoctorDialog::DoctorDialog(QWidget *parent)
    : QDialog(parent), m_view(new QTextBrowser(this)), m_reportView(new QPlainTextEdit(this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("Environment"));
    resize(760, 640);

    auto *layout = new QVBoxLayout(this);
    m_view->setOpenExternalLinks(true);
    m_view->setAccessibleName(tr("Findings"));

    m_reportView->setReadOnly(true);
    m_reportView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_reportView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_reportView->setAccessibleName(tr("Full report"));

    auto *reportBox = new QWidget(this);
    auto *reportLayout = new QVBoxLayout(reportBox);
    reportLayout->setContentsMargins(0, 0, 0, 0);
    auto *reportLabel = new QLabel(tr("Full report (paste it when you ask for help):"), reportBox);
    reportLayout->addWidget(reportLabel);
    reportLayout->addWidget(m_reportView, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(reportBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copyButton = buttons->addButton(tr("Copy report"), QDialogButtonBox::ActionRole);
    m_recheckButton = buttons->addButton(tr("Check again"), QDialogButtonBox::ActionRole);
    m_copyButton->setToolTip(tr("Copy the full report as plain text to the clipboard."));
    m_recheckButton->setToolTip(tr("Look for LibTorch, compilers and the GPU again."));
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_text);
        m_status->setText(tr("Report copied to the clipboard."));
    });
    connect(m_recheckButton, &QPushButton::clicked, this, &DoctorDialog::recheckRequested);

    registerIcons();
    m_view->setHtml(QStringLiteral("<p>%1</p>").arg(tr("No report yet.").toHtmlEscaped()));
    m_copyButton->setEnabled(false);
}

void DoctorDialog::registerIcons()
{
    QTextDocument *doc = m_view->document();
    for (auto severity : {Verdict::Severity::Ok, Verdict::Severity::Info,
                          Verdict::Severity::Warning, Verdict::Severity::Error}) {
        const qreal dpr = devicePixelRatioF();
        doc->addResource(QTextDocument::ImageResource, iconUrl(severity),
                         statusPixmap(glyphFor(severity), 18, dpr, palette()).toImage());
    }
}

void DoctorDialog::setReport(const EnvironmentReport &report)
{
    m_text = report.toText();
    m_reportView->setPlainText(m_text);
    m_copyButton->setEnabled(true);
    m_status->clear();
    registerIcons();

    QString html = QStringLiteral("<h3 style=\"color:%1\">%2</h3>")
                       .arg(statusColor(glyphFor(report.worst()), palette()).name(),
                            headline(report.worst()).toHtmlEscaped());
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"6\" width=\"100%\">");
    for (const Verdict &v : report.verdicts) {
        const QString colour = statusColor(glyphFor(v.severity), palette()).name();
        html += QStringLiteral("<tr><td valign=\"top\" width=\"26\"><img src=\"%1\" width=\"18\" "
                               "height=\"18\"></td><td valign=\"top\">")
                    .arg(iconUrl(v.severity).toString());
        html += QStringLiteral("<b style=\"color:%1\">%2</b>").arg(colour, v.title.toHtmlEscaped());
        if (!v.explanation.isEmpty())
            html += QStringLiteral("<br>%1").arg(v.explanation.toHtmlEscaped());
        if (!v.fix.isEmpty())
            html += QStringLiteral("<br><b>%1</b> %2")
                        .arg(tr("Fix:").toHtmlEscaped(), v.fix.toHtmlEscaped());
        html += QStringLiteral("</td></tr>");
    }
    html += QStringLiteral("</table>");
    if (!report.requestError.isEmpty())
        html += QStringLiteral("<p style=\"color:%1\">%2</p>")
                    .arg(statusColor(StatusGlyph::Error, palette()).name(),
                         report.requestError.toHtmlEscaped());
    m_localHtml = html;
    m_view->setHtml(m_remoteHtml + m_localHtml);
}

void DoctorDialog::setRemote(const QString &where, const QStringList &lines, const QString &error)
{
    m_remoteHtml.clear();
    if (!where.isEmpty()) {
        const StatusGlyph glyph = !error.isEmpty()  ? StatusGlyph::Error
                                  : lines.isEmpty() ? StatusGlyph::Info
                                                    : StatusGlyph::Passed;
        m_remoteHtml = QStringLiteral("<h3 style=\"color:%1\">%2</h3>")
                           .arg(statusColor(glyph, palette()).name(),
                                tr("Runs happen on %1").arg(where).toHtmlEscaped());
        if (!error.isEmpty())
            m_remoteHtml += QStringLiteral("<p>%1</p>").arg(error.toHtmlEscaped());
        else if (lines.isEmpty())
            m_remoteHtml +=
                QStringLiteral("<p>%1</p>").arg(tr("Asking the server…").toHtmlEscaped());
        else
            m_remoteHtml += QStringLiteral("<p>%1</p>")
                                .arg(lines.join(QStringLiteral("\n"))
                                         .toHtmlEscaped()
                                         .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        m_remoteHtml += QStringLiteral("<h3>%1</h3>").arg(tr("This computer").toHtmlEscaped());
    }
    m_view->setHtml(m_remoteHtml + m_localHtml);
}

QString DoctorDialog::findingsText() const
{
    return m_view->toPlainText();
}

void DoctorDialog::setBusy(bool busy)
{
    m_recheckButton->setEnabled(!busy);
    m_status->setText(busy ? tr("Checking…") : QString());
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

} // namespace torchlab
