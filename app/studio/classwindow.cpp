#include "studio/classwindow.h"

#include "core/grading/graderecords.h"
#include "core/remote/sshtransport.h"
#include "core/remote/target.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace torchlab {

namespace {

// "error text (1 student)", "error text (3 students)".
QString studentCount(const QString &what, int students)
{
    return students == 1 ? ClassWindow::tr("%1 (1 student)").arg(what)
                         : ClassWindow::tr("%1 (%2 students)").arg(what).arg(students);
}

} // namespace

namespace {

QString ago(const QJsonValue &seconds)
{
    if (seconds.isNull() || seconds.isUndefined())
        return ClassWindow::tr("never");
    const qint64 s = qint64(seconds.toDouble());
    if (s < 60)
        return ClassWindow::tr("%1 s ago").arg(s);
    if (s < 3600)
        return ClassWindow::tr("%1 min ago").arg(s / 60);
    if (s < 86400)
        return ClassWindow::tr("%1 h ago").arg(s / 3600);
    return ClassWindow::tr("%1 d ago").arg(s / 86400);
}

} // namespace

ClassWindow::ClassWindow(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Class"));
    resize(900, 500);
    m_source = new QComboBox(this);
    m_source->addItem(tr("This account's records"), QString());
    if (Result<QList<Target>> targets = TargetStore().load(); targets) {
        for (const Target &t : *targets)
            if (!t.isLocal())
                m_source->addItem(tr("Grader account of %1").arg(t.name), t.name);
    }
    auto *reload = new QPushButton(tr("Refresh"), this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Records:"), this));
    top->addWidget(m_source, 1);
    top->addWidget(reload);

    m_table = new QTableWidget(0, 7, this);
    m_table->setHorizontalHeaderLabels({tr("Student"), tr("Lesson"), tr("Passed"), tr("Tries"),
                                        tr("Last try"), tr("Last pass"), tr("Last error")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(reload, &QPushButton::clicked, this, &ClassWindow::refresh);
    connect(m_source, &QComboBox::currentIndexChanged, this, &ClassWindow::refresh);
    m_timer = new QTimer(this);
    m_timer->setInterval(RefreshMs);
    connect(m_timer, &QTimer::timeout, this, &ClassWindow::refresh);
    m_timer->start();
    refresh();
}

ClassWindow::~ClassWindow()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void ClassWindow::refresh()
{
    const QString target = m_source->currentData().toString();
    if (target.isEmpty()) {
        showStatus(classStatus(GradeRecords().load(), QString(), QDateTime::currentDateTimeUtc()));
        return;
    }
    if (m_process)
        return; // the last question is still on its way
    Result<Target> found = TargetStore().find(target);
    if (!found) {
        m_summary->setText(found.error());
        return;
    }
    const SshTransport ssh(*found);
    m_process = new QProcess(this);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::finished, this, &ClassWindow::onFetched);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onFetched();
    });
    QTimer::singleShot(60'000, m_process, [p = m_process] { p->kill(); });
    m_process->start(
        SshTransport::program(),
        ssh.arguments(ssh.cliCommand(
            {QStringLiteral("class"), QStringLiteral("status"), QStringLiteral("--json")})));
}

void ClassWindow::onFetched()
{
    QProcess *p = m_process;
    m_process = nullptr;
    if (!p)
        return;
    p->deleteLater();
    const QJsonDocument doc = QJsonDocument::fromJson(p->readAllStandardOutput());
    if (p->exitStatus() != QProcess::NormalExit || p->exitCode() != 0 || !doc.isObject()) {
        m_summary->setText(tr("The grader account did not answer: %1")
                               .arg(QString::fromUtf8(p->readAllStandardError()).trimmed()));
        return;
    }
    showStatus(doc.object());
}

void ClassWindow::showStatus(const QJsonObject &status)
{
    m_table->setRowCount(0);
    for (const QJsonValue &s : status.value(QStringLiteral("students")).toArray()) {
        const QJsonObject student = s.toObject();
        for (const QJsonValue &l : student.value(QStringLiteral("lessons")).toArray()) {
            const QJsonObject lesson = l.toObject();
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            const QStringList cells{student.value(QStringLiteral("student")).toString(),
                                    lesson.value(QStringLiteral("lesson")).toString(),
                                    lesson.value(QStringLiteral("passed")).toBool() ? tr("yes")
                                                                                    : tr("no"),
                                    QString::number(lesson.value(QStringLiteral("tries")).toInt()),
                                    ago(lesson.value(QStringLiteral("seconds_since_last_try"))),
                                    ago(lesson.value(QStringLiteral("seconds_since_last_pass"))),
                                    lesson.value(QStringLiteral("last_error")).toString()};
            for (int c = 0; c < cells.size(); ++c)
                m_table->setItem(row, c, new QTableWidgetItem(cells[c]));
        }
    }
    QStringList lines;
    const QJsonArray errors = status.value(QStringLiteral("common_compile_errors")).toArray();
    if (!errors.isEmpty()) {
        QStringList items;
        for (const QJsonValue &e : errors)
            items << studentCount(e.toObject().value(QStringLiteral("error")).toString(),
                                  e.toObject().value(QStringLiteral("students")).toInt());
        lines << tr("Most common compile errors: %1").arg(items.join(QStringLiteral("; ")));
    }
    const QJsonArray checks = status.value(QStringLiteral("common_failing_checks")).toArray();
    if (!checks.isEmpty()) {
        QStringList items;
        for (const QJsonValue &c : checks)
            items << studentCount(c.toObject().value(QStringLiteral("check")).toString(),
                                  c.toObject().value(QStringLiteral("students")).toInt());
        lines << tr("Most often failing checks: %1").arg(items.join(QStringLiteral("; ")));
    }
    if (m_table->rowCount() == 0)
        lines << tr("No server-graded Check recorded yet.");
    m_summary->setText(lines.join(QLatin1Char('\n')));
}

} // namespace torchlab
