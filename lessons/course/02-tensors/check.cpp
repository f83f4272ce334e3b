// Hidden checks for lesson 2. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <functional>
#include <sstream>
#include <string>

torch::Tensor make_targets(int64_t n, int64_t num_classes, torch::Device device);
torch::Tensor checkerboard(int64_t n);
torch::Tensor center_rows(const torch::Tensor &x);
torch::Tensor flatten_columns(const torch::Tensor &m);
void zero_negatives_(torch::Tensor t);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::kind;
using lab::checks::sentence;
using lab::checks::text;
using lab::checks::values;

void check_targets(const torch::Device device)
{
    struct Case
    {
        int64_t n, classes;
    };
    bool dtypeOk = true, valuesOk = true;
    std::string dtypeMsg, valuesMsg;
    for (const Case c : {Case{1000, 10}, Case{7, 3}, Case{64, 1}}) {
        torch::Tensor t;
        std::string error;
        const std::string call =
            "make_targets(" + std::to_string(c.n) + ", " + std::to_string(c.classes) + ")";
        if (!attempt([&] { t = make_targets(c.n, c.classes, device); }, error) || !t.defined()) {
            dtypeOk = valuesOk = false;
            dtypeMsg = valuesMsg =
                call + (error.empty() ? " returned an undefined tensor." : " threw: " + error);
            break;
        }
        if (dtypeOk && t.scalar_type() != torch::kLong) {
            std::string lossError;
            attempt(
                [&] {
                    torch::nn::functional::cross_entropy(
                        torch::randn({t.numel(), c.classes}, t.device()), t);
                },
                lossError);
            dtypeOk = false;
            dtypeMsg = call + " has scalar type " + text(t.scalar_type()) +
                       ". randint returns the default dtype (Float) once you pass options such "
                       "as a device; add .dtype(torch::kLong). cross_entropy says: " +
                       (lossError.empty() ? "(nothing)" : lossError);
        }
        if (!valuesOk)
            continue;
        if (t.dim() != 1 || t.size(0) != c.n || t.device().type() != device.type()) {
            valuesOk = false;
            valuesMsg = call + " returned " + kind(t) + " on " + text(t.device()) + "; expected [" +
                        std::to_string(c.n) + "] on " + text(device) + ".";
            continue;
        }
        const torch::Tensor labels = t.to(torch::kCPU).to(torch::kDouble);
        const double lo = labels.min().item<double>(), hi = labels.max().item<double>();
        if (lo < 0 || hi >= c.classes || labels.frac().abs().sum().item<double>() != 0) {
            valuesOk = false;
            valuesMsg = call + " has labels from " + text(lo) + " to " + text(hi) +
                        "; they must be whole numbers in [0, " + std::to_string(c.classes) +
                        "): randint's high bound is exclusive.";
            continue;
        }
        // Labels are whole numbers in range now, so bincount is safe.
        const int64_t used =
            torch::bincount(labels.to(torch::kLong), {}, c.classes).gt(0).sum().item<int64_t>();
        if (c.n >= 1000 && used != c.classes) {
            valuesOk = false;
            valuesMsg = call + " used only " + std::to_string(used) + " of the " +
                        std::to_string(c.classes) +
                        " classes; the labels should be random over all of them.";
        }
    }
    lab::check("targets_dtype", dtypeOk,
               dtypeOk ? "make_targets() returns Long labels that cross_entropy accepts."
                       : dtypeMsg);
    lab::check("targets_values", valuesOk,
               valuesOk ? "make_targets() has the right shape, device and range." : valuesMsg);
}

void check_checkerboard()
{
    for (int64_t n : {1, 2, 5, 8}) {
        torch::Tensor got;
        std::string error;
        const std::string call = "checkerboard(" + std::to_string(n) + ")";
        if (!attempt([&] { got = checkerboard(n); }, error)) {
            lab::check("checkerboard", false, call + " threw: " + error);
            return;
        }
        const torch::Tensor r = torch::arange(n).unsqueeze(1), c = torch::arange(n).unsqueeze(0);
        const torch::Tensor want = ((r + c) % 2).to(torch::kFloat);
        if (!got.defined() || got.sizes() != want.sizes() || got.scalar_type() != torch::kFloat) {
            lab::check("checkerboard", false,
                       call + " returned " + kind(got) + "; expected Float " + text(want.sizes()) +
                           ".");
            return;
        }
        if (!torch::equal(got.to(torch::kCPU), want)) {
            lab::check("checkerboard", false,
                       call + " has values " + values(got) + "; expected " + values(want) +
                           ": 1 where row + column is odd. Slice(1, None, 2) picks 1, 3, 5, ...");
            return;
        }
    }
    lab::check("checkerboard", true, "checkerboard(n) is right for n = 1, 2, 5 and 8.");
}

