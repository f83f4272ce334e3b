#pragma once

#include "core/bundle/bundlearchive.h"
#include "core/bundle/bundlemetadata.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace torchlab {

class MemorySeriesStore;
class MetricStore;

// Everything one finished run leaves for its archive (docs/archiving.md).
struct RunRecord
{
    QString lessonId;
    QString lessonTitle;
    QString packName;
    QString packVersion;
    QList<BundleFile> code;  // the learner's files as run; paths relative to code/
    QJsonObject environment; // EnvironmentReport::toJson(), as `doctor --json` prints it
    // TORCHLAB_SEED as the lab passed it (lab::run seeds LibTorch with it);
    // empty when it passed none and the code's own seeds are all there is.
    std::optional<qint64> seed;
    bool quick = false;   // TORCHLAB_QUICK=1
    QString device;       // "cpu", "cuda": what the program ran on (lab.h's hello)
    QString torchVersion; // LibTorch's version as the program reported it
    QStringList commands; // the command lines that ran it, one per line of commands.txt
    QString outcome;      // the run's verdict in one line
    int exitCode = -1;
    qint64 wallMs = 0;
    QByteArray stdoutText; // as kept (long output keeps its head and tail)
    QByteArray stderrText;
    QByteArray metricsCsv;   // writeMetricsCsv's format
    QByteArray memoryCsv;    // memoryCsv(): curve,time_ms,bytes
    QList<BundleFile> plots; // paths relative to plots/
    QDateTime finishedAt;    // UTC; the archive's mtimes and date-released
    BundleMetadata metadata;
};

// The memory samples of a run as CSV: "curve,time_ms,bytes", curves in
// MemorySeriesStore's order. Empty when the store is.
QByteArray memoryCsv(const MemorySeriesStore &store);

// The bundle's folder name: "torchlab-run-<lesson>-<yyyyMMddTHHmmssZ>".
QString runBundleRoot(const RunRecord &record);
// Every file of the bundle, SHA256SUMS last.
QList<BundleFile> runBundleFiles(const RunRecord &record);
// Writes the bundle to `path` (a deterministic .tar.gz).
Status writeRunBundle(const RunRecord &record, const QString &path);

// What `bundle rerun` needs from run.json.
struct RunBundleInfo
{
    QString lessonId;
    std::optional<qint64> seed;
    bool quick = false;
    QString device;
    QStringList codeFiles; // paths under code/
};
Result<RunBundleInfo> readRunBundleInfo(const BundleContents &contents);

} // namespace torchlab
