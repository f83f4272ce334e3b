#include "core/bundle/runbundle.h"

#include "core/labconfig.h"
#include "core/metrics/memoryseries.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace torchlab {

namespace {

struct RunBundleText
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::RunBundle)
};

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

QByteArray readme(const RunRecord &r, const QString &root)
{
    const QString seed = r.seed ? QString::number(*r.seed) : QStringLiteral("none");
    QString text;
    text += QStringLiteral("# %1\n\n").arg(r.metadata.title);
    text += QStringLiteral(
                "One run of the TorchLab lesson \"%1\" (%2) from the pack %3 %4, archived by "
                "torchlab-cli %5 on %6 UTC.\n\n")
                .arg(r.lessonTitle, r.lessonId, r.packName, r.packVersion,
                     QStringLiteral(TORCHLAB_VERSION),
                     r.finishedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    if (!r.metadata.description.isEmpty())
        text += r.metadata.description + QStringLiteral("\n\n");
    text += QStringLiteral(
        "## Contents\n\n"
        "| file | what it holds |\n"
        "|---|---|\n"
        "| `code/` | the exercise files exactly as they were compiled and run |\n"
        "| `run.json` | lesson, pack, seed, quick mode, device, outcome, exit code, wall time |\n"
        "| `environment.json` | compiler, LibTorch, CUDA, driver and GPU (`torchlab-cli doctor "
        "--json`) |\n"
        "| `commands.txt` | how the run was made and how to make it again |\n"
        "| `output/stdout.txt`, `output/stderr.txt` | the program's output as the lab kept it |\n"
        "| `metrics/metrics.csv` | every metric sample: a `step` column, one column per metric |\n"
        "| `metrics/memory.csv` | memory samples (`curve,time_ms,bytes`), when there were any |\n"
        "| `plots/` | each metric (and memory) as PNG and SVG |\n"
        "| `CITATION.cff`, `.zenodo.json` | how to cite the run; Zenodo's deposit metadata |\n"
        "| `SHA256SUMS` | the SHA-256 of every other file |\n\n");
    text += QStringLiteral(
                "## Verify\n\n"
                "```sh\n"
                "tar xzf %1.tar.gz && cd %1 && sha256sum -c SHA256SUMS\n"
                "# or, without unpacking:\n"
                "torchlab-cli bundle verify %1.tar.gz\n"
                "```\n\n"
                "## Rerun\n\n"
                "```sh\n"
                "torchlab-cli bundle rerun %1.tar.gz                  # bit-identical metrics "
                "expected\n"
                "torchlab-cli bundle rerun %1.tar.gz --tolerance 1e-5 # another machine or GPU\n"
                "```\n\n"
                "The rerun compiles `code/` with this machine's LibTorch, runs it with "
                "TORCHLAB_SEED=%2%3 and compares every metric series with `metrics/metrics.csv`. "
                "The same machine gives the same numbers for a deterministic program; another "
                "CPU, GPU, LibTorch or thread count may not (see environment.json), hence the "
                "tolerance.\n")
                .arg(root, seed, r.quick ? QStringLiteral(" and TORCHLAB_QUICK=1") : QString());
    return text.toUtf8();
}

} // namespace

QByteArray memoryCsv(const MemorySeriesStore &store)
{
    if (store.isEmpty())
        return {};
    QByteArray out = "curve,time_ms,bytes\n";
    for (int c = 0; c < MemorySeriesStore::CurveCount; ++c) {
        const auto curve = MemorySeriesStore::Curve(c);
        const MemorySeriesStore::Series &s = store.curve(curve);
        for (qsizetype i = 0; i < s.size(); ++i)
            out += QByteArray(MemorySeriesStore::curveKey(curve)) + ',' +
                   QByteArray::number(s.timeMs[size_t(i)]) + ',' +
                   QByteArray::number(qint64(s.bytes[size_t(i)])) + '\n';
    }
    return out;
}

