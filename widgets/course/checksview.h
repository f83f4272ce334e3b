#pragma once

#include "core/grading/checkreport.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class QTextBrowser;
class QFrame;
class QProgressBar;
class QScrollArea;

namespace torchlab {

// The Checks panel: the overall verdict in one line, then each check with a
// pass/fail/error icon, its name and (for failures) its message and output.
// Below: progressive hints ("Show a hint (1 of 3)" reveals the next one),
// "Show solution" when the pack allows it, and an explanation card for runs
// that ended badly (out of memory, crash, time limit): what happened and what
// to try. All texts arrive translated; the panel holds no grading logic.
class ChecksView : public QWidget
{
    Q_OBJECT
public:
    explicit ChecksView(QWidget *parent = nullptr);

    void clearReport();                   // before a lesson's first check
    void setRunning(const QString &what); // "Checking…" with a busy indicator
    void setReport(const CheckReport &report);
    const CheckReport &report() const { return m_report; }

    // All hints of the lesson and how many are shown. The hint button reveals
    // the next one at once and emits hintRequested() so the caller can record
    // it (ProgressStore::recordHint); calling setHints() again is harmless.
    void setHints(const QStringList &hints, int revealed);
    int revealedHints() const { return m_revealed; }
    void setSolutionAvailable(bool available, const QString &whyNot = QString());

    // An explanation card (empty title hides it): e.g. "GPU out of memory",
    // the runner's explanation, and a list of things to try.
    void showExplanation(const QString &title, const QString &text, const QStringList &tips = {});
    bool explanationVisible() const;
    // Every line of the card has its full height (scrolling may be needed to see it).
    bool explanationFullyShown() const;
    QScrollArea *scrollArea() const { return m_scroll; }
    bool verdictVisible() const; // the headline line above the card and the list
    QString verdictText() const;
    QString explanationTitle() const;

    // Learner files whose `file:line` locations in check output become
    // clickable rows (locationActivated); by file name, as in the console.
    void setLinkFiles(const QStringList &files);
    QTreeWidget *checkList() const { return m_list; }

Q_SIGNALS:
    void hintRequested();
    void solutionRequested(); // show the solution (diff or into a read-only view)
    void locationActivated(const QString &file, int line, int column);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void renderHints();
    void activateItem(QTreeWidgetItem *item);
    void applyCardStyle();
    void fitHintsHeight();
    void applyHintsPalette();
    void updateVerdictVisibility();

    CheckReport m_report;
    QLabel *m_verdict = nullptr;
    QTreeWidget *m_list = nullptr;
    QTextBrowser *m_hintsView = nullptr;
    QPushButton *m_hintButton = nullptr;
    QPushButton *m_solutionButton = nullptr;
    QScrollArea *m_scroll = nullptr;
    QFrame *m_card = nullptr;
    QLabel *m_cardTitle = nullptr;
    QLabel *m_cardText = nullptr;
    QLabel *m_cardTips = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_detail = nullptr; // the report's message, timings and notes
    QStringList m_linkFiles;
    bool m_hasReport = false;
    QStringList m_hints;
    int m_revealed = 0;
};

} // namespace torchlab
