// minisign signatures verified in-process (docs/reliability.md row 20): keys and
// signatures come from the real minisign tool; every tampering is refused
// with a sentence that says what is wrong.
#include "core/packs/minisign.h"
#include "helpers/requiredeps.h"

#include "helpers/packtestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;
using namespace packtest;

class tst_Minisign : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void publicKeyFromFileAndText();
    void publicKeyRejectsGarbage_data();
    void publicKeyRejectsGarbage();
    void verifiesRealSignature();
    void rejectsTampering_data();
    void rejectsTampering();
    void rejectsHugeFile();

private:
    QTemporaryDir m_dir;
    TestKey m_key;
    TestKey m_other;
    QString m_file;
    QByteArray m_signature;
};

void tst_Minisign::initTestCase()
{
    if (!haveMinisign())
        LAB_SKIP_MISSING("the minisign tool is not installed (Debian package minisign)");
    QVERIFY(m_dir.isValid());
    m_key = makeKey(m_dir.path(), QStringLiteral("instructor"));
    m_other = makeKey(m_dir.path(), QStringLiteral("stranger"));
    QCOMPARE(m_key.key.key.size(), 32);
    QCOMPARE(m_other.key.key.size(), 32);
    m_file = m_dir.filePath(QStringLiteral("lesson-pack.tar.gz"));
    QByteArray content;
    for (int i = 0; i < 200'000; ++i)
        content.append(char(i * 7 + (i >> 8)));
    QVERIFY(writeAll(m_file, content));
    const QString sig = sign(m_key, m_file, QStringLiteral("pack org.example.day1 1.2.0"));
    QVERIFY(!sig.isEmpty());
    m_signature = readAll(sig);
}

void tst_Minisign::publicKeyFromFileAndText()
{
    const QByteArray file = readAll(m_key.publicFile);
    // minisign writes "untrusted comment: minisign public key <ID>" over the key line.
    QVERIFY(file.startsWith("untrusted comment: minisign public key "));
    const QString id = QString::fromLatin1(file.split('\n').first().split(' ').last());
    // The same number: minisign prints it without leading zeros (PRIX64), the
    // lab always with 16 digits (one key in 16 starts with a 0 digit).
    bool ours = false, theirs = false;
    QCOMPARE(m_key.key.keyIdHex().toULongLong(&ours, 16), id.toULongLong(&theirs, 16));
    QVERIFY(ours && theirs);
    QCOMPARE(m_key.key.keyIdHex().size(), 16);
    const QString line = QString::fromLatin1(file.split('\n').at(1));
    QVERIFY(line.startsWith(QLatin1String("RW")));
    QString error;
    const auto fromText = MinisignPublicKey::fromTextOrFile(line, &error);
    QVERIFY2(fromText, qPrintable(error));
    QCOMPARE(*fromText, m_key.key);
    QCOMPARE(fromText->toBase64(), line);
}

void tst_Minisign::publicKeyRejectsGarbage_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("not base64") << QStringLiteral("RW!!notakey");
    QTest::newRow("short") << QStringLiteral("RWQAAAAA");
    QTest::newRow("wrong algorithm")
        << QString::fromLatin1(QByteArray("Xx" + QByteArray(40, 'a')).toBase64());
    QTest::newRow("three lines") << QStringLiteral("untrusted comment: x\nRWQ\nRWQ");
}

void tst_Minisign::publicKeyRejectsGarbage()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!MinisignPublicKey::parse(text, &error));
    QVERIFY(!error.isEmpty());
}

void tst_Minisign::verifiesRealSignature()
{
    const MinisignVerification v = verifyMinisignFile(m_file, m_signature, m_key.key);
    QVERIFY2(v.ok, qPrintable(v.error));
    QCOMPARE(v.trustedComment, QStringLiteral("pack org.example.day1 1.2.0"));
    QCOMPARE(v.keyIdHex, m_key.key.keyIdHex());
    const MinisignVerification inMemory = verifyMinisign(readAll(m_file), m_signature, m_key.key);
    QVERIFY2(inMemory.ok, qPrintable(inMemory.error));
    // The tool agrees: the same files verify with minisign -V.
    const ToolRun r =
        runTool(QStringLiteral("minisign"), {QStringLiteral("-V"), QStringLiteral("-p"),
                                             m_key.publicFile, QStringLiteral("-m"), m_file});
    QCOMPARE(r.exitCode, 0);
}

