#include "core/grading/graderecords.h"

#include "core/util/labpaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace torchlab {

namespace {

constexpr int kLockTimeoutMs = 10'000;
constexpr int kTopCount = 5;

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList fromArray(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

// flock() on a file beside the records, released when the descriptor closes.
class FileLock
{
public:
    explicit FileLock(const QString &path)
    {
        m_fd = ::open(QFile::encodeName(path).constData(),
                      O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (m_fd < 0)
            return;
        QElapsedTimer clock;
        clock.start();
        while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
            if ((errno != EWOULDBLOCK && errno != EINTR) || clock.elapsed() > kLockTimeoutMs) {
                ::close(m_fd);
                m_fd = -1;
                return;
            }
            QThread::msleep(5);
        }
    }
    ~FileLock()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;
    bool held() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

QList<GradeRecord> readLines(const QString &path)
{
    QList<GradeRecord> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine(1 << 20).trimmed();
        if (line.isEmpty())
            continue;
        if (std::optional<GradeRecord> r =
                GradeRecord::fromJson(QJsonDocument::fromJson(line).object()))
            out << *r;
    }
    return out;
}

} // namespace

QJsonObject GradeRecord::toJson() const
{
    return QJsonObject{{QStringLiteral("time"), time.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("pack"), pack},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("lesson"), lesson},
                       {QStringLiteral("passed"), passed},
                       {QStringLiteral("passed_checks"), toArray(passedChecks)},
                       {QStringLiteral("failed_checks"), toArray(failedChecks)},
                       {QStringLiteral("compile_error"), compileError},
                       {QStringLiteral("verdict"), verdict}};
}

