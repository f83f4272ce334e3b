#include "widgets/course/checksview.h"

#include "core/console/ansitext.h"
#include "core/console/outputlinks.h"
#include "widgets/style/statusicons.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStyledItemDelegate>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace torchlab {

namespace {

constexpr int LinkFileRole = Qt::UserRole + 1;
constexpr int LinkLineRole = Qt::UserRole + 2;
constexpr int LinkColumnRole = Qt::UserRole + 3;
constexpr int CheckIdRole = Qt::UserRole + 4;
// Output beyond this many lines stays in the tooltip; the panel is not a console.
constexpr int MaxOutputRows = 40;

// Rows wrap at the column's width instead of eliding: check messages are
// sentences the learner must read whole. QTreeView asks sizeHint() without a
// width, so the delegate supplies the column's, less the row's indentation.
class WrappingDelegate : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeWidget *tree) : QStyledItemDelegate(tree), m_tree(tree) {}

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        int depth = m_tree->rootIsDecorated() ? 1 : 0;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        const int width = m_tree->columnWidth(index.column()) - depth * m_tree->indentation();
        opt.rect = QRect(0, 0, qMax(80, width), 1); // a valid rect: the style wraps to its width
        opt.features |= QStyleOptionViewItem::WrapText;
        const QWidget *widget = opt.widget ? opt.widget : m_tree;
        QSize size =
            widget->style()->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), widget);
        size.rheight() += 2;
        return size;
    }

private:
    QTreeWidget *m_tree;
};

StatusGlyph glyphFor(CheckResult::Status status)
{
    switch (status) {
    case CheckResult::Status::Pass:
        return StatusGlyph::Passed;
    case CheckResult::Status::Fail:
        return StatusGlyph::Failed;
    case CheckResult::Status::Skipped:
        return StatusGlyph::Info;
    case CheckResult::Status::Error:
        break;
    }
    return StatusGlyph::Warning;
}

QString seconds(qint64 ms)
{
    return QLocale().toString(double(ms) / 1000.0, 'f', ms < 10000 ? 1 : 0);
}

} // namespace

ChecksView::ChecksView(QWidget *parent)
    : QWidget(parent), m_verdict(new QLabel(this)), m_list(new QTreeWidget(this)),
      m_hintsView(new QTextBrowser(this)), m_hintButton(new QPushButton(this)),
      m_solutionButton(new QPushButton(tr("Show solution"), this)), m_card(new QFrame(this)),
      m_cardTitle(new QLabel(m_card)), m_cardText(new QLabel(m_card)),
      m_cardTips(new QLabel(m_card)), m_busy(new QProgressBar(this)), m_detail(new QLabel(this))
{
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_detail->setObjectName(QStringLiteral("detail"));
    m_busy->setObjectName(QStringLiteral("busy"));
    m_hintButton->setObjectName(QStringLiteral("hintButton"));
    m_solutionButton->setObjectName(QStringLiteral("solutionButton"));
    m_hintsView->setObjectName(QStringLiteral("hintsView"));
    m_cardTitle->setObjectName(QStringLiteral("cardTitle"));
    m_cardText->setObjectName(QStringLiteral("cardText"));
    m_cardTips->setObjectName(QStringLiteral("cardTips"));

    // Everything scrolls as one page when the panel is short: an explanation
    // card is read whole, never clipped to the room left above the list.
    auto *content = new QWidget;
    content->setObjectName(QStringLiteral("checksContent"));
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("checksScroll"));
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);

    auto *verdictRow = new QHBoxLayout;
    verdictRow->setSpacing(8);
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setWordWrap(true);
    QFont verdictFont = m_verdict->font();
    verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.15);
    verdictFont.setBold(true);
    m_verdict->setFont(verdictFont);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_busy->hide();
    verdictRow->addWidget(m_verdict, 1);
    verdictRow->addWidget(m_busy, 0, Qt::AlignVCenter);
    layout->addLayout(verdictRow);

    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->hide();
    layout->addWidget(m_detail);

    // The explanation card: what happened to the run and what to try.
    m_card->setObjectName(QStringLiteral("explanationCard"));
    m_card->setFrameShape(QFrame::StyledPanel);
    auto *cardLayout = new QVBoxLayout(m_card);
    cardLayout->setContentsMargins(12, 10, 12, 10);
    cardLayout->setSpacing(4);
    QFont titleFont = m_cardTitle->font();
    titleFont.setBold(true);
    m_cardTitle->setFont(titleFont);
    m_cardTitle->setTextFormat(Qt::PlainText);
    for (QLabel *label : {m_cardTitle, m_cardText, m_cardTips}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        cardLayout->addWidget(label);
    }
    m_cardText->setTextFormat(Qt::PlainText);
    m_cardTips->setTextFormat(Qt::RichText);
    m_card->hide();
    layout->addWidget(m_card);

    m_list->setColumnCount(1);
    m_list->setHeaderHidden(true);
    m_list->setRootIsDecorated(true);
    m_list->setIndentation(18);
    m_list->setWordWrap(true);
    m_list->setUniformRowHeights(false);
    m_list->setIconSize(QSize(16, 16));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAccessibleName(tr("Checks"));
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setItemDelegate(new WrappingDelegate(m_list));
    // Wrapped rows change height with the width.
    connect(m_list->header(), &QHeaderView::sectionResized, m_list,
            [list = m_list] { list->doItemsLayout(); });
    // A few rows at least; beyond that the list takes what the panel has.
    m_list->setMinimumHeight(4 * m_list->fontMetrics().height() + 16);
    layout->addWidget(m_list, 1);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_hintButton);
    buttons->addWidget(m_solutionButton);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_hintsView->setOpenExternalLinks(true);
    m_hintsView->setFrameShape(QFrame::NoFrame);
    applyHintsPalette();
    m_hintsView->setAccessibleName(tr("Hints"));
    layout->addWidget(m_hintsView);

    connect(m_hintButton, &QPushButton::clicked, this, [this] {
        if (m_revealed >= m_hints.size())
            return;
        ++m_revealed;
        renderHints();
        Q_EMIT hintRequested();
    });
    connect(m_solutionButton, &QPushButton::clicked, this, &ChecksView::solutionRequested);
    connect(m_list, &QTreeWidget::itemActivated, this, &ChecksView::activateItem);
    connect(m_list, &QTreeWidget::itemClicked, this, &ChecksView::activateItem);

    applyCardStyle();
    setSolutionAvailable(false);
    renderHints();
    clearReport();
}

