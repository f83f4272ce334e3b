// Hidden checks for lesson 5. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <functional>
#include <sstream>
#include <string>

torch::Tensor grow_until(const torch::Tensor &x, double limit);
torch::Tensor clipped_relu(const torch::Tensor &x, double cap);
torch::Tensor round_ste(const torch::Tensor &x);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::sentence;
using lab::checks::values;

using Fn = std::function<torch::Tensor(const torch::Tensor &)>;

// Values shown per tensor in a message.
constexpr size_t kShown = 8;

// "at x = 1.2: got 0.5, expected 0" for the first element where got and want differ.
std::string first_difference(const torch::Tensor &got, const torch::Tensor &want,
                             const torch::Tensor &x)
{
    if (!got.defined())
        return "the gradient is undefined";
    if (got.sizes() != want.sizes())
        return "the gradient has the wrong shape";
    const torch::Tensor g = got.detach().to(torch::kDouble).reshape({-1});
    const torch::Tensor w = want.detach().to(torch::kDouble).reshape({-1});
    const torch::Tensor in = x.detach().to(torch::kDouble).reshape({-1});
    const int64_t i = (g - w).abs().argmax().item<int64_t>();
    std::ostringstream out;
    // + 0.0 turns -0 into 0.
    out << "at x = " << in[i].item<double>() << " it is " << g[i].item<double>() + 0.0
        << ", expected " << w[i].item<double>() + 0.0;
    return out.str();
}

bool same(const torch::Tensor &got, const torch::Tensor &want)
{
    return got.defined() && got.sizes() == want.sizes() &&
           torch::allclose(got.detach().to(torch::kDouble), want.detach().to(torch::kDouble), 1e-5,
                           1e-6);
}

// Output of fn at a fresh leaf copy of x, and the gradient of sum(output * upstream).
struct Pass
{
    torch::Tensor out, grad;
    std::string error;
};

Pass run_pass(const Fn &fn, const torch::Tensor &x, const torch::Tensor &upstream)
{
    Pass p;
    const torch::Tensor leaf = x.detach().clone().requires_grad_(true);
    if (!attempt([&] { p.out = fn(leaf); }, p.error))
        return p;
    if (!p.out.defined() || !p.out.requires_grad() || p.out.sizes() != x.sizes())
        return p;
    if (attempt([&] { (p.out * upstream).sum().backward(); }, p.error))
        p.grad = leaf.grad();
    return p;
}

// Whether t was made by a custom autograd::Function (a CppNode), and the name of its node.
bool from_custom_function(const torch::Tensor &t, std::string &node)
{
    node = t.defined() && t.grad_fn() ? t.grad_fn()->name() : "no grad_fn";
    return node.find("CppNode") != std::string::npos;
}

void check_dynamic()
{
    struct Case
    {
        double scale, limit, factor;
    };
    // x = scale * [0.6, 0.8] has norm `scale`; doubling until the norm reaches
    // the limit multiplies by `factor`.
    for (const Case c : {Case{0.5, 3.0, 8.0}, Case{5.0, 3.0, 1.0}, Case{0.3, 10.0, 64.0}}) {
        const torch::Tensor x = torch::tensor({0.6, 0.8}, torch::kDouble) * c.scale;
        const Pass p = run_pass([&](const torch::Tensor &t) { return grow_until(t, c.limit); }, x,
                                torch::ones({2}, torch::kDouble));
        std::ostringstream call;
        call << "grow_until(x with norm " << c.scale << ", " << c.limit << ")";
        if (!p.error.empty()) {
            lab::check("dynamic_graph", false, call.str() + " threw: " + sentence(p.error));
            return;
        }
        if (!same(p.out, x * c.factor)) {
            std::ostringstream msg;
            msg << call.str() << " returned " << values(p.out, kShown) << "; expected "
                << values(x * c.factor, kShown)
                << ": keep doubling while y.norm() is below the limit.";
            lab::check("dynamic_graph", false, msg.str());
            return;
        }
        if (!same(p.grad, torch::full({2}, c.factor, torch::kDouble))) {
            std::ostringstream msg;
            msg << "The gradient of sum(" << call.str() << ") is " << values(p.grad, kShown)
                << "; expected " << c.factor << " for each element, one factor 2 per doubling. "
                << "Build y from x with tensor operations (y = y * 2) so that autograd records "
                   "them.";
            lab::check("dynamic_graph", false, msg.str());
            return;
        }
    }
    lab::check(
        "dynamic_graph", true,
        "grow_until() records as many doublings as the data needs, and its gradient follows.");
}

