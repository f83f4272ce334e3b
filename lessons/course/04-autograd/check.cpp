// Hidden checks for lesson 4. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

using Fn = std::function<torch::Tensor(const torch::Tensor &)>;
torch::Tensor grad_of(const Fn &f, const torch::Tensor &x);
void sgd_step(torch::Tensor &w, double lr);
int torchlab_learner_main();

namespace {

using lab::checks::attempt;
using lab::checks::num;
using lab::checks::sentence;
using lab::checks::text;
using lab::checks::values;

// Central finite differences of f at x, in double precision, without autograd.
torch::Tensor finite_differences(const Fn &f, const torch::Tensor &x, double h = 1e-6)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor base = x.detach().to(torch::kDouble).contiguous().clone();
    torch::Tensor grad = torch::zeros_like(base);
    torch::Tensor flatBase = base.view({-1});
    torch::Tensor flatGrad = grad.view({-1});
    for (int64_t i = 0; i < base.numel(); ++i) {
        const double keep = flatBase[i].item<double>();
        flatBase[i] = keep + h;
        const double up = f(base).item<double>();
        flatBase[i] = keep - h;
        const double down = f(base).item<double>();
        flatBase[i] = keep;
        flatGrad[i] = (up - down) / (2 * h);
    }
    return grad;
}

struct Case
{
    std::string name;
    Fn f;
    torch::Tensor x;
};

std::vector<Case> cases()
{
    torch::manual_seed(4);
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    const torch::Tensor A = torch::randn({3, 4}, opts), B = torch::randn({2, 4}, opts);
    return {
        {"sum(x^3)", [](const torch::Tensor &x) { return x.pow(3).sum(); },
         torch::randn({5}, opts)},
        {"sum(sin(x) * exp(x))", [](const torch::Tensor &x) { return (x.sin() * x.exp()).sum(); },
         torch::randn({2, 3}, opts)},
        {"sum(tanh(x A) * B)",
         [A, B](const torch::Tensor &x) { return (torch::tanh(x.matmul(A)) * B).sum(); },
         torch::randn({2, 3}, opts)},
        {"log(1 + sum(x^2)) * x[0]",
         [](const torch::Tensor &x) { return torch::log1p(x.pow(2).sum()) * x[0]; },
         torch::randn({4}, opts)},
    };
}

void check_finite_differences()
{
    for (const Case &c : cases()) {
        torch::Tensor got;
        std::string error;
        if (!attempt([&] { got = grad_of(c.f, c.x); }, error)) {
            lab::check("matches_finite_differences", false,
                       "grad_of(" + c.name + ") threw: " + sentence(error) +
                           (error.find("does not require grad") != std::string::npos
                                ? " Call requires_grad_(true) on the tensor you pass to f."
                            : error.find("scalar type") != std::string::npos
                                ? " Keep x's dtype: differentiate a copy of x, not a conversion."
                                : ""));
            return;
        }
        if (!got.defined()) {
            lab::check("matches_finite_differences", false,
                       "grad_of(" + c.name +
                           ") returned an undefined tensor: .grad() is "
                           "undefined until backward() has run on something that used the tensor.");
            return;
        }
        if (got.sizes() != c.x.sizes()) {
            lab::check("matches_finite_differences", false,
                       "grad_of(" + c.name + ") has shape " + text(got.sizes()) + "; x has " +
                           text(c.x.sizes()) + ". A gradient has the shape of its input.");
            return;
        }
        const torch::Tensor want = finite_differences(c.f, c.x);
        const torch::Tensor g = got.detach().to(torch::kDouble);
        if (!torch::allclose(g, want, 1e-5, 1e-7)) {
            const int64_t worst = (g - want).abs().reshape({-1}).argmax().item<int64_t>();
            std::string why = "";
            if (got.scalar_type() != torch::kDouble)
                why = " It is " + text(got.scalar_type()) + " while x is Double: keep x's dtype.";
            else if (torch::allclose(g, 2 * want, 1e-5, 1e-7))
                why = " It is exactly twice the right value: .grad accumulated over two backward "
                      "passes.";
            lab::check("matches_finite_differences", false,
                       "grad_of(" + c.name + ") at element " + std::to_string(worst) + " is " +
                           num(g.reshape({-1})[worst].item<double>(), 6) +
                           ", but central finite differences give " +
                           num(want.reshape({-1})[worst].item<double>(), 6) + "." + why);
            return;
        }
    }
    lab::check("matches_finite_differences", true,
               "grad_of() agrees with central finite differences on 4 functions.");
}

