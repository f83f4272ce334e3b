// A reader for rule-file YAML, durations and a promtool runner: see rule_file.h.
#include "rule_file.h"

#include "prometheus_text.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace rulefile {

namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

class YamlReader
{
public:
    explicit YamlReader(const std::string &text)
    {
        size_t start = 0;
        int number = 0;
        while (start <= text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string::npos)
                end = text.size();
            Line l;
            l.number = ++number;
            l.raw = text.substr(start, end - start);
            size_t i = 0;
            while (i < l.raw.size() && l.raw[i] == ' ')
                ++i;
            l.indent = int(i);
            l.text = strip_comment(l.raw.substr(i));
            if (i < l.raw.size() && l.raw[i] == '\t' && error_.empty())
                error_ = "line " + std::to_string(l.number) +
                         ": a tab in the indentation; YAML indents with spaces only";
            lines_.push_back(l);
            start = end + 1;
        }
    }

    bool read(Node &root, std::string &error)
    {
        if (!error_.empty()) {
            error = error_;
            return false;
        }
        size_t i = next(0);
        if (i >= lines_.size()) {
            error = "the text is empty";
            return false;
        }
        root = block(i, lines_[i].indent);
        if (error_.empty() && (i = next(i)) < lines_.size())
            error_ = "line " + std::to_string(lines_[i].number) + ": " +
                     promtext::shown(lines_[i].raw) +
                     " is indented inconsistently with the lines before it";
        error = error_;
        return error_.empty();
    }

