// ObjectCache on its own: keys, dependency files, LRU bounds, in-flight claims.
// Compiles nothing (tst_compilejob drives it through real compiles).
#include "core/build/objectcache.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace torchlab;

class TestObjectCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return path;
    }

    ToolchainProfile profile() const
    {
        ToolchainProfile p;
        p.compiler.path = QStringLiteral("/usr/bin/clang++");
        p.compiler.version = QStringLiteral("14.0.6");
        p.libtorch.root = QStringLiteral("/usr");
        p.libtorch.version = QStringLiteral("1.13.0");
        p.compileFlags = {QStringLiteral("-std=c++17")};
        return p;
    }

private Q_SLOTS:
    void dependencyFileEscapes()
    {
        const QByteArray text = "obj/unit0.o: /a/src/exercise.cpp /usr/include/x.h \\\n"
                                "  /a/src/my\\ header.h /a/src/cost$$.h \\\n"
                                "  /a/src/hash\\#.h\n";
        const QStringList deps = ObjectCache::parseDependencyFile(text);
        QCOMPARE(deps, (QStringList{
                           QStringLiteral("/a/src/exercise.cpp"),
                           QStringLiteral("/usr/include/x.h"), QStringLiteral("/a/src/my header.h"),
                           QStringLiteral("/a/src/cost$.h"), QStringLiteral("/a/src/hash#.h")}));
    }

    // The same text staged in two job folders is one unit; any other text,
    // flag or toolchain is another.
    void keysIgnoreTheStagingFolderOnly()
    {
        const QString a = write(QStringLiteral("jobA/src/exercise.cpp"), "int main() {}\n");
        const QString b = write(QStringLiteral("jobB/src/exercise.cpp"), "int main() {}\n");
        const QString c = write(QStringLiteral("jobC/src/exercise.cpp"), "int main() { }\n");
        const QString rootA = QFileInfo(a).absolutePath(), rootB = QFileInfo(b).absolutePath(),
                      rootC = QFileInfo(c).absolutePath();
        auto args = [](const QString &root, const QString &source) {
            return QStringList{
                QStringLiteral("-std=c++17"), QStringLiteral("-ffile-prefix-map=%1/=").arg(root),
                QStringLiteral("-c"),         source,
                QStringLiteral("-o"),         QStringLiteral("@@OBJ@@")};
        };
        const QString keyA = ObjectCache::unitKey(profile(), args(rootA, a), a, {rootA});
        const QString keyB = ObjectCache::unitKey(profile(), args(rootB, b), b, {rootB});
        const QString keyC = ObjectCache::unitKey(profile(), args(rootC, c), c, {rootC});
        QCOMPARE(keyA.size(), 64);
        QCOMPARE(keyA, keyB);
        QVERIFY(keyA != keyC);

        QStringList withDefine = args(rootA, a);
        withDefine.prepend(QStringLiteral("-DX=1"));
        QVERIFY(ObjectCache::unitKey(profile(), withDefine, a, {rootA}) != keyA);
        ToolchainProfile other = profile();
        other.libtorch.version = QStringLiteral("2.5.0");
        QVERIFY(ObjectCache::unitKey(other, args(rootA, a), a, {rootA}) != keyA);
        QVERIFY(
            ObjectCache::unitKey(profile(), args(rootA, a), m_dir.filePath("missing.cpp"), {rootA})
                .isEmpty());
    }

    // A learner header that changes makes the entry a miss; headers in the
    // system folders are not even looked at.
    void dependenciesAreCheckedOnLookup()
    {
        ObjectCache cache(m_dir.filePath(QStringLiteral("cache1")));
        const QString src = write(QStringLiteral("job1/src/exercise.cpp"), "#include \"h.h\"\n");
        const QString header = write(QStringLiteral("job1/src/h.h"), "int f();\n");
        const QString object = write(QStringLiteral("job1/unit0.o"), "OBJECT");
        const QString deps = write(
            QStringLiteral("job1/unit0.o.d"),
            ("unit0.o: " + src + " " + header + " /usr/include/stdio.h /nonexistent/system/x.h\n")
                .toUtf8());
        const QStringList roots{QFileInfo(src).absolutePath()};
        const QString key(64, QLatin1Char('a'));
        QVERIFY(cache.store(key, true, object,
                            roots.first().toUtf8() + "/exercise.cpp:1:1: warning: w\n", deps, roots,
                            {QStringLiteral("/usr/"), QStringLiteral("/nonexistent/")}));

        // Found from another job folder with the same files; output restored there.
        const QString src2 = write(QStringLiteral("job2/src/exercise.cpp"), "#include \"h.h\"\n");
        write(QStringLiteral("job2/src/h.h"), "int f();\n");
        const QStringList roots2{QFileInfo(src2).absolutePath()};
        std::optional<ObjectCache::Entry> hit = cache.lookup(key, roots2);
        QVERIFY(hit);
        QVERIFY(hit->ok);
        QCOMPARE(hit->output, roots2.first().toUtf8() + "/exercise.cpp:1:1: warning: w\n");
        QFile obj(hit->file);
        QVERIFY(obj.open(QIODevice::ReadOnly));
        QCOMPARE(obj.readAll(), QByteArray("OBJECT"));

        write(QStringLiteral("job2/src/h.h"), "int f(int);\n");
        QVERIFY(!cache.lookup(key, roots2));
        QVERIFY(cache.lookup(key, roots)); // the first folder is unchanged

        // Materialised as a hard link: trimming the cache leaves it intact.
        const QString linked = m_dir.filePath(QStringLiteral("job2/unit0.o"));
        QVERIFY(ObjectCache::materialize(hit->file, linked, false));
        QFile::remove(hit->file);
        QFile l(linked);
        QVERIFY(l.open(QIODevice::ReadOnly));
        QCOMPARE(l.readAll(), QByteArray("OBJECT"));
    }

    // Bounded: least recently used entries go first, down to 80 %.
    void trimsLeastRecentlyUsed()
    {
        ObjectCache cache(m_dir.filePath(QStringLiteral("cache2")), 300'000);
        const QString blob = write(QStringLiteral("blob"), QByteArray(90'000, 'x'));
        QStringList keys;
        for (int i = 0; i < 3; ++i) {
            keys << QString(64, QLatin1Char('0' + i));
            QVERIFY(cache.store(keys.last(), true, blob, QByteArray(), QString(), {}));
            QThread::msleep(20); // distinct modification times
        }
        QVERIFY(cache.lookup(keys.at(0), {})); // 0 is now the most recently used
        QThread::msleep(20);
        keys << QString(64, QLatin1Char('9'));
        QVERIFY(cache.store(keys.last(), true, blob, QByteArray(), QString(), {}));
        QVERIFY(cache.sizeOnDisk() <= 300'000);
        QVERIFY(cache.lookup(keys.at(0), {}));
        QVERIFY(cache.lookup(keys.at(3), {}));
        QVERIFY(!cache.lookup(keys.at(1), {})); // the oldest unused one went
        QVERIFY(cache.stats().evicted >= 1);
    }

    void claimsAreExclusiveUntilReleased()
    {
        ObjectCache cache(m_dir.filePath(QStringLiteral("cache3")));
        QObject a, b;
        const QString key(64, QLatin1Char('c'));
        QVERIFY(cache.claim(key, &a));
        QVERIFY(cache.claim(key, &a)); // the owner again
        QVERIFY(!cache.claim(key, &b));
        QVERIFY(cache.inFlight(key));
        QSignalSpy released(&cache, &ObjectCache::released);
        cache.release(key, &b); // not b's: nothing happens
        QCOMPARE(released.count(), 0);
        cache.releaseAll(&a);
        QCOMPARE(released.count(), 1);
        QCOMPARE(released.first().first().toString(), key);
        QVERIFY(cache.claim(key, &b));
    }
};

QTEST_GUILESS_MAIN(TestObjectCache)
#include "tst_objectcache.moc"
