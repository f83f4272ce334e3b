// A unit of labprobe that uses every helper of <torchlab/check.h>, so that the header is compiled
// with -Wall -Wextra -Werror against the same LibTorch as lab.h, the way a lesson's check.cpp
// uses it (using-declarations, unqualified calls). Scenario "checks" runs it: it reports a few
// checks the way a check file would, and one check, "helpers", that passes only when every
// helper gave the documented result (its message lists the ones that did not). tst_labh reads
// them.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using lab::checks::attempt;
using lab::checks::close_to_ms;
using lab::checks::copy_of;
using lab::checks::error_message;
using lab::checks::first_line;
using lab::checks::flat;
using lab::checks::guarded;
using lab::checks::in_quotes;
using lab::checks::kind;
using lab::checks::labelled_error;
using lab::checks::median_of;
using lab::checks::num;
using lab::checks::num_fixed;
using lab::checks::sentence;
using lab::checks::shape;
using lab::checks::SleepScript;
using lab::checks::text;
using lab::checks::values;

// Stands in for a learner's function with a bug: [3, 4] x [5, 6] throws a c10::Error.
torch::Tensor learner_function(const torch::Tensor &x)
{
    return torch::matmul(x, torch::ones({5, 6}));
}

std::string problems;

void expect(const std::string &what, const std::string &got, const std::string &want)
{
    if (got != want)
        problems += what + " gave " + in_quotes(got) + ", expected " + in_quotes(want) + ". ";
}

void expect(const std::string &what, bool ok)
{
    if (!ok)
        problems += what + " is not true. ";
}

void exceptions()
{
    std::string error = "stale";
    expect("attempt() of a body that returns", attempt([] {}, error));
    expect("error after a successful attempt()", error, "");

    const bool returned =
        attempt([]() -> int { throw std::runtime_error("first\nsecond"); }, error);
    expect("attempt() of a body that throws", !returned);
    expect("attempt()'s error for a std::runtime_error", error, "first\nsecond");

    try {
        TORCH_CHECK(false, "tensor trouble");
    } catch (const c10::Error &e) {
        expect("error_message(c10::Error)", error_message(e), e.what_without_backtrace());
        expect("labelled_error(c10::Error)", labelled_error(e),
               std::string("LibTorch error: ") + e.what_without_backtrace());
    }
    const std::logic_error logic("plain trouble");
    expect("error_message(std::logic_error)", error_message(logic), "plain trouble");
    expect("labelled_error(std::logic_error)", labelled_error(logic), "exception: plain trouble");
}

void words()
{
    expect("first_line(two lines)", first_line("one\ntwo"), "one");
    expect("first_line(one line)", first_line("one"), "one");
    expect("sentence(trailing newline and space)", sentence("no dot\n "), "no dot.");
    expect("sentence(ends with .)", sentence("dot."), "dot.");
    expect("sentence(ends with !)", sentence("bang!"), "bang!");
    expect("sentence(empty)", sentence(""), "");
    expect("in_quotes", in_quotes("1.13.1"), "\"1.13.1\"");

    expect("num(0.123456)", num(0.123456), "0.1235");
    expect("num(2.0)", num(2.0), "2");
    expect("num(123456)", num(123456), "1.235e+05");
    expect("num(1.0 / 3, 9)", num(1.0 / 3, 9), "0.333333333");
    expect("num(inf)", num(std::numeric_limits<double>::infinity()), "inf");
    expect("num_fixed(0.9)", num_fixed(0.9), "0.90");
    expect("num_fixed(0.8449)", num_fixed(0.8449), "0.84");
    expect("num_fixed(12.6, 0)", num_fixed(12.6, 0), "13");

    expect("text(sizes)", text(torch::zeros({2, 3}).sizes()), "[2, 3]");
    expect("text(dtype)", text(torch::kFloat), "Float");
    expect("text(device)", text(torch::Device(torch::kCPU)), "cpu");
    expect("text(double)", text(1.0 / 3), "0.333333");

    expect("values(tensor)", values(torch::tensor({1.0, 4.0, 2.5})), "[1, 4, 2.5]");
    expect("values(arange(20))", values(torch::arange(20)),
           "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...]");
    expect("values(arange(20), 3)", values(torch::arange(20), 3), "[0, 1, 2, ...]");
    expect("values(arange(3), 3)", values(torch::arange(3), 3), "[0, 1, 2]");
    expect("values(transposed)", values(torch::arange(6).view({2, 3}).t()), "[0, 3, 1, 4, 2, 5]");
    expect("values(bool)", values(torch::ones({2}, torch::kBool)), "[1, 1]");
    expect("values(empty tensor)", values(torch::zeros({0})), "[]");
    expect("values(undefined)", values(torch::Tensor()), "undefined");
    expect("values(vector<int64_t>)", values(std::vector<int64_t>{1, 3, 5}), "[1, 3, 5]");
    expect("values(vector<int8_t>)", values(std::vector<int8_t>{1, 2}), "[1, 2]");
    expect("values(vector<double>, 2)", values(std::vector<double>{0.5, 1, 2}, 2), "[0.5, 1, ...]");
    expect("values(vector<std::string>)", values(std::vector<std::string>{"a", "b"}), "[a, b]");
    expect("values(empty vector)", values(std::vector<int>{}), "[]");

    expect("shape([2, 3])", shape(torch::zeros({2, 3})), "[2, 3]");
    expect("shape(0-dim)", shape(torch::tensor(1.5)), "[]");
    expect("shape(undefined)", shape(torch::Tensor()), "an undefined tensor");
    expect("kind([2, 3])", kind(torch::zeros({2, 3})), "Float [2, 3]");
    expect("kind(undefined)", kind(torch::Tensor()), "an undefined tensor");
}