private:
    struct Line
    {
        int number = 0;
        int indent = 0;
        std::string raw, text;
    };

    static std::string trim(const std::string &s)
    {
        size_t a = 0, b = s.size();
        while (a < b && is_blank(s[a]))
            ++a;
        while (b > a && is_blank(s[b - 1]))
            --b;
        return s.substr(a, b - a);
    }

    // Drops a comment: # at the start, or after a blank, outside quotes.
    static std::string strip_comment(const std::string &s)
    {
        char quote = 0;
        for (size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (quote) {
                if (c == '\\' && quote == '"')
                    ++i;
                else if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                if (i == 0 || is_blank(s[i - 1]) || s[i - 1] == ':' || s[i - 1] == '-')
                    quote = c;
            } else if (c == '#' && (i == 0 || is_blank(s[i - 1]))) {
                return trim(s.substr(0, i));
            }
        }
        return trim(s);
    }

    size_t next(size_t i) const
    {
        while (i < lines_.size() && lines_[i].text.empty())
            ++i;
        return i;
    }

    void fail(const Line &l, const std::string &what)
    {
        if (error_.empty())
            error_ =
                "line " + std::to_string(l.number) + ": " + promtext::shown(l.raw) + ": " + what;
    }

    static bool is_item(const std::string &text) { return text == "-" || text.rfind("- ", 0) == 0; }

    Node block(size_t &i, int indent)
    {
        return is_item(lines_[i].text) ? sequence(i, indent) : mapping(i, indent);
    }

    Node sequence(size_t &i, int indent)
    {
        Node node;
        node.kind = Node::Seq;
        node.line = lines_[i].number;
        while (error_.empty() && (i = next(i)) < lines_.size() && lines_[i].indent == indent &&
               is_item(lines_[i].text)) {
            Line &l = lines_[i];
            std::string rest = l.text.substr(1);
            size_t pad = 1;
            while (pad - 1 < rest.size() && rest[pad - 1] == ' ')
                ++pad;
            rest = trim(rest);
            if (rest.empty()) {
                const size_t j = next(i + 1);
                if (j < lines_.size() && lines_[j].indent > indent) {
                    i = j;
                    node.seq.push_back(block(i, lines_[j].indent));
                } else {
                    node.seq.push_back(Node{});
                    i = j;
                }
                continue;
            }
            // "- key: value" opens a mapping whose keys line up after the dash.
            l.indent = indent + int(pad);
            l.text = rest;
            if (rest.find(": ") != std::string::npos || promtext::ends_with(rest, ":") ||
                is_item(rest)) {
                node.seq.push_back(block(i, l.indent));
            } else {
                node.seq.push_back(scalar(rest, l));
                ++i;
            }
        }
        return node;
    }

    Node mapping(size_t &i, int indent)
    {
        Node node;
        node.kind = Node::Map;
        node.line = lines_[i].number;
        while (error_.empty() && (i = next(i)) < lines_.size() && lines_[i].indent == indent) {
            const Line &l = lines_[i];
            if (is_item(l.text)) {
                fail(l, "a list item where a key was expected");
                return node;
            }
            size_t colon = std::string::npos;
            for (size_t k = 0; k < l.text.size(); ++k)
                if (l.text[k] == ':' && (k + 1 == l.text.size() || l.text[k + 1] == ' ')) {
                    colon = k;
                    break;
                }
            if (colon == std::string::npos) {
                fail(l, "expected key: value");
                return node;
            }
            std::string key = trim(l.text.substr(0, colon));
            if (key.size() >= 2 && (key[0] == '"' || key[0] == '\'') && key.back() == key[0])
                key = key.substr(1, key.size() - 2);
            if (node.get(key)) {
                fail(l, "the key " + key + " appears twice in one mapping");
                return node;
            }
            const std::string rest = trim(l.text.substr(colon + 1));
            const size_t j = next(i + 1);
            if (rest.empty()) {
                if (j < lines_.size() &&
                    (lines_[j].indent > indent ||
                     (lines_[j].indent == indent && is_item(lines_[j].text)))) {
                    i = j;
                    node.map.emplace_back(key, block(i, lines_[j].indent));
                } else {
                    node.map.emplace_back(key, Node{});
                    i = j;
                }
                continue;
            }
            if (rest[0] == '|' || rest[0] == '>') {
                node.map.emplace_back(key, block_scalar(i, indent, rest[0] == '|'));
                continue;
            }
            node.map.emplace_back(key, scalar(rest, l));
            i = i + 1;
            // A plain value may go on over more indented lines; they are joined with spaces.
            const bool plain =
                rest[0] != '"' && rest[0] != '\'' && rest[0] != '[' && rest[0] != '{';
            for (size_t k = j; k < lines_.size() && lines_[k].indent > indent; k = next(k + 1)) {
                if (!plain) {
                    fail(lines_[k],
                         "more indented than the key before it, whose value is on its line");
                    return node;
                }
                node.map.back().second.scalar += " " + lines_[k].text;
                i = k + 1;
            }
        }
        return node;
    }

    // `|` keeps line feeds, `>` folds lines into one; both end at the first less indented line.
    Node block_scalar(size_t &i, int indent, bool literal)
    {
        Node node;
        node.kind = Node::Scalar;
        node.line = lines_[i].number;
        size_t j = i + 1;
        std::vector<std::string> parts;
        int inner = -1;
        for (; j < lines_.size(); ++j) {
            const Line &l = lines_[j];
            if (trim(l.raw).empty()) {
                parts.emplace_back();
                continue;
            }
            if (l.indent <= indent)
                break;
            if (inner < 0)
                inner = l.indent;
            parts.push_back(l.raw.substr(size_t(std::min(inner, l.indent))));
        }
        while (!parts.empty() && parts.back().empty())
            parts.pop_back();
        for (size_t k = 0; k < parts.size(); ++k)
            node.scalar += (k == 0 ? "" : literal ? "\n" : " ") + parts[k];
        i = j;
        return node;
    }

    Node scalar(const std::string &text, const Line &l)
    {
        Node node;
        node.kind = Node::Scalar;
        node.line = l.number;
        if (text[0] == '"') {
            std::string out;
            size_t k = 1;
            for (; k < text.size() && text[k] != '"'; ++k) {
                if (text[k] == '\\' && k + 1 < text.size()) {
                    ++k;
                    out += text[k] == 'n' ? '\n' : text[k] == 't' ? '\t' : text[k];
                } else {
                    out += text[k];
                }
            }
            if (k + 1 != text.size())
                fail(l, "a double-quoted value must end with its closing quote");
            node.scalar = out;
        } else if (text[0] == '\'') {
            std::string out;
            size_t k = 1;
            for (; k < text.size(); ++k) {
                if (text[k] == '\'') {
                    if (k + 1 < text.size() && text[k + 1] == '\'') {
                        out += '\'';
                        ++k;
                        continue;
                    }
                    break;
                }
                out += text[k];
            }
            if (k + 1 != text.size())
                fail(l, "a single-quoted value must end with its closing quote");
            node.scalar = out;
        } else if ((text[0] == '[' && text.back() == ']') ||
                   (text[0] == '{' && text.back() == '}')) {
            flow(text, l, node);
        } else {
            node.scalar = text;
        }
        return node;
    }

    // A one-line flow collection of plain or quoted scalars: [a, b] or {key: value, key: value}.
    void flow(const std::string &text, const Line &l, Node &node)
    {
        const bool is_map = text[0] == '{';
        node.kind = is_map ? Node::Map : Node::Seq;
        std::vector<std::string> parts;
        std::string part;
        char quote = 0;
        for (size_t k = 1; k + 1 < text.size(); ++k) {
            const char c = text[k];
            if (quote && c == quote)
                quote = 0;
            else if (!quote && (c == '"' || c == '\''))
                quote = c;
            else if (!quote && (c == '[' || c == '{')) {
                fail(l, "nested flow collections are beyond this reader: use block style");
                return;
            }
            if (!quote && c == ',') {
                parts.push_back(trim(part));
                part.clear();
            } else {
                part += c;
            }
        }
        if (!trim(part).empty())
            parts.push_back(trim(part));
        for (const std::string &p : parts) {
            if (p.empty()) {
                fail(l, "an empty entry in a flow collection");
                return;
            }
            if (!is_map) {
                node.seq.push_back(scalar(p, l));
                continue;
            }
            const size_t colon = p.find(": ");
            if (colon == std::string::npos) {
                fail(l, "expected key: value inside { }");
                return;
            }
            node.map.emplace_back(trim(p.substr(0, colon)), scalar(trim(p.substr(colon + 2)), l));
        }
    }

    std::vector<Line> lines_;
    std::string error_;
};

} // namespace

