// torchlab/check.h -- helpers for hidden check code (a lesson's check.cpp). Header-only; needs
// LibTorch and <torchlab/lab.h>, no Qt. Builds against LibTorch 1.13 and 2.x, as C++17 or later,
// warning-free under -Wall -Wextra.
//
// A check file calls the learner's functions and reports with lab::check(name, ok, message).
// These helpers do the parts every check file needs, so that pack authors need not copy them:
//
//   Running the learner's code
//     attempt(body, error)        runs body; an exception becomes false plus its message
//     guarded(name, body)         runs one check's body; an exception fails check `name`
//     error_message(e)            what an exception says, without LibTorch's C++ backtrace
//     labelled_error(e)           the same, prefixed "LibTorch error: " or "exception: "
//   Words for messages
//     first_line(text), sentence(text), in_quotes(text)
//     num(v, precision), num_fixed(v, decimals), text(value)
//     values(tensor or vector), shape(tensor), kind(tensor)
//   Tensors and modules
//     flat(tensors)               all tensors as one CPU double vector, to compare in one go
//     copy_of(model)              a deep copy of a module, to run a reference step on
//   Timing the learner's timer
//     median_of(samples), SleepScript, close_to_ms(got, want)
//
// Everything lives in namespace lab::checks. A check file names what it uses:
//
//   #include <torch/torch.h>
//   #include <torchlab/check.h>   // includes lab.h too
//   #include <torchlab/lab.h>
//
//   torch::Tensor twice(const torch::Tensor &x);   // the learner's function
//
//   namespace {
//   using lab::checks::attempt;
//   using lab::checks::sentence;
//   using lab::checks::values;
//   } // namespace
//
//   int main()
//   {
//       return lab::run([] {
//           const torch::Tensor x = torch::tensor({1.0, -2.0, 3.0});
//           torch::Tensor got;
//           std::string error;
//           if (!attempt([&] { got = twice(x); }, error)) {
//               lab::check("twice", false, "twice() threw: " + sentence(error) +
//                                              " Return x * 2.");
//               return;
//           }
//           const bool ok = got.defined() && torch::allclose(got, x * 2);
//           lab::check("twice", ok, ok ? "twice() doubles every element."
//                                      : "twice(" + values(x) + ") gave " + values(got) +
//                                            "; expected " + values(x * 2) + ".");
//       });
//   }
//
// Nothing here depends on the LibTorch version. Anything that comes to depend on it must be
// guarded with TORCHLAB_TORCH_AT_LEAST(major, minor) from lab.h (TORCH_VERSION_MAJOR/MINOR).
#pragma once

#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace lab::checks {

// ---------------------------------------------------------------------------------------------
// Running the learner's code

// What an exception says, for a message: a c10::Error (every LibTorch error, TORCH_CHECK
// included) gives what_without_backtrace(), its whole message without the C++ backtrace that
// what() appends; any other std::exception gives what(). The text may span several lines.
inline std::string error_message(const std::exception &e)
{
    if (const auto *libtorch = dynamic_cast<const c10::Error *>(&e))
        return libtorch->what_without_backtrace();
    return e.what();
}

// error_message(e) with what was thrown in front: "LibTorch error: <message>" for a c10::Error,
// "exception: <message>" for any other std::exception. This is what guarded() reports.
inline std::string labelled_error(const std::exception &e)
{
    const bool libtorch = dynamic_cast<const c10::Error *>(&e) != nullptr;
    return (libtorch ? "LibTorch error: " : "exception: ") + error_message(e);
}

// Runs body() (any callable taking no arguments; its result is ignored) and returns true when
// it returns. When it throws a std::exception (c10::Error included), returns false and stores
// error_message(e) in `error`: the whole message, without backtrace and without a label, ready
// for "f() threw: " + error (or + sentence(error) when a hint follows). `error` is cleared
// first, so it is empty after a success. Nothing is reported: the caller decides which check
// fails and how. Thrown objects that are not std::exceptions are not caught (nor does lab::run
// catch them).
//
//   std::string error;
//   if (!attempt([&] { got = learner_function(x); }, error))
//       lab::check("name", false, "learner_function() threw: " + error);
template <class F> bool attempt(F &&body, std::string &error)
{
    error.clear();
    try {
        std::forward<F>(body)();
        return true;
    } catch (const std::exception &e) {
        error = error_message(e);
    }
    return false;
}

