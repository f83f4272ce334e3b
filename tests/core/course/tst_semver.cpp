// Semantic versions as pack manifests use them (version, min_torchlab).
#include "core/course/semver.h"

#include <QTest>

using namespace torchlab;

class TestSemVer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normalized");
        QTest::newRow("plain") << "1.0.0" << true << "1.0.0";
        QTest::newRow("zeros") << "0.0.0" << true << "0.0.0";
        QTest::newRow("prerelease") << "1.2.3-rc.1" << true << "1.2.3-rc.1";
        QTest::newRow("build ignored") << "1.2.3+build.5" << true << "1.2.3";
        QTest::newRow("two parts") << "1.0" << false << "";
        QTest::newRow("v prefix") << "v1.0.0" << false << "";
        QTest::newRow("leading zero") << "01.0.0" << false << "";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("spaces") << " 1.0.0" << false << "";
        QTest::newRow("too large") << "99999999999.0.0" << false << "";
        QTest::newRow("empty prerelease part") << "1.0.0-rc..1" << false << "";
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, normalized);
        const auto v = SemVer::parse(text);
        QCOMPARE(v.has_value(), valid);
        if (v)
            QCOMPARE(v->toString(), normalized);
    }

    void compare_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("sign");
        QTest::newRow("patch") << "1.0.1"
                               << "1.0.0" << 1;
        QTest::newRow("minor beats patch") << "1.1.0"
                                           << "1.0.9" << 1;
        QTest::newRow("numeric, not text") << "1.10.0"
                                           << "1.9.0" << 1;
        QTest::newRow("prerelease below release") << "1.0.0-rc.1"
                                                  << "1.0.0" << -1;
        QTest::newRow("numeric prerelease ids") << "1.0.0-rc.10"
                                                << "1.0.0-rc.9" << 1;
        QTest::newRow("numeric below alpha") << "1.0.0-1"
                                             << "1.0.0-alpha" << -1;
        QTest::newRow("longer prerelease later") << "1.0.0-alpha.1"
                                                 << "1.0.0-alpha" << 1;
        QTest::newRow("build ignored") << "1.0.0+a"
                                       << "1.0.0+b" << 0;
    }
    void compare()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, sign);
        const auto va = SemVer::parse(a), vb = SemVer::parse(b);
        QVERIFY(va && vb);
        const int c = SemVer::compare(*va, *vb);
        QCOMPARE((c > 0) - (c < 0), sign);
        const int back = SemVer::compare(*vb, *va);
        QCOMPARE((back > 0) - (back < 0), -sign);
    }
};

QTEST_GUILESS_MAIN(TestSemVer)
#include "tst_semver.moc"
