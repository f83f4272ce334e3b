// 第 5 课：动态图与自定义自动求导函数
//
// 三个 TODO：一个循环次数取决于数据的循环，一个自带 `backward` 的 clipped ReLU，
// 以及一个让梯度直接穿过的取整函数。
// main() 会打印它们的值和梯度，并穿过取整运算训练一个权重。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <sstream>
#include <string>

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// 不断把 x 翻倍，直到它的范数不小于 limit（最多 64 次），然后返回结果。
// 翻倍多少次取决于数据，因此自动求导记录下的计算图
// 也取决于数据。
torch::Tensor grow_until(const torch::Tensor &x, double limit)
{
    // TODO: y = x；只要 y.norm() 小于 limit（且最多 64 次），
    //       就执行 y = y * 2。返回 y。
    (void)limit;
    return x;
}

// 带有自己的 `backward` 的 min(max(x, 0), cap)：梯度在 0 < x < cap 处
// 通过，其余处为零。
struct ClippedReLU : public torch::autograd::Function<ClippedReLU>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &x, double cap)
    {
        // TODO: 为 `backward` 保存 x（ctx->save_for_backward）和 cap
        //       （ctx->saved_data["cap"] = cap）。
        (void)ctx;
        return x.clamp(0, cap);
    }

    static variable_list backward(AutogradContext *ctx, variable_list grad_outputs)
    {
        // TODO: 取回 x（ctx->get_saved_variables()[0]）和 cap
        //       （ctx->saved_data["cap"].toDouble()），只在 0 < x < cap 处
        //       让梯度通过。forward 的每个输入对应返回一项：
        //       {x 的梯度, cap 对应的 torch::Tensor()}。
        (void)ctx;
        return {grad_outputs[0], torch::Tensor()};
    }
};

torch::Tensor clipped_relu(const torch::Tensor &x, double cap)
{
    return ClippedReLU::apply(x, cap);
}

// 前向计算 round(x)；反向计算把传入的梯度原样传回去，
// 就好像这个函数是恒等映射一样（即“直通估计器”，STE）。
struct RoundSTE : public torch::autograd::Function<RoundSTE>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &x)
    {
        (void)ctx;
        // TODO: 对 x 取整。
        return x.clone();
    }

    static variable_list backward(AutogradContext *ctx, variable_list grad_outputs)
    {
        (void)ctx;
        // TODO: 把传入的梯度直接传过去。
        return {torch::zeros_like(grad_outputs[0])};
    }
};

torch::Tensor round_ste(const torch::Tensor &x)
{
    return RoundSTE::apply(x);
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

// sum(fn(x)) 在 x 处的梯度。
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
    // 1. 动态图：每个输入对应的乘法次数各不相同。
    for (const double scale : {0.1, 1.0, 10.0}) {
        const torch::Tensor x = torch::tensor({0.6, 0.8}) * scale; // 范数 = scale
        const torch::Tensor g =
            grad_at([](const torch::Tensor &t) { return grow_until(t, 5.0); }, x);
        std::cout << "grow_until(x with norm " << scale << ", 5): gradient " << row(g) << "\n";
    }

    // 2. clipped ReLU 及其梯度。
    const torch::Tensor x = torch::linspace(-1, 2, 7);
    std::cout << "x                   = " << row(x) << "\n"
              << "clipped_relu(x, 1)  = " << row(clipped_relu(x, 1.0)) << "\n"
              << "its gradient        = "
              << row(grad_at([](const torch::Tensor &t) { return clipped_relu(t, 1.0); }, x))
              << "\n";

    // 3. round 没有有用的梯度；直通估计器有。
    std::cout << "round's gradient    = "
              << row(grad_at([](const torch::Tensor &t) { return torch::round(t); }, x)) << "\n"
              << "round_ste gradient  = " << row(grad_at(round_ste, x)) << "\n";

    // 4. 穿过取整学习：找到 w，使 round(w * in) 与 round(2.5 * in) 一致。
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
