// What a pack update means for the learner's saved work (updates keep every
// learner's code and progress), over real packs loaded with
// PackLoader from copies of the example fixture and a real ProgressStore:
// starters that changed under edited code are offered (the code stays),
// removed lessons keep their code reachable, and saveCode() records the
// starter a file began from only once.
#include "core/course/courseupdate.h"
#include "core/course/lessonworkspace.h"
#include "core/course/packloader.h"
#include "core/course/progressstore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

const QString PackId = QStringLiteral("org.torchlab.example");
const QString Exercise = QStringLiteral("exercise.cpp");

bool copyTree(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo &info :
         QDir(from).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        const QString dest = to + QLatin1Char('/') + info.fileName();
        if (info.isDir() ? !copyTree(info.filePath(), dest) : !QFile::copy(info.filePath(), dest))
            return false;
    }
    return true;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

QByteArray readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_CourseUpdate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void changedStarterUnderEditedCode();
    void notReported_data();
    void notReported();
    void changesOfAllLessonsInLessonOrder();
    void acknowledgeKeepsOrAdopts_data();
    void acknowledgeKeepsOrAdopts();
    void removedLessonsKeepTheirCode();
    void saveCodeRecordsTheFirstStarterHash();

private:
    // A copy of the example pack as `name`, loaded; `edit` may change its files first.
    Pack loadCopy(const QString &name, const std::function<void(const QString &dir)> &edit = {});
    QString starter(const Pack &pack, const QString &lessonId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProgressStore> m_store;
    Pack m_v1;
    Pack m_v2; // 01-squares' starter changed; 02-fit unchanged
};

Pack tst_CourseUpdate::loadCopy(const QString &name,
                                const std::function<void(const QString &)> &edit)
{
    const QString dir = m_dir->filePath(name);
    if (!copyTree(QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/fixtures/packs/example"), dir))
        return {};
    if (edit)
        edit(dir);
    const PackLoadResult loaded = PackLoader::load(dir);
    if (!loaded.valid()) {
        for (const Problem &p : loaded.problems)
            qWarning("%s", qPrintable(p.toString()));
        return {};
    }
    return loaded.pack;
}

QString tst_CourseUpdate::starter(const Pack &pack, const QString &lessonId) const
{
    const Lesson *lesson = pack.lesson(lessonId);
    return lesson ? LessonWorkspace::starterText(*lesson, Exercise) : QString();
}

void tst_CourseUpdate::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<ProgressStore>(m_dir->filePath(QStringLiteral("progress")));
    m_v1 = loadCopy(QStringLiteral("v1"));
    QCOMPARE(m_v1.lessons.size(), 2);
    m_v2 = loadCopy(QStringLiteral("v2"), [](const QString &dir) {
        const QString file = dir + QStringLiteral("/01-squares/exercise.cpp");
        writeText(file, readText(file) + "// v2: a hint in the starter\n");
    });
    QCOMPARE(m_v2.lessons.size(), 2);
    QVERIFY(!starter(m_v1, QStringLiteral("squares")).isEmpty());
    QVERIFY(starter(m_v1, QStringLiteral("squares")) != starter(m_v2, QStringLiteral("squares")));
    QCOMPARE(starter(m_v1, QStringLiteral("fit")), starter(m_v2, QStringLiteral("fit")));
}

void tst_CourseUpdate::changedStarterUnderEditedCode()
{
    const QString oldStarter = starter(m_v1, QStringLiteral("squares"));
    const QString mine = oldStarter + QStringLiteral("// my answer\n");
    QVERIFY(m_store->saveCode(PackId, QStringLiteral("squares"), Exercise, mine,
                              ProgressStore::sha256Hex(oldStarter)));
    const LessonProgress record = m_store->load(PackId, QStringLiteral("squares"));

    // The same pack version: nothing changed.
    QVERIFY(changedStarters(m_v1, record).isEmpty());

    const QList<StarterChange> changes = changedStarters(m_v2, record);
    QCOMPARE(changes.size(), 1);
    const StarterChange &c = changes.first();
    QCOMPARE(c.lessonId, QStringLiteral("squares"));
    QCOMPARE(c.fileName, Exercise);
    QCOMPARE(c.learnerCode, mine);
    QCOMPARE(c.newStarter, starter(m_v2, QStringLiteral("squares")));
    QCOMPARE(c.oldStarterHash, ProgressStore::sha256Hex(oldStarter));
    // Pure: the learner's record is as it was.
    QCOMPARE(m_store->load(PackId, QStringLiteral("squares")).code.value(Exercise), mine);
}

void tst_CourseUpdate::notReported_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("code already equals the new starter") << QStringLiteral("equal");
    QTest::newRow("no starter hash (saved by an older lab)") << QStringLiteral("no hash");
    QTest::newRow("no code for the file") << QStringLiteral("other file");
    QTest::newRow("no code at all") << QStringLiteral("no code");
    QTest::newRow("lesson not in the pack") << QStringLiteral("other lesson");
}

