// Hidden checks for lesson 20. The learner's exposition text is read by a strict parser
// (prometheus_text.cpp: the text format 0.0.4, with the spellings the official clients write); the
// alert rules by a reader of the YAML subset rule files use (rule_file.cpp), and by promtool where
// it is installed; the NVML reading is compared with one this file takes itself, on machines with
// an NVIDIA driver.
// The learner's file is compiled with -Dmain=torchlab_learner_main and linked with these.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include "prometheus_text.h"
#include "rule_file.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

using Labels = std::vector<std::pair<std::string, std::string>>;

struct TrainingMetrics
{
    Labels labels;
    int64_t steps = 0;
    double loss = 0;
    double samples_per_second = 0;
    std::vector<double> step_bucket_bounds_seconds;
    std::vector<double> step_seconds;
    uint64_t gpu_memory_used_bytes = 0;
    uint64_t gpu_memory_total_bytes = 0;
};

struct GpuReading
{
    bool ok = false;
    std::string error;
    std::string name;
    uint64_t memory_used_bytes = 0;
    uint64_t memory_total_bytes = 0;
    int utilization_gpu_percent = -1;
    int utilization_memory_percent = -1;
    int temperature_c = -1;
};

std::string escape_label_value(const std::string &value);
std::string format_value(double value);
std::string render_prometheus(const TrainingMetrics &m);
std::string alert_rules_yaml();
GpuReading read_gpu(unsigned index);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::in_quotes;
using lab::checks::num;
using lab::checks::sentence;
using promtext::ends_with;
using promtext::exact;
using promtext::Exposition;
using promtext::parse_exposition;
using promtext::parse_value;
using promtext::Sample;
using promtext::shown;
using promtext::valid_metric_name;
using rulefile::duration_ms;
using rulefile::Node;

const std::string steps_name = "torchlab_training_steps_total";
const std::string loss_name = "torchlab_training_loss";
const std::string speed_name = "torchlab_training_samples_per_second";
const std::string hist_name = "torchlab_training_step_duration_seconds";
const std::string used_name = "torchlab_gpu_memory_used_bytes";
const std::string total_name = "torchlab_gpu_memory_total_bytes";

// ---- what the checks feed render_prometheus() ----

struct Case
{
    std::string what; // how a message names it
    TrainingMetrics metrics;
    bool rendered = false;
    std::string error; // what render_prometheus threw
    std::string text;
    Exposition parsed;
};

const std::vector<double> bounds{0.01, 0.05, 0.1, 0.5};
// Two observations sit exactly on a bound (0.01 and 0.05): le means "less than or equal".
const std::vector<double> observations{0.003, 0.01, 0.02, 0.05, 0.07, 0.2, 0.9};

TrainingMetrics base_metrics()
{
    TrainingMetrics m;
    m.labels = {{"lesson", "gpu-monitoring"}, {"device", "cpu"}};
    m.steps = 1200;
    m.loss = 0.1 + 0.2; // 0.30000000000000004: six digits would say 0.3
    m.samples_per_second = 1234.5678901234567;
    m.step_bucket_bounds_seconds = bounds;
    m.step_seconds = observations;
    return m;
}

Case make_case(const std::string &what, const TrainingMetrics &m)
{
    Case c;
    c.what = what;
    c.metrics = m;
    c.rendered = attempt([&] { c.text = render_prometheus(m); }, c.error);
    if (c.rendered)
        c.parsed = parse_exposition(c.text);
    return c;
}

std::vector<const Sample *> samples_named(const Case &c, const std::string &name)
{
    std::vector<const Sample *> out;
    for (const Sample &s : c.parsed.samples)
        if (s.name == name)
            out.push_back(&s);
    return out;
}

std::string label_value(const Sample &s, const std::string &name, bool *found = nullptr)
{
    for (const auto &[n, v] : s.labels)
        if (n == name) {
            if (found)
                *found = true;
            return v;
        }
    if (found)
        *found = false;
    return std::string();
}

std::string not_rendered(const Case &c)
{
    return "render_prometheus() threw for " + c.what + ": " + sentence(c.error);
}

// The first problem of a case, or "".
std::string first_problem(const Case &c)
{
    if (!c.rendered)
        return not_rendered(c);
    if (c.parsed.errors.empty())
        return std::string();
    std::string why = "In the text for " + c.what + ", " + c.parsed.errors.front();
    if (c.parsed.errors.size() > 1)
        why += " (and " + std::to_string(c.parsed.errors.size() - 1) + " more problems)";
    return why + ".";
}

// The first parse error that mentions `name`, as a sentence, or "".
std::string error_about(const Case &c, const std::string &name)
{
    for (const std::string &e : c.parsed.errors)
        if (e.find(name) != std::string::npos)
            return " The parser says: " + e + ".";
    return std::string();
}

