#pragma once

#include "core/bundle/bundlemetadata.h"
#include "core/bundle/runbundle.h"
#include "core/metrics/memoryseries.h"
#include "core/metrics/metricstore.h"
#include "core/session/labsession.h"
#include "core/util/result.h"

#include <QObject>

#include <optional>

class QWidget;

namespace torchlab {

struct EnvironmentReport;
struct Pack;

// Keeps the last finished Run or Check of the window (its code as it was
// sent, its output, metrics and memory samples as the window showed them)
// and writes it as a run bundle (File → "Export Run for Archiving…",
// docs/archiving.md). Lives in the GUI thread; the plots are drawn there.
class RunArchiver : public QObject
{
    Q_OBJECT
public:
    explicit RunArchiver(QObject *parent = nullptr);

    // A Run or Check starts with these editor texts (file name -> text).
    void runStarted(RunMode mode, const Pack &pack, const Lesson &lesson,
                    const QMap<QString, QString> &files, const QStringList &order,
                    const CheckRequest &request, const QString &language);
    // The session finished it: a run that ran (and was not stopped) becomes
    // the one to export.
    void runFinished(const SessionResult &result, const LabSession &session,
                     const EnvironmentReport &environment);

    bool hasRun() const { return m_finished.has_value(); }
    // The title, description, version and date the dialog starts from.
    BundleMetadata defaultMetadata() const;
    // Writes the kept run with `metadata` to `path` (a .tar.gz).
    Status exportTo(const QString &path, const BundleMetadata &metadata) const;
    // The dialog, the file chooser, the writing; statusMessage() says how it went.
    void exportInteractively(QWidget *parent);

Q_SIGNALS:
    void availabilityChanged(bool available);
    void statusMessage(const QString &text, int ms);

private:
    struct Started
    {
        RunMode mode;
        QString packId;
        QString packVersion;
        QString lessonId;
        QString lessonTitle;
        QList<BundleFile> code;
        std::optional<qint64> seed;
        bool quick = false;
    };
    struct Finished
    {
        RunRecord record;
        MetricStore metrics;
        MemorySeriesStore memory;
    };
    std::optional<Started> m_started;
    std::optional<Finished> m_finished;
};

} // namespace torchlab
