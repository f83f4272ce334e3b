#include "core/packs/packskeleton.h"

#include "core/course/packloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <utility>
#include <vector>

namespace torchlab {

namespace {

// A qualified tr() gives lupdate and QCoreApplication::translate the same
// context; a free function's tr() would be filed under "torchlab".
struct PackSkeleton
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::PackSkeleton)
};

// A TOML basic string: the title is whatever the instructor typed.
QString tomlString(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + c;
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

const char kLessonFolder[] = "01-first-lesson";

QByteArray packToml(const QString &id, const QString &title)
{
    return QStringLiteral(
               R"(# A lesson pack made by `torchlab-cli pack new`; the format is described in
# docs/lesson-packs.md of the TorchLab sources.
#   torchlab-cli pack validate DIR                check it (every problem with file:line)
#   torchlab-cli check DIR --use solution         grade the reference solutions
#   torchlab-cli pack build DIR -o FILE.tar.gz    the archive you publish
id = %1
version = "0.1.0"
min_torchlab = "0.1.0"
license = "CC-BY-SA-4.0"
authors = ["Your name"]

[title]
en = %2
zh_CN = %2

[description]
en = "What learners will be able to do after this pack."
zh_CN = "学完本课程包后，学员能够做到什么。"

# One [[days]] block per course day; lessons are folder names, in order.
[[days]]
title = { en = "Day 1", zh_CN = "第一天" }
lessons = ["01-first-lesson"]
)")
        .arg(tomlString(id), tomlString(title))
        .toUtf8();
}

const char kLessonToml[] = R"(id = "first-lesson"
day = 1
title = { en = "Your first lesson", zh_CN = "你的第一课" }
starter = ["exercise.cpp"]
solution = ["solution/exercise.cpp"]
checks_source = ["check.cpp"]
show_solution = "after_failures"
show_solution_after = 3

[requires]
cuda = false
nvcc = false
ranks = 1
datasets = []

[limits]
time_s = 60
memory_mb = 2048

[[hints]]
en = "Multiplying a tensor by a number multiplies every element: t * 2."
zh_CN = "张量乘以一个数会把每个元素都乘上它：t * 2。"

[[checks]]
kind = "compiles"
warning_free = true
message = { en = "The code does not compile without warnings. Fix the first message in the Problems list.", zh_CN = "代码未能无警告地编译。请先处理“问题”列表中的第一条。" }

[[checks]]
kind = "exits_ok"
message = { en = "The program did not exit with status 0. The end of the output shows why.", zh_CN = "程序的退出状态不是 0。输出末尾说明了原因。" }

[[checks]]
kind = "output"
stream = "stdout"
pattern = "^sum of twice\\(\\[1, 2, 3\\]\\): 12$"
message = { en = "The program should print \"sum of twice([1, 2, 3]): 12\".", zh_CN = "程序应当输出 \"sum of twice([1, 2, 3]): 12\"。" }

[[checks]]
kind = "check"
name = "doubles"
title = { en = "twice(t) doubles every element", zh_CN = "twice(t) 把每个元素乘以 2" }
message = { en = "twice(t) must return every element of t multiplied by 2, with the same shape.", zh_CN = "twice(t) 必须返回 t 的每个元素乘以 2 的结果，形状不变。" }

[[checks]]
kind = "time"
max_s = 30
message = { en = "The run took longer than 30 s; nothing here should take that long.", zh_CN = "运行时间超过了 30 秒；这里没有任何内容需要这么久。" }
)";

const char kReadme[] = R"(# Your first lesson

Multiplying a tensor by a number multiplies every element:

```cpp
torch::Tensor x = torch::arange(1, 4, torch::kFloat); // [1, 2, 3]
torch::Tensor y = x * 2;                              // [2, 4, 6]
```

Write `twice(t)`, then press **Check**.
)";

const char kReadmeZh[] = R"(# 你的第一课

张量乘以一个数，会把每个元素都乘上这个数：

```cpp
torch::Tensor x = torch::arange(1, 4, torch::kFloat); // [1, 2, 3]
torch::Tensor y = x * 2;                              // [2, 4, 6]
```

