#pragma once

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <array>
#include <cstring>
#include <optional>

namespace torchlab::flatjson {

// A strict parser for one flat JSON object: {"key": value, ...} where every
// value is a string, a number, true, false or null. Nested objects and arrays,
// the non-standard tokens NaN/Infinity, raw control characters and NUL bytes,
// invalid UTF-8 (overlong forms, surrogates, > U+10FFFF), lone surrogate
// escapes, duplicate keys and trailing bytes other than JSON whitespace are all
// rejected. It exists because the metrics channel must decode >= 1M lines/s and
// QJsonDocument builds a whole tree per line.
//
// Values are views into the parsed text: the text must outlive the Object.

enum class ValueKind : quint8 { String, Number, Bool, Null };

struct Value
{
    ValueKind kind = ValueKind::Null;
    bool boolean = false;     // Bool
    bool integer = false;     // Number: no fraction and no exponent
    bool escaped = false;     // String: contains backslash escapes
    QByteArrayView raw;       // String: bytes between the quotes, still escaped; Number: the token

    bool isString() const { return kind == ValueKind::String; }
    bool isNumber() const { return kind == ValueKind::Number; }
    bool isBool() const { return kind == ValueKind::Bool; }
    bool isNull() const { return kind == ValueKind::Null; }

    // Number as a double; nullopt for non-numbers and for magnitudes a double
    // cannot hold (1e999).
    std::optional<double> toDouble() const;
    // Integer token that fits in 64 bits; nullopt otherwise (3.0 and 1e3 are not integers).
    std::optional<qint64> toInt64() const;
    // Decoded string (escapes resolved, UTF-8 to UTF-16). Empty for non-strings.
    QString toString() const;
    // True when the string's decoded content equals the ASCII text `ascii`.
    bool equals(QByteArrayView ascii) const { return isString() && !escaped && raw == ascii; }
};

struct Member
{
    QByteArrayView key;       // as written between the quotes (escapes not resolved)
    Value value;
};

struct Object
{
    static constexpr int MaxMembers = 32;
    std::array<Member, MaxMembers> members;
    int count = 0;

    // The value of `key` (compared byte-wise with the key as written), or nullptr.
    const Value *find(QByteArrayView key) const;
};

// Byte-wise key equality, inlined: the decoder compares a handful of short keys per line.
inline bool sameKey(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && (a.isEmpty() || (a.front() == b.front() && std::memcmp(a.data(), b.data(), size_t(a.size())) == 0));
}

enum class Error : quint8 {
    None,
    Empty,             // nothing but whitespace
    NotAnObject,       // first token is not '{'
    Syntax,            // missing ':' or ',', unterminated object, unexpected byte
    BadToken,          // NaN, Infinity, tru, nul, ... (anything that is not a JSON literal)
    BadNumber,         // 01, 1., .5, +1, -, 1e
    BadString,         // unterminated string, bad escape, lone surrogate escape
    ControlCharacter,  // raw byte < 0x20 (NUL included) inside a string
    BadUtf8,           // invalid UTF-8 in a string
    NestedContainer,   // a value that is an object or an array
    DuplicateKey,
    TooManyMembers,    // more than Object::MaxMembers
    TrailingData,      // bytes after the closing '}' other than whitespace
};

// Parses `text` as one flat object into `out`. On error `out` is unspecified.
Error parseObject(QByteArrayView text, Object &out);

// Stable short name for an error ("bad_utf8", ...), for counters and logs.
const char *errorName(Error error);

} // namespace torchlab::flatjson
