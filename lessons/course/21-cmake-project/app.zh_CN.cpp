// 第 21 课：由你的 CMakeLists.txt 构建的程序。
//
// 它对一个有一百万个元素的张量，统计落在 -0.25 和 0.5 之间的元素个数，统计两次：一次用张量运算，
// 这些运算在 LibTorch 内部执行（LibTorch 早在你安装它之前就已开启优化编译好了）；另一次用你在
// 这里写的普通 C++ 循环。你的循环由你的构建来编译，所以它的速度取决于构建类型：分别按 Debug 和
// Release 构建，比较 "loop:" 这一行。
#include <torch/types.h>   // 张量及其运算；<torch/torch.h> 还会加上 nn、optim、data
#include <torch/version.h> // TORCH_VERSION

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>

// 一维 float 张量 x 中满足 -0.25 < x[i] < 0.5 的元素 x[i] 的个数，用普通 C++ 循环遍历
// x.accessor<float, 1>() 来统计（不用张量运算）。
int64_t count_between_loop(const torch::Tensor &x)
{
    // TODO：取 const auto values = x.accessor<float, 1>();，对从 0 到 values.size(0) - 1 的每个 i，
    // 当 values[i] 落在 -0.25f 和 0.5f 之间时，把计数加一。然后返回这个计数。
    (void)x;
    return 0;
}

int main()
{
    const torch::Tensor x = torch::linspace(-1.0, 1.0, 1'000'000); // float

    // 取多轮中最快的一轮：其余几轮会被同时运行的其他程序拖慢。
    constexpr int passes = 20;
    int64_t loop = 0;
    double fastest_ms = 1e9;
    for (int pass = 0; pass < passes; ++pass) {
        const auto start = std::chrono::steady_clock::now();
        loop = count_between_loop(x);
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        fastest_ms = std::min(fastest_ms, took.count());
    }
    const int64_t tensor = ((x > -0.25) & (x < 0.5)).sum().item<int64_t>();

    std::cout << "LibTorch " << TORCH_VERSION << ", C++ " << __cplusplus << '\n';
#if defined(__OPTIMIZE__)
    std::cout << "build: optimized";
#else
    std::cout << "build: not optimized";
#endif
#if defined(NDEBUG)
    std::cout << ", NDEBUG defined\n";
#else
    std::cout << ", NDEBUG not defined\n";
#endif
    std::cout << "count (loop): " << loop << '\n'
              << "count (tensor): " << tensor << '\n'
              << std::setprecision(3) << "loop: " << fastest_ms << " ms (the fastest of " << passes
              << " passes)\n";
    return 0;
}