void check_repeatable_and_input()
{
    const Fn f = [](const torch::Tensor &x) { return (x * x).sum(); };
    // A plain tensor: afterwards it must still be plain.
    const torch::Tensor x = torch::tensor({1.0, -2.0, 0.5}, torch::kDouble);
    torch::Tensor g1, g2;
    std::string error;
    if (!attempt([&] { g1 = grad_of(f, x); }, error) || !g1.defined()) {
        const std::string why = error.empty() ? "returned an undefined tensor" : "threw: " + error;
        lab::check("repeatable", false, "grad_of(sum(x^2)) " + why + ".");
        lab::check("input_untouched", false, "grad_of(sum(x^2)) " + why + ".");
        return;
    }
    const torch::Tensor first = g1.detach().to(torch::kDouble).clone();
    // The same wrong answer twice is not repeatable in any useful sense.
    if (first.sizes() != x.sizes() || !torch::allclose(first, 2 * x)) {
        lab::check("repeatable", false,
                   "grad_of(sum(x^2)) at x = " + values(x) + " returned " + values(first) +
                       "; it must be 2x = " + values(2 * x) +
                       " before it can be compared across calls.");
    } else {
        attempt([&] { g2 = grad_of(f, x); }, error);
        const bool same = g2.defined() && g2.sizes() == first.sizes() &&
                          torch::allclose(g2.detach().to(torch::kDouble), first) &&
                          torch::allclose(g1.detach().to(torch::kDouble), first);
        lab::check("repeatable", same,
                   same ? "Calling grad_of() twice on the same x gives the same gradient."
                        : "The second grad_of(sum(x^2)) call on the same x gave " + values(g2) +
                              " after " + values(first) +
                              ": .grad accumulates across backward() calls. Differentiate a fresh "
                              "copy (x.detach().clone().requires_grad_(true)) each time.");
    }

    bool untouched = !x.requires_grad() && !x.grad().defined();
    std::string msg = untouched ? ""
                                : "After grad_of(f, x), x requires grad or has a .grad: work "
                                  "on a copy, not on the caller's tensor.";
    // A parameter with a gradient already: grad_of must neither use nor change it.
    if (untouched) {
        torch::Tensor p = torch::tensor({3.0, 4.0}, torch::requires_grad().dtype(torch::kDouble));
        (p * 10).sum().backward(); // p.grad() = [10, 10]
        torch::Tensor gp;
        if (!attempt([&] { gp = grad_of(f, p); }, error)) {
            untouched = false;
            msg = "grad_of(f, p) for a p that requires grad threw: " + sentence(error);
        } else if (!gp.defined()) {
            untouched = false;
            msg = "grad_of(f, p) for a p that requires grad returned an undefined tensor. A clone "
                  "of such a p is not a leaf, so its .grad stays empty: use p.detach().clone().";
        } else if (gp.sizes() != p.sizes() ||
                   !torch::allclose(gp.detach().to(torch::kDouble), 2 * p.detach())) {
            untouched = false;
            msg = "For a p that already has p.grad() = [10, 10], grad_of(sum(p^2)) returned " +
                  values(gp) + " instead of [6, 8]" +
                  (gp.sizes() == p.sizes() &&
                           torch::allclose(gp.detach().to(torch::kDouble), 2 * p.detach() + 10)
                       ? ": the old gradient was added in. Start from p.detach().clone() so that "
                         "old gradients and history stay out."
                       : ".");
        } else if (!p.grad().defined() ||
                   !torch::allclose(p.grad(), torch::full({2}, 10.0, torch::kDouble))) {
            untouched = false;
            msg = "grad_of(f, p) changed p.grad(); it must leave the caller's gradients alone.";
        }
    }
    lab::check("input_untouched", untouched,
               untouched ? "grad_of() leaves x, its flags and its gradient as they were." : msg);
}

void check_sgd_step()
{
    torch::Tensor w = torch::tensor({1.0f, -2.0f, 0.5f}, torch::requires_grad());
    const void *memory = w.data_ptr();
    (w * w).sum().backward(); // grad = 2w
    std::string error;
    if (!attempt([&] { sgd_step(w, 0.1); }, error)) {
        const bool leafError = error.find("leaf Variable") != std::string::npos;
        const std::string msg =
            "sgd_step() threw: " + sentence(error) +
            (leafError ? " Do the update inside a torch::NoGradGuard scope." : "");
        lab::check("sgd_values", false, msg);
        lab::check("sgd_leaf", false, msg);
        lab::check("sgd_zero_grad", false, msg);
        return;
    }
    const torch::Tensor want = torch::tensor({0.8f, -1.6f, 0.4f});
    const bool moved =
        w.defined() && w.sizes() == want.sizes() && torch::allclose(w.detach(), want);
    lab::check("sgd_values", moved,
               moved ? "sgd_step() moves w by -lr * grad."
                     : "With w = [1, -2, 0.5], grad = 2w and lr = 0.1, w should become "
                       "[0.8, -1.6, 0.4]; it is " +
                           values(w) + ".");

    std::string leafMsg;
    if (w.defined() && w.sizes() == want.sizes() &&
        torch::equal(w.detach(), torch::tensor({1.0f, -2.0f, 0.5f})))
        leafMsg = "sgd_step() left w unchanged, so how it updates w cannot be judged yet: "
                  "subtract lr * grad from w in place, under torch::NoGradGuard.";
    else if (!w.defined() || !w.requires_grad())
        leafMsg = "After sgd_step(), w no longer requires grad: update it in place (w.sub_(...)) "
                  "instead of assigning a new tensor to it.";
    else if (!w.is_leaf())
        leafMsg = "After sgd_step(), w is not a leaf any more (it has a grad_fn): the update was "
                  "recorded by autograd. Do it in place under torch::NoGradGuard.";
    else if (w.data_ptr() != memory)
        leafMsg = "After sgd_step(), w lives in new memory; update it in place with sub_().";
    lab::check("sgd_leaf", leafMsg.empty(),
               leafMsg.empty() ? "w stays the same leaf tensor that requires grad." : leafMsg);

    const torch::Tensor grad = w.defined() ? w.grad() : torch::Tensor();
    const bool zeroed = !grad.defined() || grad.abs().sum().item<double>() == 0;
    const std::string gradText = values(grad);
    lab::check("sgd_zero_grad", zeroed,
               zeroed ? "sgd_step() clears the gradient for the next step."
                      : "After sgd_step(), w.grad() is " + gradText +
                            ": zero it (w.grad().zero_()), or the next backward() adds to it.");
}

} // namespace

int main()
{
    return lab::run([] {
        std::string error;
        if (!attempt([] { torchlab_learner_main(); }, error))
            lab::note("Your main() threw: " + error);

        check_finite_differences();
        check_repeatable_and_input();
        check_sgd_step();
    });
}
