#include "core/remote/jobbundle.h"

#include "core/runner/runnerjson.h"
#include "core/runner/runstream.h"
#include "core/util/labpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace torchlab {

namespace {

struct BundleText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::JobBundle)
};

bool isCodeFile(const QString &name)
{
    static const QSet<QString> suffixes{
        QStringLiteral("h"),   QStringLiteral("hh"),  QStringLiteral("hpp"), QStringLiteral("hxx"),
        QStringLiteral("inl"), QStringLiteral("ipp"), QStringLiteral("inc"), QStringLiteral("cuh"),
        QStringLiteral("cu"),  QStringLiteral("cpp"), QStringLiteral("cc"),  QStringLiteral("cxx"),
        QStringLiteral("c")};
    return suffixes.contains(QFileInfo(name).suffix().toLower());
}

bool inside(const QString &path, const QString &base)
{
    return path.startsWith(base + QLatin1Char('/'));
}

// A relative path a lab writes: no "..", no "." parts, no absolute path, no
// empty part, no control characters.
bool safeRelative(const QString &path)
{
    if (path.isEmpty() || path.size() > 512 || path.startsWith(QLatin1Char('/')))
        return false;
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
        for (const QChar c : part)
            if (c.unicode() < 0x20 || c == QLatin1Char('\\'))
                return false;
    }
    return true;
}

// -I of a folder of this computer outside the job: the server has its own
// (lab.h, check.h), so it does not travel.
bool outsideInclude(const QString &flag, const QString &base)
{
    if (!flag.startsWith(QLatin1String("-I/")))
        return false;
    const QString folder = QDir::cleanPath(flag.mid(2));
    return folder != base && !inside(folder, base);
}

bool plainWord(const QString &word)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(word).hasMatch();
}

