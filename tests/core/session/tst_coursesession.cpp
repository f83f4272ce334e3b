// CourseSession: the learner's side of a course, headless, over a copy of the
// example pack in this test's own XDG home.
#include "core/course/lessonworkspace.h"
#include "core/session/coursesession.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace torchlab;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(file, target))
            return false;
    }
    return true;
}

} // namespace

class tst_CourseSession : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_pack;

private Q_SLOTS:
    void init()
    {
        QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + "/torchlab")
            .removeRecursively();
        m_pack = m_dir.filePath(QStringLiteral("pack-%1").arg(QTest::currentTestFunction()));
        QVERIFY(copyTree(kExample, m_pack));
    }

    void opensTheFirstLessonNotPassed()
    {
        CourseSession course(QStringLiteral("zh_CN"));
        QSignalSpy opened(&course, &CourseSession::lessonOpened);
        QVERIFY(course.open(m_pack).ok());
        QCOMPARE(course.lessonId(), QStringLiteral("squares"));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(course.title(), QStringLiteral("平方和"));
        QCOMPARE(course.files().size(), 1);
        QCOMPARE(course.files().first().name, QStringLiteral("exercise.cpp"));
        QCOMPARE(course.files().first().text, course.starterText(QStringLiteral("exercise.cpp")));
        QCOMPARE(course.nextLessonId(), QStringLiteral("fit"));
        QVERIFY(course.previousLessonId().isEmpty());
        QCOMPARE(course.statuses().value(QStringLiteral("squares")), LessonStatus::NotStarted);
        QCOMPARE(course.hints().size(), 2);

        // A remembered lesson of the same pack wins; an unknown folder fails and changes nothing.
        CourseSession again(QStringLiteral("en"));
        QVERIFY(again.open(m_pack, QString(), {course.pack().id, QStringLiteral("fit")}).ok());
        QCOMPARE(again.lessonId(), QStringLiteral("fit"));
        const Status bad = again.open(m_dir.filePath(QStringLiteral("nothing-here")));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().contains(QStringLiteral("cannot be opened")));
        QCOMPARE(again.lessonId(), QStringLiteral("fit"));
    }

    void editsAreSavedWhenTypingPauses()
    {
        CourseSession course(QStringLiteral("en"), 20);
        QVERIFY(course.open(m_pack).ok());
        QSignalSpy due(&course, &CourseSession::saveDue);
        QSignalSpy saved(&course, &CourseSession::saved);
        course.edited(QStringLiteral("exercise.cpp"));
        QVERIFY(course.hasUnsavedEdits());
        QTRY_COMPARE(due.size(), 1);
        QVERIFY(course
                    .save({{QStringLiteral("exercise.cpp"), QStringLiteral("// mine\n")},
                           {QStringLiteral("other.cpp"), QStringLiteral("ignored")}})
                    .ok());
        QTRY_COMPARE(saved.size(), 1); // once it is on disk
        QVERIFY(!course.hasUnsavedEdits());
        QCOMPARE(course.progress().code.value(QStringLiteral("exercise.cpp")),
                 QStringLiteral("// mine\n"));

        // Another session over the same store sees the learner's code.
        CourseSession later(QStringLiteral("en"));
        QVERIFY(later.open(m_pack).ok());
        QCOMPARE(later.files().first().text, QStringLiteral("// mine\n"));
    }

    // The durable write (fsync of the file and its folder) runs off the
    // caller's thread: a save into a record another writer keeps locked
    // returns at once and lands once the lock is free; a session ended right
    // after an edit still writes it (docs/reliability.md row 40).
    void savingNeverBlocksTheCaller()
    {
        QString path, packId, lessonId;
        {
            CourseSession course(QStringLiteral("en"), 60'000);
            QVERIFY(course.open(m_pack).ok());
            packId = course.pack().id;
            lessonId = course.lessonId();
            path = course.store().filePath(packId, lessonId);
            course.store().setLockTimeout(60'000);
            const int held = ::open(QFile::encodeName(path + ".lock").constData(),
                                    O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            QVERIFY(held >= 0);
            QCOMPARE(::flock(held, LOCK_EX | LOCK_NB), 0);

            QSignalSpy saved(&course, &CourseSession::saved);
            course.edited(QStringLiteral("exercise.cpp"));
            QElapsedTimer clock;
            clock.start();
            QVERIFY(
                course.save({{QStringLiteral("exercise.cpp"), QStringLiteral("// one\n")}}).ok());
            QVERIFY2(clock.elapsed() < 1000, "save() waited for the write");
            QVERIFY(!course.hasUnsavedEdits());
            QTest::qWait(300);
            QCOMPARE(saved.size(), 0); // still waiting for the lock
            ::close(held);
            QTRY_COMPARE(saved.size(), 1);
            QCOMPARE(ProgressStore(QFileInfo(QFileInfo(path).absolutePath()).absolutePath())
                         .load(course.pack().id, course.lessonId())
                         .code.value(QStringLiteral("exercise.cpp")),
                     QStringLiteral("// one\n"));

            // An edit right before the end: the session's end writes it.
            course.edited(QStringLiteral("exercise.cpp"));
            QVERIFY(
                course.save({{QStringLiteral("exercise.cpp"), QStringLiteral("// two\n")}}).ok());
        }
        const QString root = QFileInfo(QFileInfo(path).absolutePath()).absolutePath();
        QCOMPARE(
            ProgressStore(root).load(packId, lessonId).code.value(QStringLiteral("exercise.cpp")),
            QStringLiteral("// two\n"));
    }

    void checksHintsAndTheSolutionPolicy()
    {
        CourseSession course(QStringLiteral("en"));
        QVERIFY(course.open(m_pack).ok());
        QSignalSpy status(&course, &CourseSession::statusChanged);
        // show_solution = after_failures 2
        QVERIFY(!course.solutionAvailable().ok());
        QVERIFY(course.solutionAvailable().error().contains(QStringLiteral("failed check")));
        course.recordCheck(false);
        course.recordCheck(false);
        QVERIFY(course.solutionAvailable().ok());
        QString file = QStringLiteral("exercise.cpp");
        QVERIFY(course.solutionText(&file).contains(QStringLiteral("sum")));
        course.recordCheck(true);
        QCOMPARE(course.progress().status, LessonStatus::Passed);
        QCOMPARE(status.last().at(1).value<LessonStatus>(), LessonStatus::Passed);

        QCOMPARE(course.hintsRevealed(), 0);
        QVERIFY(course.revealHint());
        QVERIFY(course.revealHint());
        QVERIFY(!course.revealHint()); // both shown
        QCOMPARE(course.hintsRevealed(), 2);
        // The next start goes to the first lesson not passed.
        CourseSession later(QStringLiteral("en"));
        QVERIFY(later.open(m_pack).ok());
        QCOMPARE(later.lessonId(), QStringLiteral("fit"));
    }

    // A pack update that changes the starter under the learner's code.
    // A student's copy of a server-graded lesson has no solution to show.
    void aServerGradedLessonKeepsItsSolutionOnTheServer()
    {
        QTemporaryDir dir;
        Lesson lesson;
        lesson.directory = dir.path();
        lesson.solution = {QStringLiteral("solution/exercise.cpp")};
        lesson.grading = Lesson::Grading::Server;
        LessonProgress passed;
        passed.status = LessonStatus::Passed;
        QString why;
        QVERIFY(!LessonWorkspace::solutionAvailable(lesson, passed, &why));
        QVERIFY2(why.contains(QStringLiteral("graded on the course server")), qPrintable(why));
        // The grader's copy (the instructor archive) has it, and shows it as any lesson does.
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("solution")));
        QFile file(dir.filePath(QStringLiteral("solution/exercise.cpp")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(LessonWorkspace::solutionAvailable(lesson, passed, &why));
    }

    void aChangedStarterIsOfferedUntilDecided()
    {
        {
            CourseSession course(QStringLiteral("en"));
            QVERIFY(course.open(m_pack).ok());
            course.edited(QStringLiteral("exercise.cpp"));
            QVERIFY(
                course.save({{QStringLiteral("exercise.cpp"), QStringLiteral("// mine\n")}}).ok());
        }
        QFile starter(m_pack + QStringLiteral("/01-squares/exercise.cpp"));
        QVERIFY(starter.open(QIODevice::Append));
        starter.write("// a new line from the instructor\n");
        starter.close();

        CourseSession course(QStringLiteral("en"));
        QVERIFY(course.open(m_pack).ok());
        QCOMPARE(course.starterChanges().size(), 1);
        QCOMPARE(course.files().first().text,
                 QStringLiteral("// mine\n")); // the learner's code stays
        QVERIFY(course.acknowledgeStarterChanges().ok());
        QVERIFY(course.starterChanges().isEmpty());
        CourseSession later(QStringLiteral("en"));
        QVERIFY(later.open(m_pack).ok());
        QVERIFY(later.starterChanges().isEmpty());
    }

    // A learner reading Chinese starts from the Chinese starter (same code,
    // comments in Chinese); Reset gives it back; switching the language later
    // is no "changed starter".
    void theStarterSpeaksTheLearnersLanguage()
    {
        const QString englishFile = m_pack + QStringLiteral("/01-squares/exercise.cpp");
        QFile in(englishFile);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(in.readAll());
        text.replace(QStringLiteral("// TODO: square every element, then add them all up."),
                     QStringLiteral("// TODO: 先把每个元素平方，再全部加起来。"));
        QFile out(m_pack + QStringLiteral("/01-squares/exercise.zh_CN.cpp"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text.toUtf8());
        out.close();

        {
            CourseSession course(QStringLiteral("zh_CN"));
            QVERIFY(course.open(m_pack).ok());
            QCOMPARE(course.files().first().name, QStringLiteral("exercise.cpp"));
            QCOMPARE(course.files().first().text, text);
            QCOMPARE(course.starterText(QStringLiteral("exercise.cpp")), text);
            CourseSession english(QStringLiteral("en"));
            QVERIFY(english.open(m_pack).ok());
            QVERIFY(english.files().first().text.contains(QStringLiteral("add them all up")));
            // The learner types in the Chinese starter and saves.
            course.edited(QStringLiteral("exercise.cpp"));
            QVERIFY(
                course.save({{QStringLiteral("exercise.cpp"), text + QStringLiteral("// 我的\n")}})
                    .ok());
        }
        CourseSession english(QStringLiteral("en"));
        QVERIFY(english.open(m_pack).ok());
        QVERIFY(english.starterChanges().isEmpty());
        QVERIFY(english.files().first().text.endsWith(QStringLiteral("// 我的\n")));
    }
};

QTEST_GUILESS_MAIN(tst_CourseSession)
#include "tst_coursesession.moc"