std::string sample_list(const Case &c)
{
    std::set<std::string> names;
    for (const Sample &s : c.parsed.samples)
        names.insert(s.name);
    std::string out;
    for (const std::string &n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "no samples at all" : out;
}

void check_parses(const std::vector<const Case *> &cases)
{
    for (const Case *c : cases) {
        const std::string problem = first_problem(*c);
        if (!problem.empty()) {
            lab::check("exposition_parses", false, problem);
            return;
        }
    }
    lab::check("exposition_parses", true, "every line is valid Prometheus text");
}

void check_names_types(const Case &c)
{
    if (!c.rendered) {
        lab::check("names_types", false, not_rendered(c));
        return;
    }
    struct Want
    {
        const std::string &name;
        const char *type;
        const char *sample; // a sample name to look for
    };
    const Want wants[] = {
        {steps_name, "counter", "torchlab_training_steps_total"},
        {loss_name, "gauge", "torchlab_training_loss"},
        {speed_name, "gauge", "torchlab_training_samples_per_second"},
        {hist_name, "histogram", "torchlab_training_step_duration_seconds_count"}};
    for (const Want &w : wants) {
        const auto it = c.parsed.families.find(w.name);
        const bool typed = it != c.parsed.families.end() && it->second.type == w.type;
        if (!typed) {
            std::string why =
                "For " + c.what + " there is no \"# TYPE " + w.name + " " + w.type + "\" line.";
            if (w.name == steps_name && !samples_named(c, "torchlab_training_steps").empty())
                why += " The step counter is named torchlab_training_steps: a counter's name ends "
                       "in _total, and in this format its TYPE line names it with the suffix.";
            else if (it != c.parsed.families.end() && !it->second.type.empty())
                why += " Its TYPE says " + it->second.type + ".";
            lab::check("names_types", false, why + " Samples found: " + sample_list(c) + ".");
            return;
        }
        if (!it->second.has_help || it->second.help.empty()) {
            lab::check("names_types", false,
                       "For " + c.what + ", " + w.name +
                           " has no \"# HELP\" text; one line saying what it measures.");
            return;
        }
        if (samples_named(c, w.sample).empty()) {
            lab::check("names_types", false,
                       "For " + c.what + ", no " + w.sample + " sample follows the TYPE line." +
                           error_about(c, w.sample));
            return;
        }
    }
    for (const auto &[name, f] : c.parsed.families)
        if (f.type == "counter" && !ends_with(name, "_total")) {
            lab::check("names_types", false,
                       "The counter " + name +
                           " does not end in _total: counters are named "
                           "<what>_total so that a reader knows to rate() them.");
            return;
        }
    for (const Sample &s : c.parsed.samples) {
        for (const auto &[name, value] : c.metrics.labels) {
            bool found = false;
            const std::string got = label_value(s, name, &found);
            if (!found || got != value) {
                lab::check(
                    "names_types", false,
                    "The sample " + s.name + " (line " + std::to_string(s.line) + ") " +
                        (found ? "has " + name + "=" + in_quotes(got) : "lacks the label " + name) +
                        "; every sample carries the run's labels (" + name + "=" +
                        in_quotes(value) + " here).");
                return;
            }
        }
    }
    lab::check("names_types", true, "families, types, names and labels are as expected");
}

// The value of the single sample `name` in a case, or why there is none.
bool single_value(const Case &c, const std::string &name, const Sample *&out, std::string &why)
{
    if (!c.rendered) {
        why = not_rendered(c);
        return false;
    }
    const auto found = samples_named(c, name);
    if (found.size() != 1) {
        why = "For " + c.what + ", the parser found " + std::to_string(found.size()) + " " + name +
              " samples; expected one." + error_about(c, name);
        return false;
    }
    out = found.front();
    return true;
}

void check_values(const Case &c)
{
    // format_value() on its own first: values that six significant digits would change.
    for (const double v : {0.1 + 0.2, 1e-7, 123456789.0, 2.5e21, 1.0 / 3.0, 0.0}) {
        std::string got, error;
        if (!attempt([&] { got = format_value(v); }, error)) {
            lab::check("sample_values", false, "format_value() threw: " + sentence(error));
            return;
        }
        double back = 0;
        std::string why;
        if (!parse_value(got, back, why) || back != v) {
            lab::check(
                "sample_values", false,
                "format_value(" + exact(v) + ") gave " + in_quotes(got) +
                    (why.empty() ? ", which reads back as a different number" : ", but " + why) +
                    ". Prometheus stores doubles: write enough digits to read back the "
                    "same double (\"%.17g\" always does; try 15 digits first for "
                    "shorter text).");
            return;
        }
    }
    struct Want
    {
        const std::string &name;
        double value;
    };
    for (const Want &w :
         {Want{steps_name, double(c.metrics.steps)}, Want{loss_name, c.metrics.loss},
          Want{speed_name, c.metrics.samples_per_second}}) {
        const Sample *s = nullptr;
        std::string why;
        if (!single_value(c, w.name, s, why)) {
            lab::check("sample_values", false, why);
            return;
        }
        if (s->value != w.value) {
            lab::check("sample_values", false,
                       "For " + c.what + ", " + w.name + " reads " + in_quotes(s->value_text) +
                           "; the value was " + exact(w.value) +
                           ". Write it with format_value(), which must round-trip.");
            return;
        }
    }
    lab::check("sample_values", true, "values read back exactly");
}

void check_nan_inf(const Case &nan_case, const Case &minus_case)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct Want
    {
        double value;
        const char *text;
        const char *what;
    };
    // -NaN: what 0.0 / 0.0 gives on x86, and what printf writes as "-nan".
    for (const Want &w : {Want{nan, "NaN", "NaN"}, Want{-nan, "NaN", "a NaN with its sign bit set"},
                          Want{inf, "+Inf", "+infinity"}, Want{-inf, "-Inf", "-infinity"}}) {
        std::string got, error;
        if (!attempt([&] { got = format_value(w.value); }, error)) {
            lab::check("nan_inf", false, "format_value() threw: " + sentence(error));
            return;
        }
        if (got != w.text) {
            lab::check("nan_inf", false,
                       std::string("format_value(") + w.what + ") gave " + in_quotes(got) +
                           "; expected " + w.text +
                           ". Test std::isnan and std::isinf before formatting a number: NaN has "
                           "a sign bit that printf shows.");
            return;
        }
    }
    struct InCase
    {
        const Case &c;
        const std::string &name;
        const char *text;
    };
    for (const InCase &w :
         {InCase{nan_case, loss_name, "NaN"}, InCase{nan_case, speed_name, "+Inf"},
          InCase{minus_case, loss_name, "-Inf"}}) {
        const Sample *s = nullptr;
        std::string why;
        if (!single_value(w.c, w.name, s, why)) {
            lab::check("nan_inf", false, why);
            return;
        }
        if (s->value_text != w.text) {
            lab::check("nan_inf", false,
                       "For " + w.c.what + ", " + w.name + " reads " + in_quotes(s->value_text) +
                           "; expected " + w.text + ".");
            return;
        }
    }
    lab::check("nan_inf", true, "NaN and the infinities are written as NaN, +Inf and -Inf");
}