请写出 `twice(t)`，然后点击 **检查**。
)";

const char kStarter[] = R"(// Your first lesson: complete twice().
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>

// Every element of t multiplied by 2, same shape.
torch::Tensor twice(const torch::Tensor &t)
{
    // TODO: multiply every element by 2.
    return t.clone();
}

int main()
{
    const torch::Tensor x = torch::arange(1, 4, torch::kFloat);
    std::cout << "sum of twice([1, 2, 3]): " << twice(x).sum().item<float>() << "\n";
    return 0;
}
)";

const char kSolution[] = R"(// Your first lesson: reference solution.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>

// Every element of t multiplied by 2, same shape.
torch::Tensor twice(const torch::Tensor &t)
{
    return t * 2;
}

int main()
{
    const torch::Tensor x = torch::arange(1, 4, torch::kFloat);
    std::cout << "sum of twice([1, 2, 3]): " << twice(x).sum().item<float>() << "\n";
    return 0;
}
)";

const char kCheck[] = R"(// Hidden checks of the first lesson. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/lab.h>

torch::Tensor twice(const torch::Tensor &t);
int torchlab_learner_main();

int main()
{
    return lab::run([]() -> int {
        const int learner = torchlab_learner_main();

        torch::manual_seed(0);
        const torch::Tensor r = torch::randn({4, 5});
        const torch::Tensor got = twice(r);
        const bool ok = got.sizes() == r.sizes() && torch::allclose(got, r * 2);
        lab::check("doubles", ok,
                   ok ? "twice() doubles a random 4x5 tensor."
                      : "twice() of a random 4x5 tensor differs from r * 2.");
        return learner;
    });
}
)";

} // namespace

QString defaultPackId(const QString &directory)
{
    QString name = QFileInfo(QDir::cleanPath(QDir(directory).absolutePath())).fileName().toLower();
    static const QRegularExpression outside(QStringLiteral("[^a-z0-9._-]"));
    name.replace(outside, QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char('-')) ||
           name.startsWith(QLatin1Char('_')))
        name.remove(0, 1);
    if (name.isEmpty())
        name = QStringLiteral("my-pack");
    return (QStringLiteral("org.example.") + name).left(100);
}

namespace {

// Writes one lesson folder's files (lesson.toml as given, the rest from the
// skeleton) under `dir`, appending each to result->files. Never overwrites:
// NewOnly refuses a file that appeared meanwhile. False with result->error set.
bool writeLessonFiles(const QDir &dir, const QString &folder, const QByteArray &lessonToml,
                      SkeletonResult *result)
{
    const std::vector<std::pair<QString, QByteArray>> files = {
        {folder + QStringLiteral("/lesson.toml"), lessonToml},
        {folder + QStringLiteral("/README.md"), kReadme},
        {folder + QStringLiteral("/README.zh_CN.md"), kReadmeZh},
        {folder + QStringLiteral("/exercise.cpp"), kStarter},
        {folder + QStringLiteral("/solution/exercise.cpp"), kSolution},
        {folder + QStringLiteral("/check.cpp"), kCheck},
    };
    if (!QDir().mkpath(dir.absoluteFilePath(folder + QStringLiteral("/solution")))) {
        result->error =
            PackSkeleton::tr("Cannot create the folder %1.").arg(dir.absoluteFilePath(folder));
        return false;
    }
    for (const auto &[relative, content] : files) {
        QFile file(dir.absoluteFilePath(relative));
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
            file.write(content) != content.size() || !file.flush()) {
            result->error =
                PackSkeleton::tr("Cannot write %1: %2.").arg(file.fileName(), file.errorString());
            return false;
        }
        result->files.append(relative);
    }
    return true;
}

} // namespace

