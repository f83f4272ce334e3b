// Lesson 5: Dynamic graphs and custom autograd functions
//
// Three TODOs: a loop whose length depends on the data, a clipped ReLU with its
// own backward, and a rounding function whose gradient passes straight through.
// main() prints their values and gradients and trains through the rounding.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <sstream>
#include <string>

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Doubles x until its norm reaches at least limit (at most 64 times) and
// returns the result. How many doublings happen depends on the data, so the
// graph autograd records does too.
torch::Tensor grow_until(const torch::Tensor &x, double limit)
{
    // TODO: y = x; while y.norm() is below limit (and at most 64 times),
    //       y = y * 2. Return y.
    (void)limit;
    return x;
}

// min(max(x, 0), cap) with its own backward: the gradient passes where
// 0 < x < cap and is zero elsewhere.
struct ClippedReLU : public torch::autograd::Function<ClippedReLU>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &x, double cap)
    {
        // TODO: save x for backward (ctx->save_for_backward) and cap
        //       (ctx->saved_data["cap"] = cap).
        (void)ctx;
        return x.clamp(0, cap);
    }

    static variable_list backward(AutogradContext *ctx, variable_list grad_outputs)
    {
        // TODO: read x back (ctx->get_saved_variables()[0]) and cap
        //       (ctx->saved_data["cap"].toDouble()), and let the gradient
        //       through only where 0 < x < cap. Return one entry per forward
        //       input: {gradient for x, torch::Tensor() for cap}.
        (void)ctx;
        return {grad_outputs[0], torch::Tensor()};
    }
};

torch::Tensor clipped_relu(const torch::Tensor &x, double cap)
{
    return ClippedReLU::apply(x, cap);
}

// round(x) forward; backward passes the incoming gradient through unchanged,
// as if the function were the identity (a "straight-through estimator").
struct RoundSTE : public torch::autograd::Function<RoundSTE>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &x)
    {
        (void)ctx;
        // TODO: round x.
        return x.clone();
    }

    static variable_list backward(AutogradContext *ctx, variable_list grad_outputs)
    {
        (void)ctx;
        // TODO: pass the incoming gradient straight through.
        return {torch::zeros_like(grad_outputs[0])};
    }
};

torch::Tensor round_ste(const torch::Tensor &x)
{
    return RoundSTE::apply(x);
}

namespace {

// "[1, -2, 3]" for a small tensor.
std::string row(const torch::Tensor &t)
{
    if (!t.defined())
        return "undefined";
    std::ostringstream out;
    const torch::Tensor flat = t.detach().to(torch::kCPU).to(torch::kDouble).reshape({-1});
    out << "[";
    for (int64_t i = 0; i < flat.numel(); ++i)
        out << (i ? ", " : "") << flat[i].item<double>();
    out << "]";
    return out.str();
}

// The gradient of sum(fn(x)) at x.
template <class Fn> torch::Tensor grad_at(Fn fn, const torch::Tensor &x)
{
    const torch::Tensor leaf = x.detach().clone().requires_grad_(true);
    const torch::Tensor y = fn(leaf);
    if (!y.defined() || !y.requires_grad())
        return torch::Tensor();
    y.sum().backward();
    return leaf.grad();
}

} // namespace

int main()
{
    // 1. A dynamic graph: a different number of multiplications per input.
    for (const double scale : {0.1, 1.0, 10.0}) {
        const torch::Tensor x = torch::tensor({0.6, 0.8}) * scale; // norm = scale
        const torch::Tensor g =
            grad_at([](const torch::Tensor &t) { return grow_until(t, 5.0); }, x);
        std::cout << "grow_until(x with norm " << scale << ", 5): gradient " << row(g) << "\n";
    }

    // 2. The clipped ReLU and its gradient.
    const torch::Tensor x = torch::linspace(-1, 2, 7);
    std::cout << "x                   = " << row(x) << "\n"
              << "clipped_relu(x, 1)  = " << row(clipped_relu(x, 1.0)) << "\n"
              << "its gradient        = "
              << row(grad_at([](const torch::Tensor &t) { return clipped_relu(t, 1.0); }, x))
              << "\n";

    // 3. round has no useful gradient; the straight-through estimator does.
    std::cout << "round's gradient    = "
              << row(grad_at([](const torch::Tensor &t) { return torch::round(t); }, x)) << "\n"
              << "round_ste gradient  = " << row(grad_at(round_ste, x)) << "\n";

    // 4. Learning through rounding: find w so that round(w * in) matches round(2.5 * in).
    const torch::Device device = lab::device();
    const torch::Tensor in = torch::linspace(0, 4, 16).to(device);
    const torch::Tensor target = torch::round(2.5 * in);
    torch::Tensor w =
        torch::full({1}, 0.5, torch::TensorOptions().device(device).requires_grad(true));
    const int steps = lab::quick() ? 60 : 120;
    for (int step = 1; step <= steps; ++step) {
        const torch::Tensor out = round_ste(w * in);
        const torch::Tensor loss = (out - target).pow(2).mean();
        if (!loss.requires_grad()) {
            std::cout << "round_ste() is not connected to autograd yet; nothing to train.\n";
            break;
        }
        loss.backward();
        {
            torch::NoGradGuard noGrad;
            w.sub_(0.01 * w.grad());
            w.grad().zero_();
        }
        lab::loss(step, loss.item<double>());
        if (step % 20 == 0)
            std::cout << "step " << step << "  loss " << loss.item<double>() << "  w "
                      << w.item<double>() << "\n";
    }
    return 0;
}
