#include "core/metrics/flatjson.h"

#include <charconv>
#include <cstring>
#include <system_error>

namespace torchlab::flatjson {

namespace {

// JSON whitespace only: a stray \f or \v is not allowed between tokens.
inline bool isSpace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline int hexValue(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Reads four hex digits at p (p + 4 <= end is checked by the caller).
inline int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(p[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | h;
    }
    return v;
}

// Length of the valid UTF-8 sequence starting at p (lead byte >= 0x80), or 0.
// Strict RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
inline int utf8SequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    const auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

class Parser
{
public:
    Parser(QByteArrayView text)
        : p(reinterpret_cast<const unsigned char *>(text.data())),
          end(p + text.size())
    {
    }

    Error parse(Object &out)
    {
        out.count = 0;
        skipSpace();
        if (p == end)
            return Error::Empty;
        if (*p != '{')
            return Error::NotAnObject;
        ++p;
        skipSpace();
        if (p < end && *p == '}') {
            ++p;
            return finish();
        }
        for (;;) {
            skipSpace();
            if (p == end || *p != '"')
                return Error::Syntax;
            Value key;
            if (Error e = parseString(key); e != Error::None)
                return e;
            skipSpace();
            if (p == end || *p != ':')
                return Error::Syntax;
            ++p;
            skipSpace();
            Value value;
            if (Error e = parseValue(value); e != Error::None)
                return e;
            for (int i = 0; i < out.count; ++i) {
                if (sameKey(out.members[i].key, key.raw))
                    return Error::DuplicateKey;
            }
            if (out.count == Object::MaxMembers)
                return Error::TooManyMembers;
            out.members[out.count++] = Member{key.raw, value};
            skipSpace();
            if (p == end)
                return Error::Syntax;
            if (*p == ',') {
                ++p;
                continue;
            }
            if (*p == '}') {
                ++p;
                return finish();
            }
            return Error::Syntax;
        }
    }

private:
    void skipSpace()
    {
        while (p < end && isSpace(*p))
            ++p;
    }

    Error finish()
    {
        skipSpace();
        return p == end ? Error::None : Error::TrailingData;
    }

    Error parseValue(Value &v)
    {
        if (p == end)
            return Error::Syntax;
        switch (*p) {
        case '"':
            return parseString(v);
        case '{':
        case '[':
            return Error::NestedContainer;
        case 't':
            return literal("true", v, ValueKind::Bool, true);
        case 'f':
            return literal("false", v, ValueKind::Bool, false);
        case 'n':
            return literal("null", v, ValueKind::Null, false);
        default:
            if (*p == '-' || (*p >= '0' && *p <= '9'))
                return parseNumber(v);
            return Error::BadToken;   // NaN, Infinity, +1, .5, 'x', ...
        }
    }

    Error literal(const char *word, Value &v, ValueKind kind, bool boolean)
    {
        const size_t n = std::strlen(word);
        if (size_t(end - p) < n || std::memcmp(p, word, n) != 0)
            return Error::BadToken;
        p += n;
        // "nullx" or "true1" must not pass as a literal followed by junk.
        if (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return Error::BadToken;
        v.kind = kind;
        v.boolean = boolean;
        return Error::None;
    }

    Error parseNumber(Value &v)
    {
        const unsigned char *start = p;
        bool integer = true;
        if (*p == '-')
            ++p;
        if (p == end)
            return Error::BadNumber;
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        } else {
            // "-Infinity", "-x": the minus sign starts no valid number.
            return (*p >= 'A' && *p <= 'z') ? Error::BadToken : Error::BadNumber;
        }
        if (p < end && *p == '.') {
            integer = false;
            ++p;
            if (p == end || !(*p >= '0' && *p <= '9'))
                return Error::BadNumber;
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            integer = false;
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p == end || !(*p >= '0' && *p <= '9'))
                return Error::BadNumber;
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        }
        // "01" or "1x": a digit or letter glued to the number is not a separator.
        if (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'z') || *p == '.'))
            return Error::BadNumber;
        v.kind = ValueKind::Number;
        v.integer = integer;
        v.raw = QByteArrayView(reinterpret_cast<const char *>(start), p - start);
        return Error::None;
    }

