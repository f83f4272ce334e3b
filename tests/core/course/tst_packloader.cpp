// PackLoader on the example pack (tests/fixtures/packs/example) and on broken
// copies of it made at test time: each row edits one file and names the
// problem an instructor must see, with its file, line and severity.
#include "core/course/codeskeleton.h"
#include "core/course/packloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace torchlab;

namespace {

const QString kExample = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example");

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString target = to + path.mid(from.size());
        if (it.fileInfo().isDir()) {
            if (!QDir().mkpath(target))
                return false;
        } else if (!QFile::copy(path, target)) {
            return false;
        }
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// 1-based line of the first line containing `marker`; see broken_data() for the forms.
int lineOf(const QByteArray &text, const QByteArray &marker)
{
    if (marker.isEmpty())
        return 0;
    if (marker == "<1>")
        return 1;
    const bool above = marker.startsWith("<above>");
    const qsizetype at = text.indexOf(above ? marker.mid(7) : marker);
    return at < 0 ? -1 : int(text.left(at).count('\n')) + (above ? 0 : 1);
}

QString problemList(const QList<Problem> &problems)
{
    QStringList lines;
    for (const Problem &p : problems)
        lines << p.toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestPackLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exampleIsValid()
    {
        const PackLoadResult r = PackLoader::load(kExample);
        QVERIFY2(r.problems.isEmpty(), qPrintable(problemList(r.problems)));
        QVERIFY(r.valid());
        const Pack &p = r.pack;
        QCOMPARE(p.id, QStringLiteral("org.torchlab.example"));
        QCOMPARE(p.version, QStringLiteral("0.2.0"));
        QCOMPARE(p.minTorchLab, QStringLiteral("0.1.0"));
        QCOMPARE(p.license, QStringLiteral("CC0-1.0"));
        QCOMPARE(p.authors, QStringList{QStringLiteral("TorchLab tests")});
        QCOMPARE(p.title.value(QStringLiteral("zh_CN")), QStringLiteral("示例课程包"));
        QVERIFY(p.description.value(QStringLiteral("en")).contains(QStringLiteral("hidden code")));
        QCOMPARE(p.days.size(), 2);
        QCOMPARE(p.days[1].title.value(QStringLiteral("en")), QStringLiteral("Training"));
        QCOMPARE(p.days[1].lessons, QStringList{QStringLiteral("02-fit")});
        QCOMPARE(p.lessons.size(), 2);

        const Lesson &squares = p.lessons[0];
        QCOMPARE(squares.id, QStringLiteral("squares"));
        QCOMPARE(squares.folder, QStringLiteral("01-squares"));
        QCOMPARE(squares.directory, QDir(kExample).canonicalPath() + QStringLiteral("/01-squares"));
        QCOMPARE(squares.day, 1);
        QCOMPARE(squares.textFiles.value(QStringLiteral("zh_CN")),
                 QStringLiteral("README.zh_CN.md"));
        QCOMPARE(squares.starter, QStringList{QStringLiteral("exercise.cpp")});
        QCOMPARE(squares.solution, QStringList{QStringLiteral("solution/exercise.cpp")});
        QCOMPARE(squares.checkSources, QStringList{QStringLiteral("check.cpp")});
        QCOMPARE(squares.hints.size(), 2);
        QVERIFY(squares.hints[1].value(QStringLiteral("zh_CN")).contains(QStringLiteral(".sum()")));
        QCOMPARE(squares.showSolution.when, SolutionPolicy::When::AfterFailures);
        QCOMPARE(squares.showSolution.afterFailures, 2);
        QCOMPARE(squares.limits.memoryMb, 2048);
        QCOMPARE(squares.checks.size(), 7);
        QCOMPARE(squares.checks[0].kind, Check::Kind::Compiles);
        QVERIFY(squares.checks[0].warningFree);
        QCOMPARE(squares.checks[2].kind, Check::Kind::Output);
        QCOMPARE(squares.checks[2].pattern,
                 QStringLiteral("^sum of squares of \\[1, 2, 3\\]: 14$"));
        QCOMPARE(squares.checks[3].name, QStringLiteral("small"));
        QCOMPARE(squares.checks[5].kind, Check::Kind::Metric);
        QCOMPARE(squares.checks[5].of, Check::Of::Final);
        QVERIFY(!squares.checks[5].min.has_value());
        QCOMPARE(*squares.checks[5].max, 0.001);
        QCOMPARE(squares.checks[6].maxSeconds, 30.0);
        QVERIFY(squares.checks[6]
                    .message.value(QStringLiteral("zh_CN"))
                    .contains(QStringLiteral("30 秒")));

        const Lesson &fit = p.lessons[1];
        QCOMPARE(fit.id, QStringLiteral("fit"));
        QVERIFY(fit.checkSources.isEmpty());
        QCOMPARE(fit.requirements.ranks, 1);
        QCOMPARE(fit.showSolution.when, SolutionPolicy::When::AfterPass);
        QCOMPARE(fit.checks[3].of, Check::Of::Final);
        QCOMPARE(fit.checks[4].of, Check::Of::Max);
        QCOMPARE(*fit.checks[4].min, 1.0);
        QCOMPARE(p.lesson(QStringLiteral("fit")), &p.lessons[1]);
        QCOMPARE(p.lesson(QStringLiteral("01-squares")), &p.lessons[0]);
        QVERIFY(!p.lesson(QStringLiteral("nope")));
    }

    // The built-in course is a pack like any other: it must stay valid.
    void courseIsValid()
    {
        const QString course = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course");
        if (!QFileInfo::exists(course + QStringLiteral("/pack.toml")))
            QSKIP("no lessons/course/pack.toml in this tree");
        const PackLoadResult r = PackLoader::load(course);
        QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
        QVERIFY(!r.pack.lessons.isEmpty());
        // The built-in course speaks both languages all the way down: a Chinese
        // starter for every starter file (its code checked equal on load), and a
        // title in both languages for every check of its own.
        for (const Lesson &lesson : r.pack.lessons) {
            for (const QString &starter : lesson.starter)
                QVERIFY2(starterVariantLanguages(lesson.directory, starter)
                             .contains(QStringLiteral("zh_CN")),
                         qPrintable(lesson.folder + QLatin1Char('/') + starter));
            for (const Check &check : lesson.checks) {
                if (check.kind != Check::Kind::Check && check.kind != Check::Kind::Metric)
                    continue;
                const QString where = lesson.folder + QLatin1Char(' ') + check.id();
                QVERIFY2(!check.titleText.value(QStringLiteral("en")).isEmpty(), qPrintable(where));
                QVERIFY2(!check.titleText.value(QStringLiteral("zh_CN")).isEmpty(),
                         qPrintable(where));
            }
        }
    }

    // The built-in course's figures: at least twelve lessons show one; each
    // one a README names is a valid SVG inside its lesson, with a caption, no
    // script and no reference to another file, and its Chinese twin
    // (NAME.zh_CN.svg, Chinese labels) is what README.zh_CN.md shows.
    void courseFigures()
    {
        const QString course = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course");
        if (!QFileInfo::exists(course + QStringLiteral("/pack.toml")))
            QSKIP("no lessons/course/pack.toml in this tree");
        const PackLoadResult r = PackLoader::load(course);
        QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
        static const QRegularExpression image(QStringLiteral("!\\[([^\\]]*)\\]\\(([^)\\s]+)\\)"));
        const auto figuresOf = [](const QString &markdown) {
            QList<QPair<QString, QString>> found; // caption, path
            auto it = image.globalMatch(markdown);
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                found.append({m.captured(1), m.captured(2)});
            }
            return found;
        };
        const auto checkSvg = [](const QString &file) -> QString {
            const QByteArray data = readAll(file);
            if (data.isEmpty())
                return QStringLiteral("missing or empty");
            if (!QSvgRenderer(data).isValid())
                return QStringLiteral("not a valid SVG");
            if (!data.contains("viewBox=") || data.contains("<script") || data.contains("<image") ||
                data.contains("href="))
                return QStringLiteral("needs a viewBox, and no script, image or link");
            return {};
        };
        int illustrated = 0;
        for (const Lesson &lesson : r.pack.lessons) {
            const QDir dir(lesson.directory);
            const auto english = figuresOf(QString::fromUtf8(readAll(dir.filePath("README.md"))));
            const auto chinese =
                figuresOf(QString::fromUtf8(readAll(dir.filePath("README.zh_CN.md"))));
            QStringList chineseNames;
            for (const auto &[caption, name] : chinese) {
                const QString where = lesson.folder + QLatin1Char('/') + name;
                QVERIFY2(!caption.trimmed().isEmpty(), qPrintable(where + " has no caption"));
                QVERIFY2(name.endsWith(QStringLiteral(".zh_CN.svg")), qPrintable(where));
                chineseNames << name;
            }
            for (const auto &[caption, name] : english) {
                const QString where = lesson.folder + QLatin1Char('/') + name;
                QVERIFY2(!caption.trimmed().isEmpty(), qPrintable(where + " has no caption"));
                QVERIFY2(name.startsWith(QStringLiteral("figures/")) &&
                             name.endsWith(QStringLiteral(".svg")) &&
                             !name.endsWith(QStringLiteral(".zh_CN.svg")) &&
                             !name.contains(QStringLiteral("..")),
                         qPrintable(where));
                const QString problem = checkSvg(dir.filePath(name));
                QVERIFY2(problem.isEmpty(), qPrintable(where + ": " + problem));
                const QString twin = name.chopped(4) + QStringLiteral(".zh_CN.svg");
                const QString twinProblem = checkSvg(dir.filePath(twin));
                QVERIFY2(twinProblem.isEmpty(), qPrintable(twin + ": " + twinProblem));
                QVERIFY2(readAll(dir.filePath(twin)).contains("Noto Sans CJK SC"),
                         qPrintable(twin + " does not ask for a Chinese font"));
                QVERIFY2(chineseNames.contains(twin),
                         qPrintable(lesson.folder + "/README.zh_CN.md does not show " + twin));
            }
            QCOMPARE(chinese.size(), english.size());
            if (!english.isEmpty())
                ++illustrated;
        }
        QVERIFY2(illustrated >= 12, qPrintable(QString::number(illustrated) + " lessons"));
    }