// Runs one check's body, which reports its own results with lab::check. When body throws a
// std::exception, reports lab::check(name, false, labelled_error(e)), e.g. "LibTorch error:
// mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)", and returns normally, so that the
// remaining checks still run. Reports nothing of its own when body returns. Other thrown
// objects are not caught.
//
//   guarded("forward_shape", [&] { ...; lab::check("forward_shape", ok, why); });
template <class F> void guarded(const std::string &name, F &&body)
{
    try {
        std::forward<F>(body)();
    } catch (const std::exception &e) {
        lab::check(name, false, labelled_error(e));
    }
}

// ---------------------------------------------------------------------------------------------
// Words for messages

// The text up to its first newline (all of it when there is none). LibTorch's messages often
// continue with context lines that a one-line message does not need.
inline std::string first_line(std::string text)
{
    const auto nl = text.find('\n');
    if (nl != std::string::npos)
        text.resize(nl);
    return text;
}

// The text as a sentence, so that a hint can follow it: trailing newlines and spaces removed,
// and a '.' added unless it already ends with '.' or '!'. An empty text stays empty.
//   sentence("shapes cannot be multiplied\n") == "shapes cannot be multiplied."
inline std::string sentence(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    if (!text.empty() && text.back() != '.' && text.back() != '!')
        text += '.';
    return text;
}

// The text between double quotes, as is (no escaping): in_quotes("1.13.1") == "\"1.13.1\"".
inline std::string in_quotes(const std::string &text)
{
    return "\"" + text + "\"";
}

// A number with `precision` significant digits (default 4), the way std::ostream prints a
// double by default: fixed or scientific, whichever is shorter, without trailing zeros.
//   num(0.123456) == "0.1235", num(2.0) == "2", num(123456) == "1.235e+05",
//   num(1.0 / 3, 9) == "0.333333333"; NaN and infinities print as "nan" (or "-nan"), "inf",
//   "-inf".
// Times, losses, accuracies: say the unit in the message (num(ms) + " ms").
inline std::string num(double v, int precision = 4)
{
    std::ostringstream out;
    out << std::setprecision(precision) << v;
    return out.str();
}

// A number with exactly `decimals` digits after the point (default 2), for bounds and
// targets: num_fixed(0.9) == "0.90", num_fixed(0.8449) == "0.84", num_fixed(12.6, 0) == "13".
inline std::string num_fixed(double v, int decimals = 2)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << v;
    return out.str();
}

