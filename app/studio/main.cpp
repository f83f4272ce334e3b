#include "core/util/uilanguage.h"
#include "studio/courselocator.h"
#include "studio/instancechannel.h"
#include "studio/mainwindow.h"
#include "studio/packscontroller.h"
#include "studio/studiocontroller.h"

#include "core/labconfig.h"
#include "core/packs/packinstaller.h"
#include "core/util/labsettings.h"
#include "widgets/style/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <unistd.h>

using namespace torchlab;

namespace {

// Milliseconds since the kernel started this process (exec and dynamic
// loading included), from /proc/self/stat; -1 when that cannot be read.
qint64 processAgeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')'); // the command name may hold spaces
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const qint64 startTicks = fields.at(19).toLongLong(); // field 22: starttime
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    timespec now{};
    if (ticksPerSecond <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1;
    const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
    return nowMs - startTicks * 1000 / ticksPerSecond;
}

// --quit-when-ready: waits until the window has painted once and the event
// loop has nothing left to do, prints the time since the process started,
// and quits. Used by the start-up bench and smoke tests.
class ReadyProbe : public QObject
{
public:
    ReadyProbe(QWidget *window, const QElapsedTimer &sinceMain)
        : QObject(window), m_sinceMain(sinceMain)
    {
        window->installEventFilter(this);
        m_idle.setInterval(0);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            if (!m_painted)
                return;
            m_idle.stop();
            const qint64 age = processAgeMs();
            std::printf("ready_ms=%lld\nready_since_main_ms=%lld\n",
                        static_cast<long long>(age >= 0 ? age : m_sinceMain.elapsed()),
                        static_cast<long long>(m_sinceMain.elapsed()));
            std::fflush(stdout);
            QCoreApplication::quit();
        });
        m_idle.start();
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            m_painted = true;
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer m_sinceMain;
    QTimer m_idle;
    bool m_painted = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication::setApplicationName(QStringLiteral("torchlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("TorchLab"));
    QApplication::setApplicationVersion(QStringLiteral(TORCHLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("torchlab"));
    QApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "TorchLab: a desktop lab for learning LibTorch"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lessonOption(
        QStringLiteral("lesson"),
        QCoreApplication::translate("main", "Open lesson ID (an id or a folder name)."),
        QStringLiteral("ID"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QCoreApplication::translate("main", "Interface language: en or zh_CN."),
        QStringLiteral("LANG"));
    const QCommandLineOption themeOption(
        QStringLiteral("theme"),
        QCoreApplication::translate("main", "Theme for this session: system, light or dark."),
        QStringLiteral("THEME"));
    const QCommandLineOption courseOption(
        QStringLiteral("course"),
        QCoreApplication::translate("main", "The course folder (holding pack.toml)."),
        QStringLiteral("DIR"));
    const QCommandLineOption readyOption(
        QStringLiteral("quit-when-ready"),
        QCoreApplication::translate("main",
                                    "Print ready_ms=<ms since the process started> once the window "
                                    "is shown with the course loaded, then quit."));
    parser.addOptions({lessonOption, langOption, themeOption, courseOption, readyOption});
    parser.addPositionalArgument(
        QStringLiteral("link"),
        QCoreApplication::translate("main", "A torchlab://subscribe?… link from your instructor."),
        QStringLiteral("[link]"));
    parser.process(app);
    const bool quitWhenReady = parser.isSet(readyOption);
    const QString link = parser.positionalArguments().value(0);

    // One lab per learner home: a second start (a link clicked in the browser)
    // hands its link to the running lab, which comes to the front.
    InstanceChannel channel;
    if (!quitWhenReady) {
        QStringList messages{QStringLiteral("raise")};
        if (!link.isEmpty())
            messages << QStringLiteral("link ") + link;
        if (channel.forward(messages))
            return 0;
        QString channelError;
        if (!channel.listen(&channelError))
            std::fprintf(stderr, "torchlab: links cannot reach this lab: %s\n",
                         qPrintable(channelError));
    }

    const LabSettings settings = LabSettings::load();
    const QString language = UiLanguage::normalized(
        parser.isSet(langOption) ? parser.value(langOption) : settings.effectiveLanguage());
    UiLanguage::install(app, language);
    const LabSettings::Theme theme = parser.isSet(themeOption)
                                         ? LabSettings::themeFromName(parser.value(themeOption))
                                         : settings.theme;
    const bool dark = applyTheme(app, theme);

    MainWindow window;
    StudioController::Options options;
    const QString builtInCourse = locateCourse(parser.value(courseOption));
    options.courseDirectory = builtInCourse;
    // Back in the installed pack the learner last worked in, unless a course was named.
    if (!parser.isSet(courseOption) && qEnvironmentVariableIsEmpty("TORCHLAB_COURSE") &&
        !settings.lastPack.isEmpty()) {
        const PackInstaller installer;
        if (installer.find(settings.lastPack))
            options.courseDirectory = installer.packDirectory(settings.lastPack);
    }
    options.lesson = parser.value(lessonOption);
    options.language = language;
    options.darkTheme = dark;
    // A start-up measurement must not leave a compiler building the PCH behind.
    options.warmUp = !quitWhenReady;
    StudioController controller(&window, settings, options);

    Status loaded = controller.loadCourse();
    if (!loaded && options.courseDirectory != builtInCourse) {
        // The installed pack cannot be read any more: the built-in course still can.
        loaded = controller.openCourse(builtInCourse, options.lesson);
    }
    if (!loaded) {
        if (quitWhenReady) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error()));
            return 1;
        }
        QMessageBox::critical(nullptr, QCoreApplication::translate("main", "TorchLab"),
                              loaded.error());
        return 1;
    }
    // The doctor's look at the machine runs on a worker thread; the window
    // does not wait for it.
    controller.startEnvironment();
    PacksController packs(&controller, &window, builtInCourse);
    QObject::connect(&channel, &InstanceChannel::messageReceived, &window,
                     [&window, &packs](const QString &message) {
                         // The window first: a dialog a link opens must end up on top of it.
                         window.showNormal();
                         window.raise();
                         window.activateWindow();
                         if (message.startsWith(QLatin1String("link ")))
                             packs.handleLink(message.mid(5));
                     });
    window.show();
    if (quitWhenReady) {
        new ReadyProbe(&window, sinceMain);
    } else {
        packs.startPolling();
        if (!link.isEmpty())
            QTimer::singleShot(0, &packs, [&packs, link] { packs.handleLink(link); });
    }
    return app.exec();
}