    // p points at the opening quote. Validates escapes and UTF-8 in one pass so
    // that Value::toString() can never fail later.
    Error parseString(Value &v)
    {
        ++p;
        const unsigned char *start = p;
        bool escaped = false;
        for (;;) {
            // Fast path: plain printable ASCII.
            while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
                ++p;
            if (p == end)
                return Error::BadString;
            const unsigned char c = *p;
            if (c == '"')
                break;
            if (c < 0x20)
                return Error::ControlCharacter;
            if (c == '\\') {
                escaped = true;
                if (Error e = parseEscape(); e != Error::None)
                    return e;
                continue;
            }
            const int n = utf8SequenceLength(p, end);
            if (n == 0)
                return Error::BadUtf8;
            p += n;
        }
        v.kind = ValueKind::String;
        v.escaped = escaped;
        v.raw = QByteArrayView(reinterpret_cast<const char *>(start), p - start);
        ++p;   // closing quote
        return Error::None;
    }

    // p points at the backslash.
    Error parseEscape()
    {
        ++p;
        if (p == end)
            return Error::BadString;
        switch (*p) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            ++p;
            return Error::None;
        case 'u':
            break;
        default:
            return Error::BadString;
        }
        ++p;
        if (end - p < 4)
            return Error::BadString;
        const int unit = hex4(p);
        if (unit < 0)
            return Error::BadString;
        p += 4;
        if (unit >= 0xDC00 && unit <= 0xDFFF)
            return Error::BadString;   // low surrogate without a high one
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                return Error::BadString;
            const int low = hex4(p + 2);
            if (low < 0xDC00 || low > 0xDFFF)
                return Error::BadString;
            p += 6;
        }
        return Error::None;
    }

    const unsigned char *p;
    const unsigned char *end;
};

} // namespace

std::optional<double> Value::toDouble() const
{
    if (kind != ValueKind::Number)
        return std::nullopt;
    double d = 0;
    const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), d);
    if (ec != std::errc() || ptr != raw.data() + raw.size())
        return std::nullopt;
    return d;
}

std::optional<qint64> Value::toInt64() const
{
    if (kind != ValueKind::Number || !integer)
        return std::nullopt;
    qint64 i = 0;
    const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
    if (ec != std::errc() || ptr != raw.data() + raw.size())
        return std::nullopt;
    return i;
}

QString Value::toString() const
{
    if (kind != ValueKind::String)
        return {};
    if (!escaped)
        return QString::fromUtf8(raw);
    QString out;
    out.reserve(raw.size());
    const char *p = raw.data();
    const char *end = p + raw.size();
    while (p < end) {
        const char *bs = static_cast<const char *>(std::memchr(p, '\\', end - p));
        if (!bs) {
            out += QString::fromUtf8(QByteArrayView(p, end));
            break;
        }
        if (bs > p)
            out += QString::fromUtf8(QByteArrayView(p, bs));
        p = bs + 1;   // parse() validated every escape, so no bounds surprises here
        switch (*p++) {
        case '"': out += QLatin1Char('"'); break;
        case '\\': out += QLatin1Char('\\'); break;
        case '/': out += QLatin1Char('/'); break;
        case 'b': out += QLatin1Char('\b'); break;
        case 'f': out += QLatin1Char('\f'); break;
        case 'n': out += QLatin1Char('\n'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'u': {
            const int unit = hex4(reinterpret_cast<const unsigned char *>(p));
            p += 4;
            out += QChar(char16_t(unit));
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                out += QChar(char16_t(hex4(reinterpret_cast<const unsigned char *>(p + 2))));
                p += 6;
            }
            break;
        }
        default:
            break;
        }
    }
    return out;
}

const Value *Object::find(QByteArrayView key) const
{
    for (int i = 0; i < count; ++i) {
        if (sameKey(members[i].key, key))
            return &members[i].value;
    }
    return nullptr;
}

Error parseObject(QByteArrayView text, Object &out)
{
    return Parser(text).parse(out);
}

const char *errorName(Error error)
{
    switch (error) {
    case Error::None: return "none";
    case Error::Empty: return "empty";
    case Error::NotAnObject: return "not_an_object";
    case Error::Syntax: return "syntax";
    case Error::BadToken: return "bad_token";
    case Error::BadNumber: return "bad_number";
    case Error::BadString: return "bad_string";
    case Error::ControlCharacter: return "control_character";
    case Error::BadUtf8: return "bad_utf8";
    case Error::NestedContainer: return "nested_container";
    case Error::DuplicateKey: return "duplicate_key";
    case Error::TooManyMembers: return "too_many_members";
    case Error::TrailingData: return "trailing_data";
    }
    return "unknown";
}

} // namespace torchlab::flatjson
