// A strict reader of the Prometheus text exposition format: see prometheus_text.h.
#include "prometheus_text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>

namespace promtext {

namespace {

bool is_name_start(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool is_name_char(char c)
{
    return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool is_label_start(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_label_char(char c)
{
    return is_label_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

bool valid_metric_name(const std::string &s)
{
    if (s.empty() || !is_name_start(s[0]))
        return false;
    return std::all_of(s.begin(), s.end(), is_name_char);
}
bool ends_with(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The text as one line inside a message, in backquotes: a line feed shown as ↵, a tab as ⇥, a
// carriage return as ␍ (so that they differ from the two characters \n), long lines cut.
std::string shown(const std::string &line)
{
    std::string out;
    for (const char c : line) {
        if (c == '\n')
            out += "↵";
        else if (c == '\t')
            out += "⇥";
        else if (c == '\r')
            out += "␍";
        else
            out += c;
    }
    if (out.size() > 140)
        out = out.substr(0, 137) + "...";
    return "`" + out + "`";
}

// The shortest text that reads back as `v` (the check's own, for its messages).
std::string exact(double v)
{
    char buffer[40];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
        if (std::strtod(buffer, nullptr) == v)
            break;
    }
    return buffer;
}

// A sample value: NaN, +Inf, -Inf exactly so, or a decimal number (with an optional exponent).
bool parse_value(const std::string &text, double &value, std::string &why)
{
    if (text == "NaN") {
        value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (text == "+Inf" || text == "-Inf") {
        value = text[0] == '+' ? std::numeric_limits<double>::infinity()
                               : -std::numeric_limits<double>::infinity();
        return true;
    }
    std::string lower;
    for (const char c : text)
        lower += char(std::tolower(static_cast<unsigned char>(c)));
    const std::string bare =
        !lower.empty() && (lower[0] == '+' || lower[0] == '-') ? lower.substr(1) : lower;
    if (bare == "nan" || bare == "inf" || bare == "infinity") {
        why = "the value " + quoted(text) +
              " is not spelled as Prometheus' clients write it: NaN, +Inf or -Inf, exactly so";
        return false;
    }
    size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
        ++i;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
        ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i, ++digits;
    }
    if (digits > 0 && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        size_t exp_digits = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i, ++exp_digits;
        if (exp_digits == 0)
            digits = 0;
    }
    if (digits == 0 || i != text.size()) {
        why = "the value " + quoted(text) + " is not a number";
        return false;
    }
    value = std::strtod(text.c_str(), nullptr);
    return true;
}

std::string quoted(const std::string &text)
{
    return "\"" + text + "\"";
}

namespace {

// Which family a sample belongs to: a typed family of that exact name, or a histogram (summary)
// whose _bucket, _sum or _count it is. Empty when no TYPE line names it.
std::string family_of(const Exposition &e, const std::string &sample)
{
    if (const auto it = e.families.find(sample); it != e.families.end() && !it->second.type.empty())
        return sample;
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        if (!ends_with(sample, suffix))
            continue;
        const std::string base = sample.substr(0, sample.size() - std::strlen(suffix));
        const auto it = e.families.find(base);
        if (it == e.families.end())
            continue;
        if (it->second.type == "histogram" ||
            (it->second.type == "summary" && std::strcmp(suffix, "_bucket") != 0))
            return base;
    }
    return std::string();
}

class Parser
{
public:
    explicit Parser(Exposition &e) : e_(e) {}

    void line(const std::string &raw, int number)
    {
        number_ = number;
        raw_ = raw;
        size_t i = 0;
        while (i < raw.size() && is_blank(raw[i]))
            ++i;
        if (i == raw.size())
            return; // an empty line is allowed
        if (raw[i] == '#')
            comment(i + 1);
        else
            sample(i);
    }

private:
    void fail(const std::string &what)
    {
        e_.errors.push_back("line " + std::to_string(number_) + ": " + shown(raw_) + ": " + what);
    }

    std::string token(size_t &i) const
    {
        while (i < raw_.size() && is_blank(raw_[i]))
            ++i;
        const size_t start = i;
        while (i < raw_.size() && !is_blank(raw_[i]))
            ++i;
        return raw_.substr(start, i - start);
    }

    // Leaving one family for another closes the first: its samples must stay together.
    void enter(const std::string &family)
    {
        if (family == current_)
            return;
        if (!current_.empty())
            closed_.insert(current_);
        current_ = family;
    }

    void comment(size_t i)
    {
        const std::string keyword = token(i);
        if (keyword != "HELP" && keyword != "TYPE")
            return; // any other comment is ignored
        const std::string name = token(i);
        if (!valid_metric_name(name)) {
            fail("# " + keyword + " needs a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*");
            return;
        }
        Family &f = e_.families[name];
        if (f.samples > 0 || closed_.count(name))
            fail("# " + keyword + " " + name + " comes after samples of " + name +
                 ": HELP and TYPE go before a family's first sample");
        enter(name);
        if (keyword == "HELP") {
            if (f.has_help)
                fail("a second HELP line for " + name + "; each family has one");
            while (i < raw_.size() && is_blank(raw_[i]))
                ++i;
            std::string help;
            for (; i < raw_.size(); ++i) {
                if (raw_[i] != '\\') {
                    help += raw_[i];
                    continue;
                }
                if (i + 1 < raw_.size() && (raw_[i + 1] == '\\' || raw_[i + 1] == 'n')) {
                    help += raw_[i + 1] == 'n' ? '\n' : '\\';
                    ++i;
                } else {
                    fail("HELP text may escape only backslash (\\\\) and line feed (\\n)");
                    return;
                }
            }
            f.has_help = true;
            f.help = help;
            return;
        }
        const std::string type = token(i);
        const std::string extra = token(i);
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped") {
            fail("the TYPE of " + name +
                 " must be counter, gauge, histogram, summary or untyped (lower case)");
            return;
        }
        if (!extra.empty()) {
            fail("a TYPE line has exactly a name and a type");
            return;
        }
        if (!f.type.empty()) {
            fail("a second TYPE line for " + name + "; each family has one");
            return;
        }
        f.type = type;
    }

    void sample(size_t i)
    {
        Sample s;
        s.line = number_;
        const size_t start = i;
        while (i < raw_.size() && is_name_char(raw_[i]))
            ++i;
        s.name = raw_.substr(start, i - start);
        if (!valid_metric_name(s.name)) {
            fail("a sample starts with a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]* (is this "
                 "the rest of a line broken by a line feed in a label value?)");
            return;
        }
        if (i < raw_.size() && raw_[i] == '{' && !labels(++i, s))
            return;
        if (i >= raw_.size() || !is_blank(raw_[i])) {
            fail("expected a space and the value after " + s.name +
                 (i < raw_.size() ? " but found " + quoted(std::string(1, raw_[i])) : ""));
            return;
        }
        s.value_text = token(i);
        std::string why;
        if (!parse_value(s.value_text, s.value, why)) {
            fail(why);
            return;
        }
        const std::string timestamp = token(i);
        if (!timestamp.empty()) {
            const bool digits =
                std::all_of(timestamp.begin() + (timestamp[0] == '-' ? 1 : 0), timestamp.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            if (!digits || timestamp == "-") {
                fail("after the value only an integer timestamp in milliseconds may follow");
                return;
            }
        }
        if (!token(i).empty()) {
            fail("unexpected text after the value");
            return;
        }

        const std::string family = family_of(e_, s.name);
        if (family.empty()) {
            fail("no # TYPE line before the first sample of " + s.name);
            e_.samples.push_back(s); // kept, so that the other checks can still read values
            return;
        }
        Family &f = e_.families[family];
        if (!f.has_help && f.samples == 0)
            fail("no # HELP line before the first sample of " + family);
        if (closed_.count(family))
            fail("samples of " + family +
                 " are not together: all lines of one family form one group");
        enter(family);
        if (f.type == "histogram" && ends_with(s.name, "_bucket")) {
            const bool has_le = std::any_of(s.labels.begin(), s.labels.end(),
                                            [](const auto &l) { return l.first == "le"; });
            if (!has_le)
                fail("a histogram's _bucket sample needs an le label");
        }
        Labels sorted = s.labels;
        std::sort(sorted.begin(), sorted.end());
        std::string key = s.name;
        for (const auto &[n, v] : sorted)
            key += '\x1f' + n + '\x1e' + v;
        if (!series_.insert(key).second)
            fail("this series (same name and labels) appeared before");
        ++f.samples;
        e_.samples.push_back(s);
    }

    // After '{': name="value" pairs separated by commas, an optional trailing comma, then '}'.
    bool labels(size_t &i, Sample &s)
    {
        std::set<std::string> seen;
        for (;;) {
            while (i < raw_.size() && is_blank(raw_[i]))
                ++i;
            if (i < raw_.size() && raw_[i] == '}') {
                ++i;
                return true;
            }
            const size_t start = i;
            while (i < raw_.size() && is_label_char(raw_[i]))
                ++i;
            const std::string name = raw_.substr(start, i - start);
            if (name.empty() || !is_label_start(name[0])) {
                fail("expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*");
                return false;
            }
            if (name.rfind("__", 0) == 0) {
                fail("label names starting with __ are reserved for Prometheus itself");
                return false;
            }
            while (i < raw_.size() && is_blank(raw_[i]))
                ++i;
            if (i >= raw_.size() || raw_[i] != '=') {
                fail("expected = after the label name " + name);
                return false;
            }
            ++i;
            while (i < raw_.size() && is_blank(raw_[i]))
                ++i;
            if (i >= raw_.size() || raw_[i] != '"') {
                fail("the value of label " + name + " must be in double quotes");
                return false;
            }
            ++i;
            std::string value;
            bool closed = false;
            while (i < raw_.size()) {
                const char c = raw_[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c != '\\') {
                    value += c;
                    continue;
                }
                if (i >= raw_.size()) {
                    break;
                }
                const char next = raw_[i++];
                if (next == '\\' || next == '"')
                    value += next;
                else if (next == 'n')
                    value += '\n';
                else {
                    fail("the label value of " + name + " has the escape \\" +
                         std::string(1, next) + "; only \\\\, \\\" and \\n exist");
                    return false;
                }
            }
            if (!closed) {
                fail("the value of label " + name +
                     " has no closing quote on this line (an unescaped line feed?)");
                return false;
            }
            if (!seen.insert(name).second) {
                fail("the label " + name + " appears twice");
                return false;
            }
            s.labels.emplace_back(name, value);
            while (i < raw_.size() && is_blank(raw_[i]))
                ++i;
            if (i < raw_.size() && raw_[i] == ',') {
                ++i;
                continue;
            }
            if (i < raw_.size() && raw_[i] == '}') {
                ++i;
                return true;
            }
            fail("expected , or } after the value of label " + name);
            return false;
        }
    }

    Exposition &e_;
    int number_ = 0;
    std::string raw_;
    std::string current_;
    std::set<std::string> closed_;
    std::set<std::string> series_;
};

} // namespace

Exposition parse_exposition(const std::string &text)
{
    Exposition e;
    if (text.empty()) {
        e.errors.push_back("the text is empty");
        return e;
    }
    if (text.find('\r') != std::string::npos)
        e.errors.push_back("the text contains a carriage return; lines end with \\n alone");
    if (text.back() != '\n')
        e.errors.push_back("the last line does not end with a line feed (\\n)");
    Parser parser(e);
    size_t start = 0;
    int number = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        parser.line(text.substr(start, end - start), ++number);
        start = end + 1;
    }
    return e;
}

} // namespace promtext