void check_escaping(const Case &c)
{
    struct Want
    {
        std::string in, out;
    };
    const std::vector<Want> direct{
        {"C:\\runs\\\"best\"\nsecond try", "C:\\\\runs\\\\\\\"best\\\"\\nsecond try"},
        {"cuda:0", "cuda:0"},
        {"训练", "训练"},
        {"tab\there", "tab\there"}};
    for (const Want &w : direct) {
        std::string got, error;
        if (!attempt([&] { got = escape_label_value(w.in); }, error)) {
            lab::check("label_escaping", false, "escape_label_value() threw: " + sentence(error));
            return;
        }
        if (got != w.out) {
            lab::check("label_escaping", false,
                       "escape_label_value(" + shown(w.in) + ") gave " + shown(got) +
                           "; expected " + shown(w.out) +
                           ". Escape exactly three characters: \\ as \\\\, \" as \\\" and a line "
                           "feed as \\n; leave everything else (tabs, UTF-8) as it is.");
            return;
        }
    }
    if (!c.rendered) {
        lab::check("label_escaping", false, not_rendered(c));
        return;
    }
    const auto found = samples_named(c, loss_name);
    if (found.size() != 1) {
        lab::check("label_escaping", false,
                   "For " + c.what + ", the parser found " + std::to_string(found.size()) + " " +
                       loss_name + " samples; expected one." + error_about(c, loss_name) +
                       (c.parsed.errors.empty() ? "" : " " + first_problem(c)));
        return;
    }
    if (found.front()->labels != c.metrics.labels) {
        std::string got;
        for (const auto &[n, v] : found.front()->labels)
            got += (got.empty() ? "" : ", ") + n + "=" + shown(v);
        lab::check("label_escaping", false,
                   "For " + c.what + ", the labels read back as " + got +
                       ": they must read back as given. Build every label set with "
                       "escape_label_value().");
        return;
    }
    lab::check("label_escaping", true, "label values survive the round trip");
}

