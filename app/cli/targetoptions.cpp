#include "cli/targetoptions.h"

#include "core/remote/remoterunner.h"
#include "core/util/labsettings.h"

#include <QEventLoop>
#include <QLocale>
#include <QTextStream>

namespace torchlab::cli {

QCommandLineOption targetOption()
{
    return QCommandLineOption(
        QStringLiteral("target"),
        QStringLiteral("Run on this target (torchlab-cli target list): a course GPU server over "
                       "SSH or a Slurm cluster; \"local\" is this computer."),
        QStringLiteral("NAME"));
}

QCommandLineOption sandboxOption()
{
    return QCommandLineOption(
        QStringLiteral("sandbox"),
        QStringLiteral("How the program is held (docs/sandbox.md): auto (the bubblewrap sandbox "
                       "when this computer can make it), require (refuse to run without it) or "
                       "off. Default: the lab's setting, \"auto\" unless changed."),
        QStringLiteral("MODE"));
}

std::optional<SandboxMode> sandboxModeOption(const QCommandLineParser &parser,
                                             const QCommandLineOption &option)
{
    if (!parser.isSet(option))
        return LabSettings::load().sandbox;
    const QString value = parser.value(option);
    if (value != QLatin1String("auto") && value != QLatin1String("require") &&
        value != QLatin1String("off"))
        return std::nullopt;
    return sandboxModeFromName(value);
}

QString cliLanguage()
{
    return QLocale::system().name().startsWith(QLatin1String("zh")) ? QStringLiteral("zh_CN")
                                                                    : QStringLiteral("en");
}

Result<QJsonObject> targetDoctor(const Target &target, QTextStream *progress, bool refresh)
{
    if (!refresh) {
        if (std::optional<QJsonObject> kept = TargetStore::loadDoctor(target.name))
            return *kept;
    }
    if (progress)
        *progress << "Asking " << target.host << " what it can build…\n" << Qt::flush;
    RemoteDoctor doctor(target, cliLanguage());
    QEventLoop loop;
    QJsonObject report;
    QString error;
    QObject::connect(&doctor, &RemoteDoctor::finished, &loop,
                     [&](const QJsonObject &r, const QString &e, const QString &notice) {
                         report = r;
                         error = e;
                         if (progress && !notice.isEmpty())
                             *progress << "note: " << notice << "\n" << Qt::flush;
                         loop.quit();
                     });
    doctor.start();
    loop.exec();
    if (!error.isEmpty())
        return fail(error);
    if (Status kept = TargetStore::saveDoctor(target.name, report); !kept && progress)
        *progress << "warning: " << kept.error() << "\n";
    return report;
}

Result<std::shared_ptr<RunnerFactory>> targetFactory(const Target &target, QTextStream *progress)
{
    Result<QJsonObject> doctor = targetDoctor(target, progress, false);
    if (!doctor)
        return fail(doctor.error());
    return std::shared_ptr<RunnerFactory>(
        std::make_shared<RemoteRunnerFactory>(target, cliLanguage(), *doctor));
}

void QueuePrinter::show(const QueueState &state)
{
    if (m_ahead == state.ahead && m_last.isValid() && m_last.elapsed() < 5000)
        return;
    m_ahead = state.ahead;
    m_last.start();
    m_err << state.text() << "\n" << Qt::flush;
}

} // namespace torchlab::cli
