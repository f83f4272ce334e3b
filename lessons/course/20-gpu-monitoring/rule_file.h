// What lesson 20's hidden checks need to grade an alert-rule file: a reader for the small YAML
// subset that Prometheus rule files use, Prometheus durations, and a way to run promtool. Needs
// only the C++17 standard library and POSIX.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rulefile {

// One YAML value: a scalar (quotes removed), a mapping in file order, or a sequence.
struct Node
{
    enum Kind
    {
        Null,
        Scalar,
        Map,
        Seq
    } kind = Null;
    std::string scalar;
    std::vector<std::pair<std::string, Node>> map;
    std::vector<Node> seq;
    int line = 0;

    const Node *get(const std::string &key) const
    {
        for (const auto &[k, v] : map)
            if (k == key)
                return &v;
        return nullptr;
    }
};

// Reads block mappings and sequences indented with spaces, "- key: value" items, plain, quoted
// and block (| and >) scalars, plain scalars continued on more indented lines, one-line flow
// collections ([a, b], {k: v}) and comments. Anchors, tags and documents are beyond it. False
// with `error` ("line N: `text`: what is wrong") for what it cannot read.
bool read_yaml(const std::string &text, Node &root, std::string &error);

// A Prometheus duration ("2m", "120s", "1m30s") in milliseconds; -1 when it is not one.
int64_t duration_ms(const std::string &text);

// The first executable `program` on $PATH; "" when there is none.
std::string find_in_path(const std::string &program);

// Runs argv[0] (a path) with its arguments, no shell, and collects standard output and error
// together. Returns its exit status; -1 when it could not start, -2 when it ran past `seconds`
// and was killed.
int run_program(const std::vector<std::string> &argv, std::string &output, int seconds);

} // namespace rulefile