// The buckets of one histogram in a case, checked against the observations.
std::string histogram_problem(const Case &c)
{
    if (!c.rendered)
        return not_rendered(c);
    const auto it = c.parsed.families.find(hist_name);
    if (it == c.parsed.families.end() || it->second.type != "histogram")
        return "For " + c.what + " there is no \"# TYPE " + hist_name +
               " histogram\" line. Samples found: " + sample_list(c) + ".";
    const auto buckets = samples_named(c, hist_name + "_bucket");
    const auto sums = samples_named(c, hist_name + "_sum");
    const auto counts = samples_named(c, hist_name + "_count");
    const std::vector<double> &obs = c.metrics.step_seconds;
    const std::vector<double> &b = c.metrics.step_bucket_bounds_seconds;
    if (buckets.size() != b.size() + 1)
        return "For " + c.what + " with " + std::to_string(b.size()) + " bounds there are " +
               std::to_string(buckets.size()) + " _bucket samples; expected " +
               std::to_string(b.size() + 1) + ": one per bound and a last one with le=\"+Inf\"." +
               error_about(c, hist_name);
    for (size_t k = 0; k < buckets.size(); ++k) {
        const Sample &s = *buckets[k];
        bool has_le = false;
        const std::string le = label_value(s, "le", &has_le);
        const std::string want_le = k < b.size() ? "" : "+Inf";
        double bound = 0;
        std::string why;
        if (!has_le)
            return "The _bucket sample on line " + std::to_string(s.line) +
                   " needs an le label holding its upper bound, such as le=\"0.05\" or "
                   "le=\"+Inf\".";
        if (!parse_value(le, bound, why))
            return "The _bucket sample on line " + std::to_string(s.line) + " has le=\"" + le +
                   "\": " + why + ".";
        const double want_bound = k < b.size() ? b[k] : std::numeric_limits<double>::infinity();
        if (bound != want_bound)
            return "For " + c.what + ", bucket " + std::to_string(k + 1) + " has le=\"" + le +
                   "\"; expected " + (k < b.size() ? exact(b[k]) : std::string("+Inf")) +
                   ": the bounds in ascending order, then le=\"+Inf\" (written just so).";
        if (k == b.size() && le != "+Inf")
            return "The last bucket's le is " + in_quotes(le) + "; write it as le=\"+Inf\".";
        for (const auto &[n, v] : c.metrics.labels)
            if (label_value(s, n) != v)
                return "The _bucket sample on line " + std::to_string(s.line) +
                       " lacks the run's label " + n + "=" + in_quotes(v) + ".";
        int64_t at_most = 0, inside = 0;
        for (size_t j = 0; j < obs.size(); ++j) {
            at_most += obs[j] <= want_bound ? 1 : 0;
            const double lower = k == 0 ? -std::numeric_limits<double>::infinity() : b[k - 1];
            inside += obs[j] <= want_bound && obs[j] > lower ? 1 : 0;
        }
        if (s.value != double(at_most)) {
            std::string why_count = "For " + c.what + ", the bucket le=\"" + le + "\" holds " +
                                    s.value_text + "; expected " + std::to_string(at_most) + ".";
            if (s.value == double(inside) && inside != at_most)
                why_count += " That is only the steps between the previous bound and this one: "
                             "buckets are cumulative, each counts every step that took at most "
                             "its bound.";
            else if (s.value == double(at_most - 1) || s.value < double(at_most))
                why_count += " A step that took exactly the bound belongs in the bucket: le means "
                             "less than or equal.";
            return why_count;
        }
    }
    if (counts.size() != 1 || sums.size() != 1)
        return "For " + c.what + " there must be one " + hist_name + "_sum and one " + hist_name +
               "_count sample after the buckets." + error_about(c, hist_name);
    if (counts.front()->value != double(obs.size()) ||
        counts.front()->value != buckets.back()->value)
        return "For " + c.what + ", _count is " + counts.front()->value_text + "; it must equal " +
               std::to_string(obs.size()) +
               ", the number of steps, which is also the le=\"+Inf\" "
               "bucket.";
    double sum = 0;
    for (const double o : obs)
        sum += o;
    if (!(std::abs(sums.front()->value - sum) <= 1e-12 * std::max(1.0, std::abs(sum))))
        return "For " + c.what + ", _sum is " + sums.front()->value_text +
               "; the steps add up to " + num(sum, 6) + " seconds.";
    return std::string();
}

void check_histogram(const Case &run, const Case &bare)
{
    for (const Case *c : {&run, &bare}) {
        const std::string why = histogram_problem(*c);
        if (!why.empty()) {
            lab::check("histogram", false, why);
            return;
        }
    }
    lab::check("histogram", true, "cumulative buckets, +Inf equal to _count, and _sum");
}

