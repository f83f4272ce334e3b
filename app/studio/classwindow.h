#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QProcess;
class QTableWidget;
class QTimer;

namespace torchlab {

// Course ▸ Class…: for instructors, the grader account's records of
// server-graded Checks (`torchlab-cli class status`, docs/instructors.md) as a
// table, one row per student and lesson, refreshed every RefreshMs. The
// records are this account's, or a saved target's (its `class status --json`
// over ssh).
class ClassWindow : public QDialog
{
    Q_OBJECT
public:
    static constexpr int RefreshMs = 10'000;

    explicit ClassWindow(QWidget *parent = nullptr);
    ~ClassWindow() override;

    // Reads the records now (a target's: asks and returns; the table follows).
    void refresh();
    // Fills the table from a `class status --json` object.
    void showStatus(const QJsonObject &status);
    QTableWidget *table() const { return m_table; }

private:
    void onFetched();

    QComboBox *m_source = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QTimer *m_timer = nullptr;
    QProcess *m_process = nullptr;
};

} // namespace torchlab
