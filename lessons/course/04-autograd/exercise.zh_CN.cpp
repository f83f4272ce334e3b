// 第 4 课：自动求导
//
// main() 先演示梯度累加、NoGradGuard 和 detach，然后调用你写的两个函数：
// 用 grad_of() 求一个梯度，你可以拿它和手算的结果比较；用 sgd_step()
// 做一个小小的梯度下降，TorchLab 会画出它的损失曲线。
// “检查”会把 grad_of() 与有限差分的结果相比较。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <functional>
#include <iostream>
#include <sstream>
#include <string>

// 标量函数 f 在 x 处的梯度，形状和 dtype 与 x 相同。
// x 本身不被改变：不设置 requires_grad 标志，不留下 .grad，
// 连续调用 grad_of 两次会两次得到相同的结果。
torch::Tensor grad_of(const std::function<torch::Tensor(const torch::Tensor &)> &f,
                      const torch::Tensor &x)
{
    // TODO: 用 x 的值造一个要求梯度的新叶子张量，对它调用 f，
    //       再对结果执行 backward()，返回这个叶子的 grad。
    (void)f;
    return torch::zeros_like(x);
}

// 对叶子张量 w 做一步梯度下降，backward() 刚刚填好了它的梯度：
// 原地执行 w <- w - lr * w.grad()，然后把 w 的梯度清零，
// 为下一步做好准备。
void sgd_step(torch::Tensor &w, double lr)
{
    // TODO: 在 torch::NoGradGuard 之下，从 w 中原地减去 lr * w.grad()，
    //       然后把 w 的梯度清零。
    (void)w;
    (void)lr;
}

namespace {

// 把一个小张量写成 "[1, -2, 3]" 这样的字符串。
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

    // 1. 梯度会一直累加，直到你清除它们。
    torch::Tensor a = torch::tensor({1.0, 2.0, 3.0}, torch::requires_grad());
    (a * a).sum().backward();
    std::cout << "d/da sum(a^2) = " << row(a.grad()) << "\n";
    (a * a).sum().backward();
    std::cout << "after a second backward(): " << row(a.grad()) << "\n";
    a.grad().zero_();

    // 2. NoGradGuard 和 detach：没有历史的值。
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor b = a * 2;
        std::cout << "under NoGradGuard, (a * 2).requires_grad() = " << b.requires_grad() << "\n";
    }
    std::cout << "a.detach().requires_grad() = " << a.detach().requires_grad() << "\n";

    // 3. 把你的 grad_of 与手算的梯度 3x^2 - 2 相比较。
    const auto f = [](const torch::Tensor &x) { return (x.pow(3) - 2 * x).sum(); };
    const torch::Tensor x = torch::linspace(-1, 1, 5, torch::kDouble);
    const torch::Tensor g = grad_of(f, x);
    std::cout << "grad_of(sum(x^3 - 2x)) at x = " << row(x) << "\n  yours:   " << row(g)
              << "\n  by hand: " << row(3 * x * x - 2) << "\n";

    // 4. 用你的 sgd_step 做梯度下降：w 逐步移向 target。
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