bool read_yaml(const std::string &text, Node &root, std::string &error)
{
    return YamlReader(text).read(root, error);
}

int64_t duration_ms(const std::string &text)
{
    if (text.empty())
        return -1;
    int64_t total = 0;
    size_t i = 0;
    while (i < text.size()) {
        size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == start || i - start > 12)
            return -1;
        const int64_t n = std::stoll(text.substr(start, i - start));
        start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        const std::string unit = text.substr(start, i - start);
        const std::map<std::string, int64_t> units{
            {"ms", 1},       {"s", 1000},      {"m", 60000},        {"h", 3600000},
            {"d", 86400000}, {"w", 604800000}, {"y", 31536000000LL}};
        const auto it = units.find(unit);
        if (it == units.end())
            return -1;
        total += n * it->second;
    }
    return total;
}

std::string find_in_path(const std::string &program)
{
    const char *path = std::getenv("PATH");
    std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos)
            end = dirs.size();
        const std::string dir = dirs.substr(start, end - start);
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return std::string();
}

// Runs program with arguments (no shell), output and errors together; -1 when it could not
// start, -2 when it ran past `seconds` and was stopped.
int run_program(const std::vector<std::string> &argv, std::string &output, int seconds)
{
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0)
        return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (rc != 0) {
        ::close(pipe_fds[0]);
        return -1;
    }
    std::thread reader([&] {
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0)
            output.append(buffer, size_t(n));
    });
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    bool stopped = false;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            stopped = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    reader.join();
    ::close(pipe_fds[0]);
    if (stopped)
        return -2;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace rulefile
