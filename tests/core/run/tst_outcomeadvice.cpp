// outcomeTitle() and whatToTry(): every way a run can end has a title for the
// explanation card, every failure has concrete tips, the tip that matches a
// LibTorch error's first line comes first, and all of it is translatable.
#include "core/run/outcomeadvice.h"

#include <QCoreApplication>
#include <QSet>
#include <QTest>
#include <QTranslator>

using namespace torchlab;
using O = RunResult::Outcome;

namespace {

const QList<O> kAll{
    O::Ok,          O::ExitCode,      O::Crashed,      O::TimeLimit,       O::MemoryLimit,
    O::OutputLimit, O::FileSizeLimit, O::TooManyFiles, O::CudaOutOfMemory, O::TorchError,
    O::Stopped,     O::FailedToStart};

bool anyContains(const QStringList &tips, const QString &word)
{
    return std::any_of(tips.cbegin(), tips.cend(),
                       [&word](const QString &t) { return t.contains(word); });
}

// Translates everything in one context to a marker, so the test sees which
// strings go through QCoreApplication::translate with that context.
class MarkerTranslator : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        if (qstrcmp(context, "torchlab::OutcomeAdvice") == 0)
            return QStringLiteral("ZH:") + QString::fromUtf8(sourceText);
        return QString();
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class TestOutcomeAdvice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyOutcomeHasATitle()
    {
        QSet<QString> titles;
        for (O o : kAll) {
            const QString t = outcomeTitle(o);
            QVERIFY2(!t.isEmpty(), qPrintable(outcomeName(o)));
            titles.insert(t);
        }
        QCOMPARE(titles.size(), kAll.size());
        QCOMPARE(outcomeTitle(O::CudaOutOfMemory), QStringLiteral("GPU out of memory"));
        QCOMPARE(outcomeTitle(O::Crashed), QStringLiteral("Crashed"));
        QCOMPARE(outcomeTitle(O::TimeLimit), QStringLiteral("Time limit"));
    }

    void everyFailureHasTips()
    {
        for (O o : kAll) {
            const QStringList tips = whatToTry(o);
            if (o == O::Ok || o == O::Stopped)
                QVERIFY2(tips.isEmpty(), qPrintable(outcomeName(o)));
            else
                QVERIFY2(tips.size() >= 2, qPrintable(outcomeName(o)));
            QCOMPARE(QSet<QString>(tips.cbegin(), tips.cend()).size(), tips.size()); // no repeats
        }
    }

    void cudaOutOfMemoryTips()
    {
        const QStringList tips =
            whatToTry(O::CudaOutOfMemory, QStringLiteral("Tried to allocate 2.00 GiB"));
        QVERIFY(tips.first().contains(QStringLiteral("smaller batch")));
        QVERIFY(anyContains(tips, QStringLiteral("gradient accumulation")));
        QVERIFY(anyContains(tips, QStringLiteral("torch::NoGradGuard")));
        QVERIFY(anyContains(tips, QStringLiteral("c10::cuda::CUDACachingAllocator::emptyCache()")));
        QVERIFY(anyContains(tips, QStringLiteral("reserved")));
        QVERIFY(anyContains(tips, QStringLiteral("llocated")));
    }

    void limitTips()
    {
        QVERIFY(anyContains(whatToTry(O::TimeLimit), QStringLiteral("time scale")));
        QVERIFY(anyContains(whatToTry(O::TimeLimit), QStringLiteral("loop")));
        QVERIFY(anyContains(whatToTry(O::MemoryLimit), QStringLiteral("batch")));
        QVERIFY(anyContains(whatToTry(O::OutputLimit), QStringLiteral("lab::metric")));
        QVERIFY(anyContains(whatToTry(O::TooManyFiles), QStringLiteral("close")));
    }

    void crashTips()
    {
        const QStringList tips = whatToTry(O::Crashed);
        QVERIFY(anyContains(tips, QStringLiteral("stack trace")));
        QVERIFY(anyContains(tips, QStringLiteral("index out of range")));
        QVERIFY(whatToTry(O::Crashed, QStringLiteral("SIGFPE"))
                    .value(1)
                    .contains(QStringLiteral("division by zero")));
        QVERIFY(!anyContains(tips, QStringLiteral("division by zero")));
        QVERIFY(whatToTry(O::Crashed, QStringLiteral("SIGABRT"))
                    .value(1)
                    .contains(QStringLiteral("aborted")));
    }

    void torchErrorTipMatchingTheErrorComesFirst_data()
    {
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("firstTipMentions");
        QTest::newRow("matmul") << "mat1 and mat2 shapes cannot be multiplied (64x784 and 128x10)"
                                << "sizes()";
        QTest::newRow("broadcast") << "The size of tensor a (3) must match the size of tensor b "
                                      "(4) at non-singleton dimension 1"
                                   << "sizes()";
        QTest::newRow("dtype") << "expected scalar type Long but found Float"
                               << "kLong";
        QTest::newRow("device") << "Expected all tensors to be on the same device, but found at "
                                   "least two devices, cuda:0 and cpu!"
                                << "same device";
        QTest::newRow("unknown") << "something else"
                                 << "first line";
        QTest::newRow("none") << ""
                              << "first line";
    }

    void torchErrorTipMatchingTheErrorComesFirst()
    {
        QFETCH(QString, detail);
        QFETCH(QString, firstTipMentions);
        const QStringList tips = whatToTry(O::TorchError, detail);
        QVERIFY2(tips.first().contains(firstTipMentions), qPrintable(tips.first()));
        QCOMPARE(tips.size(), whatToTry(O::TorchError).size()); // reordered, nothing lost
    }

    void translated()
    {
        MarkerTranslator translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        const QString title = outcomeTitle(O::CudaOutOfMemory);
        const QStringList tips =
            whatToTry(O::TorchError, QStringLiteral("expected scalar type Long"));
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(title, QStringLiteral("ZH:GPU out of memory"));
        for (const QString &tip : tips)
            QVERIFY2(tip.startsWith(QStringLiteral("ZH:")), qPrintable(tip));
        QVERIFY(tips.first().contains(QStringLiteral("kLong")));
    }
};

QTEST_GUILESS_MAIN(TestOutcomeAdvice)
#include "tst_outcomeadvice.moc"