void check_gpu_gauges(const Case &gpu, const Case &run)
{
    using Want = std::pair<std::string, uint64_t>;
    for (const auto &[name, value] : {Want{used_name, gpu.metrics.gpu_memory_used_bytes},
                                      Want{total_name, gpu.metrics.gpu_memory_total_bytes}}) {
        const Sample *s = nullptr;
        std::string why;
        if (!single_value(gpu, name, s, why)) {
            lab::check("gpu_gauges", false,
                       why + " With gpu_memory_total_bytes > 0, export " + used_name + " and " +
                           total_name + " as gauges.");
            return;
        }
        const auto it = gpu.parsed.families.find(name);
        if (it == gpu.parsed.families.end() || it->second.type != "gauge") {
            lab::check("gpu_gauges", false, name + " needs a \"# TYPE " + name + " gauge\" line.");
            return;
        }
        if (s->value != double(value)) {
            lab::check("gpu_gauges", false,
                       "For " + gpu.what + ", " + name + " reads " + in_quotes(s->value_text) +
                           "; expected " + std::to_string(value) +
                           (std::abs(s->value - double(value)) < 1e-5 * double(value)
                                ? ": write all the digits (format_value())."
                                : " (bytes, not MiB)."));
            return;
        }
    }
    if (run.rendered &&
        (!samples_named(run, used_name).empty() || run.parsed.families.count(used_name) ||
         run.parsed.families.count(total_name))) {
        lab::check("gpu_gauges", false,
                   "For " + run.what +
                       " (gpu_memory_total_bytes = 0, no GPU reading) the text still "
                       "has the GPU memory gauges: leave them out, so that "
                       "used / total never becomes 0 / 0.");
        return;
    }
    lab::check("gpu_gauges", true, "the GPU memory gauges appear exactly when there is a reading");
}

// ---- alert rules ----

std::string without_spaces(const std::string &s)
{
    std::string out;
    for (const char c : s)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += c;
    return out;
}

// A Prometheus duration ("2m", "120s", "1m30s") in milliseconds; -1 when it is not one.
const std::string *scalar_at(const Node &map, const std::string &key)
{
    const Node *n = map.get(key);
    return n && n->kind == Node::Scalar ? &n->scalar : nullptr;
}

// Is `expr` "used / total > 0.9" (or ">= 0.9", or "* 100 > 90")?
bool memory_expression(const std::string &expr)
{
    const std::string e = without_spaces(expr);
    const size_t gt = e.rfind('>');
    if (gt == std::string::npos)
        return false;
    const std::string left = e.substr(0, gt);
    std::string right = e.substr(gt + 1);
    if (!right.empty() && right[0] == '=')
        right = right.substr(1);
    if (right.rfind("bool", 0) == 0)
        return false;
    double threshold = 0;
    std::string why;
    if (!parse_value(right, threshold, why))
        return false;
    const size_t used = left.find(used_name), slash = left.find('/'), total = left.find(total_name);
    if (used == std::string::npos || slash == std::string::npos || total == std::string::npos ||
        !(used < slash && slash < total))
        return false;
    const bool percent =
        left.find("*100") != std::string::npos || left.find("100*") != std::string::npos;
    return percent ? threshold == 90 : threshold == 0.9;
}

// Is `expr` "x != x" for the loss (with the same selector on both sides)?
bool nan_expression(const std::string &expr)
{
    const std::string e = without_spaces(expr);
    const size_t ne = e.find("!=");
    if (ne == std::string::npos)
        return false;
    // "!=" inside a label matcher ({device!="cpu"}) is not the comparison.
    size_t op = std::string::npos;
    int depth = 0;
    for (size_t k = 0; k + 1 < e.size(); ++k) {
        if (e[k] == '{')
            ++depth;
        else if (e[k] == '}')
            --depth;
        else if (depth == 0 && e[k] == '!' && e[k + 1] == '=') {
            op = k;
            break;
        }
    }
    if (op == std::string::npos)
        return false;
    const std::string left = e.substr(0, op), right = e.substr(op + 2);
    return left == right && left.rfind(loss_name, 0) == 0;
}

