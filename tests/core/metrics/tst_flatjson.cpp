#include "core/metrics/flatjson.h"

#include <QTest>

#include <cmath>

using namespace torchlab;

// A literal with embedded NUL bytes, all of it.
#define BYTES(literal) QByteArray(literal, sizeof(literal) - 1)
using flatjson::Error;

Q_DECLARE_METATYPE(flatjson::Error)

class tst_FlatJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdict_data();
    void verdict();
    void stringValue_data();
    void stringValue();
    void numberValue_data();
    void numberValue();
    void membersInOrderAndFindable();
    void tooManyMembers();
    void literalsAndNull();
};

void tst_FlatJson::verdict_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Error>("expected");

    QTest::newRow("metric line") << QByteArray(R"({"ev":"metric","name":"loss","step":3,"value":0.25})") << Error::None;
    QTest::newRow("empty object") << QByteArray("{}") << Error::None;
    QTest::newRow("whitespace everywhere") << QByteArray(" \t{ \"a\" : 1 , \"b\" :\r\n\"x\" } \r") << Error::None;
    QTest::newRow("bytes >= 0x80 in a valid UTF-8 string") << QByteArray("{\"m\":\"Gr\xc3\xb6\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x94\xa5\"}") << Error::None;
    QTest::newRow("escaped NUL is data, not a raw NUL") << QByteArray(R"({"m":"a\u0000b"})") << Error::None;
    QTest::newRow("surrogate pair escape") << QByteArray(R"({"m":"\ud83d\udd25"})") << Error::None;
    QTest::newRow("DEL is not a control character in JSON") << QByteArray("{\"m\":\"\x7f\"}") << Error::None;
    QTest::newRow("negative zero, exponent forms") << QByteArray(R"({"a":-0,"b":1E+2,"c":1e-7,"d":-0.5})") << Error::None;

    QTest::newRow("blank") << QByteArray("") << Error::Empty;
    QTest::newRow("only spaces") << QByteArray("   ") << Error::Empty;
    QTest::newRow("array") << QByteArray("[1,2]") << Error::NotAnObject;
    QTest::newRow("bare number") << QByteArray("42") << Error::NotAnObject;
    QTest::newRow("prose") << QByteArray("epoch 1 loss 0.3") << Error::NotAnObject;
    QTest::newRow("truncated after key") << QByteArray(R"({"ev")") << Error::Syntax;
    QTest::newRow("truncated mid-value (partial last line)") << QByteArray(R"({"ev":"metric","step":1)") << Error::Syntax;
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << Error::Syntax;
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << Error::Syntax;
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << Error::Syntax;
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << Error::Syntax;
    QTest::newRow("raw NaN token") << QByteArray(R"({"value":NaN})") << Error::BadToken;
    QTest::newRow("raw Infinity token") << QByteArray(R"({"value":Infinity})") << Error::BadToken;
    QTest::newRow("raw -Infinity token") << QByteArray(R"({"value":-Infinity})") << Error::BadToken;
    QTest::newRow("raw nan token") << QByteArray(R"({"value":nan})") << Error::BadToken;
    QTest::newRow("True capitalised") << QByteArray(R"({"ok":True})") << Error::BadToken;
    QTest::newRow("truex") << QByteArray(R"({"ok":truex})") << Error::BadToken;
    QTest::newRow("plus sign") << QByteArray(R"({"a":+1})") << Error::BadToken;
    QTest::newRow("leading dot") << QByteArray(R"({"a":.5})") << Error::BadToken;
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << Error::BadNumber;
    QTest::newRow("dot without digits") << QByteArray(R"({"a":1.})") << Error::BadNumber;
    QTest::newRow("exponent without digits") << QByteArray(R"({"a":1e})") << Error::BadNumber;
    QTest::newRow("lone minus") << QByteArray(R"({"a":-})") << Error::BadNumber;
    QTest::newRow("hex") << QByteArray(R"({"a":0x10})") << Error::BadNumber;
    QTest::newRow("unterminated string") << QByteArray(R"({"a":"abc})") << Error::BadString;
    QTest::newRow("bad escape") << QByteArray(R"({"a":"\x41"})") << Error::BadString;
    QTest::newRow("short unicode escape") << QByteArray(R"({"a":"\u12"})") << Error::BadString;
    QTest::newRow("lone high surrogate") << QByteArray(R"({"a":"\ud83d"})") << Error::BadString;
    QTest::newRow("lone low surrogate") << QByteArray(R"({"a":"\udd25"})") << Error::BadString;
    QTest::newRow("raw NUL in string") << BYTES("{\"a\":\"x\0y\"}") << Error::ControlCharacter;
    QTest::newRow("raw newline in string") << QByteArray("{\"a\":\"x\ny\"}") << Error::ControlCharacter;
    QTest::newRow("raw tab in string") << QByteArray("{\"a\":\"x\ty\"}") << Error::ControlCharacter;
    QTest::newRow("NUL between tokens") << BYTES("{\"a\":1\0}") << Error::Syntax;
    QTest::newRow("NUL after object") << BYTES("{\"a\":1}\0") << Error::TrailingData;
    QTest::newRow("lone continuation byte") << QByteArray("{\"a\":\"\x80\"}") << Error::BadUtf8;
    QTest::newRow("truncated 2-byte sequence") << QByteArray("{\"a\":\"\xc3\"}") << Error::BadUtf8;
    QTest::newRow("overlong slash") << QByteArray("{\"a\":\"\xc0\xaf\"}") << Error::BadUtf8;
    QTest::newRow("overlong 3-byte") << QByteArray("{\"a\":\"\xe0\x80\xaf\"}") << Error::BadUtf8;
    QTest::newRow("UTF-8 encoded surrogate") << QByteArray("{\"a\":\"\xed\xa0\x80\"}") << Error::BadUtf8;
    QTest::newRow("above U+10FFFF") << QByteArray("{\"a\":\"\xf4\x90\x80\x80\"}") << Error::BadUtf8;
    QTest::newRow("latin-1 byte") << QByteArray("{\"a\":\"caf\xe9\"}") << Error::BadUtf8;
    QTest::newRow("0xff") << QByteArray("{\"a\":\"\xff\"}") << Error::BadUtf8;
    QTest::newRow("nested object") << QByteArray(R"({"a":{"b":1}})") << Error::NestedContainer;
    QTest::newRow("nested array") << QByteArray(R"({"a":[1]})") << Error::NestedContainer;
    QTest::newRow("duplicate key") << QByteArray(R"({"ev":"metric","ev":"note"})") << Error::DuplicateKey;
    QTest::newRow("two objects on one line") << QByteArray(R"({"a":1}{"b":2})") << Error::TrailingData;
    QTest::newRow("garbage after object") << QByteArray(R"({"a":1} x)") << Error::TrailingData;
}

