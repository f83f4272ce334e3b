// Course ▸ Class…: the grader account's records as a table that follows them.
#include "core/grading/graderecords.h"
#include "studio/classwindow.h"

#include "helpers/panelshots.h"

#include <QDateTime>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace torchlab;

namespace {

GradeRecord record(bool passed, const QString &error)
{
    GradeRecord r;
    r.time = QDateTime::currentDateTimeUtc();
    r.pack = QStringLiteral("edu.example.course");
    r.version = QStringLiteral("0.1.0");
    r.lesson = QStringLiteral("first-lesson");
    r.passed = passed;
    r.compileError = error;
    return r;
}

} // namespace

class TestClassWindow : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    }

    void showsTheRecordsAndFollowsThem()
    {
        const GradeRecords records;
        QVERIFY(records.append(QStringLiteral("alice"), record(true, QString())));
        QVERIFY(records.append(QStringLiteral("bob"),
                               record(false, QStringLiteral("exercise.cpp:10: use of undeclared "
                                                            "identifier 'k'"))));
        ClassWindow window;
        QTableWidget *table = window.table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("alice"));
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("yes"));
        QCOMPARE(table->item(1, 0)->text(), QStringLiteral("bob"));
        QCOMPARE(table->item(1, 2)->text(), QStringLiteral("no"));
        QCOMPARE(table->item(1, 3)->text(), QStringLiteral("1"));
        QVERIFY(table->item(1, 6)->text().contains(QLatin1String("undeclared identifier")));

        // Every 10 s it reads them again.
        const QTimer *timer = window.findChild<QTimer *>();
        QVERIFY(timer && timer->isActive());
        QCOMPARE(timer->interval(), ClassWindow::RefreshMs);
        QVERIFY(records.append(QStringLiteral("bob"), record(true, QString())));
        window.refresh();
        QCOMPARE(table->item(1, 2)->text(), QStringLiteral("yes"));
        QCOMPARE(table->item(1, 3)->text(), QStringLiteral("2"));

        // What an instructor sees: a stuck student beside a passing one.
        QVERIFY(records.append(QStringLiteral("carol"),
                               record(false, QStringLiteral("exercise.cpp:12: no matching function "
                                                            "for call to 'twice'"))));
        QVERIFY(records.append(QStringLiteral("carol"),
                               record(false, QStringLiteral("exercise.cpp:12: no matching function "
                                                            "for call to 'twice'"))));
        window.refresh();
        window.resize(900, 360);
        QVERIFY(panelshots::save(window, QStringLiteral("classwindow")));
    }
};

QTEST_MAIN(TestClassWindow)
#include "tst_classwindow.moc"