void check_rules_structure(const std::string &yaml, int &rule_count)
{
    rule_count = 0;
    Node root;
    std::string error;
    if (!rulefile::read_yaml(yaml, root, error)) {
        lab::check("rules_structure", false,
                   "alert_rules_yaml() is not the YAML a rule file holds: " + error + ".");
        return;
    }
    const Node *groups = root.kind == Node::Map ? root.get("groups") : nullptr;
    if (!groups || groups->kind != Node::Seq || groups->seq.empty()) {
        lab::check("rules_structure", false,
                   "A rule file starts with \"groups:\", a list of groups, each with a name and "
                   "rules. The text has no such list.");
        return;
    }
    struct Rule
    {
        const Node *node;
        std::string alert, expr;
    };
    std::vector<Rule> rules;
    for (const Node &group : groups->seq) {
        const std::string *name = group.kind == Node::Map ? scalar_at(group, "name") : nullptr;
        const Node *list = group.kind == Node::Map ? group.get("rules") : nullptr;
        if (!name || name->empty() || !list || list->kind != Node::Seq) {
            lab::check("rules_structure", false,
                       "The group on line " + std::to_string(group.line) +
                           " needs \"name:\" and \"rules:\", a list of rules (\"rules: []\" is an "
                           "empty one).");
            return;
        }
        for (const Node &rule : list->seq) {
            const std::string *alert = rule.kind == Node::Map ? scalar_at(rule, "alert") : nullptr;
            const std::string *expr = rule.kind == Node::Map ? scalar_at(rule, "expr") : nullptr;
            if (rule.kind == Node::Map && rule.get("record"))
                continue; // a recording rule: allowed, not one of the alerts
            if (!alert || !expr) {
                lab::check("rules_structure", false,
                           "The rule on line " + std::to_string(rule.line) +
                               " needs \"alert:\" (its name) and \"expr:\" (the PromQL).");
                return;
            }
            if (!valid_metric_name(*alert)) {
                lab::check("rules_structure", false,
                           "The alert name " + in_quotes(*alert) +
                               " must look like a metric name: letters, digits and _, such as "
                               "GpuMemoryAlmostFull.");
                return;
            }
            rules.push_back({&rule, *alert, *expr});
        }
    }
    rule_count = int(rules.size());

    const Rule *memory = nullptr, *nan = nullptr;
    for (const Rule &r : rules) {
        if (memory_expression(r.expr))
            memory = &r;
        else if (nan_expression(r.expr))
            nan = &r;
    }
    if (!memory) {
        std::string why = "No alert has the expression " + used_name + " / " + total_name +
                          " > 0.9 (the fraction of GPU memory in use, above 90%).";
        for (const Rule &r : rules)
            if (r.expr.find(used_name) != std::string::npos)
                why += " The alert " + r.alert + " has " + in_quotes(r.expr) +
                       ": divide used by total and compare the ratio with 0.9.";
        lab::check("rules_structure", false, why);
        return;
    }
    if (!nan) {
        std::string why = "No alert has the expression " + loss_name + " != " + loss_name +
                          " (true only for NaN).";
        for (const Rule &r : rules) {
            const std::string e = without_spaces(r.expr);
            if (e.find("==NaN") != std::string::npos || e.find("isnan") != std::string::npos ||
                e.find("is_nan") != std::string::npos)
                why += " The alert " + r.alert + " has " + in_quotes(r.expr) +
                       ": PromQL has no isnan(), and NaN == NaN is false, so it never fires. NaN "
                       "is the only value not equal to itself.";
        }
        lab::check("rules_structure", false, why);
        return;
    }
    if (memory->alert == nan->alert) {
        lab::check("rules_structure", false, "The two alerts need different names.");
        return;
    }
    const std::string *for_text = scalar_at(*memory->node, "for");
    if (!for_text || duration_ms(*for_text) != 120000) {
        lab::check("rules_structure", false,
                   "The alert " + memory->alert + " needs \"for: 2m\"" +
                       (for_text ? " (it has for: " + *for_text + ")" : std::string()) +
                       ": the condition must hold for two minutes before it fires, so that one "
                       "short peak does not page anyone.");
        return;
    }
    for (const Rule *r : {memory, nan}) {
        const Node *labels = r->node->get("labels");
        const std::string *severity =
            labels && labels->kind == Node::Map ? scalar_at(*labels, "severity") : nullptr;
        if (!severity || severity->empty()) {
            lab::check("rules_structure", false,
                       "The alert " + r->alert +
                           " needs labels: with a severity (warning, critical): Alertmanager "
                           "routes on labels.");
            return;
        }
    }
    lab::check("rules_structure", true, "both alerts have the expected expression, for and labels");
}

// ---- promtool, where it is installed ----

