// CITATION.cff (CFF 1.2.0) and .zenodo.json (Zenodo's deposit metadata) of a run bundle.
#include "core/bundle/bundlemetadata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace torchlab;

class TestBundleMetadata : public QObject
{
    Q_OBJECT

private:
    static BundleMetadata sample()
    {
        BundleMetadata m;
        m.title = QStringLiteral("TorchLab run: \"The\" training loop");
        m.authors = {{QStringLiteral("Ada King Lovelace"), QStringLiteral("0000-0002-1825-0097")},
                     {QStringLiteral("Babbage"), QString()}};
        m.description = QStringLiteral("Line one\nline two");
        m.version = QStringLiteral("2.0.0");
        m.dateIssued = QStringLiteral("2026-03-01");
        m.keywords = {QStringLiteral("TorchLab"), QStringLiteral("LibTorch")};
        return m;
    }

private Q_SLOTS:
    void citationHasEveryRequiredKey()
    {
        const QList<QByteArray> lines = citationCff(sample()).split('\n');
        // The keys CFF 1.2.0 requires, each at the top level, once.
        for (const char *key : {"cff-version", "message", "title", "authors", "date-released",
                                "version", "license"}) {
            int found = 0;
            for (const QByteArray &line : lines)
                if (line.startsWith(QByteArray(key) + ':'))
                    ++found;
            QVERIFY2(found == 1, key);
        }
        QVERIFY(lines.contains("cff-version: 1.2.0"));
        QVERIFY(lines.contains("license: \"CC-BY-4.0\""));
        QVERIFY(lines.contains("date-released: \"2026-03-01\""));
        QVERIFY(lines.contains("title: \"TorchLab run: \\\"The\\\" training loop\""));
        QVERIFY(lines.contains("  - family-names: \"Lovelace\""));
        QVERIFY(lines.contains("    given-names: \"Ada King\""));
        QVERIFY(lines.contains("    orcid: \"https://orcid.org/0000-0002-1825-0097\""));
        QVERIFY(lines.contains("  - name: \"Babbage\""));
        // A line break in a value stays inside its quoted scalar.
        QVERIFY(lines.contains("abstract: \"Line one\\nline two\""));
        // Every line is a key, a list item or blank: nothing a YAML reader trips over.
        for (const QByteArray &line : lines)
            QVERIFY2(line.isEmpty() || line.contains(": ") || line.endsWith(':') ||
                         line.startsWith("  - "),
                     line.constData());
    }

    void zenodoJsonParses()
    {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(zenodoJson(sample()), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("upload_type")).toString(), QStringLiteral("software"));
        QCOMPARE(o.value(QStringLiteral("title")).toString(), sample().title);
        QCOMPARE(o.value(QStringLiteral("license")).toString(), QStringLiteral("cc-by-4.0"));
        QCOMPARE(o.value(QStringLiteral("version")).toString(), QStringLiteral("2.0.0"));
        QCOMPARE(o.value(QStringLiteral("publication_date")).toString(),
                 QStringLiteral("2026-03-01"));
        QCOMPARE(o.value(QStringLiteral("description")).toString(), sample().description);
        QCOMPARE(o.value(QStringLiteral("keywords")).toArray().size(), 2);
        const QJsonArray creators = o.value(QStringLiteral("creators")).toArray();
        QCOMPARE(creators.size(), 2);
        QCOMPARE(creators[0].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("Lovelace, Ada King"));
        QCOMPARE(creators[0].toObject().value(QStringLiteral("orcid")).toString(),
                 QStringLiteral("0000-0002-1825-0097"));
        QVERIFY(!creators[1].toObject().contains(QStringLiteral("orcid")));

        BundleMetadata data = sample();
        data.dataset = true;
        QCOMPARE(QJsonDocument::fromJson(zenodoJson(data))
                     .object()
                     .value(QStringLiteral("upload_type"))
                     .toString(),
                 QStringLiteral("dataset"));
    }

    void authors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("orcid");
        QTest::newRow("name") << "Ada Lovelace" << true << "Ada Lovelace"
                              << "";
        QTest::newRow("orcid") << "Ada Lovelace,0000-0002-1825-0097" << true << "Ada Lovelace"
                               << "0000-0002-1825-0097";
        QTest::newRow("orcid url") << "Ada, https://orcid.org/0000-0002-1694-233X" << true << "Ada"
                                   << "0000-0002-1694-233X";
        QTest::newRow("bad check digit") << "Ada,0000-0002-1825-0098" << false << ""
                                         << "";
        QTest::newRow("not an orcid") << "Ada,someone" << false << ""
                                      << "";
        QTest::newRow("no name") << ",0000-0002-1825-0097" << false << ""
                                 << "";
    }

    void authors()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        Result<BundleAuthor> a = parseBundleAuthor(text);
        QCOMPARE(a.ok(), ok);
        if (!ok) {
            QVERIFY(!a.error().isEmpty());
            return;
        }
        QTEST(a->name, "name");
        QTEST(a->orcid, "orcid");
    }
};

QTEST_GUILESS_MAIN(TestBundleMetadata)
#include "tst_bundlemetadata.moc"