void tst_CourseUpdate::notReported()
{
    QFETCH(QString, kind);
    const QString oldHash = ProgressStore::sha256Hex(starter(m_v1, QStringLiteral("squares")));
    LessonProgress record;
    record.packId = PackId;
    record.lessonId = QStringLiteral("squares");
    record.code.insert(Exercise, QStringLiteral("// mine\n"));
    record.starterHash.insert(Exercise, oldHash);
    if (kind == QLatin1String("equal"))
        record.code.insert(Exercise, starter(m_v2, QStringLiteral("squares")));
    if (kind == QLatin1String("no hash"))
        record.starterHash.clear();
    if (kind == QLatin1String("other file")) {
        record.code.clear();
        record.code.insert(QStringLiteral("notes.cpp"), QStringLiteral("// mine\n"));
    }
    if (kind == QLatin1String("no code"))
        record.code.clear();
    if (kind == QLatin1String("other lesson"))
        record.lessonId = QStringLiteral("gone");
    // The control: the same record with code and hash is reported.
    LessonProgress control = record;
    control.lessonId = QStringLiteral("squares");
    control.code = {{Exercise, QStringLiteral("// mine\n")}};
    control.starterHash = {{Exercise, oldHash}};
    QCOMPARE(changedStarters(m_v2, control).size(), 1);

    QVERIFY(changedStarters(m_v2, record).isEmpty());
    QHash<QString, LessonProgress> records{{record.lessonId, record}};
    QVERIFY(changedStarters(m_v2, records).isEmpty());
}

void tst_CourseUpdate::changesOfAllLessonsInLessonOrder()
{
    // Both lessons' starters change in v3; records come from the store (loadPack).
    const Pack v3 = loadCopy(QStringLiteral("v3"), [](const QString &dir) {
        for (const char *lesson : {"/01-squares/exercise.cpp", "/02-fit/exercise.cpp"}) {
            const QString file = dir + QLatin1String(lesson);
            writeText(file, readText(file) + "// v3\n");
        }
    });
    QCOMPARE(v3.lessons.size(), 2);
    for (const QString &lesson : {QStringLiteral("fit"), QStringLiteral("squares")})
        QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("// mine: ") + lesson,
                                  ProgressStore::sha256Hex(starter(m_v1, lesson))));
    const QHash<QString, LessonProgress> records = m_store->loadPack(PackId);
    QCOMPARE(records.size(), 2);

    QList<StarterChange> changes = changedStarters(v3, records);
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes[0].lessonId, QStringLiteral("squares"));
    QCOMPARE(changes[1].lessonId, QStringLiteral("fit"));
    QCOMPARE(changes[1].learnerCode, QStringLiteral("// mine: fit"));
    changes = changedStarters(m_v2, records);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes[0].lessonId, QStringLiteral("squares"));
}

void tst_CourseUpdate::acknowledgeKeepsOrAdopts_data()
{
    QTest::addColumn<bool>("adopt");
    QTest::newRow("keep my code") << false;
    QTest::newRow("use the new starter") << true;
}

void tst_CourseUpdate::acknowledgeKeepsOrAdopts()
{
    QFETCH(bool, adopt);
    const QString mine = QStringLiteral("// my answer\n");
    QVERIFY(m_store->saveCode(PackId, QStringLiteral("squares"), Exercise, mine,
                              ProgressStore::sha256Hex(starter(m_v1, QStringLiteral("squares")))));
    LessonProgress record = m_store->load(PackId, QStringLiteral("squares"));
    const QList<StarterChange> changes = changedStarters(m_v2, record);
    QCOMPARE(changes.size(), 1);

    const LessonProgress acknowledged = acknowledgeStarterChange(record, changes.first(), adopt);
    const QString newStarter = starter(m_v2, QStringLiteral("squares"));
    QCOMPARE(acknowledged.starterHash.value(Exercise), ProgressStore::sha256Hex(newStarter));
    QCOMPARE(acknowledged.code.value(Exercise), adopt ? newStarter : mine);
    QCOMPARE(acknowledged.status, record.status);
    QCOMPARE(acknowledged.attempts, record.attempts);

    // Saved, the change is not offered again, and a later save keeps the new hash.
    QVERIFY(m_store->save(acknowledged));
    record = m_store->load(PackId, QStringLiteral("squares"));
    QVERIFY(changedStarters(m_v2, record).isEmpty());
    QVERIFY(m_store->saveCode(PackId, QStringLiteral("squares"), Exercise, mine + mine,
                              ProgressStore::sha256Hex(newStarter)));
    QVERIFY(changedStarters(m_v2, m_store->load(PackId, QStringLiteral("squares"))).isEmpty());
    // The original version's starter now differs from what the code answers to.
    QCOMPARE(changedStarters(m_v1, m_store->load(PackId, QStringLiteral("squares"))).size(), 1);
}

