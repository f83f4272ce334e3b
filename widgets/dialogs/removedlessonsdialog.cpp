#include "widgets/dialogs/removedlessonsdialog.h"

#include "widgets/style/statusicons.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace torchlab {

namespace {

constexpr int LessonIndexRole = Qt::UserRole;

} // namespace

RemovedLessonsDialog::RemovedLessonsDialog(const QList<RemovedLessonCode> &lessons, QWidget *parent)
    : QDialog(parent), m_data(lessons), m_lessons(new QListWidget(this)),
      m_files(new QTabWidget(this))
{
    setWindowTitle(tr("Code from Removed Lessons"));
    resize(860, 560);

    // Newest edit first: the code the learner is most likely looking for.
    std::stable_sort(m_data.begin(), m_data.end(),
                     [](const RemovedLessonCode &a, const RemovedLessonCode &b) {
                         return a.lastEdited > b.lastEdited;
                     });

    auto *intro = new QLabel(tr("A course update removed these lessons. Your code from them is "
                                "kept here, read only: copy it or save it to a file."),
                             this);
    intro->setWordWrap(true);

    m_lessons->setAccessibleName(tr("Removed lessons"));
    m_lessons->setSpacing(2);
    for (int i = 0; i < m_data.size(); ++i) {
        const RemovedLessonCode &lesson = m_data.at(i);
        QString label = lesson.lessonId;
        if (lesson.lastEdited.isValid())
            label +=
                QLatin1Char('\n') +
                tr("Last edited %1")
                    .arg(QLocale().toString(lesson.lastEdited.toLocalTime(), QLocale::ShortFormat));
        auto *item = new QListWidgetItem(label, m_lessons);
        item->setData(LessonIndexRole, i);
        item->setToolTip(lesson.lessonId);
    }

    // Wide enough for the longest lesson id and date, within reason.
    int listWidth = 0;
    for (int row = 0; row < m_lessons->count(); ++row)
        for (const QString &line : m_lessons->item(row)->text().split(QLatin1Char('\n')))
            listWidth = qMax(listWidth, m_lessons->fontMetrics().horizontalAdvance(line));
    m_lessons->setMinimumWidth(qBound(200, listWidth + 40, 380));

    m_files->setDocumentMode(true);
    m_files->setAccessibleName(tr("Files"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_lessons);
    splitter->addWidget(m_files);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    m_save = buttons->addButton(tr("Save As…"), QDialogButtonBox::ActionRole);
    m_copy->setToolTip(tr("Copy the shown file to the clipboard."));
    m_save->setToolTip(tr("Save the shown file somewhere you choose."));
    m_copy->setAutoDefault(false);
    m_save->setAutoDefault(false);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    if (m_data.isEmpty()) {
        auto *none = new QLabel(tr("No code from removed lessons: every lesson you worked on is "
                                   "still in the course."),
                                this);
        none->setWordWrap(true);
        layout->addWidget(none);
        splitter->hide();
    }
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_lessons, &QListWidget::currentRowChanged, this, [this] { showCurrentLesson(); });
    connect(m_files, &QTabWidget::currentChanged, this, [this] { updateButtons(); });
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(shownText());
        showStatus(tr("Copied %1 to the clipboard.").arg(shownFileName()), false);
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save %1").arg(shownFileName()),
            QDir(dir.isEmpty() ? QDir::homePath() : dir).filePath(shownFileName()));
        if (path.isEmpty())
            return;
        QString error;
        if (saveShownFile(path, &error))
            showStatus(tr("Saved to %1.").arg(QDir::toNativeSeparators(path)), false);
        else
            showStatus(error, true);
    });

    if (!m_data.isEmpty())
        m_lessons->setCurrentRow(0);
    updateButtons();
}

int RemovedLessonsDialog::lessonCount() const
{
    return int(m_data.size());
}

bool RemovedLessonsDialog::selectLesson(const QString &lessonId)
{
    for (int row = 0; row < m_lessons->count(); ++row) {
        const int index = m_lessons->item(row)->data(LessonIndexRole).toInt();
        if (m_data.at(index).lessonId == lessonId) {
            m_lessons->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

QString RemovedLessonsDialog::shownLessonId() const
{
    const QListWidgetItem *item = m_lessons->currentItem();
    return item ? m_data.at(item->data(LessonIndexRole).toInt()).lessonId : QString();
}

QString RemovedLessonsDialog::shownFileName() const
{
    const int tab = m_files->currentIndex();
    // Kept as tab data: a tab's text may gain a mnemonic '&'.
    return tab < 0 ? QString() : m_files->tabBar()->tabData(tab).toString();
}

QString RemovedLessonsDialog::shownText() const
{
    const auto *view = qobject_cast<const QPlainTextEdit *>(m_files->currentWidget());
    return view ? view->toPlainText() : QString();
}

bool RemovedLessonsDialog::saveShownFile(const QString &path, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_files->currentIndex() < 0)
        return fail(tr("No file is shown."));
    // The stored text, not the view's: QPlainTextEdit would turn a CRLF file into LF.
    const QListWidgetItem *item = m_lessons->currentItem();
    const QByteArray bytes =
        item ? m_data.at(item->data(LessonIndexRole).toInt()).code.value(shownFileName()).toUtf8()
             : shownText().toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fail(
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    return true;
}

void RemovedLessonsDialog::showCurrentLesson()
{
    m_status->clear();
    while (m_files->count() > 0) {
        QWidget *page = m_files->widget(0);
        m_files->removeTab(0);
        page->deleteLater();
    }
    const QListWidgetItem *item = m_lessons->currentItem();
    if (item) {
        const RemovedLessonCode &lesson = m_data.at(item->data(LessonIndexRole).toInt());
        const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        for (auto it = lesson.code.cbegin(); it != lesson.code.cend(); ++it) {
            auto *view = new QPlainTextEdit(m_files);
            view->setReadOnly(true);
            view->setLineWrapMode(QPlainTextEdit::NoWrap);
            view->setFont(mono);
            view->setPlainText(it.value());
            view->setAccessibleName(it.key());
            QString label = it.key();
            const int tab =
                m_files->addTab(view, label.replace(QLatin1Char('&'), QStringLiteral("&&")));
            m_files->tabBar()->setTabData(tab, it.key());
        }
        m_files->setCurrentIndex(0);
    }
    updateButtons();
}

void RemovedLessonsDialog::updateButtons()
{
    const bool shown = m_files->currentIndex() >= 0;
    m_copy->setEnabled(shown);
    m_save->setEnabled(shown);
}

void RemovedLessonsDialog::showStatus(const QString &text, bool error)
{
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, error ? statusColor(StatusGlyph::Error, palette())
                                           : palette().color(QPalette::WindowText));
    m_status->setPalette(p);
    m_status->setText(text);
}

} // namespace torchlab