    // The built-in course teaches in full in both languages: at least 21
    // lessons, each README at least 800 words outside code blocks in English,
    // and as much in Chinese, counting 1.5 Han characters as a word.
    void courseTextsAreFull()
    {
        const QString course = QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course");
        if (!QFileInfo::exists(course + QStringLiteral("/pack.toml")))
            QSKIP("no lessons/course/pack.toml in this tree");
        const PackLoadResult r = PackLoader::load(course);
        QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
        QVERIFY2(r.pack.lessons.size() >= 21, qPrintable(QString::number(r.pack.lessons.size())));
        static const QRegularExpression fenced(QStringLiteral("```.*?```"),
                                               QRegularExpression::DotMatchesEverythingOption);
        static const QRegularExpression image(QStringLiteral("!\\[[^\\]]*\\]\\([^)]*\\)"));
        static const QRegularExpression latinWord(QStringLiteral("[A-Za-z0-9][A-Za-z0-9'_\\-]*"));
        static const QRegularExpression han(QStringLiteral("[\\x{4e00}-\\x{9fff}]"));
        const auto prose = [](QString text) { return text.remove(fenced).remove(image); };
        for (const Lesson &lesson : r.pack.lessons) {
            const QDir dir(lesson.directory);
            const QString english = prose(QString::fromUtf8(readAll(dir.filePath("README.md"))));
            const QString chinese =
                prose(QString::fromUtf8(readAll(dir.filePath("README.zh_CN.md"))));
            const qsizetype englishWords = english.count(latinWord);
            const double chineseWords = chinese.count(han) / 1.5 + chinese.count(latinWord);
            QVERIFY2(
                englishWords >= 800,
                qPrintable(
                    QStringLiteral("%1: %2 English words").arg(lesson.folder).arg(englishWords)));
            QVERIFY2(
                chineseWords >= 800,
                qPrintable(
                    QStringLiteral("%1: %2 Chinese words").arg(lesson.folder).arg(chineseWords)));
        }
    }