void check_center_rows()
{
    torch::manual_seed(7);
    // Non-square first: a mean of the wrong shape fails loudly here.
    const torch::Tensor wide = torch::randn({3, 5}) * 4 + 2;
    const torch::Tensor wideCopy = wide.clone();
    torch::Tensor got;
    std::string error;
    if (!attempt([&] { got = center_rows(wide); }, error)) {
        lab::check("center_rows_shape", false,
                   "center_rows() of a [3, 5] tensor threw: " + sentence(error) +
                       " x.mean(1) has shape [3]; keep the dimension with x.mean(1, true) to get "
                       "[3, 1].");
    } else if (!got.defined() || got.sizes() != wide.sizes()) {
        lab::check("center_rows_shape", false,
                   "center_rows() of a [3, 5] tensor returned " + kind(got) +
                       "; it must keep the input's shape.");
    } else if (const torch::Tensor want = wide - wide.mean(1, true);
               !torch::allclose(got.to(torch::kCPU).to(torch::kFloat), want, 1e-4, 1e-5)) {
        lab::check("center_rows_shape", false,
                   "center_rows() of a [3, 5] tensor kept the shape but its rows do not have "
                   "mean 0: subtract each row's mean, x.mean(1, true), from that row.");
    } else {
        lab::check("center_rows_shape", true,
                   "center_rows() centres a [3, 5] tensor and keeps its shape.");
    }
    lab::check("center_rows_input_kept", torch::equal(wide, wideCopy),
               torch::equal(wide, wideCopy)
                   ? "center_rows() leaves its input unchanged."
                   : "center_rows() changed its input. Operations ending in _ (sub_, ...) "
                     "write into the tensor itself; use x - ... to make a new one.");

    // Square: a mean of the wrong shape broadcasts silently along the columns.
    const torch::Tensor square =
        torch::tensor({{1.0f, 2.0f, 3.0f}, {10.0f, 20.0f, 30.0f}, {0.0f, 0.0f, 6.0f}});
    const torch::Tensor want =
        torch::tensor({{-1.0f, 0.0f, 1.0f}, {-10.0f, 0.0f, 10.0f}, {-2.0f, -2.0f, 4.0f}});
    for (const torch::Tensor &x : {square, wide}) {
        torch::Tensor g;
        if (!attempt([&] { g = center_rows(x.clone()); }, error) || !g.defined() ||
            g.sizes() != x.sizes()) {
            lab::check("center_rows_values", false,
                       "center_rows() must return a tensor of the input's shape first.");
            return;
        }
        const torch::Tensor expected =
            x.dim() == 2 && x.size(0) == 3 && x.size(1) == 3 ? want : x - x.mean(1, true);
        if (!torch::allclose(g, expected, 1e-5, 1e-5)) {
            const bool columnWise =
                x.size(0) == x.size(1) && torch::allclose(g, x - x.mean(1), 1e-5, 1e-5);
            lab::check("center_rows_values", false,
                       "center_rows(" + values(x) + ") gave " + values(g) + "; expected " +
                           values(expected) + "." +
                           (columnWise ? " Row i lost the mean of row j instead: x.mean(1) has "
                                         "shape [3] and lines up with the columns; "
                                         "x.mean(1, true) has shape [3, 1]."
                                       : " Each row must lose its own mean."));
            return;
        }
    }
    lab::check("center_rows_values", true, "center_rows() subtracts each row's own mean.");
}

void check_flatten_columns()
{
    const torch::Tensor m = torch::tensor({{1, 2, 3}, {4, 5, 6}});
    const torch::Tensor tall = torch::arange(12).view({3, 4}).t(); // not contiguous
    for (const torch::Tensor &x : {m, torch::arange(4).view({4, 1}), tall}) {
        torch::Tensor got;
        std::string error;
        if (!attempt([&] { got = flatten_columns(x); }, error)) {
            lab::check("flatten_columns", false,
                       "flatten_columns(" + values(x) + " as " + text(x.sizes()) +
                           ") threw: " + sentence(error) +
                           " A transposed tensor is not contiguous: use reshape(), or "
                           "contiguous() before view().");
            return;
        }
        const torch::Tensor want = x.t().contiguous().view({-1});
        if (!got.defined() || got.sizes() != want.sizes()) {
            lab::check("flatten_columns", false,
                       "flatten_columns() of a " + text(x.sizes()) + " tensor returned " +
                           kind(got) + "; expected a 1-D tensor " + text(want.sizes()) + ".");
            return;
        }
        if (!torch::equal(got, want)) {
            lab::check("flatten_columns", false,
                       "flatten_columns() of " + text(x.sizes()) + " " + values(x) + " gave " +
                           values(got) + "; expected " + values(want) +
                           ": read column by column, so transpose before flattening.");
            return;
        }
    }
    lab::check("flatten_columns", true,
               "flatten_columns() reads columns in order, also for a "
               "non-contiguous input.");
}

void check_zero_negatives()
{
    torch::Tensor t = torch::tensor({-2.0f, 3.0f, -0.5f, 0.0f, 4.0f});
    const void *before = t.data_ptr();
    std::string error;
    if (!attempt([&] { zero_negatives_(t); }, error)) {
        lab::check("in_place", false, "zero_negatives_() threw: " + error);
        return;
    }
    const torch::Tensor want = torch::tensor({0.0f, 3.0f, 0.0f, 0.0f, 4.0f});
    if (!torch::equal(t, want)) {
        lab::check("in_place", false,
                   "After zero_negatives_(t), t is " + values(t) + "; expected " + values(want) +
                       ". Note that t = t.clamp_min(0) only rebinds your own copy of the handle; "
                       "t.clamp_min_(0) writes into the memory the caller sees.");
        return;
    }
    lab::check("in_place", t.data_ptr() == before,
               t.data_ptr() == before ? "zero_negatives_() changes the caller's tensor in place."
                                      : "The values are right but t now points to new memory; "
                                        "work in place with a method whose name ends in _.");
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        if (!attempt([] { torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);

        check_targets(lab::device());
        check_checkerboard();
        check_center_rows();
        check_flatten_columns();
        check_zero_negatives();
    });
}
