// LabSettings: what the learner chose survives a restart, lives where
// XDG_CONFIG_HOME says, and a hand-edited or stale file never yields values
// the lab cannot use (they are clamped or fall back to the defaults).
#include "core/util/labsettings.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

class TestLabSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    void writeRaw(const QList<std::pair<QString, QVariant>> &values)
    {
        QFile::remove(LabSettings::filePath());
        QSettings s(LabSettings::filePath(), QSettings::IniFormat);
        for (const auto &[key, value] : values)
            s.setValue(key, value);
        s.sync();
        QCOMPARE(s.status(), QSettings::NoError);
    }

private Q_SLOTS:
    void init()
    {
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        QFile::remove(m_home.path() + QStringLiteral("/torchlab/torchlab.conf"));
    }

    void honoursXdgConfigHome()
    {
        QCOMPARE(LabSettings::filePath(),
                 m_home.path() + QStringLiteral("/torchlab/torchlab.conf"));
        QTemporaryDir other;
        qputenv("XDG_CONFIG_HOME", other.path().toUtf8());
        QCOMPARE(LabSettings::filePath(), other.path() + QStringLiteral("/torchlab/torchlab.conf"));
        LabSettings s;
        s.editorFontSize = 17;
        QVERIFY(s.save());
        QVERIFY(QFileInfo::exists(other.path() + QStringLiteral("/torchlab/torchlab.conf")));
        QCOMPARE(LabSettings::load().editorFontSize, 17);
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        QCOMPARE(LabSettings::load().editorFontSize, 11); // the other home's file is not read
    }

    void defaultsWhenNothingIsStored()
    {
        const LabSettings s = LabSettings::load();
        QCOMPARE(s.libtorch, QString());
        QCOMPARE(s.compiler, QString());
        QCOMPARE(s.device, QStringLiteral("auto"));
        QCOMPARE(s.timeScale, 1.0);
        QCOMPARE(s.memoryMb, 0);
        QCOMPARE(s.theme, LabSettings::Theme::System);
        QCOMPARE(s.language, QString());
        QCOMPARE(s.editorFontSize, 11);
        QCOMPARE(s.quickRuns, false);
        QVERIFY(s.windowGeometry.isEmpty());
        QVERIFY(s.lastLesson.isEmpty());
    }

    void roundTripsEveryField()
    {
        LabSettings s;
        s.libtorch = QStringLiteral("/opt/libtorch 2.3");
        s.compiler = QStringLiteral("/usr/bin/clang++");
        s.device = QStringLiteral("cpu");
        s.timeScale = 2.5;
        s.memoryMb = 2048;
        s.theme = LabSettings::Theme::Dark;
        s.language = QStringLiteral("zh_CN");
        s.editorFontSize = 14;
        s.quickRuns = true;
        s.windowGeometry = QByteArray("\x01\x02\x00\xff geometry", 14);
        s.windowState = QByteArray(300, '\x7f');
        s.splitterState = QByteArray("splitter");
        s.lastPack = QStringLiteral("course");
        s.lastLesson = QStringLiteral("第一课/hello");
        QVERIFY(s.save());

        const LabSettings b = LabSettings::load();
        QCOMPARE(b.libtorch, s.libtorch);
        QCOMPARE(b.compiler, s.compiler);
        QCOMPARE(b.device, s.device);
        QCOMPARE(b.timeScale, s.timeScale);
        QCOMPARE(b.memoryMb, s.memoryMb);
        QCOMPARE(b.theme, s.theme);
        QCOMPARE(b.language, s.language);
        QCOMPARE(b.editorFontSize, s.editorFontSize);
        QCOMPARE(b.quickRuns, s.quickRuns);
        QCOMPARE(b.windowGeometry, s.windowGeometry);
        QCOMPARE(b.windowState, s.windowState);
        QCOMPARE(b.splitterState, s.splitterState);
        QCOMPARE(b.lastPack, s.lastPack);
        QCOMPARE(b.lastLesson, s.lastLesson);
    }

    void clampsOutOfRangeValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("stored");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("scale high") << "run/timeScale" << QVariant(100.0) << QVariant(10.0);
        QTest::newRow("scale low") << "run/timeScale" << QVariant(0.01) << QVariant(0.5);
        QTest::newRow("scale negative") << "run/timeScale" << QVariant(-3) << QVariant(0.5);
        QTest::newRow("scale text")
            << "run/timeScale" << QVariant(QStringLiteral("fast")) << QVariant(1.0);
        QTest::newRow("scale nan")
            << "run/timeScale" << QVariant(QStringLiteral("nan")) << QVariant(1.0);
        QTest::newRow("scale inf")
            << "run/timeScale" << QVariant(QStringLiteral("inf")) << QVariant(1.0);
        QTest::newRow("font big") << "editor/fontSize" << QVariant(400) << QVariant(40);
        QTest::newRow("font tiny") << "editor/fontSize" << QVariant(1) << QVariant(6);
        QTest::newRow("font text")
            << "editor/fontSize" << QVariant(QStringLiteral("big")) << QVariant(11);
        QTest::newRow("memory negative") << "run/memoryMb" << QVariant(-5) << QVariant(0);
        QTest::newRow("memory tiny") << "run/memoryMb" << QVariant(3) << QVariant(64);
        QTest::newRow("memory huge")
            << "run/memoryMb" << QVariant(qint64(1) << 40) << QVariant(1 << 20);
        QTest::newRow("device unknown")
            << "run/device" << QVariant(QStringLiteral("tpu")) << QVariant(QStringLiteral("auto"));
        QTest::newRow("device cuda")
            << "run/device" << QVariant(QStringLiteral("cuda")) << QVariant(QStringLiteral("cuda"));
        QTest::newRow("language unknown")
            << "ui/language" << QVariant(QStringLiteral("xx_YY")) << QVariant(QString());
        QTest::newRow("language en")
            << "ui/language" << QVariant(QStringLiteral("en")) << QVariant(QStringLiteral("en"));
    }

    void clampsOutOfRangeValues()
    {
        QFETCH(QString, key);
        QFETCH(QVariant, stored);
        QFETCH(QVariant, expected);
        writeRaw({{key, stored}});
        const LabSettings s = LabSettings::load();
        if (key == QLatin1String("run/timeScale"))
            QCOMPARE(s.timeScale, expected.toDouble());
        else if (key == QLatin1String("editor/fontSize"))
            QCOMPARE(s.editorFontSize, expected.toInt());
        else if (key == QLatin1String("run/memoryMb"))
            QCOMPARE(s.memoryMb, expected.toInt());
        else if (key == QLatin1String("run/device"))
            QCOMPARE(s.device, expected.toString());
        else if (key == QLatin1String("ui/language"))
            QCOMPARE(s.language, expected.toString());
        else
            QFAIL("unknown key");
    }

    void themeNames()
    {
        for (auto t :
             {LabSettings::Theme::System, LabSettings::Theme::Light, LabSettings::Theme::Dark})
            QCOMPARE(LabSettings::themeFromName(LabSettings::themeName(t)), t);
        QCOMPARE(LabSettings::themeName(LabSettings::Theme::Dark), QStringLiteral("dark"));
        QCOMPARE(LabSettings::themeFromName(QStringLiteral("purple")), LabSettings::Theme::System);
        writeRaw({{QStringLiteral("ui/theme"), QStringLiteral("purple")}});
        QCOMPARE(LabSettings::load().theme, LabSettings::Theme::System);
        writeRaw({{QStringLiteral("ui/theme"), QStringLiteral("light")}});
        QCOMPARE(LabSettings::load().theme, LabSettings::Theme::Light);
    }

    void effectiveLanguage()
    {
        LabSettings s;
        s.language = QStringLiteral("zh_CN");
        QCOMPARE(s.effectiveLanguage(), QStringLiteral("zh_CN"));
        s.language = QStringLiteral("en");
        QCOMPARE(s.effectiveLanguage(), QStringLiteral("en"));
        s.language.clear();
        QVERIFY(QStringList({QStringLiteral("en"), QStringLiteral("zh_CN")})
                    .contains(s.effectiveLanguage()));
        QCOMPARE(LabSettings::languageFor(QLocale(QLocale::Chinese, QLocale::China)),
                 QStringLiteral("zh_CN"));
        QCOMPARE(LabSettings::languageFor(QLocale(QLocale::Chinese, QLocale::Singapore)),
                 QStringLiteral("zh_CN"));
        QCOMPARE(LabSettings::languageFor(QLocale(QLocale::German, QLocale::Germany)),
                 QStringLiteral("en"));
        QCOMPARE(LabSettings::languageFor(QLocale::c()), QStringLiteral("en"));
    }

    void saveFailsWhenTheFileCannotBeWritten()
    {
        // A folder where the file should be: fails for root too.
        QVERIFY(QDir().mkpath(LabSettings::filePath() + QStringLiteral("/blocker")));
        LabSettings s;
        s.editorFontSize = 20;
        QVERIFY(!s.save());
        QVERIFY(QDir(LabSettings::filePath()).removeRecursively());
        QVERIFY(s.save());
        QCOMPARE(LabSettings::load().editorFontSize, 20);
    }
};

QTEST_GUILESS_MAIN(TestLabSettings)
#include "tst_labsettings.moc"