SkeletonResult writePackSkeleton(const QString &directory, const SkeletonOptions &options)
{
    SkeletonResult result;
    const QDir dir(directory);
    if (QFileInfo(directory).exists() && !QFileInfo(directory).isDir()) {
        result.error = PackSkeleton::tr("%1 exists and is not a folder.").arg(directory);
        return result;
    }
    if (dir.exists() &&
        !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        result.error = PackSkeleton::tr("%1 is not empty; a new pack needs an empty or new folder.")
                           .arg(directory);
        return result;
    }
    static const QRegularExpression validId(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,99}$"));
    result.id = options.id.isEmpty() ? defaultPackId(directory) : options.id;
    if (!validId.match(result.id).hasMatch()) {
        result.error =
            PackSkeleton::tr("The pack id \"%1\" may use only a-z, 0-9, '.', '_' and '-', starting "
                             "with a letter or "
                             "digit.")
                .arg(result.id);
        return result;
    }
    const QString title =
        options.title.isEmpty() ? QFileInfo(dir.absolutePath()).fileName() : options.title;
    const QString lesson = QString::fromLatin1(kLessonFolder);

    {
        QFile manifest(dir.absoluteFilePath(QStringLiteral("pack.toml")));
        const QByteArray content = packToml(result.id, title);
        if (!QDir().mkpath(dir.absolutePath()) ||
            !manifest.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
            manifest.write(content) != content.size() || !manifest.flush()) {
            result.error = PackSkeleton::tr("Cannot write %1: %2.")
                               .arg(manifest.fileName(), manifest.errorString());
            return result;
        }
        result.files.append(QStringLiteral("pack.toml"));
    }
    if (!writeLessonFiles(dir, lesson, kLessonToml, &result))
        return result;
    std::sort(result.files.begin(), result.files.end());
    result.ok = true;
    return result;
}

namespace {

// Appends `"folder"` to the `lessons` array of the `day`-th [[days]] block of
// `toml`, or a new [[days]] block when `day` is one past the last. Empty when
// the block or its array cannot be found.
QByteArray withLessonListed(const QByteArray &toml, int day, int days, const QString &folder,
                            const QString &dayTitle)
{
    const QByteArray quoted = tomlString(folder).toUtf8();
    if (day == days + 1) {
        QByteArray out = toml;
        if (!out.endsWith('\n'))
            out += '\n';
        out += "\n[[days]]\ntitle = { en = " + tomlString(dayTitle).toUtf8() +
               ", zh_CN = " + tomlString(QStringLiteral("第 %1 天").arg(day)).toUtf8() +
               " }\nlessons = [" + quoted + "]\n";
        return out;
    }
    static const QRegularExpression header(QStringLiteral(R"(^[ \t]*\[\[days\]\][ \t]*(#.*)?$)"),
                                           QRegularExpression::MultilineOption);
    static const QRegularExpression anyHeader(QStringLiteral(R"(^[ \t]*\[)"),
                                              QRegularExpression::MultilineOption);
    static const QRegularExpression lessonsKey(QStringLiteral(R"(^[ \t]*lessons[ \t]*=[ \t]*\[)"),
                                               QRegularExpression::MultilineOption);
    const QString text = QString::fromUtf8(toml);
    QRegularExpressionMatchIterator it = header.globalMatch(text);
    qsizetype blockStart = -1;
    for (int n = 1; it.hasNext(); ++n) {
        const QRegularExpressionMatch m = it.next();
        if (n == day) {
            blockStart = m.capturedEnd();
            break;
        }
    }
    if (blockStart < 0)
        return {};
    const QRegularExpressionMatch next = anyHeader.match(text, blockStart);
    const qsizetype blockEnd = next.hasMatch() ? next.capturedStart() : text.size();
    const QRegularExpressionMatch key = lessonsKey.match(text, blockStart);
    if (!key.hasMatch() || key.capturedStart() >= blockEnd)
        return {};
    // Folder names hold no brackets, so the first ']' closes the array.
    const qsizetype close = text.indexOf(QLatin1Char(']'), key.capturedEnd());
    if (close < 0 || close >= blockEnd)
        return {};
    qsizetype last = close - 1;
    while (last >= 0 && text.at(last).isSpace())
        --last;
    QString insert;
    if (text.at(last) == QLatin1Char('['))
        insert = QString::fromUtf8(quoted);
    else if (text.at(last) == QLatin1Char(','))
        insert = QStringLiteral(" ") + QString::fromUtf8(quoted);
    else
        insert = QStringLiteral(", ") + QString::fromUtf8(quoted);
    QString out = text;
    out.insert(last + 1, insert);
    return out.toUtf8();
}

} // namespace