void check_promtool(const std::string &yaml, int rule_count)
{
    const std::string promtool = rulefile::find_in_path("promtool");
    if (promtool.empty()) {
        lab::skip("rules_promtool",
                  "promtool not installed: Prometheus' own rule checker was not run here (the "
                  "structural check of the rules still graded them).");
        return;
    }
    char path[] = "/tmp/torchlab-rules-XXXXXX.yml";
    const int fd = ::mkstemps(path, 4);
    if (fd < 0) {
        lab::skip("rules_promtool", "no temporary file for promtool could be created.");
        return;
    }
    const bool written = ::write(fd, yaml.data(), yaml.size()) == ssize_t(yaml.size());
    ::close(fd);
    std::string output;
    const int status =
        written ? rulefile::run_program({promtool, "check", "rules", path}, output, 30) : -1;
    ::unlink(path);
    if (status == -1 || status == -2) {
        lab::skip("rules_promtool", status == -1 ? "promtool could not be started."
                                                 : "promtool did not finish within 30 s.");
        return;
    }
    int found = -1;
    if (const size_t at = output.find("SUCCESS: "); at != std::string::npos)
        found = std::atoi(output.c_str() + at + 9);
    const bool ok = status == 0 && (found >= 2 || (found < 0 && rule_count >= 2));
    std::string said = output;
    while (!said.empty() && std::isspace(static_cast<unsigned char>(said.back())))
        said.pop_back();
    lab::check(
        "rules_promtool", ok,
        ok ? "promtool check rules accepts the file"
           : "promtool check rules " +
                 std::string(status == 0 ? "found fewer than two rules" : "rejected the file") +
                 ":\n" + said);
}

// ---- NVML, where there is a driver ----

struct OwnNvml
{
    void *library = nullptr;
    int (*init)() = nullptr;
    int (*shutdown)() = nullptr;
    int (*count)(unsigned int *) = nullptr;
    int (*handle)(unsigned int, void **) = nullptr;
    int (*memory)(void *, unsigned long long *) = nullptr; // nvmlMemory_t: total, free, used
    const char *(*error_string)(int) = nullptr;
};

