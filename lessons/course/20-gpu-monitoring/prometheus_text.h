// The Prometheus text exposition format (version 0.0.4), read strictly: the hidden checks of
// lesson 20 parse the learner's text with it. Strict means: every family has # HELP and # TYPE
// before its first sample, its lines stay together, values are decimal numbers or exactly NaN,
// +Inf or -Inf, and label values use only the escapes \\, \" and \n. Needs only the C++17
// standard library.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace promtext {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample
{
    std::string name;
    Labels labels; // unescaped, in the order written
    std::string value_text;
    double value = 0;
    int line = 0;
};

struct Family
{
    std::string type; // "" until a TYPE line names it
    bool has_help = false;
    std::string help;
    int samples = 0;
};

struct Exposition
{
    std::vector<Sample> samples;
    std::map<std::string, Family> families;
    std::vector<std::string> errors; // "line N: `text`: what is wrong", in order
};

// Parses a whole exposition. Every problem is in `errors`, in order; a sample line with a syntax
// error is dropped, a sample without TYPE or HELP is kept (so its value can still be read).
Exposition parse_exposition(const std::string &text);

// A sample value: NaN, +Inf, -Inf exactly so, or a decimal number with an optional exponent.
// False with `why` (a clause) otherwise.
bool parse_value(const std::string &text, double &value, std::string &why);

bool valid_metric_name(const std::string &name); // [a-zA-Z_:][a-zA-Z0-9_:]*
bool ends_with(const std::string &s, const std::string &suffix);
// `text` in backquotes as one line of a message: a line feed as ↵, a tab as ⇥, a carriage return
// as ␍ (unlike the two characters \n), cut after 140 characters.
std::string shown(const std::string &text);
// The shortest decimal text that reads back as exactly `v`.
std::string exact(double v);
// `text` in double quotes.
std::string quoted(const std::string &text);

} // namespace promtext
