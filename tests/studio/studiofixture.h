#pragma once

// The lab window as the app builds it (MainWindow + StudioController over the
// real course pack), for the studio tests.
#include "studio/mainwindow.h"
#include "studio/studiocontroller.h"

#include "core/util/labsettings.h"
#include "widgets/editor/codeeditor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace torchlab::testing {

inline QString courseDirectory()
{
    return QDir::cleanPath(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../lessons/course"));
}

inline QString readCourseFile(const QString &relative)
{
    QFile file(courseDirectory() + QLatin1Char('/') + relative);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

// A learner's home: fresh config and data folders (settings, progress, work
// files) under a temporary directory. The cache (toolchain discovery, the
// precompiled header) stays where ctest put it, so it is built once per test
// executable rather than once per test function.
class LearnerHome
{
public:
    LearnerHome()
    {
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.path() + QStringLiteral("/config")));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.path() + QStringLiteral("/data")));
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

struct Studio
{
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<StudioController> controller;

    CodeEditor *editor() const { return window->currentEditor(); }

    // Closes the window the way a learner does (saves), then tears down.
    void close()
    {
        if (window)
            window->close();
        controller.reset();
        window.reset();
    }
    ~Studio() { close(); }
};

struct StudioOptions
{
    QString language = QStringLiteral("en");
    QString lesson;
    bool warmUp = false;
    bool environment = false; // start gathering the environment report
    bool show = false;
    QSize size; // the window's size before it is shown (default: 1600 x 1000)
};

// Builds the window over the real course with the settings stored in the
// current XDG config home (as main() does).
inline std::unique_ptr<Studio> openStudio(const StudioOptions &options = StudioOptions())
{
    auto studio = std::make_unique<Studio>();
    studio->window = std::make_unique<MainWindow>();
    StudioController::Options o;
    o.courseDirectory = courseDirectory();
    o.language = options.language;
    o.lesson = options.lesson;
    o.warmUp = options.warmUp;
    studio->controller =
        std::make_unique<StudioController>(studio->window.get(), LabSettings::load(), o);
    if (const Status loaded = studio->controller->loadCourse(); !loaded) {
        qWarning("course did not load: %s", qPrintable(loaded.error()));
        return nullptr;
    }
    if (options.environment)
        studio->controller->startEnvironment();
    if (options.size.isValid())
        studio->window->resize(options.size);
    if (options.show) {
        studio->window->show();
        studio->window->activateWindow();
        if (!QTest::qWaitForWindowActive(studio->window.get()))
            qWarning("the window did not become active");
    }
    return studio;
}

} // namespace torchlab::testing