    void broken_data()
    {
        QTest::addColumn<QString>("file"); // edited file, relative to the pack
        // "<delete>": delete the file; "<create>"/"<all>": write `replace` as the whole file;
        // "<cut>text": keep only what comes before text; otherwise replace the first `find`.
        QTest::addColumn<QByteArray>("find");
        QTest::addColumn<QByteArray>("replace");
        QTest::addColumn<QString>("problemFile"); // relative to the pack
        // The problem is on the first line holding the marker; "" = no line, "<1>" = line 1,
        // "<above>text" = the line above the first one holding text (a table's header).
        QTest::addColumn<QByteArray>("lineMarker");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<QString>("text"); // part of the message

        const QString pack = QStringLiteral("pack.toml");
        const QString sq = QStringLiteral("01-squares/lesson.toml");
        const QString fit = QStringLiteral("02-fit/lesson.toml");

        // A starter's translation must be the same program (comments and
        // string literals aside); the line is the first that differs.
        QTest::newRow("translated starter with other code")
            << QStringLiteral("01-squares/exercise.zh_CN.cpp") << QByteArray("<create>")
            << QByteArray("// 示例第 1 课：完成 sum_of_squares()。\n"
                          "#include <torch/torch.h>\n#include <torchlab/lab.h>\n\n"
                          "#include <iostream>\n\n"
                          "// t 中每个元素的平方和。\n"
                          "torch::Tensor sum_of_squares(const torch::Tensor &t)\n{\n"
                          "    // TODO: 先把每个元素平方，再全部加起来。\n"
                          "    return (t * t).sum(); // solved\n}\n")
            << QStringLiteral("01-squares/exercise.zh_CN.cpp") << QByteArray("// solved") << true
            << "differs from it in its code";
        QTest::newRow("server without host")
            << pack << QByteArray("[[days]]") << QByteArray("[server]\nport = 2222\n\n[[days]]")
            << pack << QByteArray("<above>port = 2222") << true << "\"host\" is missing";
        QTest::newRow("server host is an option")
            << pack << QByteArray("[[days]]")
            << QByteArray("[server]\nhost = \"-oProxyCommand=sh\"\n\n[[days]]") << pack
            << QByteArray("<above>host = \"-o") << true << "[server] must name a host";
        QTest::newRow("server unknown key")
            << pack << QByteArray("[[days]]")
            << QByteArray("[server]\nhost = \"gpu.example.edu\"\npassword = \"x\"\n\n[[days]]")
            << pack << QByteArray("password") << false << "password";
        QTest::newRow("toml syntax error")
            << pack << QByteArray("[description]") << QByteArray("[description") << pack
            << QByteArray("[description") << true << "TOML syntax error";
        QTest::newRow("not utf-8")
            << pack << QByteArray("en = \"Example pack\"") << QByteArray("en = \"Ex\xff\xfe\"")
            << pack << QByteArray("en = \"Ex") << true << "TOML syntax error";
        QTest::newRow("empty pack.toml") << pack << QByteArray("<all>") << QByteArray() << pack
                                         << QByteArray("<1>") << true << "\"id\" is missing";
        QTest::newRow("binary pack.toml")
            << pack << QByteArray("<all>") << QByteArray("\x00\x01\x02[[\xff", 6) << pack
            << QByteArray("<1>") << true << "TOML syntax error";
        QTest::newRow("no pack.toml") << pack << QByteArray("<delete>") << QByteArray() << pack
                                      << QByteArray("") << true << "pack.toml is missing";
        QTest::newRow("bad semver")
            << pack << QByteArray("version = \"0.2.0\"") << QByteArray("version = \"0.2\"") << pack
            << QByteArray("version =") << true << "not a semantic version";
        QTest::newRow("bad pack id")
            << pack << QByteArray("id = \"org.torchlab.example\"") << QByteArray("id = \"My Pack\"")
            << pack << QByteArray("id =") << true << "may use only";
        QTest::newRow("newer torchlab")
            << pack << QByteArray("min_torchlab = \"0.1.0\"")
            << QByteArray("min_torchlab = \"99.0.0\"") << pack << QByteArray("min_torchlab")
            << false << "needs TorchLab 99.0.0 or newer";
        QTest::newRow("pack title without zh_CN")
            << pack << QByteArray("zh_CN = \"示例课程包\"\n") << QByteArray() << pack
            << QByteArray("[title]") << true << "no \"zh_CN\" text";
        QTest::newRow("day title without en")
            << pack << QByteArray("{ en = \"Tensors\", zh_CN") << QByteArray("{ zh_CN") << pack
            << QByteArray("title = { zh_CN = \"张量\"") << true << "no \"en\" text";
        QTest::newRow("lesson listed, folder missing")
            << pack << QByteArray("lessons = [\"01-squares\"]")
            << QByteArray("lessons = [\"01-squares\", \"03-gone\"]") << pack
            << QByteArray("03-gone") << true << "\"03-gone\" (day 1) does not exist";
        QTest::newRow("lesson listed twice")
            << pack << QByteArray("lessons = [\"02-fit\"]")
            << QByteArray("lessons = [\"02-fit\", \"01-squares\"]") << pack
            << QByteArray("\"02-fit\", \"01-squares\"") << true << "listed twice";
        QTest::newRow("lesson folder outside the pack")
            << pack << QByteArray("lessons = [\"02-fit\"]")
            << QByteArray("lessons = [\"../02-fit\"]") << pack << QByteArray("../02-fit") << true
            << "is not a lesson folder name";
        QTest::newRow("no days") << pack << QByteArray("[[days]]") << QByteArray("[[dayz]]") << pack
                                 << QByteArray("[[dayz]]") << false << "Did you mean \"days\"";
        QTest::newRow("folder not listed")
            << QStringLiteral("03-extra/lesson.toml") << QByteArray("<create>")
            << QByteArray("id = \"extra\"\nday = 1\n") << QStringLiteral("03-extra/lesson.toml")
            << QByteArray("") << false << "not listed in any day";
        QTest::newRow("duplicate lesson id")
            << fit << QByteArray("id = \"fit\"") << QByteArray("id = \"squares\"") << fit
            << QByteArray("id =") << true << "already used by";
        QTest::newRow("missing zh_CN text")
            << QStringLiteral("01-squares/README.zh_CN.md") << QByteArray("<delete>")
            << QByteArray() << sq << QByteArray("id =") << true
            << "\"README.zh_CN.md\" does not exist";
        QTest::newRow("missing starter")
            << QStringLiteral("02-fit/exercise.cpp") << QByteArray("<delete>") << QByteArray()
            << fit << QByteArray("starter =") << true
            << "starter file \"exercise.cpp\" does not exist";
        QTest::newRow("missing solution")
            << QStringLiteral("02-fit/solution/exercise.cpp") << QByteArray("<delete>")
            << QByteArray() << fit << QByteArray("solution =") << true
            << "solution file \"solution/exercise.cpp\" does not exist";
        QTest::newRow("missing check source")
            << QStringLiteral("01-squares/check.cpp") << QByteArray("<delete>") << QByteArray()
            << sq << QByteArray("checks_source") << true
            << "check source file \"check.cpp\" does not exist";
        QTest::newRow("starter leaves the folder")
            << fit << QByteArray("starter = [\"exercise.cpp\"]")
            << QByteArray("starter = [\"../01-squares/exercise.cpp\"]") << fit
            << QByteArray("starter =") << true << "leaves the lesson folder";
        QTest::newRow("absolute starter")
            << fit << QByteArray("starter = [\"exercise.cpp\"]")
            << QByteArray("starter = [\"/etc/passwd\", \"exercise.cpp\"]") << fit
            << QByteArray("starter =") << true << "is absolute";
        QTest::newRow("no C++ starter")
            << fit << QByteArray("starter = [\"exercise.cpp\"]")
            << QByteArray("starter = [\"README.md\"]") << fit << QByteArray("starter =") << true
            << "No starter file is a C++ source";
        QTest::newRow("unknown check kind")
            << sq << QByteArray("kind = \"exits_ok\"") << QByteArray("kind = \"exit_ok\"") << sq
            << QByteArray("exit_ok") << true << "Did you mean \"exits_ok\"";
        QTest::newRow("min above max")
            << fit << QByteArray("of = \"max\"\nmin = 1")
            << QByteArray("of = \"max\"\nmin = 1\nmax = 0.5") << fit << QByteArray("min = 1")
            << true << "\"min\" (1) is larger than \"max\" (0.5)";
        QTest::newRow("metric without bounds")
            << fit << QByteArray("of = \"final\"\nmax = 0.001\n") << QByteArray("of = \"final\"\n")
            << fit << QByteArray("<above>kind = \"metric\"") << true
            << "needs \"min\", \"max\" or both";
        QTest::newRow("nan bound") << fit << QByteArray("max = 0.001") << QByteArray("max = nan")
                                   << fit << QByteArray("max = nan") << true << "finite number";
        QTest::newRow("negative time limit")
            << sq << QByteArray("time_s = 60") << QByteArray("time_s = -5") << sq
            << QByteArray("time_s") << true << "\"time_s\" must be more than 0";
        QTest::newRow("negative time check")
            << fit << QByteArray("max_s = 30") << QByteArray("max_s = -1") << fit
            << QByteArray("max_s") << true << "\"max_s\" must be more than 0";
        QTest::newRow("time check above the limit")
            << fit << QByteArray("max_s = 30") << QByteArray("max_s = 90") << fit
            << QByteArray("max_s") << false << "limit stops the run first";
        QTest::newRow("invalid regex")
            << fit << QByteArray("pattern = \"slope 2\\\\.0\"")
            << QByteArray("pattern = \"slope (2\"") << fit << QByteArray("pattern =") << true
            << "not a valid regular expression";
        QTest::newRow("bad stream")
            << sq << QByteArray("stream = \"stdout\"") << QByteArray("stream = \"stdcout\"") << sq
            << QByteArray("stream =") << true << "\"stdout\" or \"stderr\"";
        QTest::newRow("message without zh_CN")
            << fit
            << QByteArray("message = { en = \"The program does not compile.\", zh_CN = "
                          "\"程序无法编译。\" }")
            << QByteArray("message = { en = \"The program does not compile.\" }") << fit
            << QByteArray("message = { en = \"The program does not compile.\" }") << true
            << "no \"zh_CN\" text";
        QTest::newRow("check without message")
            << fit
            << QByteArray("message = { en = \"The program does not compile.\", zh_CN = "
                          "\"程序无法编译。\" }\n")
            << QByteArray() << fit << QByteArray("<above>kind = \"compiles\"") << true
            << "\"message\" is missing";
        QTest::newRow("hint without zh_CN")
            << fit << QByteArray("zh_CN = \"然后为下一步清零梯度：w.grad().zero_();\"\n")
            << QByteArray() << fit << QByteArray("<above>en = \"Then clear") << true
            << "Hint 2 has no \"zh_CN\" text";
        QTest::newRow("misspelt language")
            << fit << QByteArray("zh_CN = \"然后") << QByteArray("zh-CN = \"x\"\nzh_CN = \"然后")
            << fit << QByteArray("zh-CN") << false << "Did you mean \"zh_CN\"";
        QTest::newRow("lesson title without zh_CN")
            << fit << QByteArray("title = { en = \"Fit a line\", zh_CN = \"拟合一条直线\" }")
            << QByteArray("title = { en = \"Fit a line\" }") << fit << QByteArray("title =") << true
            << "no \"zh_CN\" text";
        QTest::newRow("empty text")
            << fit << QByteArray("zh_CN = \"程序无法编译。\"") << QByteArray("zh_CN = \"  \"")
            << fit << QByteArray("zh_CN = \"  \"") << true << "is empty";
        QTest::newRow("unknown key")
            << fit << QByteArray("show_solution = \"after_pass\"")
            << QByteArray("show_solutoin = \"after_pass\"") << fit << QByteArray("show_solutoin")
            << false << "Did you mean \"show_solution\"";
        QTest::newRow("unknown key in a check")
            << sq << QByteArray("warning_free = true") << QByteArray("warnings_free = true") << sq
            << QByteArray("warnings_free") << false << "Did you mean \"warning_free\"";
        QTest::newRow("key of another kind")
            << fit << QByteArray("of = \"final\"") << QByteArray("of = \"final\"\npattern = \"x\"")
            << fit << QByteArray("pattern = \"x\"") << false << "Unknown key \"pattern\"";
        QTest::newRow("check with no check source")
            << sq << QByteArray("checks_source = [\"check.cpp\"]\n") << QByteArray() << sq
            << QByteArray("name = \"small\"") << true << "can never be reported";
        QTest::newRow("check name not in the source")
            << sq << QByteArray("name = \"random\"") << QByteArray("name = \"randum\"") << sq
            << QByteArray("randum") << false << "No check source mentions \"randum\"";
        QTest::newRow("unknown data set")
            << fit << QByteArray("[limits]")
            << QByteArray("[requires]\ndatasets = [\"cifar10\"]\n\n[limits]") << fit
            << QByteArray("cifar10") << true << "cannot provide the data set \"cifar10\"";
        QTest::newRow("too many ranks")
            << fit << QByteArray("[limits]") << QByteArray("[requires]\nranks = 0\n\n[limits]")
            << fit << QByteArray("ranks =") << true << "\"ranks\" must be between 1 and 64";
        QTest::newRow("bad solution policy")
            << fit << QByteArray("show_solution = \"after_pass\"")
            << QByteArray("show_solution = \"sometimes\"") << fit << QByteArray("show_solution")
            << true << "\"after_pass\", \"after_failures\" or \"never\"";
        QTest::newRow("after without failures")
            << fit << QByteArray("show_solution = \"after_pass\"")
            << QByteArray("show_solution = \"after_pass\"\nshow_solution_after = 2") << fit
            << QByteArray("show_solution_after") << false << "only used with";
        QTest::newRow("wrong type")
            << fit << QByteArray("day = 2") << QByteArray("day = \"two\"") << fit
            << QByteArray("day =") << true << "\"day\" must be a whole number, not a string";
        QTest::newRow("day mismatch")
            << fit << QByteArray("day = 2") << QByteArray("day = 1") << fit << QByteArray("day =")
            << false << "says day 1, but pack.toml lists it under day 2";
        QTest::newRow("no checks") << fit << QByteArray("<cut>[[checks]]") << QByteArray() << fit
                                   << QByteArray("<1>") << true << "There is no [[checks]] entry";
        QTest::newRow("checks as a table")
            << fit << QByteArray("<all>")
            << QByteArray("id = \"fit\"\nday = 2\ntitle = { en = \"Fit\", zh_CN = \"拟合\" }\n"
                          "starter = [\"exercise.cpp\"]\nsolution = [\"solution/exercise.cpp\"]\n"
                          "checks = 3\n")
            << fit << QByteArray("checks = 3") << true << "written as [[checks]] tables";
        QTest::newRow("lesson toml missing")
            << fit << QByteArray("<delete>") << QByteArray() << pack << QByteArray("\"02-fit\"")
            << true << "02-fit/lesson.toml is missing";
        QTest::newRow("lesson syntax error")
            << fit << QByteArray("[limits]") << QByteArray("[limits") << fit
            << QByteArray("[limits") << true << "TOML syntax error";
    }

