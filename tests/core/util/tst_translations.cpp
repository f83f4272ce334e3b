// Chinese throughout: the zh_CN catalogue has a translation for every string
// the sources mark, and the messages the engine builds for a fixture set of
// real situations (compiler and linker output, every way a run can end, every
// kind of check, failing checks) come out in Chinese once the catalogue is
// installed. A message built without tr() stays English and fails here.
#include "core/build/diagnosticsummary.h"
#include "core/course/pack.h"
#include "core/grading/checkevaluator.h"
#include "core/run/outcomeadvice.h"
#include "helpers/diagnosticfixtures.h"
#include "helpers/uichinese.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace torchlab;

namespace {

const QString kCatalogue =
    QStringLiteral(TORCHLAB_TEST_SOURCE_DIR "/../resources/translations/torchlab_zh_CN.ts");

// Three English words in a row, once code, names and quotes are taken out,
// is a sentence nobody translated. Product names and units stay English in
// Chinese text too, so they do not count as words.
bool looksEnglish(QString text, QString *found = nullptr)
{
    static const QRegularExpression quoted(QStringLiteral(
        "`[^`]*`|\"[^\"]*\"|“[^”]*”|<[^>]*>|'[^']*'|\\S*(::|_|\\(|\\)|/|\\.\\w|\\d)\\S*"));
    text.replace(quoted, QStringLiteral(" | "));
    static const QStringList names{
        QStringLiteral("LibTorch"), QStringLiteral("PyTorch"), QStringLiteral("CUDA"),
        QStringLiteral("NVIDIA"),   QStringLiteral("GPU"),     QStringLiteral("CPU"),
        QStringLiteral("NVML"),     QStringLiteral("ABI"),     QStringLiteral("Debian"),
        QStringLiteral("TorchLab"), QStringLiteral("MiB"),     QStringLiteral("GiB"),
        QStringLiteral("NaN"),      QStringLiteral("loss"),    QStringLiteral("accuracy")};
    static const QRegularExpression word(QStringLiteral("^[A-Za-z][a-z]+$|^[a-z]{2,}$"));
    int run = 0;
    QStringList words;
    for (const QString &token :
         text.split(QRegularExpression(QStringLiteral("[\\s,;:.!?()]+")), Qt::SkipEmptyParts)) {
        if (word.match(token).hasMatch() && !names.contains(token)) {
            words << token;
            if (++run >= 3) {
                if (found)
                    *found = words.mid(words.size() - 3).join(u' ');
                return true;
            }
        } else {
            run = 0;
        }
    }
    return false;
}

// Every message the engine builds for the fixture set, in the installed language.
QStringList fixtureMessages()
{
    QStringList messages;
    // Real compiler and linker output.
    const QStringList fixtures = QDir(diagfixtures::fixtureDir())
                                     .entryList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name);
    for (const QString &file : fixtures) {
        if (file == QLatin1String("jobdir.txt") || file == QLatin1String("commands.txt"))
            continue;
        const QString name = file.chopped(4);
        const QString output = diagfixtures::fixture(name);
        QList<Diagnostic> all =
            parseCompilerOutput(output, diagfixtures::toolOf(name), diagfixtures::jobMap());
        all += parseLinkerOutput(output, diagfixtures::jobMap());
        if (all.isEmpty())
            continue;
        messages << summarize(all);
        for (const Diagnostic &d : all) {
            if (const QString hint = learnerHint(d); !hint.isEmpty())
                messages << hint;
        }
    }
    // Every way a run can end: the card's title and what to try.
    for (int o = int(RunResult::Outcome::Ok); o <= int(RunResult::Outcome::EndedByCluster); ++o) {
        const auto outcome = RunResult::Outcome(o);
        messages << outcomeTitle(outcome);
        messages << whatToTry(outcome, QStringLiteral("shape mismatch"));
    }
    // Every kind of check, and checks that fail or cannot be checked.
    Lesson lesson;
    auto add = [&lesson](Check::Kind kind, auto &&edit) {
        Check c;
        c.kind = kind;
        c.message = {{QStringLiteral("en"), QStringLiteral("x")}};
        edit(c);
        lesson.checks << c;
    };
    add(Check::Kind::Compiles, [](Check &) {});
    add(Check::Kind::Compiles, [](Check &c) { c.warningFree = true; });
    add(Check::Kind::ExitsOk, [](Check &) {});
    add(Check::Kind::Output, [](Check &c) { c.pattern = QStringLiteral("x"); });
    add(Check::Kind::Output, [](Check &c) {
        c.pattern = QStringLiteral("x");
        c.stream = Check::Stream::Stderr;
    });
    for (Check::Of of : {Check::Of::Final, Check::Of::Min, Check::Of::Max}) {
        add(Check::Kind::Metric, [of](Check &c) {
            c.name = QStringLiteral("loss");
            c.of = of;
            c.max = 1;
        });
        add(Check::Kind::Metric, [of](Check &c) {
            c.name = QStringLiteral("loss");
            c.of = of;
            c.min = 0.5;
        });
        add(Check::Kind::Metric, [of](Check &c) {
            c.name = QStringLiteral("loss");
            c.of = of;
            c.min = 0.1;
            c.max = 2;
        });
    }
    add(Check::Kind::Check, [](Check &c) { c.name = QStringLiteral("shape"); });
    add(Check::Kind::Time, [](Check &c) { c.maxSeconds = 30; });
    RunObservation slow;
    slow.job.compile.outcome = CompileResult::Outcome::Ok;
    slow.job.ran = true;
    slow.job.run.outcome = RunResult::Outcome::Ok;
    slow.job.run.wallMs = 90'000;
    RunObservation broken;
    broken.job.compile.outcome = CompileResult::Outcome::CompileErrors;
    const QString language = QLocale().name().startsWith(QLatin1String("zh"))
                                 ? QStringLiteral("zh_CN")
                                 : QStringLiteral("en");
    for (const RunObservation &o : {slow, broken}) {
        const CheckReport report = evaluateLesson(lesson, o, language);
        for (const CheckResult &t : report.tests) {
            messages << t.title;
            // A lesson message is the pack's; the evaluator's own words are checked.
            if (t.message != QLatin1String("x") && !t.message.isEmpty())
                messages << t.message;
        }
    }
    messages.removeAll(QString());
    messages.removeAll(QStringLiteral("shape"));
    return messages;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalogueIsComplete()
    {
        QFile file(kCatalogue);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kCatalogue));
        QXmlStreamReader xml(&file);
        QString context;
        QString source;
        int messages = 0;
        QStringList unfinished;
        QStringList placeholders;
        static const QRegularExpression placeholder(QStringLiteral("%(\\d|n)"));
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (type == QLatin1String("unfinished") || text.trimmed().isEmpty()) {
                    unfinished << context + QStringLiteral(": ") + source;
                    continue;
                }
                for (auto it = placeholder.globalMatch(source); it.hasNext();) {
                    const QString p = it.next().captured(0);
                    if (!text.contains(p))
                        placeholders << context + QStringLiteral(": ") + source +
                                            QStringLiteral(" (") + p + QStringLiteral(")");
                }
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 900);
        QVERIFY2(unfinished.isEmpty(),
                 qPrintable(QStringLiteral("untranslated:\n") + unfinished.join(u'\n')));
        QVERIFY2(placeholders.isEmpty(),
                 qPrintable(QStringLiteral("placeholder missing:\n") + placeholders.join(u'\n')));
    }

    // The detector must see English, or the Chinese half proves nothing.
    void englishMessagesAreSeenAsEnglish()
    {
        const QStringList messages = fixtureMessages();
        m_english = messages;
        QVERIFY(messages.size() > 60);
        int english = 0;
        for (const QString &m : messages)
            english += looksEnglish(m) ? 1 : 0;
        qInfo("%d of %lld English messages look English", english, qlonglong(messages.size()));
        QVERIFY(english * 10 >= messages.size() * 7);
    }

    void fixtureMessagesAreChinese()
    {
        testing::UiChinese chinese;
        const QStringList loaded = chinese.loaded();
        QVERIFY(!loaded.isEmpty());
        const QStringList messages = fixtureMessages();
        QStringList english;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QString &m = messages[i];
            QString words;
            // Three English words in a row, or a short text exactly as in English.
            if (looksEnglish(m, &words))
                english << QStringLiteral("%1   [%2]").arg(m, words);
            else if (i < m_english.size() && m == m_english[i] &&
                     m.contains(QRegularExpression(QStringLiteral("^[A-Z][a-z]+\\b"))))
                english << QStringLiteral("%1   [as in English]").arg(m);
        }
        QCOMPARE(messages.size(), m_english.size()); // the same situations, in order
        QVERIFY2(english.isEmpty(),
                 qPrintable(QStringLiteral("%1 of %2 messages are still English:\n")
                                .arg(english.size())
                                .arg(messages.size()) +
                            english.join(u'\n')));
    }

private:
    QStringList m_english; // the fixture messages without a translator, in order
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
