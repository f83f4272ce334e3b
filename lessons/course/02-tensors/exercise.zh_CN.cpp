// 第 2 课：张量
//
// 五个小函数，每个对应本课的一个要点：dtype、索引、
// 广播、视图和原地操作。运行程序，看看它们返回什么；
// “检查”会用多种输入来测试它们。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <string>

using torch::indexing::None;
using torch::indexing::Slice;

// n 个类别标签，每个都在 [0, num_classes) 内，位于给定的设备上，可以直接交给
// torch::nn::functional::cross_entropy：dtype 为 Long，形状为 [n]。
torch::Tensor make_targets(int64_t n, int64_t num_classes, torch::Device device)
{
    // TODO: 这一行能编译也能运行，“检查”却在它上面失败。打印结果的
    //       scalar type，读一读“randint 的 dtype 陷阱”一节，然后修好它。
    return torch::randint(0, num_classes, {n}, device);
}

// 一个 n x n 的 Float 张量，行号 + 列号为奇数处为 1，其余为 0：
//   0 1 0
//   1 0 1
//   0 1 0
torch::Tensor checkerboard(int64_t n)
{
    torch::Tensor board = torch::zeros({n, n});
    // TODO: 用两次 index_put_ 调用把奇数格置为 1，行和列都用
    //       Slice(start, None, 2) 来选取。
    return board;
}

// 返回 x（一个二维 Float 张量）每一行减去该行均值的结果。
// x 本身保持不变。
torch::Tensor center_rows(const torch::Tensor &x)
{
    // TODO: 减去每一行的均值。注意均值的形状：它必须沿着行广播，
    //       而不是沿着列。
    return x.clone();
}

// 把二维张量 m 的元素按列读出，得到一个一维张量：
// [[1, 2, 3], [4, 5, 6]] 得到 [1, 4, 2, 5, 3, 6]。
torch::Tensor flatten_columns(const torch::Tensor &m)
{
    // TODO: 先转置，再展平。view() 和 reshape() 哪一个在这里能用？
    (void)m;
    return torch::Tensor();
}

// 原地把 t 中的每个负元素置为 0：调用者的张量会随之改变。
// 不返回任何东西。
void zero_negatives_(torch::Tensor t)
{
    // TODO: 一次原地操作调用即可（它的名字以下划线结尾）。
    (void)t;
}

namespace {

void show(const std::string &label, const torch::Tensor &t)
{
    std::cout << "-- " << label;
    if (!t.defined()) {
        std::cout << ": undefined (not written yet?)\n";
        return;
    }
    std::cout << "  " << t.scalar_type() << " " << t.sizes() << "\n";
    if (t.dim() == 1) // 打成一行比 LibTorch 默认的竖排一列更好读
        std::cout << t.unsqueeze(0) << "\n";
    else
        std::cout << t << "\n";
}

} // namespace

int main()
{
    torch::manual_seed(0);
    const torch::Device device = lab::device();

    // 小小的演示：视图与它所来自的张量共享内存。
    torch::Tensor a = torch::arange(6);
    torch::Tensor grid = a.view({2, 3});
    grid[0][0] = 100;
    show("a after grid[0][0] = 100", a);
    std::cout << "grid.t() is contiguous? " << std::boolalpha << grid.t().is_contiguous() << "\n";

    const torch::Tensor targets = make_targets(8, 4, device);
    show("make_targets(8, 4)", targets);
    if (targets.defined()) {
        const torch::Tensor logits = torch::randn({8, 4}, device);
        try {
            const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, targets);
            std::cout << "cross_entropy on those targets: " << loss.item<double>() << "\n";
        } catch (const c10::Error &e) {
            std::cout << "cross_entropy failed: " << e.what_without_backtrace() << "\n";
        }
    }

    show("checkerboard(5)", checkerboard(5));

    const torch::Tensor x = torch::tensor({{1.0f, 2.0f, 3.0f}, {10.0f, 20.0f, 60.0f}});
    show("center_rows(x)", center_rows(x));
    show("flatten_columns(x)", flatten_columns(x));

    torch::Tensor y = torch::tensor({-2.0f, 3.0f, -0.5f, 4.0f});
    zero_negatives_(y);
    show("y after zero_negatives_(y)", y);
    return 0;
}