std::optional<GradeRecord> GradeRecord::fromJson(const QJsonObject &json)
{
    GradeRecord r;
    r.time =
        QDateTime::fromString(json.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    r.pack = json.value(QStringLiteral("pack")).toString();
    r.version = json.value(QStringLiteral("version")).toString();
    r.lesson = json.value(QStringLiteral("lesson")).toString();
    if (!r.time.isValid() || r.pack.isEmpty() || r.lesson.isEmpty())
        return std::nullopt;
    r.passed = json.value(QStringLiteral("passed")).toBool();
    r.passedChecks = fromArray(json.value(QStringLiteral("passed_checks")));
    r.failedChecks = fromArray(json.value(QStringLiteral("failed_checks")));
    r.compileError = json.value(QStringLiteral("compile_error")).toString();
    r.verdict = json.value(QStringLiteral("verdict")).toString();
    return r;
}

GradeRecord GradeRecord::fromReport(const CheckReport &report, const QString &pack,
                                    const QString &version, const QDateTime &time)
{
    GradeRecord r;
    r.time = time.toUTC();
    r.pack = pack;
    r.version = version;
    r.lesson = report.lessonId;
    r.passed = report.passed();
    for (const CheckResult &t : report.tests) {
        if (t.status == CheckResult::Status::Pass)
            r.passedChecks << t.name;
        else if (t.status != CheckResult::Status::Skipped)
            r.failedChecks << t.name;
    }
    for (const Diagnostic &d : report.diagnostics) {
        if (!d.inLearnerFile || (d.severity != Diagnostic::Severity::Error &&
                                 d.severity != Diagnostic::Severity::Fatal))
            continue;
        r.compileError = QStringLiteral("%1:%2: %3").arg(d.file).arg(d.line).arg(d.message);
        break;
    }
    if (report.runOutcome)
        r.verdict = report.runSummary;
    else if (!r.compileError.isEmpty())
        r.verdict = QStringLiteral("does not compile");
    else
        r.verdict = report.message.section(QLatin1Char('\n'), 0, 0).left(300);
    return r;
}

GradeRecords::GradeRecords(QString directory) : m_dir(std::move(directory)) {}

QString GradeRecords::defaultDirectory()
{
    return LabPaths::dataDir() + QStringLiteral("/grading");
}

bool GradeRecords::validStudent(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"));
    return re.match(name).hasMatch();
}

Status GradeRecords::append(const QString &student, const GradeRecord &record) const
{
    if (!validStudent(student))
        return fail(QStringLiteral("\"%1\" is not a student name the grader keeps.").arg(student));
    if (!QDir().mkpath(m_dir))
        return fail(QStringLiteral("Cannot make %1.").arg(m_dir));
    QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    const QString path = m_dir + QLatin1Char('/') + student + QStringLiteral(".jsonl");
    const FileLock lock(path + QStringLiteral(".lock"));
    if (!lock.held())
        return fail(QStringLiteral("Cannot lock %1.lock.").arg(path));
    const QByteArray line = QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (QFileInfo(path).size() + line.size() > MaxFileBytes) {
        const QString older = m_dir + QLatin1Char('/') + student + QStringLiteral(".1.jsonl");
        QFile::remove(older);
        QFile::rename(path, older);
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return fail(QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    if (f.write(line) != line.size() || !f.flush() || ::fsync(f.handle()) != 0)
        return fail(QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

QMap<QString, QList<GradeRecord>> GradeRecords::load() const
{
    QMap<QString, QList<GradeRecord>> out;
    const QStringList files =
        QDir(m_dir).entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        if (file.endsWith(QLatin1String(".1.jsonl")))
            continue;
        const QString student = file.chopped(6);
        if (!validStudent(student))
            continue;
        const FileLock lock(m_dir + QLatin1Char('/') + file + QStringLiteral(".lock"));
        QList<GradeRecord> records =
            readLines(m_dir + QLatin1Char('/') + student + QStringLiteral(".1.jsonl"));
        records += readLines(m_dir + QLatin1Char('/') + file);
        out.insert(student, records);
    }
    return out;
}

QJsonObject classStatus(const QMap<QString, QList<GradeRecord>> &records, const QString &lesson,
                        const QDateTime &now)
{
    QJsonArray students;
    QHash<QString, int> errorCounts;
    QHash<QString, int> checkCounts;
    for (auto it = records.cbegin(); it != records.cend(); ++it) {
        // lesson id -> its records, in order
        QMap<QString, QList<const GradeRecord *>> byLesson;
        for (const GradeRecord &r : it.value())
            if (lesson.isEmpty() || r.lesson == lesson)
                byLesson[r.lesson] << &r;
        QJsonArray lessons;
        for (auto l = byLesson.cbegin(); l != byLesson.cend(); ++l) {
            const GradeRecord *last = l.value().last();
            const GradeRecord *lastPass = nullptr;
            for (const GradeRecord *r : l.value())
                if (r->passed)
                    lastPass = r;
            QJsonObject o{{QStringLiteral("lesson"), l.key()},
                          {QStringLiteral("pack"), last->pack},
                          {QStringLiteral("version"), last->version},
                          {QStringLiteral("passed"), lastPass != nullptr},
                          {QStringLiteral("tries"), int(l.value().size())},
                          {QStringLiteral("last_try"), last->time.toString(Qt::ISODate)},
                          {QStringLiteral("seconds_since_last_try"), last->time.secsTo(now)},
                          {QStringLiteral("last_error"), last->compileError},
                          {QStringLiteral("last_failed_checks"), toArray(last->failedChecks)},
                          {QStringLiteral("last_verdict"), last->verdict}};
            o.insert(QStringLiteral("last_pass"),
                     lastPass ? QJsonValue(lastPass->time.toString(Qt::ISODate)) : QJsonValue());
            o.insert(QStringLiteral("seconds_since_last_pass"),
                     lastPass ? QJsonValue(lastPass->time.secsTo(now)) : QJsonValue());
            lessons.append(o);
            // The class's troubles: what each student's tries of a lesson hit,
            // counted once per student and lesson.
            QSet<QString> errors;
            QSet<QString> checks;
            for (const GradeRecord *r : l.value()) {
                if (!r->compileError.isEmpty())
                    errors.insert(r->compileError.section(QStringLiteral(": "), 1));
                for (const QString &c : r->failedChecks)
                    checks.insert(l.key() + QLatin1Char('/') + c);
            }
            for (const QString &e : std::as_const(errors))
                ++errorCounts[e];
            for (const QString &c : std::as_const(checks))
                ++checkCounts[c];
        }
        if (!lessons.isEmpty())
            students.append(QJsonObject{{QStringLiteral("student"), it.key()},
                                        {QStringLiteral("lessons"), lessons}});
    }
    const auto top = [](const QHash<QString, int> &counts, const QString &key) {
        QList<std::pair<QString, int>> sorted;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            sorted.append({it.key(), it.value()});
        std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        QJsonArray out;
        for (qsizetype i = 0; i < sorted.size() && i < kTopCount; ++i)
            out.append(QJsonObject{{key, sorted[i].first},
                                   {QStringLiteral("students"), sorted[i].second}});
        return out;
    };
    return QJsonObject{
        {QStringLiteral("generated"), now.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("lesson"), lesson},
        {QStringLiteral("students"), students},
        {QStringLiteral("common_compile_errors"), top(errorCounts, QStringLiteral("error"))},
        {QStringLiteral("common_failing_checks"), top(checkCounts, QStringLiteral("check"))}};
}

} // namespace torchlab