namespace {

QByteArray flipInBase64Line(const QByteArray &signature, int line, int byte)
{
    QList<QByteArray> lines = signature.split('\n');
    QByteArray raw = QByteArray::fromBase64(lines[line]);
    raw[byte] = char(raw[byte] ^ 0x01);
    lines[line] = raw.toBase64();
    return lines.join('\n');
}

} // namespace

void tst_Minisign::rejectsTampering_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("signature");
    QTest::addColumn<bool>("otherKey");
    QTest::addColumn<QString>("expected"); // a part of the error

    const QByteArray content = readAll(m_file);
    QByteArray flipped = content;
    flipped[123'456] = char(flipped[123'456] ^ 0x10);
    QTest::newRow("bit flipped in the file")
        << flipped << m_signature << false << QStringLiteral("does not match the file");
    QTest::newRow("bit flipped in the signature")
        << content << flipInBase64Line(m_signature, 1, 40) << false
        << QStringLiteral("does not match the file");
    QTest::newRow("bit flipped in the key id") << content << flipInBase64Line(m_signature, 1, 3)
                                               << false << QStringLiteral("made with key");
    QTest::newRow("bit flipped in the global signature")
        << content << flipInBase64Line(m_signature, 3, 5) << false
        << QStringLiteral("trusted comment");
    QByteArray edited = m_signature;
    edited.replace("pack org.example.day1 1.2.0", "pack org.example.day1 9.2.0");
    QTest::newRow("trusted comment edited")
        << content << edited << false << QStringLiteral("trusted comment");
    QTest::newRow("wrong key") << content << m_signature << true
                               << QStringLiteral("not with the trusted key");
    QTest::newRow("unsigned (empty signature)")
        << content << QByteArray() << false << QStringLiteral("not signed");
    QTest::newRow("not a signature") << content << QByteArray("hello\nworld\n") << false
                                     << QStringLiteral("not a minisign signature");
    QByteArray truncated = m_signature.left(m_signature.size() - 20);
    QTest::newRow("truncated signature")
        << content << truncated << false << QStringLiteral("damaged");

    // Legacy "Ed" signatures (made by minisign -l) are refused outright.
    const QString legacyFile = m_dir.filePath(QStringLiteral("legacy.tar.gz"));
    writeAll(legacyFile, content);
    const QString legacySig =
        sign(m_key, legacyFile, QStringLiteral("pack org.example.day1 1.2.0"), true);
    QTest::newRow("legacy Ed signature")
        << content << readAll(legacySig) << false << QStringLiteral("legacy");
}

void tst_Minisign::rejectsTampering()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, signature);
    QFETCH(bool, otherKey);
    QFETCH(QString, expected);
    const MinisignPublicKey &key = otherKey ? m_other.key : m_key.key;
    const MinisignVerification v = verifyMinisign(file, signature, key);
    QVERIFY(!v.ok);
    QVERIFY(v.trustedComment.isEmpty());
    QVERIFY2(v.error.contains(expected), qPrintable(v.error));

    const QString path = m_dir.filePath(QStringLiteral("tampered.bin"));
    QVERIFY(writeAll(path, file));
    const MinisignVerification fromFile = verifyMinisignFile(path, signature, key);
    QVERIFY(!fromFile.ok);
    QCOMPARE(fromFile.error, v.error);
}

void tst_Minisign::rejectsHugeFile()
{
    const MinisignVerification v = verifyMinisignFile(m_file, m_signature, m_key.key, 1000);
    QVERIFY(!v.ok);
    QVERIFY2(v.error.contains(QLatin1String("limit")), qPrintable(v.error));
}

QTEST_GUILESS_MAIN(tst_Minisign)
#include "tst_minisign.moc"