QString runBundleRoot(const RunRecord &record)
{
    QString id = record.lessonId.isEmpty() ? QStringLiteral("program") : record.lessonId;
    for (QChar &c : id)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    return QStringLiteral("torchlab-run-%1-%2")
        .arg(id, record.finishedAt.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
}

QList<BundleFile> runBundleFiles(const RunRecord &r)
{
    QList<BundleFile> files;
    QJsonArray code;
    for (const BundleFile &f : r.code) {
        files.append({QStringLiteral("code/") + f.path, f.data});
        code.append(f.path);
    }
    QJsonObject run{
        {QStringLiteral("schema"), 1},
        {QStringLiteral("lesson"),
         QJsonObject{{QStringLiteral("id"), r.lessonId}, {QStringLiteral("title"), r.lessonTitle}}},
        {QStringLiteral("pack"), QJsonObject{{QStringLiteral("name"), r.packName},
                                             {QStringLiteral("version"), r.packVersion}}},
        {QStringLiteral("seed"), r.seed ? QJsonValue(double(*r.seed)) : QJsonValue()},
        {QStringLiteral("seed_note"),
         r.seed ? QStringLiteral("TORCHLAB_SEED: lab::run seeds LibTorch with it before the "
                                 "exercise runs; seeds the code sets itself apply after it")
                : QStringLiteral("the lab set no seed; the only seeds are those in code/")},
        {QStringLiteral("quick"), r.quick},
        {QStringLiteral("device"), r.device},
        {QStringLiteral("torch"), r.torchVersion},
        {QStringLiteral("code"), code},
        {QStringLiteral("outcome"), r.outcome},
        {QStringLiteral("exit_code"), r.exitCode},
        {QStringLiteral("wall_ms"), double(r.wallMs)},
        {QStringLiteral("finished_at"), r.finishedAt.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("torchlab"), QStringLiteral(TORCHLAB_VERSION)},
    };
    files.append({QStringLiteral("run.json"), json(run)});
    files.append({QStringLiteral("environment.json"), json(r.environment)});
    files.append(
        {QStringLiteral("commands.txt"), r.commands.join(QLatin1Char('\n')).toUtf8() + '\n'});
    files.append({QStringLiteral("output/stdout.txt"), r.stdoutText});
    files.append({QStringLiteral("output/stderr.txt"), r.stderrText});
    files.append({QStringLiteral("metrics/metrics.csv"), r.metricsCsv});
    if (!r.memoryCsv.isEmpty())
        files.append({QStringLiteral("metrics/memory.csv"), r.memoryCsv});
    for (const BundleFile &p : r.plots)
        files.append({QStringLiteral("plots/") + p.path, p.data});
    files.append({QStringLiteral("CITATION.cff"), citationCff(r.metadata)});
    files.append({QStringLiteral(".zenodo.json"), zenodoJson(r.metadata)});
    files.append({QStringLiteral("README.md"), readme(r, runBundleRoot(r))});
    files.append({QLatin1String(kBundleManifest), bundleManifest(files)});
    return files;
}

Status writeRunBundle(const RunRecord &record, const QString &path)
{
    return writeBundleArchive(path, runBundleRoot(record), runBundleFiles(record),
                              record.finishedAt.toSecsSinceEpoch());
}

Result<RunBundleInfo> readRunBundleInfo(const BundleContents &contents)
{
    const BundleFile *file = contents.file(QStringLiteral("run.json"));
    QJsonParseError error{};
    const QJsonDocument doc = file ? QJsonDocument::fromJson(file->data, &error) : QJsonDocument();
    if (!file || !doc.isObject())
        return fail(RunBundleText::tr("The bundle has no readable run.json."));
    const QJsonObject o = doc.object();
    RunBundleInfo info;
    info.lessonId =
        o.value(QStringLiteral("lesson")).toObject().value(QStringLiteral("id")).toString();
    if (o.value(QStringLiteral("seed")).isDouble())
        info.seed = qint64(o.value(QStringLiteral("seed")).toDouble());
    info.quick = o.value(QStringLiteral("quick")).toBool();
    info.device = o.value(QStringLiteral("device")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("code")).toArray())
        info.codeFiles << v.toString();
    if (info.codeFiles.isEmpty())
        return fail(RunBundleText::tr("The bundle's run.json lists no code."));
    for (const QString &f : std::as_const(info.codeFiles))
        if (!contents.file(QStringLiteral("code/") + f))
            return fail(
                RunBundleText::tr("The bundle lacks code/%1, which run.json lists.").arg(f));
    return info;
}

} // namespace torchlab