void ChecksView::applyCardStyle()
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString background = dark ? QStringLiteral("#3a2f1e") : QStringLiteral("#fff6e0");
    const QString border = dark ? QStringLiteral("#8a6a2a") : QStringLiteral("#e7c274");
    m_card->setStyleSheet(
        QStringLiteral("QFrame#explanationCard { background: %1; border: 1px solid %2;"
                       " border-radius: 6px; }"
                       " QFrame#explanationCard QLabel { background: transparent; }")
            .arg(background, border));
}

void ChecksView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyCardStyle();
        applyHintsPalette();
        if (m_hasReport)
            setReport(CheckReport(m_report)); // icons and colours follow the new palette
    }
}

// Hints sit on the alternate base colour, set apart from the check list.
void ChecksView::applyHintsPalette()
{
    QPalette hints = palette();
    hints.setColor(QPalette::Base, hints.color(QPalette::AlternateBase));
    m_hintsView->setPalette(hints);
}

void ChecksView::setLinkFiles(const QStringList &files)
{
    m_linkFiles = files;
}

void ChecksView::clearReport()
{
    m_report = CheckReport();
    m_hasReport = false;
    m_busy->hide();
    m_list->clear();
    m_detail->hide();
    m_verdict->setText(QStringLiteral("<span style=\"font-weight:normal\">%1</span>")
                           .arg(tr("Press Check (Ctrl+Enter) to test your code.").toHtmlEscaped()));
    updateVerdictVisibility();
}

// The invitation to press Check is no headline for a Run's explanation card:
// without a report (or a check in progress) the card speaks alone.
void ChecksView::updateVerdictVisibility()
{
    m_verdict->setVisible(m_hasReport || !m_busy->isHidden() || m_card->isHidden());
}

void ChecksView::setRunning(const QString &what)
{
    m_busy->show();
    m_verdict->show();
    m_list->clear();
    m_detail->hide();
    m_verdict->setText((what.isEmpty() ? tr("Checking…") : what).toHtmlEscaped());
}

