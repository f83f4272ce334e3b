#include "widgets/course/lessonnavigator.h"

#include "widgets/style/statusicons.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <functional>

namespace torchlab {

namespace {

constexpr int LessonIdRole = Qt::UserRole + 1;

StatusGlyph glyphFor(LessonStatus status)
{
    switch (status) {
    case LessonStatus::Passed:
        return StatusGlyph::Passed;
    case LessonStatus::InProgress:
        return StatusGlyph::Half;
    case LessonStatus::NotStarted:
        break;
    }
    return StatusGlyph::Empty;
}

QString statusText(LessonStatus status)
{
    switch (status) {
    case LessonStatus::Passed:
        return LessonNavigator::tr("Passed");
    case LessonStatus::InProgress:
        return LessonNavigator::tr("In progress");
    case LessonStatus::NotStarted:
        break;
    }
    return LessonNavigator::tr("Not started");
}

// "01" from "01-hello"; the position in the course when the folder has no number.
QString lessonNumber(const Lesson &lesson, int position)
{
    qsizetype digits = 0;
    while (digits < lesson.folder.size() && lesson.folder.at(digits).isDigit())
        ++digits;
    if (digits > 0)
        return lesson.folder.left(digits);
    return QStringLiteral("%1").arg(position, 2, 10, QLatin1Char('0'));
}

// Enter/Return on a lesson activates it; QTreeWidget's own itemActivated also
// fires on double-click, which would emit twice after the click.
class ActivationFilter : public QObject
{
public:
    ActivationFilter(QTreeWidget *tree, std::function<void(QTreeWidgetItem *)> activate)
        : QObject(tree), m_tree(tree), m_activate(std::move(activate))
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_tree && event->type() == QEvent::KeyPress) {
            const auto *key = static_cast<QKeyEvent *>(event);
            if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                m_tree->currentItem()) {
                m_activate(m_tree->currentItem());
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QTreeWidget *m_tree;
    std::function<void(QTreeWidgetItem *)> m_activate;
};

} // namespace

LessonNavigator::LessonNavigator(QWidget *parent)
    : QWidget(parent), m_tree(new QTreeWidget(this)), m_progress(new QProgressBar(this)),
      m_summary(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_tree->setColumnCount(2);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setIndentation(14);
    m_tree->setIconSize(QSize(16, 16));
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setAccessibleName(tr("Lessons"));

    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);

    layout->addWidget(m_tree, 1);
    auto *footer = new QVBoxLayout;
    footer->setContentsMargins(6, 2, 6, 4);
    footer->setSpacing(4);
    footer->addWidget(m_progress);
    footer->addWidget(m_summary);
    layout->addLayout(footer);

    auto activate = [this](QTreeWidgetItem *item) {
        const QString id = item ? item->data(0, LessonIdRole).toString() : QString();
        if (!id.isEmpty())
            Q_EMIT lessonActivated(id);
    };
    connect(m_tree, &QTreeWidget::itemClicked, this,
            [activate](QTreeWidgetItem *item, int) { activate(item); });
    m_tree->installEventFilter(new ActivationFilter(m_tree, activate));

    updateSummary();
}

