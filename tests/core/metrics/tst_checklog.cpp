// CheckLog and BoundedTextList: what a run's lab::check and lab::note calls
// may make the lab keep (docs/reliability.md row 34), and that grading still
// sees every report of a name it tallies.
#include "core/metrics/checklog.h"
#include "helpers/labevents.h"

#include <QTest>

using namespace torchlab;
using namespace torchlab::testing;

class tst_CheckLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void talliesEveryReportOfAName()
    {
        CheckLog log;
        log.add(checkReport("shapes", true, "fine"));
        log.add(checkReport("shapes", false, "wrong size"));
        log.add(checkReport("shapes", true, "fine"));
        log.add(checkReport("other", true));
        LabEvent note;
        note.type = LabEvent::Type::Note;
        log.add(note); // not a check: ignored
        const CheckTally *t = log.tally("shapes");
        QVERIFY(t);
        QCOMPARE(t->reports, 3);
        QCOMPARE(t->failures, 1);
        QVERIFY(!t->passed());
        // The failing report's words first: they say what was wrong.
        QCOMPARE(t->messages(), (QStringList{"wrong size", "fine"}));
        QVERIFY(log.tally("other")->passed());
        QVERIFY(!log.tally("missing"));
        QCOMPARE(log.received(), 4);
        QCOMPARE(log.events().size(), 4);
        QCOMPARE(log.tallies().first().name, QStringLiteral("shapes"));
    }

    void aMessageFirstSeenPassingMovesToFailing()
    {
        CheckLog log;
        log.add(checkReport("x", true, "same words"));
        log.add(checkReport("x", false, "same words"));
        QCOMPARE(log.tally("x")->failingMessages, QStringList{"same words"});
        QVERIFY(log.tally("x")->passingMessages.isEmpty());
    }

    // lab::check inside a training loop: a million reports of one name.
    void aMillionReportsStayBounded()
    {
        CheckLog log;
        for (int i = 0; i < 1'000'000; ++i)
            log.add(
                checkReport("inside_loop", i != 999'999, QStringLiteral("step %1").arg(i % 20)));
        QCOMPARE(log.received(), 1'000'000);
        QCOMPARE(log.events().size(), CheckLog::MaxEvents);
        QCOMPARE(log.eventsDropped(), 1'000'000 - CheckLog::MaxEvents);
        const CheckTally *t = log.tally("inside_loop");
        QCOMPARE(t->reports, 1'000'000);
        QCOMPARE(t->failures, 1); // the last report failed: the check fails
        QVERIFY(t->messages().size() <= CheckTally::MaxMessages);
        QCOMPARE(log.untallied(), 0);
    }

    // A million distinct names: the tally stops at MaxNames and counts the rest.
    void distinctNamesPastTheCapAreCounted()
    {
        CheckLog log;
        for (int i = 0; i < 20'000; ++i)
            log.add(checkReport(QStringLiteral("c%1").arg(i), true));
        QCOMPARE(log.tallies().size(), CheckLog::MaxNames);
        QVERIFY(log.tally("c0"));
        QVERIFY(!log.tally("c19999"));
        QCOMPARE(log.untallied(), 20'000 - CheckLog::MaxNames);
        // A name already tallied still counts after the cap.
        log.add(checkReport("c0", false, "late failure"));
        QCOMPARE(log.tally("c0")->failures, 1);
    }

    void longTextIsCutAndTheBudgetHolds()
    {
        CheckLog log;
        const QString huge(60'000, QLatin1Char('x'));
        for (int i = 0; i < 5'000; ++i)
            log.add(checkReport(QStringLiteral("n%1").arg(i), false, huge + QString::number(i)));
        for (const LabEvent &e : log.events())
            QVERIFY(e.message.size() <= CheckLog::MaxMessageChars);
        qsizetype chars = 0;
        for (const CheckTally &t : log.tallies()) {
            chars += t.name.size();
            for (const QString &m : t.messages())
                chars += m.size();
        }
        for (const LabEvent &e : log.events())
            chars += e.name.size() + e.message.size();
        QVERIFY2(chars <= CheckLog::MaxTextChars, qPrintable(QString::number(chars)));
        QCOMPARE(log.received(), 5'000);
    }

    void addAllMergesAnotherRank()
    {
        CheckLog zero, one;
        zero.add(checkReport("same_params", true, "rank 0 agrees"));
        one.add(checkReport("same_params", false, "rank 1 differs"));
        one.add(checkReport("only_one", true));
        zero.addAll(one);
        QCOMPARE(zero.tally("same_params")->reports, 2);
        QCOMPARE(zero.tally("same_params")->failures, 1);
        QCOMPARE(zero.tally("same_params")->messages(),
                 (QStringList{"rank 1 differs", "rank 0 agrees"}));
        QCOMPARE(zero.received(), 3);
        QCOMPARE(zero.events().size(), 3);
    }

    // lab::skip reports count as skips, not failures, and not as passes.
    void skipsAreNeitherPassesNorFailures()
    {
        LabEvent skip = checkReport("cuda_sync", false, "No GPU here.");
        skip.skipped = true;
        CheckLog zero;
        zero.add(skip);
        const CheckTally *t = zero.tally("cuda_sync");
        QCOMPARE(t->reports, 1);
        QCOMPARE(t->failures, 0);
        QCOMPARE(t->skips, 1);
        QVERIFY(t->skipped());
        QVERIFY(!t->passed());
        QCOMPARE(t->messages(), QStringList{"No GPU here."});

        CheckLog one;
        one.add(checkReport("cuda_sync", true, "rank 1 has a GPU"));
        zero.addAll(one);
        t = zero.tally("cuda_sync");
        QCOMPARE(t->skips, 1);
        QVERIFY(!t->skipped());
        QVERIFY(t->passed());

        const CheckLog rebuilt = CheckLog::fromParts({}, {CheckTally{"s", 3, 1, 9, {}, {}}}, 3, 0);
        QCOMPARE(rebuilt.tally("s")->skips, 2); // at most the reports that did not fail
    }

    void fromPartsKeepsTheBounds()
    {
        QList<CheckTally> tallies;
        for (int i = 0; i < CheckLog::MaxNames + 5; ++i)
            tallies << CheckTally{QStringLiteral("t%1").arg(i), 2, 5, {}, {}}; // failures > reports
        const CheckLog log = CheckLog::fromParts({checkReport("a", true)}, tallies, 7, 1);
        QCOMPARE(log.tallies().size(), CheckLog::MaxNames);
        QCOMPARE(log.tally("t0")->failures, 2); // clamped to the reports
        QCOMPARE(log.untallied(), 1 + 5 * 2);
        QCOMPARE(log.received(), 7);
    }

    void notesAreBounded()
    {
        BoundedTextList notes(3, 10);
        QVERIFY(notes.add("one"));
        QVERIFY(notes.add("a much longer note than ten characters"));
        QVERIFY(notes.add("three"));
        QVERIFY(!notes.add("four"));
        QCOMPARE(notes.items().size(), 3);
        QCOMPARE(notes.items().at(1).size(), 10);
        QVERIFY(notes.items().at(1).endsWith(QChar(0x2026)));
        QCOMPARE(notes.dropped(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_CheckLog)
#include "tst_checklog.moc"