void ChecksView::setReport(const CheckReport &report)
{
    m_report = report;
    m_hasReport = true;
    m_busy->hide();
    m_list->clear();
    m_verdict->show();

    const int total = int(report.tests.size());
    const int passed = report.count(CheckResult::Status::Pass);
    const int skipped = report.count(CheckResult::Status::Skipped);
    StatusGlyph glyph = StatusGlyph::Warning;
    QString headline;
    switch (report.status) {
    case CheckResult::Status::Pass:
        glyph = StatusGlyph::Passed;
        headline =
            skipped > 0
                //: %1 checks passed, %n could not run on this computer (no GPU, ...).
                ? tr("%1 of %2 checks passed, %n skipped", nullptr, skipped).arg(passed).arg(total)
                : tr("All %1 checks passed").arg(total);
        break;
    case CheckResult::Status::Fail:
        glyph = StatusGlyph::Failed;
        headline = tr("%1 of %2 checks passed").arg(passed).arg(total);
        break;
    case CheckResult::Status::Error:
    case CheckResult::Status::Skipped: // a lesson's status is never "skipped"
        headline = tr("The checks could not finish");
        break;
    }
    const QColor colour = statusColor(glyph, palette());
    m_verdict->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                           .arg(colour.name(), headline.toHtmlEscaped()));

    QStringList detail;
    // The runner's message often repeats the headline ("2 of 4 checks passed.").
    if (!report.message.isEmpty() && (report.status != CheckResult::Status::Pass || skipped > 0) &&
        !report.message.startsWith(headline))
        detail << report.message;
    QStringList timing;
    if (report.compileMs > 0)
        timing << tr("compiled in %1 s").arg(seconds(report.compileMs));
    if (report.runMs > 0)
        timing << tr("ran for %1 s").arg(seconds(report.runMs));
    if (report.quick)
        timing << tr("quick mode");
    if (!timing.isEmpty())
        detail << timing.join(QStringLiteral(" · "));
    for (const QString &note : report.notes)
        detail << note;
    m_detail->setText(detail.join(QLatin1Char('\n')));
    m_detail->setVisible(!detail.isEmpty());

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QColor linkColour = palette().color(QPalette::Link);
    QColor muted = palette().color(QPalette::Text);
    muted.setAlphaF(0.75);

    for (const CheckResult &result : report.tests) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setIcon(0, statusIcon(glyphFor(result.status), palette()));
        item->setText(0, result.title.isEmpty() ? result.name : result.title);
        item->setToolTip(0, result.name); // the stable id, as the pack's files name it
        item->setData(0, CheckIdRole, result.name);
        item->setData(0, Qt::AccessibleDescriptionRole, CheckResult::statusName(result.status));
        if (result.status != CheckResult::Status::Pass) {
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
        }

        if (!result.message.isEmpty()) {
            auto *message = new QTreeWidgetItem(item);
            message->setText(0, result.message);
            message->setToolTip(0, result.message);
            message->setFlags(Qt::ItemIsEnabled);
        }

        const QString output = AnsiParser::strip(result.output).trimmed();
        if (!output.isEmpty()) {
            const QStringList lines = output.split(QLatin1Char('\n'));
            const qsizetype first = qMax<qsizetype>(0, lines.size() - MaxOutputRows);
            if (first > 0) {
                auto *more = new QTreeWidgetItem(item);
                more->setText(0, tr("… %n earlier line(s) in the tooltip", nullptr, int(first)));
                more->setFont(0, mono);
                more->setForeground(0, muted);
                more->setFlags(Qt::ItemIsEnabled);
            }
            for (qsizetype i = first; i < lines.size(); ++i) {
                auto *row = new QTreeWidgetItem(item);
                row->setText(0, lines[i]);
                row->setFont(0, mono);
                row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                row->setToolTip(0, output.size() > 4000 ? output.right(4000) : output);
                row->setForeground(0, muted);
                const QList<OutputLink> links = findOutputLinks(lines[i], m_linkFiles);
                if (!links.isEmpty()) {
                    // The row takes the first location: one click goes there.
                    QFont linkFont = mono;
                    linkFont.setUnderline(true);
                    row->setFont(0, linkFont);
                    row->setForeground(0, linkColour);
                    row->setData(0, LinkFileRole, links.first().file);
                    row->setData(0, LinkLineRole, links.first().line);
                    row->setData(0, LinkColumnRole, links.first().column);
                    row->setToolTip(
                        0, tr("Go to %1, line %2").arg(links.first().file).arg(links.first().line));
                }
            }
        }
        // Failures open so their message and output show at once; a skipped
        // check shows why it could not run here.
        item->setExpanded(result.status != CheckResult::Status::Pass);
    }
    m_list->setCurrentItem(nullptr);
}