void LessonNavigator::setPack(const Pack &pack, const QString &language)
{
    m_tree->clear();
    m_items.clear();
    const QString previousCurrent = m_current;
    m_current.clear();

    const int rowHeight = qMax(fontMetrics().height(), 16) + 8;
    int position = 0;
    for (qsizetype dayIndex = 0; dayIndex < pack.days.size(); ++dayIndex) {
        const PackDay &day = pack.days[dayIndex];
        auto *dayItem = new QTreeWidgetItem(m_tree);
        const QString title = localized(day.title, language);
        const QString numbered = tr("Day %1").arg(dayIndex + 1);
        // A pack whose day title already says the day ("Day 1", "Day 1: tensors",
        // "第 1 天") is not given the number twice.
        const QString bare = QString(title).remove(QLatin1Char(' '));
        const bool saysTheDay =
            title.startsWith(numbered, Qt::CaseInsensitive) ||
            title.startsWith(QStringLiteral("Day %1").arg(dayIndex + 1), Qt::CaseInsensitive) ||
            bare.startsWith(QStringLiteral("第%1天").arg(dayIndex + 1));
        dayItem->setText(0, title.isEmpty() ? numbered
                            : saysTheDay    ? title
                                            : tr("Day %1 · %2").arg(dayIndex + 1).arg(title));
        dayItem->setFlags(Qt::ItemIsEnabled);
        dayItem->setToolTip(0, dayItem->text(0)); // cut off in a narrow list
        // Day rows are headings: a little smaller, semi-bold and muted, so the
        // bold current lesson still stands out.
        QFont dayFont = dayItem->font(0);
        dayFont.setWeight(QFont::DemiBold);
        dayFont.setPointSizeF(dayFont.pointSizeF() * 0.92);
        dayItem->setFont(0, dayFont);
        dayItem->setFont(1, dayFont);
        dayItem->setForeground(0, mutedBrush());
        dayItem->setForeground(1, mutedBrush());
        dayItem->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        dayItem->setSizeHint(0, QSize(-1, rowHeight + 6));

        for (const QString &folder : day.lessons) {
            const Lesson *lesson = pack.lesson(folder);
            if (!lesson)
                continue;
            ++position;
            auto *item = new QTreeWidgetItem(dayItem);
            item->setText(0, QStringLiteral("%1  %2").arg(lessonNumber(*lesson, position),
                                                          localized(lesson->title, language)));
            item->setData(0, LessonIdRole, lesson->id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            item->setSizeHint(0, QSize(-1, rowHeight));
            m_items.insert(lesson->id, item);
        }
        dayItem->setExpanded(true);
    }

    // Statuses known before the pack (or from a previous pack) apply again.
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it)
        setStatus(it.key(), m_statuses.value(it.key(), LessonStatus::NotStarted));
    if (m_items.contains(previousCurrent))
        setCurrentLesson(previousCurrent);
    updateSummary();
}

void LessonNavigator::setStatuses(const QHash<QString, LessonStatus> &statuses)
{
    m_statuses = statuses;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it)
        setStatus(it.key(), statuses.value(it.key(), LessonStatus::NotStarted));
    updateSummary();
}

void LessonNavigator::setStatus(const QString &lessonId, LessonStatus status)
{
    m_statuses.insert(lessonId, status);
    if (QTreeWidgetItem *item = m_items.value(lessonId)) {
        item->setIcon(0, statusIcon(glyphFor(status), palette()));
        item->setToolTip(0, QStringLiteral("%1 — %2").arg(item->text(0), statusText(status)));
        item->setData(0, Qt::AccessibleDescriptionRole, statusText(status));
    }
    updateSummary();
}

LessonStatus LessonNavigator::status(const QString &lessonId) const
{
    return m_statuses.value(lessonId, LessonStatus::NotStarted);
}

void LessonNavigator::setCurrentLesson(const QString &lessonId)
{
    if (QTreeWidgetItem *old = m_items.value(m_current)) {
        QFont f = old->font(0);
        f.setBold(false);
        old->setFont(0, f);
    }
    m_current = lessonId;
    QTreeWidgetItem *item = m_items.value(lessonId);
    if (!item) {
        m_tree->clearSelection();
        return;
    }
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    if (item->parent())
        item->parent()->setExpanded(true);
    m_tree->setCurrentItem(item);
    m_tree->scrollToItem(item);
}

void LessonNavigator::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (auto it = m_items.cbegin(); it != m_items.cend(); ++it)
            it.value()->setIcon(0, statusIcon(glyphFor(status(it.key())), palette()));
        const QBrush muted = mutedBrush();
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            m_tree->topLevelItem(i)->setForeground(0, muted);
            m_tree->topLevelItem(i)->setForeground(1, muted);
        }
    }
}

QBrush LessonNavigator::mutedBrush() const
{
    QColor c = palette().color(QPalette::Text);
    c.setAlphaF(0.62);
    return c;
}

int LessonNavigator::passedCount() const
{
    int passed = 0;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it)
        if (m_statuses.value(it.key()) == LessonStatus::Passed)
            ++passed;
    return passed;
}

void LessonNavigator::updateSummary()
{
    const int total = int(m_items.size());
    const int passed = passedCount();
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(passed);
    m_summary->setText(tr("%1 of %2 lessons passed").arg(passed).arg(total));

    // Each day shows how many of its lessons are passed.
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *day = m_tree->topLevelItem(i);
        int dayPassed = 0;
        for (int j = 0; j < day->childCount(); ++j)
            if (m_statuses.value(day->child(j)->data(0, LessonIdRole).toString()) ==
                LessonStatus::Passed)
                ++dayPassed;
        day->setText(1, QStringLiteral("%1/%2").arg(dayPassed).arg(day->childCount()));
    }
}

} // namespace torchlab
