// The built-in course (lessons/course) graded end to end by torchlab-cli in
// quick mode, as CI does: `check --use solution` passes every check of every
// lesson; `check --use starter` fails every lesson on at least one check,
// with the lesson's own message, and no starter crashes or hits a limit.
// Prints each lesson's compile and run time.
#include "helpers/requiredeps.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestCourse : public QObject
{
    Q_OBJECT

    QString m_cache;

    // Runs `check` over the whole course; one report per lesson, by lesson id.
    QList<QJsonObject> check(const QString &use, int *exitCode)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!m_cache.isEmpty())
            env.insert(QStringLiteral("XDG_CACHE_HOME"), m_cache);
        env.remove(QStringLiteral("TORCHLAB_DEVICE"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral(TORCHLAB_CLI),
                {QStringLiteral("check"), QStringLiteral(TORCHLAB_COURSE_DIR),
                 QStringLiteral("--use"), use, QStringLiteral("--quick"),
                 QStringLiteral("--json")});
        if (!p.waitForFinished(5000 * 1000))
            p.kill();
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        const QByteArray err = p.readAllStandardError();
        if (!err.trimmed().isEmpty())
            qInfo("stderr of check --use %s:\n%s", qPrintable(use), err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput());
        QList<QJsonObject> reports;
        if (doc.isArray()) {
            for (const QJsonValue &v : doc.array())
                reports << v.toObject();
        } else if (doc.isObject()) {
            reports << doc.object();
        }
        return reports;
    }

    static QString describe(const QJsonObject &report)
    {
        QStringList lines{QStringLiteral("%1: %2 %3")
                              .arg(report.value(QStringLiteral("lesson")).toString(),
                                   report.value(QStringLiteral("status")).toString(),
                                   report.value(QStringLiteral("message")).toString())};
        for (const QJsonValue &v : report.value(QStringLiteral("tests")).toArray()) {
            const QJsonObject t = v.toObject();
            lines << QStringLiteral("  %1 %2: %3 | %4")
                         .arg(t.value(QStringLiteral("status")).toString(),
                              t.value(QStringLiteral("name")).toString(),
                              t.value(QStringLiteral("message")).toString(),
                              t.value(QStringLiteral("output")).toString());
        }
        return lines.join(QLatin1Char('\n'));
    }

    static void printTimes(const char *what, const QList<QJsonObject> &reports)
    {
        for (const QJsonObject &r : reports)
            qInfo("%s %-22s compile %5.1f s  run %6.1f s  %s", what,
                  qPrintable(r.value(QStringLiteral("folder")).toString()),
                  r.value(QStringLiteral("compile_ms")).toDouble() / 1000.0,
                  r.value(QStringLiteral("run_ms")).toDouble() / 1000.0,
                  qPrintable(r.value(QStringLiteral("status")).toString()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cache = qEnvironmentVariable("TORCHLAB_TEST_PCH_CACHE");
        QProcess doctor;
        doctor.start(QStringLiteral(TORCHLAB_CLI),
                     {QStringLiteral("doctor"), QStringLiteral("--json")});
        doctor.waitForFinished(120'000);
        const QJsonObject profile = QJsonDocument::fromJson(doctor.readAllStandardOutput())
                                        .object()
                                        .value(QStringLiteral("profile"))
                                        .toObject();
        if (doctor.exitCode() != 0 || profile.isEmpty())
            LAB_SKIP_MISSING(
                "no usable LibTorch toolchain on this machine (see torchlab-cli doctor)");
    }

    void packIsValid()
    {
        QProcess p;
        p.start(QStringLiteral(TORCHLAB_CLI), {QStringLiteral("pack"), QStringLiteral("validate"),
                                               QStringLiteral(TORCHLAB_COURSE_DIR)});
        QVERIFY(p.waitForFinished(60'000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardOutput().constData());
    }

    void solutionsPass()
    {
        int code = -1;
        const QList<QJsonObject> reports = check(QStringLiteral("solution"), &code);
        printTimes("solution", reports);
        QVERIFY2(!reports.isEmpty(), "check printed no reports");
        for (const QJsonObject &r : reports)
            QVERIFY2(r.value(QStringLiteral("status")).toString() == QLatin1String("pass"),
                     qPrintable(describe(r)));
        QCOMPARE(code, 0);
    }

    void startersFail()
    {
        int code = -1;
        const QList<QJsonObject> reports = check(QStringLiteral("starter"), &code);
        printTimes("starter ", reports);
        QVERIFY2(!reports.isEmpty(), "check printed no reports");
        QCOMPARE(code, 1);
        for (const QJsonObject &r : reports) {
            QVERIFY2(r.value(QStringLiteral("status")).toString() == QLatin1String("fail"),
                     qPrintable(describe(r)));
            int fails = 0;
            for (const QJsonValue &v : r.value(QStringLiteral("tests")).toArray()) {
                const QJsonObject t = v.toObject();
                const QString status = t.value(QStringLiteral("status")).toString();
                const QString message = t.value(QStringLiteral("message")).toString();
                if (status == QLatin1String("fail")) {
                    ++fails;
                    QVERIFY2(!message.isEmpty(), qPrintable(describe(r))); // the lesson's own words
                }
                // A starter is unfinished, not broken: no crash, no limit, no toolchain trouble.
                for (const char *word :
                     {"crashed", "time limit", "out of memory", "compiler failed", "did not run"})
                    QVERIFY2(!message.contains(QLatin1String(word)), qPrintable(describe(r)));
            }
            QVERIFY2(fails > 0, qPrintable(describe(r)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCourse)
#include "tst_course.moc"