// Whatever operator<< prints, with the stream's default formatting (6 significant digits for
// floating point; use num() to choose): sizes "[2, 3]", dtypes "Float", devices "cuda:0".
template <class T> std::string text(const T &value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

// The values of a small tensor on one line, in element order, as doubles with 6 significant
// digits: "[1, 4, 2.5]". At most max_items values are shown, then ", ...]". Works for any
// device, dtype (bool gives 0/1), shape (flattened) and layout; "undefined" for an undefined
// tensor.
inline std::string values(const torch::Tensor &t, size_t max_items = 12)
{
    if (!t.defined())
        return "undefined";
    const torch::Tensor all = t.detach().to(torch::kCPU).to(torch::kDouble).reshape({-1});
    const int64_t shown = int64_t(std::min<uint64_t>(uint64_t(all.numel()), max_items));
    std::ostringstream out;
    out << "[";
    for (int64_t i = 0; i < shown; ++i)
        out << (i ? ", " : "") << all[i].item<double>();
    out << (all.numel() > shown ? ", ...]" : "]");
    return out.str();
}

// The same for a vector: "[1, 3, 5]", at most max_items, then ", ...]". Numbers print as
// operator<< prints them (8-bit integers as numbers, not characters).
template <class T> std::string values(const std::vector<T> &v, size_t max_items = 12)
{
    std::ostringstream out;
    out << "[";
    for (size_t i = 0; i < v.size() && i < max_items; ++i) {
        out << (i ? ", " : "");
        if constexpr (std::is_arithmetic_v<T>)
            out << +v[i];
        else
            out << v[i];
    }
    out << (v.size() > max_items ? ", ...]" : "]");
    return out.str();
}

// A tensor's sizes, "[2, 3]" ("[]" for a 0-dim tensor), or "an undefined tensor".
inline std::string shape(const torch::Tensor &t)
{
    return t.defined() ? text(t.sizes()) : "an undefined tensor";
}

// A tensor's scalar type and sizes, "Float [2, 3]", or "an undefined tensor".
inline std::string kind(const torch::Tensor &t)
{
    return t.defined() ? text(t.scalar_type()) + " " + text(t.sizes()) : "an undefined tensor";
}

// ---------------------------------------------------------------------------------------------
// Tensors and modules

// All the tensors, detached, flattened and concatenated into one 1-D Double tensor on the CPU
// (an empty one for no tensors): flat(model->parameters()), flat(model->buffers()). Compare
// two models with torch::equal(flat(a), flat(b)) whatever their devices and dtypes.
inline torch::Tensor flat(const std::vector<torch::Tensor> &tensors)
{
    std::vector<torch::Tensor> parts;
    parts.reserve(tensors.size());
    for (const auto &t : tensors)
        parts.push_back(t.detach().reshape({-1}).to(torch::kCPU, torch::kDouble));
    return parts.empty() ? torch::zeros({0}, torch::kDouble) : torch::cat(parts);
}

// A deep copy of a module held by a module holder (torch::nn::Sequential, torch::nn::Linear, a
// TORCH_MODULE of a torch::nn::Cloneable): the same structure, parameters and buffers in new
// memory on the same devices, so that a reference computation on the copy leaves the
// learner's model alone. Throws (a c10::Error) for a module that does not implement clone().
//   torch::nn::Sequential reference = copy_of(model);
template <class Holder> Holder copy_of(const Holder &model)
{
    return Holder(std::dynamic_pointer_cast<typename Holder::ContainedType>(model->clone()));
}

// ---------------------------------------------------------------------------------------------
// Timing the learner's timer. Check a function that times other functions (median_ms(fn, ...),
// bench(fn, ...)) with calls of known length instead of this machine's speed:
//
//   SleepScript script{{80, 80, 2, 40, 6}, {}};   // two slow warm-up calls, then 3 timed ones
//   const double got = median_ms(std::ref(script), 2, 3);
//   const std::vector<double> timed(script.took.begin() + 2, script.took.end());
//   const bool ok = close_to_ms(got, median_of(timed));

// The median of the samples (the mean of the two middle ones for an even count); 0 for none.
inline double median_of(std::vector<double> samples)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const size_t mid = samples.size() / 2;
    return samples.size() % 2 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
}

// A function to time whose calls take known times. Call i sleeps ms[i] milliseconds (the last
// entry again once the list runs out, nothing when it is empty) and appends to `took` how long
// that call really lasted, in milliseconds (on a busy machine a sleep lasts longer than asked:
// compare with `took`, not with `ms`). The learner's code gets a copy of whatever it is given:
// pass std::ref(script) so that `took` records the calls.
struct SleepScript
{
    std::vector<int> ms;
    std::vector<double> took;

    void operator()()
    {
        const int d = took.size() < ms.size() ? ms[took.size()] : (ms.empty() ? 0 : ms.back());
        const auto start = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(d));
        took.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
};

// Whether `got` milliseconds, measured by the learner's clock around calls of a SleepScript,
// agree with `want`, computed from that script's `took`: at most 0.2 ms less, and at most
// max(1 ms, 15 %) more, because the learner's clock also counts the call itself.
inline bool close_to_ms(double got, double want)
{
    return got >= want - 0.2 && got <= want + std::max(1.0, 0.15 * want);
}

} // namespace lab::checks
