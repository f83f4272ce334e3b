#pragma once

#include "core/course/pack.h"
#include "core/course/progressstore.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTreeWidget;
class QTreeWidgetItem;

namespace torchlab {

// The pack as a tree: days, then their lessons, each lesson with a status
// icon (not started / in progress / passed) and its number and title in the UI
// language; a progress bar with "n of m lessons passed" below. The current
// lesson is highlighted (bold, selected). Activating a lesson (click, Enter)
// emits lessonActivated(). Next/previous are actions of the main window
// (Alt+Down / Alt+Up, Ctrl+PgDown / Ctrl+PgUp); the navigator only shows.
class LessonNavigator : public QWidget
{
    Q_OBJECT
public:
    explicit LessonNavigator(QWidget *parent = nullptr);

    void setPack(const Pack &pack, const QString &language);
    void setStatuses(const QHash<QString, LessonStatus> &statuses);
    void setStatus(const QString &lessonId, LessonStatus status);
    LessonStatus status(const QString &lessonId) const;
    void setCurrentLesson(const QString &lessonId);
    QString currentLesson() const { return m_current; }
    int passedCount() const;
    QTreeWidget *tree() const { return m_tree; }

Q_SIGNALS:
    void lessonActivated(const QString &lessonId);

protected:
    void changeEvent(QEvent *event) override; // status icons follow a theme change

private:
    void updateSummary();
    QBrush mutedBrush() const;

    QTreeWidget *m_tree = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_summary = nullptr;
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<QString, LessonStatus> m_statuses;
    QString m_current;
};

} // namespace torchlab