void tst_CourseUpdate::removedLessonsKeepTheirCode()
{
    // v4 drops lesson 02-fit.
    const Pack v4 = loadCopy(QStringLiteral("v4"), [](const QString &dir) {
        QByteArray toml = readText(dir + QStringLiteral("/pack.toml"));
        toml.truncate(toml.indexOf("[[days]]\ntitle = { en = \"Training\""));
        writeText(dir + QStringLiteral("/pack.toml"), toml);
        QDir(dir + QStringLiteral("/02-fit")).removeRecursively();
    });
    QCOMPARE(v4.lessons.size(), 1);

    const QDateTime t0(QDate(2026, 9, 1), QTime(9, 0), Qt::UTC);
    const auto save = [&](const QString &lesson, bool withCode, const QDateTime &edited) {
        LessonProgress p;
        p.packId = PackId;
        p.lessonId = lesson;
        p.status = LessonStatus::InProgress;
        if (withCode)
            p.code.insert(Exercise, QStringLiteral("// code of ") + lesson);
        p.firstOpened = t0;
        p.lastEdited = edited;
        return m_store->save(p);
    };
    QVERIFY(save(QStringLiteral("squares"), true, t0.addSecs(50)));      // still in the pack
    QVERIFY(save(QStringLiteral("fit"), true, t0.addSecs(10)));          // removed, older edit
    QVERIFY(save(QStringLiteral("renamed-old"), true, t0.addSecs(20)));  // removed, newer edit
    QVERIFY(save(QStringLiteral("opened-only"), false, t0.addSecs(30))); // removed, no code
    const QHash<QString, LessonProgress> records = m_store->loadPack(PackId);
    QCOMPARE(records.size(), 4);

    const QList<LessonProgress> removed = removedLessonsWithCode(v4, records);
    QCOMPARE(removed.size(), 2);
    QCOMPARE(removed[0].lessonId, QStringLiteral("renamed-old"));
    QCOMPARE(removed[1].lessonId, QStringLiteral("fit"));
    QCOMPARE(removed[1].code.value(Exercise), QStringLiteral("// code of fit"));
    QVERIFY(removedLessonsWithCode(m_v1, records).size() == 1); // only renamed-old
    // Nothing was deleted from the store.
    QCOMPARE(m_store->loadPack(PackId).size(), 4);
}

void tst_CourseUpdate::saveCodeRecordsTheFirstStarterHash()
{
    const QString lesson = QStringLiteral("squares");
    const QString h1 = ProgressStore::sha256Hex(QStringLiteral("starter one"));
    const QString h2 = ProgressStore::sha256Hex(QStringLiteral("starter two"));
    QCOMPARE(h1.size(), 64);

    // Without a hash nothing is recorded.
    QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("a")));
    QVERIFY(m_store->load(PackId, lesson).starterHash.isEmpty());
    // The first hash given is recorded; later ones do not replace it.
    QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("b"), h1));
    QCOMPARE(m_store->load(PackId, lesson).starterHash.value(Exercise), h1);
    QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("c"), h2));
    QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("d")));
    LessonProgress p = m_store->load(PackId, lesson);
    QCOMPARE(p.starterHash.value(Exercise), h1);
    QCOMPARE(p.code.value(Exercise), QStringLiteral("d"));
    // Per file.
    QVERIFY(
        m_store->saveCode(PackId, lesson, QStringLiteral("kernel.cu"), QStringLiteral("k"), h2));
    p = m_store->load(PackId, lesson);
    QCOMPARE(p.starterHash.value(QStringLiteral("kernel.cu")), h2);
    QCOMPARE(p.starterHash.value(Exercise), h1);
    // Survives a fresh store (it is in the file) and goes with "reset to starter".
    QCOMPARE(ProgressStore(m_store->root()).load(PackId, lesson).starterHash.size(), 2);
    QVERIFY(m_store->clearCode(PackId, lesson));
    QVERIFY(m_store->load(PackId, lesson).starterHash.isEmpty());
    QVERIFY(m_store->saveCode(PackId, lesson, Exercise, QStringLiteral("e"), h2));
    QCOMPARE(m_store->load(PackId, lesson).starterHash.value(Exercise), h2);
}

QTEST_GUILESS_MAIN(tst_CourseUpdate)
#include "tst_courseupdate.moc"
