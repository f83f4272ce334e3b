// Hidden checks for lesson 10: accumulated gradients must equal the large-batch gradients (fixed
// seed).
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

torch::nn::Sequential make_model();
double accumulate_gradients(torch::nn::Sequential &model, const torch::Tensor &x,
                            const torch::Tensor &y, int64_t micro_batches);
double accumulated_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                        const torch::Tensor &x, const torch::Tensor &y, int64_t micro_batches);

namespace {

using lab::checks::copy_of;
using lab::checks::guarded;
using lab::checks::num;

// Sits in front of the learner's model and records the batch size of every
// forward pass: gradients alone cannot tell micro-batches from one big batch.
struct BatchProbeImpl : torch::nn::Module
{
    std::vector<int64_t> sizes;
    torch::Tensor forward(const torch::Tensor &x)
    {
        sizes.push_back(x.size(0));
        return x;
    }
};
TORCH_MODULE(BatchProbe);

// The same layers (shared, not copied) behind a probe.
torch::nn::Sequential with_probe(torch::nn::Sequential &model, const BatchProbe &probe)
{
    torch::nn::Sequential probed;
    probed->push_back(probe);
    for (const auto &layer : *model)
        probed->push_back(layer);
    return probed;
}

std::string list(const std::vector<int64_t> &sizes)
{
    std::string out;
    for (const int64_t s : sizes)
        out += (out.empty() ? "" : ", ") + std::to_string(s);
    return "[" + out + "]";
}

// Empty when the forward passes were k micro-batches that cover the n examples once.
std::string micro_batch_problem(const std::vector<int64_t> &sizes, int64_t n, int64_t k)
{
    int64_t total = 0;
    for (const int64_t s : sizes)
        total += s;
    if (sizes.size() == 1 && k > 1 && sizes[0] == n)
        return "the model ran once on all " + std::to_string(n) + " examples instead of on " +
               std::to_string(k) +
               " micro-batches: the gradients are right, but a large batch that does not fit "
               "in memory would not fit here either. Run model->forward() on each of "
               "x.chunk(K)'s pieces.";
    if (int64_t(sizes.size()) != k || total != n)
        return "the model's forward passes saw batches of " + list(sizes) + "; " +
               std::to_string(k) + " micro-batches that together hold the " + std::to_string(n) +
               " examples once were expected (x.chunk(K)).";
    return "";
}

struct Batch
{
    torch::Tensor x, y;
};

Batch make_batch(int64_t n, const torch::Device &device)
{
    return {torch::randn({n, 784}, device),
            torch::randint(0, 10, {n}, torch::TensorOptions().dtype(torch::kLong).device(device))};
}

// The large-batch gradients: one backward of the mean loss over the whole batch.
std::vector<torch::Tensor> reference_gradients(torch::nn::Sequential &model, const Batch &b)
{
    auto ref = copy_of(model);
    ref->zero_grad();
    torch::nn::functional::cross_entropy(ref->forward(b.x), b.y).backward();
    std::vector<torch::Tensor> out;
    for (const auto &p : ref->parameters())
        out.push_back(p.grad().clone());
    return out;
}

// Compares the model's .grad() with the reference. On a mismatch, says how the two relate.
bool same_gradients(torch::nn::Sequential &model, const std::vector<torch::Tensor> &want, int64_t k,
                    std::string &why)
{
    const auto params = model->parameters();
    double dot = 0, ref_sq = 0;
    bool all_close = true;
    for (size_t i = 0; i < params.size(); ++i) {
        const auto &g = params[i].grad();
        if (!g.defined()) {
            why = "parameter " + std::to_string(i) +
                  " has no gradient: call loss.backward() on every micro-batch's loss.";
            return false;
        }
        all_close = all_close && torch::allclose(g, want[i], 1e-4, 1e-6);
        dot += (g * want[i]).sum().item<double>();
        ref_sq += (want[i] * want[i]).sum().item<double>();
    }
    if (all_close)
        return true;
    const double ratio = dot / ref_sq;
    why = "the accumulated gradients differ from the large-batch ones";
    if (std::abs(ratio - double(k)) < 0.05 * double(k))
        why += ": they are " + std::to_string(k) +
               " times too large. Each micro-batch's cross_entropy is already a mean; scale it by "
               "1/K (its share "
               "of the batch) before backward().";
    else if (std::abs(ratio - 1.0 / double(k)) < 0.05 / double(k))
        why += ": they are " + std::to_string(k) +
               " times too small. Scale each micro-batch's loss once, by 1/K.";
    else
        why += " (their projection on the right gradient is " + num(ratio) +
               " times it). Don't zero the gradients between micro-batches, and run every "
               "micro-batch.";
    return false;
}

// Reports `name`: do k micro-batches of a batch of n give the large-batch gradients and loss?
// Returns the verdict.
bool expect_equal(const std::string &name, int64_t n, int64_t k, const std::string &extra,
                  const torch::Device &device)
{
    bool passed = false;
    guarded(name, [&] {
        torch::manual_seed(11 + n + k);
        auto model = make_model();
        model->to(device);
        const Batch b = make_batch(n, device);
        const auto want = reference_gradients(model, b);
        BatchProbe probe;
        auto probed = with_probe(model, probe);
        const double loss = accumulate_gradients(probed, b.x, b.y, k);
        std::string why;
        bool ok = same_gradients(model, want, k, why);
        if (ok) {
            why = micro_batch_problem(probe->sizes, n, k);
            ok = why.empty();
        }
        if (ok) {
            double full_loss;
            {
                torch::NoGradGuard no_grad;
                full_loss =
                    torch::nn::functional::cross_entropy(model->forward(b.x), b.y).item<double>();
            }
            ok = std::abs(loss - full_loss) < 1e-4;
            if (!ok)
                why = "the gradients are right, but accumulate_gradients returned " + num(loss) +
                      " instead of the batch's mean loss " + num(full_loss) +
                      ": add up the scaled micro-batch losses.";
        }
        passed = ok;
        lab::check(name, ok,
                   ok ? std::to_string(k) + (k == 1 ? " micro-batch" : " micro-batches") +
                            " of a batch of " + std::to_string(n) +
                            " give the large-batch gradients"
                      : "batch of " + std::to_string(n) + " in " + std::to_string(k) +
                            " micro-batches: " + why + extra);
    });
    return passed;
}

} // namespace

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        expect_equal("one_piece", 32, 1, "", device);
        const bool equal_ok = expect_equal("equal_pieces", 64, 4, "", device);
        expect_equal("uneven_pieces", 10, 3,
                     equal_ok ? " x.chunk(3) splits 10 examples into 4, 4 and 2: weight each piece "
                                "by its size / the "
                                "batch size, not by 1/K."
                              : "",
                     device);

        guarded("zeroes_first", [&] {
            torch::manual_seed(5);
            auto model = make_model();
            model->to(device);
            const Batch b = make_batch(32, device);
            const auto want = reference_gradients(model, b);
            accumulate_gradients(model, b.x, b.y, 4);
            accumulate_gradients(model, b.x, b.y, 4); // a second call must not add to the first
            std::string why;
            const bool ok = same_gradients(model, want, 2, why);
            lab::check("zeroes_first", ok,
                       ok          ? "each call starts from zero gradients"
                       : !equal_ok ? "fix equal_pieces first."
                                   : "after calling accumulate_gradients twice, the gradients are "
                                     "not those of one batch: "
                                     "start with model->zero_grad() (once, before the loop).");
        });

        guarded("step_matches", [&] {
            torch::manual_seed(9);
            auto model = make_model();
            model->to(device);
            auto reference = copy_of(model);
            const Batch b = make_batch(48, device);
            torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
            torch::optim::SGD reference_optimizer(reference->parameters(),
                                                  torch::optim::SGDOptions(0.1));
            BatchProbe probe;
            auto probed = with_probe(model, probe);
            for (int i = 0; i < 2; ++i) {
                accumulated_step(probed, optimizer, b.x, b.y, 6);
                reference_optimizer.zero_grad();
                torch::nn::functional::cross_entropy(reference->forward(b.x), b.y).backward();
                reference_optimizer.step();
            }
            const auto a = model->parameters(), r = reference->parameters();
            bool ok = a.size() == r.size();
            bool moved = false;
            for (size_t i = 0; ok && i < a.size(); ++i) {
                ok = torch::allclose(a[i], r[i], 1e-4, 1e-6);
            }
            torch::manual_seed(9);
            auto fresh = make_model();
            const auto f = fresh->parameters();
            for (size_t i = 0; i < a.size() && i < f.size(); ++i)
                moved = moved || !torch::equal(a[i].cpu(), f[i]);
            std::string split;
            if (ok) {
                // Two steps of six micro-batches of 8.
                split = micro_batch_problem(probe->sizes, 96, 12);
                ok = split.empty();
            }
            lab::check(
                "step_matches", ok,
                ok ? "two accumulated steps equal two large-batch SGD steps"
                : !split.empty()
                    ? "over two accumulated_step calls with 6 micro-batches each, " + split
                : !moved
                    ? "accumulated_step did not change the parameters: call optimizer.step() after "
                      "accumulating."
                    : "two accumulated steps (6 micro-batches of 8) do not match two large-batch "
                      "SGD "
                      "steps on the same 48 examples. Fix the gradient checks first.");
        });
    });
}