void tst_FlatJson::verdict()
{
    QFETCH(QByteArray, text);
    QFETCH(Error, expected);
    flatjson::Object object;
    const Error got = flatjson::parseObject(text, object);
    QCOMPARE(flatjson::errorName(got), flatjson::errorName(expected));
}

void tst_FlatJson::stringValue_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QByteArray(R"({"s":"loss"})") << QStringLiteral("loss");
    QTest::newRow("empty") << QByteArray(R"({"s":""})") << QString();
    QTest::newRow("simple escapes") << QByteArray(R"({"s":"a\"b\\c\/d\be\ff\ng\rh\ti"})")
                                    << QStringLiteral("a\"b\\c/d\be\ff\ng\rh\ti");
    QTest::newRow("unicode escape") << QByteArray(R"({"s":"\u00e9\u20AC"})") << QStringLiteral("\u00e9\u20ac");
    QTest::newRow("escaped NUL kept") << QByteArray(R"({"s":"a\u0000b"})") << QStringView(u"a\0b", 3).toString();
    QTest::newRow("surrogate pair") << QByteArray(R"({"s":"x\ud83d\udd25y"})") << QString::fromUtf8("x\xf0\x9f\x94\xa5y");
    QTest::newRow("raw UTF-8") << QByteArray("{\"s\":\"Gr\xc3\xb6\xc3\x9f" "e\"}") << QString::fromUtf8("Gr\xc3\xb6\xc3\x9f" "e");
    QTest::newRow("raw UTF-8 next to escape") << QByteArray("{\"s\":\"\xc3\xa9\\n\xc3\xa9\"}") << QString::fromUtf8("\xc3\xa9\n\xc3\xa9");
}

