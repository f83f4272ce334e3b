// Lesson 4: Autograd (reference solution)
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <functional>
#include <iostream>
#include <sstream>
#include <string>

// The gradient of the scalar function f at x, with x's shape and dtype.
// x itself is not changed: no requires_grad flag, no .grad left behind, and
// calling grad_of twice gives the same answer twice.
torch::Tensor grad_of(const std::function<torch::Tensor(const torch::Tensor &)> &f,
                      const torch::Tensor &x)
{
    // A fresh leaf of our own: x's values, none of its history or gradient.
    const torch::Tensor leaf = x.detach().clone().requires_grad_(true);
    const torch::Tensor y = f(leaf);
    y.backward();
    return leaf.grad();
}

// One step of gradient descent on the leaf tensor w, whose gradient backward()
// has just filled: w <- w - lr * w.grad(), in place, then w's gradient is
// zeroed for the next step.
void sgd_step(torch::Tensor &w, double lr)
{
    torch::NoGradGuard noGrad; // the update itself must not be recorded
    w.sub_(lr * w.grad());
    w.grad().zero_();
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

} // namespace

int main()
{
    std::cout << std::boolalpha;

    // 1. Gradients accumulate until you clear them.
    torch::Tensor a = torch::tensor({1.0, 2.0, 3.0}, torch::requires_grad());
    (a * a).sum().backward();
    std::cout << "d/da sum(a^2) = " << row(a.grad()) << "\n";
    (a * a).sum().backward();
    std::cout << "after a second backward(): " << row(a.grad()) << "\n";
    a.grad().zero_();

    // 2. NoGradGuard and detach: values without history.
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor b = a * 2;
        std::cout << "under NoGradGuard, (a * 2).requires_grad() = " << b.requires_grad() << "\n";
    }
    std::cout << "a.detach().requires_grad() = " << a.detach().requires_grad() << "\n";

    // 3. Your grad_of against the gradient worked out by hand: 3x^2 - 2.
    const auto f = [](const torch::Tensor &x) { return (x.pow(3) - 2 * x).sum(); };
    const torch::Tensor x = torch::linspace(-1, 1, 5, torch::kDouble);
    const torch::Tensor g = grad_of(f, x);
    std::cout << "grad_of(sum(x^3 - 2x)) at x = " << row(x) << "\n  yours:   " << row(g)
              << "\n  by hand: " << row(3 * x * x - 2) << "\n";

    // 4. Gradient descent with your sgd_step: w moves towards target.
    const torch::Device device = lab::device();
    const torch::Tensor target = torch::tensor({1.0f, -2.0f, 3.0f}).to(device);
    torch::Tensor w = torch::zeros({3}, torch::TensorOptions().device(device).requires_grad(true));
    const int steps = lab::quick() ? 50 : 100;
    for (int step = 1; step <= steps; ++step) {
        const torch::Tensor loss = (w - target).pow(2).sum();
        loss.backward();
        sgd_step(w, 0.1);
        lab::loss(step, loss.item<double>());
        if (step % 10 == 0)
            std::cout << "step " << step << "  loss " << loss.item<double>() << "\n";
    }
    std::cout << "w = " << row(w) << " (target " << row(target) << ")\n";
    return 0;
}