    void broken()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, find);
        QFETCH(QByteArray, replace);
        QFETCH(QString, problemFile);
        QFETCH(QByteArray, lineMarker);
        QFETCH(bool, isError);
        QFETCH(QString, text);

        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString root = tmp.path() + QStringLiteral("/pack");
        QVERIFY(copyTree(kExample, root));
        const QString path = root + QLatin1Char('/') + file;
        if (find == "<delete>") {
            QVERIFY(QFile::remove(path));
        } else if (find == "<create>") {
            QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
            QVERIFY(writeAll(path, replace));
        } else if (find == "<all>") {
            QVERIFY(writeAll(path, replace));
        } else if (find.startsWith("<cut>")) {
            const QByteArray content = readAll(path);
            QVERIFY(content.contains(find.mid(5)));
            QVERIFY(writeAll(path, content.left(content.indexOf(find.mid(5)))));
        } else {
            QByteArray content = readAll(path);
            QVERIFY2(content.contains(find), find.constData());
            content.replace(content.indexOf(find), find.size(), replace);
            QVERIFY(writeAll(path, content));
        }

        const PackLoadResult r = PackLoader::load(root);
        const QString shownFile = QDir::cleanPath(root + QLatin1Char('/') + problemFile);
        const int line = lineOf(readAll(root + QLatin1Char('/') + problemFile), lineMarker);
        QVERIFY2(line >= 0, "line marker not found in the edited file");
        const Problem *found = nullptr;
        for (const Problem &p : r.problems) {
            if (p.message.contains(text) && p.file == shownFile) {
                found = &p;
                break;
            }
        }
        QVERIFY2(found, qPrintable(QStringLiteral("expected \"%1\" in %2; got:\n%3")
                                       .arg(text, shownFile, problemList(r.problems))));
        QCOMPARE(found->line, line);
        QCOMPARE(found->isError(), isError);
        QVERIFY(found->line == 0 || found->column > 0);
        QVERIFY2(found->toString().startsWith(found->line > 0
                                                  ? shownFile + QStringLiteral(":%1:").arg(line)
                                                  : shownFile + QStringLiteral(": ")),
                 qPrintable(found->toString()));
        QCOMPARE(r.valid(), !hasErrors(r.problems));
        if (!isError) // a warning alone leaves the pack usable
            QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
    }

    // A starter may be a CMakeLists.txt: its translation keeps the code and
    // translates the # comments, which C++ rules would read as code.
    void translatedCMakeStarter()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString root = tmp.path() + QStringLiteral("/pack");
        QVERIFY(copyTree(kExample, root));
        const QString lesson = root + QStringLiteral("/01-squares/");
        QByteArray toml = readAll(lesson + QStringLiteral("lesson.toml"));
        toml.replace("starter = [\"exercise.cpp\"]",
                     "starter = [\"exercise.cpp\", \"CMakeLists.txt\"]");
        QVERIFY(writeAll(lesson + QStringLiteral("lesson.toml"), toml));
        QVERIFY(writeAll(lesson + QStringLiteral("CMakeLists.txt"),
                         "# TODO: find LibTorch\nproject(squares)\n"
                         "add_executable(squares exercise.cpp) # the program\n"));
        const QByteArray translated = "# 待办：找到 LibTorch\nproject(squares)\n"
                                      "add_executable(squares exercise.cpp) # 程序\n";
        QVERIFY(writeAll(lesson + QStringLiteral("CMakeLists.zh_CN.txt"), translated));
        PackLoadResult r = PackLoader::load(root);
        QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
        QCOMPARE(
            starterVariantLanguages(r.pack.lessons[0].directory, QStringLiteral("CMakeLists.txt")),
            QStringList{QStringLiteral("zh_CN")});

        QVERIFY(writeAll(lesson + QStringLiteral("CMakeLists.zh_CN.txt"),
                         translated + "find_package(Torch REQUIRED)\n"));
        r = PackLoader::load(root);
        QVERIFY(!r.valid());
        const QString shown = QDir::cleanPath(lesson + QStringLiteral("CMakeLists.zh_CN.txt"));
        const auto it = std::find_if(r.problems.cbegin(), r.problems.cend(), [&](const Problem &p) {
            return p.file == shown && p.message.contains(QStringLiteral("differs from it"));
        });
        QVERIFY2(it != r.problems.cend(), qPrintable(problemList(r.problems)));
        QCOMPARE(it->line, 4);
    }

    // A pack may suggest its course server; the lab offers it, never uses it silently.
    void aSuggestedServerIsRead()
    {
        QTemporaryDir tmp;
        const QString root = tmp.path() + QStringLiteral("/pack");
        QVERIFY(copyTree(kExample, root));
        QByteArray toml = readAll(root + QStringLiteral("/pack.toml"));
        toml.replace(toml.indexOf("[[days]]"), 8,
                     "[server]\nhost = \"login.hpc.example.edu\"\nport = 2222\n"
                     "slurm_partition = \"gpu\"\ngres = \"gpu:1\"\ntime_minutes = 20\n\n"
                     "[[days]]");
        QVERIFY(writeAll(root + QStringLiteral("/pack.toml"), toml));
        const PackLoadResult r = PackLoader::load(root);
        QVERIFY2(r.valid(), qPrintable(problemList(r.problems)));
        QCOMPARE(r.pack.server.host, QStringLiteral("login.hpc.example.edu"));
        QCOMPARE(r.pack.server.port, 2222);
        QCOMPARE(r.pack.server.partition, QStringLiteral("gpu"));
        QCOMPARE(r.pack.server.gres, QStringLiteral("gpu:1"));
        QCOMPARE(r.pack.server.timeMinutes, 20);
        QVERIFY(!PackLoader::load(kExample).pack.server.isSet());
    }

    void missingFolder()
    {
        const PackLoadResult r = PackLoader::load(QStringLiteral("/no/such/pack"));
        QVERIFY(!r.valid());
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems[0].toString(),
                 QStringLiteral("/no/such/pack: error: There is no such folder."));
    }

    // Paths in problems start with the folder as the user typed it.
    void relativePathsAsGiven()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(kExample, tmp.path() + QStringLiteral("/p")));
        QVERIFY(QFile::remove(tmp.path() + QStringLiteral("/p/02-fit/README.md")));
        const QString old = QDir::currentPath();
        QVERIFY(QDir::setCurrent(tmp.path()));
        const PackLoadResult r = PackLoader::load(QStringLiteral("./p/"));
        QDir::setCurrent(old);
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems[0].toString().startsWith(
                     QStringLiteral("p/02-fit/lesson.toml:1:1: error: ")),
                 qPrintable(r.problems[0].toString()));
    }
};

QTEST_GUILESS_MAIN(TestPackLoader)
#include "tst_packloader.moc"
