#pragma once

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QMap>
#include <QString>

class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;

namespace torchlab {

// The learner's code from one lesson a pack update removed.
struct RemovedLessonCode
{
    QString lessonId;
    QDateTime lastEdited;        // UTC
    QMap<QString, QString> code; // file name -> text
};

// Course → Code from removed lessons…: read-only views of the learner's code
// for lessons the current pack no longer has, so nothing typed is lost. A list
// of lessons (newest edit first) on the left; one read-only tab per file on the
// right, with Copy (the shown file to the clipboard) and Save As… (the shown
// file to a place the learner picks; the dialog writes it with QSaveFile and
// says where, or why not).
class RemovedLessonsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RemovedLessonsDialog(const QList<RemovedLessonCode> &lessons,
                                  QWidget *parent = nullptr);

    int lessonCount() const;
    bool selectLesson(const QString &lessonId);
    QString shownLessonId() const;
    QString shownFileName() const;
    QString shownText() const;
    // Writes the shown file to `path` (Save As… asks for it first).
    bool saveShownFile(const QString &path, QString *error = nullptr);

    QListWidget *lessonList() const { return m_lessons; }
    QTabWidget *fileTabs() const { return m_files; }
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *saveButton() const { return m_save; }

private:
    // Private members are the implementation's choice.
    void showCurrentLesson();
    void updateButtons();
    void showStatus(const QString &text, bool error);

    QList<RemovedLessonCode> m_data; // newest edit first
    QListWidget *m_lessons = nullptr;
    QTabWidget *m_files = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr; // what Copy or Save As… did
};

} // namespace torchlab