void ChecksView::activateItem(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString file = item->data(0, LinkFileRole).toString();
    if (file.isEmpty())
        return;
    Q_EMIT locationActivated(file, item->data(0, LinkLineRole).toInt(),
                             item->data(0, LinkColumnRole).toInt());
}

void ChecksView::setHints(const QStringList &hints, int revealed)
{
    m_hints = hints;
    m_revealed = qBound(0, revealed, int(hints.size()));
    renderHints();
}

void ChecksView::renderHints()
{
    const int total = int(m_hints.size());
    m_hintButton->setVisible(total > 0);
    if (m_revealed < total) {
        m_hintButton->setText(tr("Show a hint (%1 of %2)").arg(m_revealed + 1).arg(total));
        m_hintButton->setEnabled(true);
        m_hintButton->setToolTip(tr("Reveals one more hint. Try on your own first!"));
    } else {
        m_hintButton->setText(tr("All %n hint(s) shown", nullptr, total));
        m_hintButton->setEnabled(false);
        m_hintButton->setToolTip(QString());
    }

    QString markdown;
    for (int i = 0; i < m_revealed; ++i)
        markdown += QStringLiteral("**%1** %2\n\n").arg(tr("Hint %1.").arg(i + 1), m_hints[i]);
    m_hintsView->setMarkdown(markdown);
    m_hintsView->setVisible(m_revealed > 0);
    fitHintsHeight();
}

// The hints box is as tall as its text (up to a limit), so one short hint
// does not leave a large empty box under the checks.
void ChecksView::fitHintsHeight()
{
    QTextDocument *doc = m_hintsView->document();
    const int width = m_hintsView->width() - 2 * m_hintsView->frameWidth();
    doc->setTextWidth(qMax(100, width));
    const int height = int(std::ceil(doc->size().height())) + 2 * m_hintsView->frameWidth() + 2;
    m_hintsView->setFixedHeight(qBound(32, height, 200));
}

void ChecksView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitHintsHeight();
}

void ChecksView::setSolutionAvailable(bool available, const QString &whyNot)
{
    m_solutionButton->setEnabled(available);
    if (available)
        m_solutionButton->setToolTip(tr("Compare your code with the reference solution."));
    else
        m_solutionButton->setToolTip(
            whyNot.isEmpty() ? tr("The solution is not available for this lesson yet.") : whyNot);
}

void ChecksView::showExplanation(const QString &title, const QString &text, const QStringList &tips)
{
    if (title.isEmpty()) {
        m_card->hide();
        m_cardTitle->clear();
        updateVerdictVisibility();
        return;
    }
    m_cardTitle->setText(title);
    m_cardText->setText(text);
    m_cardText->setVisible(!text.isEmpty());
    QString list;
    if (!tips.isEmpty()) {
        list = QStringLiteral("<b>%1</b><ul style=\"margin-left:-20px\">")
                   .arg(tr("What to try").toHtmlEscaped());
        for (const QString &tip : tips)
            list += QStringLiteral("<li>%1</li>").arg(tip.toHtmlEscaped());
        list += QStringLiteral("</ul>");
    }
    m_cardTips->setText(list);
    m_cardTips->setVisible(!tips.isEmpty());
    m_card->show();
    updateVerdictVisibility();
}

bool ChecksView::explanationFullyShown() const
{
    if (m_card->isHidden())
        return true;
    for (QLabel *label : {m_cardTitle, m_cardText, m_cardTips}) {
        if (!label->isHidden() && label->height() < label->heightForWidth(label->width()))
            return false;
    }
    return true;
}

bool ChecksView::verdictVisible() const
{
    return !m_verdict->isHidden();
}

QString ChecksView::verdictText() const
{
    return m_verdict->text();
}

bool ChecksView::explanationVisible() const
{
    return !m_card->isHidden();
}

QString ChecksView::explanationTitle() const
{
    return m_card->isHidden() ? QString() : m_cardTitle->text();
}

} // namespace torchlab