void tensors()
{
    const torch::Tensor all = flat({torch::ones({2, 2}), torch::arange(3, torch::kInt)});
    expect("flat()'s dtype", all.scalar_type() == torch::kDouble);
    expect("flat()'s device", all.device().is_cpu());
    expect("flat()'s values", values(all), "[1, 1, 1, 1, 0, 1, 2]");
    const torch::Tensor none = flat({});
    expect("flat({})",
           none.dim() == 1 && none.numel() == 0 && none.scalar_type() == torch::kDouble);

    torch::manual_seed(0);
    torch::nn::Sequential model(torch::nn::Linear(2, 3), torch::nn::ReLU(),
                                torch::nn::Linear(3, 1));
    torch::nn::Sequential copy = copy_of(model);
    expect("copy_of(Sequential) has the same parameters",
           torch::equal(flat(copy->parameters()), flat(model->parameters())));
    expect("copy_of(Sequential) has its own memory",
           copy->parameters()[0].data_ptr() != model->parameters()[0].data_ptr());
    {
        torch::NoGradGuard no_grad;
        copy->parameters()[0].add_(1);
    }
    expect("copy_of(Sequential) leaves the original alone",
           !torch::equal(flat(copy->parameters()), flat(model->parameters())));
    const torch::nn::Linear linear(4, 2);
    const torch::nn::Linear linear_copy = copy_of(linear);
    expect("copy_of(Linear)", torch::equal(linear_copy->weight, linear->weight) &&
                                  linear_copy->weight.data_ptr() != linear->weight.data_ptr());
}

void timing()
{
    expect("median_of(odd)", median_of({3, 1, 2}) == 2);
    expect("median_of(even)", median_of({4, 1, 3, 2}) == 2.5);
    expect("median_of({})", median_of({}) == 0);

    SleepScript script{{1, 3}, {}};
    const std::function<void()> fn = std::ref(script);
    for (int i = 0; i < 3; ++i)
        fn();
    expect("SleepScript records every call through std::ref", script.took.size() == 3);
    expect("SleepScript repeats its last entry", script.took.size() == 3 && script.took[2] >= 2.9);
    SleepScript empty{{}, {}};
    empty();
    expect("SleepScript without entries", empty.took.size() == 1);

    expect("close_to_ms(10.5, 10)", close_to_ms(10.5, 10));
    expect("close_to_ms(11.4, 10)", close_to_ms(11.4, 10));
    expect("!close_to_ms(9.7, 10)", !close_to_ms(9.7, 10));
    expect("!close_to_ms(12, 10)", !close_to_ms(12, 10));
    expect("close_to_ms(114, 100)", close_to_ms(114, 100));
}

} // namespace

int check_helpers()
{
    return lab::run([] {
        // What a check file does with them: an exception in the learner's code becomes a failed
        // check whose message carries the error's own words.
        const torch::Tensor x = torch::ones({3, 4});
        torch::Tensor got;
        std::string error;
        if (!attempt([&] { got = learner_function(x); }, error))
            lab::check("attempt", false, "learner_function() threw: " + error);
        else
            lab::check("attempt", true, "learner_function() returned " + shape(got) + ".");

        guarded("guarded_libtorch", [] { TORCH_CHECK(false, "tensor trouble"); });
        guarded("guarded_std", [] { throw std::runtime_error("plain trouble"); });
        guarded("guarded_returns", [] { lab::check("guarded_returns", true, "the body's own"); });

        exceptions();
        words();
        tensors();
        timing();
        lab::check("helpers", problems.empty(), problems);
    });
}