void check_nvml()
{
    OwnNvml n;
    n.library = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!n.library) {
        lab::skip("nvml_reading", "libnvidia-ml.so.1 is not installed here (no NVIDIA driver): "
                                  "read_gpu() is checked on a machine with an NVIDIA GPU.");
        return;
    }
    n.init = reinterpret_cast<int (*)()>(::dlsym(n.library, "nvmlInit_v2"));
    n.shutdown = reinterpret_cast<int (*)()>(::dlsym(n.library, "nvmlShutdown"));
    n.count =
        reinterpret_cast<int (*)(unsigned int *)>(::dlsym(n.library, "nvmlDeviceGetCount_v2"));
    n.handle = reinterpret_cast<int (*)(unsigned int, void **)>(
        ::dlsym(n.library, "nvmlDeviceGetHandleByIndex_v2"));
    n.memory = reinterpret_cast<int (*)(void *, unsigned long long *)>(
        ::dlsym(n.library, "nvmlDeviceGetMemoryInfo"));
    n.error_string = reinterpret_cast<const char *(*)(int)>(::dlsym(n.library, "nvmlErrorString"));
    if (!n.init || !n.shutdown || !n.count || !n.handle || !n.memory) {
        lab::skip("nvml_reading", "this libnvidia-ml.so.1 lacks the NVML calls the check uses.");
        ::dlclose(n.library);
        return;
    }
    const int rc = n.init();
    if (rc != 0) {
        const char *why = n.error_string ? n.error_string(rc) : nullptr;
        lab::skip("nvml_reading", std::string("NVML is installed but nvmlInit_v2 failed (") +
                                      (why ? why : std::to_string(rc).c_str()) +
                                      "): there is no usable NVIDIA GPU here.");
        ::dlclose(n.library);
        return;
    }
    unsigned int devices = 0;
    void *device = nullptr;
    unsigned long long before[3] = {}, after[3] = {};
    const bool own = n.count(&devices) == 0 && devices > 0 && n.handle(0, &device) == 0 &&
                     n.memory(device, before) == 0;
    if (!own) {
        n.shutdown();
        ::dlclose(n.library);
        lab::skip("nvml_reading", "NVML sees no GPU it can read here.");
        return;
    }

    GpuReading r;
    std::string error;
    const bool returned = attempt([&] { r = read_gpu(0); }, error);
    n.memory(device, after);
    GpuReading missing;
    std::string missing_error;
    const bool missing_returned = attempt([&] { missing = read_gpu(devices + 7); }, missing_error);
    n.shutdown();
    ::dlclose(n.library);

    const double mib = 1024.0 * 1024.0;
    std::string why;
    if (!returned)
        why = "read_gpu(0) threw: " + sentence(error);
    else if (!r.ok)
        why = "read_gpu(0) says it could not read the GPU: " + in_quotes(r.error) +
              ", but NVML works here.";
    else if (r.memory_total_bytes != before[0])
        why = "read_gpu(0) gives memory_total_bytes = " + std::to_string(r.memory_total_bytes) +
              "; NVML says " + std::to_string(before[0]) +
              " (bytes; nvmlMemory_t is total, free, used).";
    else if (double(r.memory_used_bytes) + 256 * mib < double(std::min(before[2], after[2])) ||
             double(r.memory_used_bytes) > double(std::max(before[2], after[2])) + 256 * mib)
        why = "read_gpu(0) gives memory_used_bytes = " + num(double(r.memory_used_bytes) / mib) +
              " MiB; NVML says about " + num(double(before[2]) / mib) +
              " MiB (nvmlMemory_t is total, free, used in this order).";
    else if (r.utilization_gpu_percent < -1 || r.utilization_gpu_percent > 100 ||
             r.utilization_memory_percent < -1 || r.utilization_memory_percent > 100)
        why = "read_gpu(0) gives utilisation " + std::to_string(r.utilization_gpu_percent) +
              "% / " + std::to_string(r.utilization_memory_percent) +
              "%: nvmlUtilization_t holds percentages (0-100), or leave -1 when the query fails.";
    else if (r.temperature_c < -1 || r.temperature_c > 130)
        why = "read_gpu(0) gives a temperature of " + std::to_string(r.temperature_c) +
              " °C: use NVML_TEMPERATURE_GPU (0) with nvmlDeviceGetTemperature.";
    else if (!missing_returned)
        why = "read_gpu(" + std::to_string(devices + 7) + ") threw: " + sentence(missing_error) +
              " For a GPU that does not exist it should return ok = false with the NVML error.";
    else if (missing.ok || missing.error.empty())
        why = "read_gpu(" + std::to_string(devices + 7) +
              ") for a GPU that does not exist should return ok = false with the NVML error in "
              "`error`.";
    lab::check("nvml_reading", why.empty(),
               why.empty()
                   ? "read_gpu() agrees with NVML (" + num(double(r.memory_used_bytes) / mib) +
                         " MiB used of " + num(double(r.memory_total_bytes) / mib) + ")"
                   : why);
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        int status = 0;
        if (!attempt([&] { status = torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);
        else if (status != 0)
            lab::note("Your main() ended with status " + std::to_string(status) +
                      "; the error is in the output above.");

        TrainingMetrics nan_metrics = base_metrics();
        nan_metrics.loss = -std::numeric_limits<double>::quiet_NaN(); // as 0.0 / 0.0 gives on x86
        nan_metrics.samples_per_second = std::numeric_limits<double>::infinity();
        TrainingMetrics minus_metrics = base_metrics();
        minus_metrics.loss = -std::numeric_limits<double>::infinity();
        TrainingMetrics escape_metrics = base_metrics();
        escape_metrics.labels = {
            {"lesson", "监控"}, {"device", "cuda:0"}, {"run", "C:\\runs\\\"best\"\nsecond try"}};
        TrainingMetrics gpu_metrics = base_metrics();
        gpu_metrics.labels = {{"lesson", "gpu-monitoring"}, {"device", "cuda:0"}};
        gpu_metrics.gpu_memory_used_bytes = 76543210496ULL;
        gpu_metrics.gpu_memory_total_bytes = 85520809984ULL; // an H100 80GB: 81559 MiB
        TrainingMetrics bare_metrics;                        // no labels, no steps yet
        bare_metrics.step_bucket_bounds_seconds = {0.001, 1};

        const Case run = make_case("a run on the CPU", base_metrics());
        const Case nan = make_case("a NaN loss", nan_metrics);
        const Case minus = make_case("a loss of -infinity", minus_metrics);
        const Case escape = make_case("labels with \\, \" and a line feed", escape_metrics);
        const Case gpu = make_case("a run with a GPU reading", gpu_metrics);
        const Case bare = make_case("a run without labels or steps", bare_metrics);

        check_parses({&run, &nan, &minus, &escape, &gpu, &bare});
        check_names_types(run);
        check_values(run);
        check_nan_inf(nan, minus);
        check_escaping(escape);
        check_histogram(run, bare);
        check_gpu_gauges(gpu, run);

        // What Prometheus would record for one scrape of the run: a scrape with a parse error
        // is dropped whole, and scrape_samples_scraped is then 0.
        const bool scraped = run.rendered && run.parsed.errors.empty();
        lab::metric("scrape_samples_scraped", 0, scraped ? double(run.parsed.samples.size()) : 0.0);

        std::string yaml;
        int rule_count = 0;
        if (!attempt([&] { yaml = alert_rules_yaml(); }, error)) {
            lab::check("rules_structure", false, "alert_rules_yaml() threw: " + sentence(error));
            lab::check("rules_promtool", false, "alert_rules_yaml() threw: " + sentence(error));
        } else {
            check_rules_structure(yaml, rule_count);
            check_promtool(yaml, rule_count);
        }
        check_nvml();
    });
}