// mkdir -m 0700, one level; an existing folder must be ours and a folder.
Status privateFolder(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    if (::mkdir(p.constData(), 0700) != 0 && errno != EEXIST)
        return fail(BundleText::tr("Cannot create the job folder %1 on the server: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st
    {
    };
    if (::lstat(p.constData(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
        return fail(BundleText::tr("%1 on the server is not a folder of this account.").arg(path));
    if ((st.st_mode & 077) != 0)
        ::chmod(p.constData(), 0700);
    return {};
}

} // namespace

QString jobFolderName(const QString &text)
{
    QString out;
    for (const QChar c : text.left(64)) {
        const bool ok = (c.unicode() < 128 && c.isLetterOrNumber()) || c == QLatin1Char('.') ||
                        c == QLatin1Char('_') || c == QLatin1Char('-');
        out += ok ? c : QLatin1Char('_');
    }
    while (out.startsWith(QLatin1Char('.')) || out.startsWith(QLatin1Char('-')))
        out[0] = QLatin1Char('_');
    return out.isEmpty() ? QStringLiteral("job") : out;
}

QString localLearnerName()
{
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return jobFolderName(QString::fromLocal8Bit(pw->pw_name));
    return jobFolderName(qEnvironmentVariable("USER", QStringLiteral("learner")));
}

QString defaultJobsRoot()
{
    return LabPaths::cacheDir() + QStringLiteral("/jobs");
}

Result<JobBundle> bundleFromSpec(const RunSpec &spec, const QString &name, const QString &learner,
                                 const QString &language)
{
    JobBundle bundle;
    bundle.protocol = runstream::ProtocolVersion;
    bundle.learner = jobFolderName(learner);
    bundle.name = jobFolderName(name);
    bundle.language = language;
    bundle.grade = spec.serverGrade;
    if (spec.sources.isEmpty())
        return fail(BundleText::tr("The job has no source file."));
    const QString base = QDir::cleanPath(spec.workingDirectory.isEmpty()
                                             ? QFileInfo(spec.sources.first().path).absolutePath()
                                             : QFileInfo(spec.workingDirectory).absoluteFilePath());

    // Paths in the job folder; sources from elsewhere go under ext/N/.
    RunSpec moved = spec;
    QMap<QString, QString> files; // relative path → local file
    qsizetype elsewhere = 0;
    QStringList folders;        // whose code files travel too
    QStringList includeFolders; // whose files travel, recursively
    for (SourceFile &s : moved.sources) {
        const QString path = QDir::cleanPath(QFileInfo(s.path).absoluteFilePath());
        QString relative;
        if (inside(path, base)) {
            relative = QDir(base).relativeFilePath(path);
            folders << QFileInfo(path).absolutePath();
        } else {
            relative = QStringLiteral("ext/%1/%2").arg(elsewhere++).arg(QFileInfo(path).fileName());
        }
        files.insert(relative, path);
        s.path = base + QLatin1Char('/') + relative;
        for (const QString &flag : s.extraFlags)
            if (flag.startsWith(QLatin1String("-I/")))
                includeFolders << QDir::cleanPath(flag.mid(2));
        s.extraFlags.removeIf([&](const QString &flag) { return outsideInclude(flag, base); });
    }
    moved.extraCompileFlags.removeIf(
        [&](const QString &flag) { return outsideInclude(flag, base); });
    for (const QString &flag : spec.extraCompileFlags)
        if (flag.startsWith(QLatin1String("-I/")))
            includeFolders << QDir::cleanPath(flag.mid(2));
    folders.removeDuplicates();
    for (const QString &folder : std::as_const(folders)) {
        const QDir dir(folder);
        for (const QFileInfo &info : dir.entryInfoList(QDir::Files))
            if (isCodeFile(info.fileName()))
                files.insert(QDir(base).relativeFilePath(info.absoluteFilePath()),
                             info.absoluteFilePath());
    }
    includeFolders.removeDuplicates();
    for (const QString &folder : std::as_const(includeFolders)) {
        if (folder != base && !inside(folder, base))
            continue; // the lab's own headers (lab.h, check.h) are the server's own
        QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            files.insert(QDir(base).relativeFilePath(it.filePath()), it.filePath());
            if (files.size() > JobBundle::MaxFiles)
                break;
        }
    }
    if (files.size() > JobBundle::MaxFiles)
        return fail(BundleText::tr("The job has more than %1 files; a run sends at most that many.")
                        .arg(JobBundle::MaxFiles));
    qsizetype total = 0;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile f(it.value());
        if (!f.open(QIODevice::ReadOnly))
            return fail(BundleText::tr("Cannot read %1: %2").arg(it.value(), f.errorString()));
        JobBundle::File file{it.key(), f.read(JobBundle::MaxBytes + 1)};
        total += file.bytes.size();
        if (total > JobBundle::MaxBytes)
            return fail(BundleText::tr("The job's files are larger than %1 MiB; a run sends at "
                                       "most that much.")
                            .arg(JobBundle::MaxBytes >> 20));
        bundle.files << file;
    }
    bundle.job = runSpecToJson(moved, base);
    return bundle;
}

QByteArray encodeJobBundle(const JobBundle &b)
{
    QJsonArray files;
    for (const JobBundle::File &f : b.files)
        files.append(QJsonObject{{QStringLiteral("path"), f.path},
                                 {QStringLiteral("b64"), QString::fromLatin1(f.bytes.toBase64())}});
    QJsonObject o{{QStringLiteral("t"), QStringLiteral("job")},
                  {QStringLiteral("protocol"), b.protocol},
                  {QStringLiteral("learner"), b.learner},
                  {QStringLiteral("name"), b.name},
                  {QStringLiteral("language"), b.language},
                  {QStringLiteral("job"), b.job},
                  {QStringLiteral("files"), files}};
    if (b.slurm) {
        o.insert(QStringLiteral("slurm"),
                 QJsonObject{{QStringLiteral("partition"), b.slurm->partition},
                             {QStringLiteral("gres"), b.slurm->gres},
                             {QStringLiteral("time_minutes"), b.slurm->timeMinutes},
                             {QStringLiteral("job_name"), b.slurm->jobName}});
    }
    if (b.grade) {
        o.insert(QStringLiteral("grade"), QJsonObject{{QStringLiteral("pack"), b.grade->pack},
                                                      {QStringLiteral("version"), b.grade->version},
                                                      {QStringLiteral("lesson"), b.grade->lesson},
                                                      {QStringLiteral("quick"), b.grade->quick}});
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

Result<JobBundle> decodeJobBundle(QByteArrayView line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(
            BundleText::tr("The job sent to the server is not JSON: %1").arg(error.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("t")).toString() != QLatin1String("job"))
        return fail(BundleText::tr("The server expected a job and got something else."));
    JobBundle b;
    b.protocol = o.value(QStringLiteral("protocol")).toInt();
    if (b.protocol != runstream::ProtocolVersion)
        return fail(BundleText::tr("The lab speaks protocol %1 and this server's torchlab-cli "
                                   "speaks %2: install the same TorchLab version on both.")
                        .arg(b.protocol)
                        .arg(runstream::ProtocolVersion));
    b.learner = o.value(QStringLiteral("learner")).toString();
    b.name = o.value(QStringLiteral("name")).toString();
    b.language = o.value(QStringLiteral("language")).toString();
    if (!plainWord(b.learner) || !plainWord(b.name))
        return fail(BundleText::tr("The job's learner or name is not a plain word."));
    b.job = o.value(QStringLiteral("job")).toObject();
    const QJsonArray files = o.value(QStringLiteral("files")).toArray();
    if (files.size() > JobBundle::MaxFiles)
        return fail(BundleText::tr("The job has more than %1 files.").arg(JobBundle::MaxFiles));
    qsizetype total = 0;
    QSet<QString> seen;
    for (const QJsonValue &v : files) {
        const QJsonObject f = v.toObject();
        JobBundle::File file;
        file.path = f.value(QStringLiteral("path")).toString();
        if (!safeRelative(file.path) || file.path == QLatin1String("job.json") ||
            seen.contains(file.path))
            return fail(BundleText::tr("The job names a file the server refuses: \"%1\".")
                            .arg(file.path.left(200)));
        seen.insert(file.path);
        file.bytes = QByteArray::fromBase64(f.value(QStringLiteral("b64")).toString().toLatin1());
        total += file.bytes.size();
        if (total > JobBundle::MaxBytes)
            return fail(BundleText::tr("The job's files are larger than %1 MiB.")
                            .arg(JobBundle::MaxBytes >> 20));
        b.files << file;
    }
    if (o.contains(QStringLiteral("slurm"))) {
        const QJsonObject s = o.value(QStringLiteral("slurm")).toObject();
        SlurmRequest r;
        r.partition = s.value(QStringLiteral("partition")).toString();
        r.gres = s.value(QStringLiteral("gres")).toString();
        r.timeMinutes = s.value(QStringLiteral("time_minutes")).toInt();
        r.jobName = s.value(QStringLiteral("job_name")).toString();
        static const QRegularExpression gres(QStringLiteral("^[A-Za-z0-9_:,.-]{0,128}$"));
        if (!plainWord(r.partition) || !gres.match(r.gres).hasMatch() || !plainWord(r.jobName) ||
            r.timeMinutes < 0)
            return fail(BundleText::tr("The job's Slurm request is not one the server accepts."));
        b.slurm = r;
    }
    if (o.contains(QStringLiteral("grade"))) {
        const QJsonObject g = o.value(QStringLiteral("grade")).toObject();
        ServerGrade r;
        r.pack = g.value(QStringLiteral("pack")).toString();
        r.version = g.value(QStringLiteral("version")).toString();
        r.lesson = g.value(QStringLiteral("lesson")).toString();
        r.quick = g.value(QStringLiteral("quick")).toBool();
        if (!plainWord(r.pack) || !plainWord(r.version) || !plainWord(r.lesson))
            return fail(BundleText::tr("The job's lesson is not one the server accepts."));
        b.grade = r;
    }
    return b;
}

Status writeJobFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(BundleText::tr("Cannot write %1 on the server: %2").arg(path, f.errorString()));
    errno = 0;
    const bool written = f.write(bytes) == bytes.size() && f.flush();
    const int saved = errno;
    f.close();
    if (written && f.error() == QFileDevice::NoError)
        return {};
    if (saved == ENOSPC || saved == EDQUOT)
        return fail(BundleText::tr("The server's disk is full: the job could not be written. "
                                   "Your code is kept here; tell your instructor."));
    return fail(BundleText::tr("Cannot write %1 on the server: %2").arg(path, f.errorString()));
}

Result<QString> unpackJobBundle(const JobBundle &bundle, const QString &jobsRoot)
{
    if (!QDir().mkpath(QFileInfo(jobsRoot).absolutePath()))
        return fail(BundleText::tr("Cannot create %1 on the server.").arg(jobsRoot));
    for (const QString &level : {jobsRoot, jobsRoot + QLatin1Char('/') + bundle.learner})
        if (Status made = privateFolder(level); !made)
            return fail(made.error());
    const QString job =
        jobsRoot + QLatin1Char('/') + bundle.learner + QLatin1Char('/') + bundle.name;
    QDir(job).removeRecursively();
    if (Status made = privateFolder(job); !made)
        return fail(made.error());
    for (const JobBundle::File &f : bundle.files) {
        const QString path = job + QLatin1Char('/') + f.path;
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return fail(BundleText::tr("Cannot create a folder for %1 on the server.").arg(f.path));
        if (Status written = writeJobFile(path, f.bytes); !written)
            return fail(written.error());
    }
    if (Status written = writeJobFile(job + QStringLiteral("/job.json"),
                                      QJsonDocument(bundle.job).toJson(QJsonDocument::Compact));
        !written)
        return fail(written.error());
    return job;
}

} // namespace torchlab