void tst_FlatJson::stringValue()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    flatjson::Object object;
    QCOMPARE(flatjson::parseObject(text, object), Error::None);
    const flatjson::Value *v = object.find("s");
    QVERIFY(v);
    QVERIFY(v->isString());
    QCOMPARE(v->toString(), expected);
}

void tst_FlatJson::numberValue_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("isInteger");
    QTest::addColumn<bool>("fitsInt64");
    QTest::addColumn<qint64>("asInt");
    QTest::addColumn<bool>("fitsDouble");
    QTest::addColumn<double>("asDouble");

    QTest::newRow("zero") << QByteArray("0") << true << true << qint64(0) << true << 0.0;
    QTest::newRow("negative") << QByteArray("-17") << true << true << qint64(-17) << true << -17.0;
    QTest::newRow("int64 max") << QByteArray("9223372036854775807") << true << true
                               << std::numeric_limits<qint64>::max() << true << 9223372036854775807.0;
    QTest::newRow("int64 overflow") << QByteArray("9223372036854775808") << true << false << qint64(0) << true << 9223372036854775808.0;
    QTest::newRow("fraction is not an integer") << QByteArray("3.0") << false << false << qint64(0) << true << 3.0;
    QTest::newRow("exponent is not an integer") << QByteArray("1e3") << false << false << qint64(0) << true << 1000.0;
    QTest::newRow("shortest round-trip") << QByteArray("0.1") << false << false << qint64(0) << true << 0.1;
    QTest::newRow("tiny") << QByteArray("5e-324") << false << false << qint64(0) << true << 5e-324;
    QTest::newRow("beyond double") << QByteArray("1e999") << false << false << qint64(0) << false << 0.0;
}

void tst_FlatJson::numberValue()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, isInteger);
    QFETCH(bool, fitsInt64);
    QFETCH(qint64, asInt);
    QFETCH(bool, fitsDouble);
    QFETCH(double, asDouble);
    const QByteArray text = "{\"n\":" + token + "}";
    flatjson::Object object;
    QCOMPARE(flatjson::parseObject(text, object), Error::None);
    const flatjson::Value *v = object.find("n");
    QVERIFY(v && v->isNumber());
    QCOMPARE(v->integer, isInteger);
    QCOMPARE(v->toInt64().has_value(), fitsInt64);
    if (fitsInt64)
        QCOMPARE(*v->toInt64(), asInt);
    QCOMPARE(v->toDouble().has_value(), fitsDouble);
    if (fitsDouble)
        QCOMPARE(*v->toDouble(), asDouble);   // exact: from_chars rounds correctly
}

void tst_FlatJson::membersInOrderAndFindable()
{
    const QByteArray text = R"({"ev":"check","name":"n","ok":true,"x":null})";
    flatjson::Object object;
    QCOMPARE(flatjson::parseObject(text, object), Error::None);
    QCOMPARE(object.count, 4);
    QCOMPARE(object.members[0].key, QByteArrayView("ev"));
    QCOMPARE(object.members[3].key, QByteArrayView("x"));
    QVERIFY(object.find("ok")->isBool());
    QVERIFY(object.find("x")->isNull());
    QVERIFY(!object.find("missing"));
    QVERIFY(object.find("ev")->equals("check"));
    QVERIFY(!object.find("ev")->equals("chec"));
}

void tst_FlatJson::tooManyMembers()
{
    QByteArray text = "{";
    for (int i = 0; i < flatjson::Object::MaxMembers; ++i)
        text += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
    QByteArray fits = text;
    fits.chop(1);
    fits += "}";
    flatjson::Object object;
    QCOMPARE(flatjson::parseObject(fits, object), Error::None);
    QCOMPARE(object.count, flatjson::Object::MaxMembers);
    text += "\"one_more\":1}";
    QCOMPARE(flatjson::parseObject(text, object), Error::TooManyMembers);
}

void tst_FlatJson::literalsAndNull()
{
    flatjson::Object object;
    QCOMPARE(flatjson::parseObject(R"({"t":true,"f":false,"n":null})", object), Error::None);
    QCOMPARE(object.find("t")->boolean, true);
    QCOMPARE(object.find("f")->boolean, false);
    QVERIFY(object.find("n")->isNull());
    QVERIFY(!object.find("n")->toDouble());
    QVERIFY(object.find("t")->toString().isEmpty());
}

QTEST_GUILESS_MAIN(tst_FlatJson)
#include "tst_flatjson.moc"