SkeletonResult addLessonSkeleton(const QString &packDirectory, const QString &lessonId,
                                 const LessonSkeletonOptions &options)
{
    SkeletonResult result;
    static const QRegularExpression validId(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    if (!validId.match(lessonId).hasMatch()) {
        result.error = PackSkeleton::tr("The lesson id \"%1\" may use only a-z, 0-9 and '-', "
                                        "starting with a letter or digit.")
                           .arg(lessonId);
        return result;
    }
    const PackLoadResult loaded = PackLoader::load(packDirectory);
    if (!loaded.valid()) {
        result.error = PackSkeleton::tr("%1 is not a valid pack; `torchlab-cli pack validate %1` "
                                        "lists its problems.")
                           .arg(packDirectory);
        return result;
    }
    if (loaded.pack.lesson(lessonId)) {
        result.error = PackSkeleton::tr("The pack already has a lesson \"%1\".").arg(lessonId);
        return result;
    }
    const int days = int(loaded.pack.days.size());
    const int day = options.day == 0 ? qMax(1, days) : options.day;
    if (day < 1 || day > days + 1) {
        result.error = PackSkeleton::tr("The pack has %1 days; a new lesson goes into one of them "
                                        "or into day %2, which this adds.")
                           .arg(days)
                           .arg(days + 1);
        return result;
    }
    const QString folder = QStringLiteral("%1-%2")
                               .arg(loaded.pack.lessons.size() + 1, 2, 10, QLatin1Char('0'))
                               .arg(lessonId);
    const QDir dir(loaded.pack.directory);
    if (QFileInfo::exists(dir.filePath(folder))) {
        result.error = PackSkeleton::tr("%1 already exists.").arg(dir.filePath(folder));
        return result;
    }
    QFile manifest(dir.filePath(QStringLiteral("pack.toml")));
    if (!manifest.open(QIODevice::ReadOnly)) {
        result.error = PackSkeleton::tr("Cannot read %1: %2.")
                           .arg(manifest.fileName(), manifest.errorString());
        return result;
    }
    const QByteArray before = manifest.readAll();
    manifest.close();
    const QByteArray after =
        withLessonListed(before, day, days, folder, QStringLiteral("Day %1").arg(day));
    if (after.isEmpty()) {
        result.error = PackSkeleton::tr("Cannot find the `lessons` list of day %1 in %2; add "
                                        "\"%3\" there by hand.")
                           .arg(day)
                           .arg(manifest.fileName(), folder);
        return result;
    }

    const QString title = options.title.isEmpty() ? lessonId : options.title;
    QString lessonToml = QString::fromUtf8(kLessonToml);
    lessonToml.replace(QStringLiteral("id = \"first-lesson\""),
                       QStringLiteral("id = %1").arg(tomlString(lessonId)));
    lessonToml.replace(QStringLiteral("day = 1\n"), QStringLiteral("day = %1\n").arg(day));
    lessonToml.replace(
        QStringLiteral("title = { en = \"Your first lesson\", zh_CN = \"你的第一课\" }"),
        QStringLiteral("title = { en = %1, zh_CN = %1 }").arg(tomlString(title)));
    if (!writeLessonFiles(dir, folder, lessonToml.toUtf8(), &result))
        return result;
    // pack.toml last, in one step: a failure above leaves it untouched.
    QSaveFile save(dir.filePath(QStringLiteral("pack.toml")));
    if (!save.open(QIODevice::WriteOnly) || save.write(after) != after.size() || !save.commit()) {
        result.error =
            PackSkeleton::tr("Cannot write %1: %2.").arg(save.fileName(), save.errorString());
        return result;
    }
    result.files.append(QStringLiteral("pack.toml"));
    std::sort(result.files.begin(), result.files.end());
    result.id = lessonId;
    result.ok = true;
    return result;
}

} // namespace torchlab