void check_clipped()
{
    torch::manual_seed(5);
    // Values well away from 0 and cap, where the derivative is clear-cut.
    auto sample = [](std::vector<int64_t> shape, double cap, torch::ScalarType type) {
        torch::Tensor x = (torch::rand(shape, torch::kDouble) * 2 - 0.5) * cap; // [-0.5cap, 1.5cap)
        x = torch::where((x.abs() < 0.05 * cap) | ((x - cap).abs() < 0.05 * cap), x + 0.1 * cap, x);
        return x.to(type);
    };
    struct Case
    {
        std::vector<int64_t> shape;
        double cap;
        torch::ScalarType type;
    };
    bool forwardOk = true, analyticOk = true, torchOk = true;
    std::string forwardMsg, analyticMsg, torchMsg;
    for (const Case &c : {Case{{16}, 1.0, torch::kFloat}, Case{{3, 5}, 6.0, torch::kDouble},
                          Case{{40}, 0.25, torch::kFloat}}) {
        const torch::Tensor x = sample(c.shape, c.cap, c.type);
        const torch::Tensor upstream = torch::randn(c.shape, c.type);
        std::ostringstream call;
        call << "clipped_relu(x, " << c.cap << ")";
        const Pass p =
            run_pass([&](const torch::Tensor &t) { return clipped_relu(t, c.cap); }, x, upstream);
        if (!p.error.empty()) {
            const std::string msg = call.str() + " threw: " + sentence(p.error) +
                                    (p.error.find("number of gradients") != std::string::npos
                                         ? " backward must return one entry per forward input: "
                                           "{grad_x, torch::Tensor()} for (x, cap)."
                                         : "");
            forwardOk = analyticOk = torchOk = false;
            forwardMsg = analyticMsg = torchMsg = msg;
            break;
        }
        const torch::Tensor want = x.clamp(0, c.cap);
        std::string node;
        if (forwardOk && !same(p.out, want)) {
            forwardOk = false;
            forwardMsg = call.str() + " gave " + values(p.out, kShown) +
                         " for x = " + values(x, kShown) + "; expected " + values(want, kShown) +
                         ".";
        } else if (forwardOk && !from_custom_function(p.out, node)) {
            forwardOk = false;
            forwardMsg = "The values are right, but the result's grad_fn is " + node +
                         ": return ClippedReLU::apply(x, cap) so that your backward is used.";
        }
        // The analytic gradient: upstream where 0 < x < cap, else 0.
        const torch::Tensor analytic = upstream * ((x > 0) & (x < c.cap)).to(c.type);
        if (analyticOk && !same(p.grad, analytic)) {
            analyticOk = false;
            std::string why = " It must be grad_outputs[0] where 0 < x < cap and 0 elsewhere.";
            if (same(p.grad, upstream))
                why = " It equals the incoming gradient everywhere: mask it with (x > 0) & (x < "
                      "cap).";
            else if (p.grad.defined() && same(p.grad, ((x > 0) & (x < c.cap)).to(c.type)))
                why = " That is the mask alone: multiply it by grad_outputs[0].";
            else if (p.grad.defined() && same(p.grad, upstream * ((x > 0) & (x < 1.0)).to(c.type)))
                why = " It looks as if cap were always 1: read it back from ctx->saved_data.";
            analyticMsg = "The gradient of " + call.str() +
                          " is wrong: " + first_difference(p.grad, analytic, x) + "." + why;
        }
        // The same computation with torch's own clamp, on a fresh graph.
        const Pass ref =
            run_pass([&](const torch::Tensor &t) { return t.clamp(0, c.cap); }, x, upstream);
        if (torchOk && !same(p.grad, ref.grad)) {
            torchOk = false;
            std::ostringstream msg;
            msg << "On the same input, your gradient differs from the one torch computes for "
                   "clamp(0, "
                << c.cap << ") on a fresh graph: " << first_difference(p.grad, ref.grad, x) << ".";
            torchMsg = msg.str();
        }
    }
    lab::check("clipped_forward", forwardOk,
               forwardOk ? "clipped_relu() computes min(max(x, 0), cap) through ClippedReLU."
                         : forwardMsg);
    lab::check("clipped_backward", analyticOk,
               analyticOk ? "ClippedReLU::backward gives the analytic gradient." : analyticMsg);
    lab::check("clipped_matches_torch", torchOk,
               torchOk ? "Your gradient equals torch's own for clamp(0, cap) on a fresh graph."
                       : torchMsg);
}

void check_ste()
{
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({12}) * 3 + 0.25; // avoid exact .5 ties
    const torch::Tensor upstream = torch::randn({12});
    const Pass p = run_pass(round_ste, x, upstream);
    if (!p.error.empty()) {
        lab::check("ste_forward", false, "round_ste() threw: " + sentence(p.error));
        lab::check("ste_backward", false, "round_ste() threw: " + sentence(p.error));
        return;
    }
    std::string node;
    bool forwardOk = same(p.out, torch::round(x));
    std::string forwardMsg = "round_ste(" + values(x, kShown) + ") gave " + values(p.out, kShown) +
                             "; expected " + values(torch::round(x), kShown) + ".";
    if (forwardOk && !from_custom_function(p.out, node)) {
        forwardOk = false;
        forwardMsg = "The values are right, but the result's grad_fn is " + node +
                     ": return RoundSTE::apply(x) so that your backward is used.";
    }
    lab::check("ste_forward", forwardOk,
               forwardOk ? "round_ste() rounds through RoundSTE." : forwardMsg);

    // Straight through: the same gradient as the identity. torch's way of writing
    // that, x + (round(x) - x).detach(), on a fresh graph gives the reference.
    const Pass ref = run_pass(
        [](const torch::Tensor &t) { return t + (torch::round(t) - t).detach(); }, x, upstream);
    const bool backwardOk = same(p.grad, ref.grad);
    std::string why = " It must be the incoming gradient, unchanged.";
    if (p.grad.defined() && p.grad.abs().sum().item<double>() == 0)
        why = " A zero gradient is what round itself gives, the very thing a straight-through "
              "estimator replaces: return grad_outputs[0].";
    lab::check("ste_backward", backwardOk,
               backwardOk ? "RoundSTE::backward passes the gradient straight through, like "
                            "x + (round(x) - x).detach()."
                          : "The gradient of round_ste is wrong: " +
                                first_difference(p.grad, ref.grad, x) + "." + why);
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        if (!attempt([] { torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);

        check_dynamic();
        check_clipped();
        check_ste();
    });
}
