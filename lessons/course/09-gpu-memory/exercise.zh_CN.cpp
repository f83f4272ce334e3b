// 第二天，第 9 课：GPU 显存都去哪儿了。
// 估算一个训练步需要多少显存，选出放得下的最大 batch，并在不建计算图的情况下
// 做评估。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <vector>

// 一次前向传播为反向传播保留的激活值所占的字节数：`widths` 列出每个被保留张量的特征数
// （每个张量都是 [batch, width]）；每个值占 `dtype` 的元素大小
// （kFloat 为 4）。
int64_t activation_bytes(int64_t batch, const std::vector<int64_t> &widths, torch::ScalarType dtype)
{
    // TODO: 把各个宽度加起来，再乘以 batch 大小和 dtype 每个元素的字节数
    //       （c10::elementSize(dtype)）。全程使用 int64_t：实际的预算会超过 2^31 字节。
    (void)batch, (void)widths, (void)dtype;
    return 0;
}

// 整个训练期间一直处于已分配状态的字节数，与 batch 大小无关：参数、它们的梯度，
// 以及对 Adam 来说每个参数的两个滑动平均（exp_avg 和 exp_avg_sq）。
int64_t training_state_bytes(int64_t parameters, torch::ScalarType dtype, bool adam)
{
    // TODO: 每个参数在内存中要存几份？权重、梯度，用 Adam 时
    //       还要再加两份。
    (void)parameters, (void)dtype, (void)adam;
    return 0;
}

// 使 fixed_bytes + activation_bytes(batch, ...) 不超过 budget_bytes 的最大 batch；
// 连一个样本都放不下时返回 0。
int64_t largest_batch(int64_t budget_bytes, int64_t fixed_bytes, const std::vector<int64_t> &widths,
                      torch::ScalarType dtype)
{
    // TODO: 一个样本需要 activation_bytes(1, widths, dtype) 字节；预算减去固定字节后
    //       剩下的部分除以它，向下取整。
    //       绝不能返回负的 batch。
    (void)budget_bytes, (void)fixed_bytes, (void)widths, (void)dtype;
    return 0;
}

// 模型对 x 的输出，计算时不记录自动求导的计算图。
torch::Tensor evaluate(torch::nn::Sequential &model, const torch::Tensor &x)
{
    // TODO: 用一个 torch::NoGradGuard 关闭这次前向传播的计算图记录。
    return model->forward(x);
}

// 当前设备上存活的 CUDA 张量所占的字节数，按 caching allocator 的统计；没有 GPU 时返回 -1
// （CPU 的分配器不做这种统计）。
int64_t cuda_allocated_bytes()
{
#ifdef TORCHLAB_WITH_CUDA
    if (torch::cuda::is_available()) // 统计数组的第 0 项：所有内存池的总和
        return c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device())
            .allocated_bytes[0]
            .current;
#endif
    return -1;
}

int main()
{
    return lab::run([] {
        // 784-128-10 网络的前向传播留下：输入（fc1 的 addmm 为求权重梯度而保存它）、ReLU 的结果
        // （ReLU 和 fc2 的 addmm 都保存它，是同一个张量）以及 logits（你持有的输出）。
        // fc1 的输出在 ReLU 运行后就被释放了。
        const std::vector<int64_t> kept = {784, 128, 10};
        const int64_t parameters = 101770;
        const int64_t fixed = training_state_bytes(parameters, torch::kFloat, /*adam=*/true);
        std::cout << "training state (weights, gradients, Adam): " << fixed << " bytes\n";
        for (const int64_t batch : {64, 1024, 65536})
            std::cout << "activations for a batch of " << batch << ": "
                      << activation_bytes(batch, kept, torch::kFloat) << " bytes\n";
        const int64_t budget = int64_t(1) << 30; // 1 GiB
        std::cout << "largest batch in 1 GiB: " << largest_batch(budget, fixed, kept, torch::kFloat)
                  << " (float), " << largest_batch(budget, fixed, kept, torch::kHalf)
                  << " (half)\n";

        // 实际测量同样的东西：在 GPU 上，TorchLab 的显存图表会显示这些步骤。
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        torch::nn::Sequential model(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                    torch::nn::ReLU(), torch::nn::Linear(128, 10));
        model->to(device);
        // 第一次矩阵乘法会创建 cuBLAS 的工作区：别让它混进下面的测量值。
        if (device.is_cuda())
            model->forward(torch::randn({1, 784}, device));
        int64_t step = 0;
        lab::memory(step++);
        // 在 GPU 上用更大的 batch，让曲线更醒目；用小 batch 让 CPU 上的运行时间保持简短。
        const std::vector<int64_t> batches = device.is_cuda()
                                                 ? std::vector<int64_t>{8192, 32768, 131072}
                                                 : std::vector<int64_t>{256, 1024, 4096};
        for (const int64_t batch : batches) {
            const int64_t before = cuda_allocated_bytes();
            const auto x = torch::randn({batch, 784}, device);
            {
                const auto y = model->forward(x); // 有计算图：激活值会一直存活，直到 y 被销毁
                lab::memory(step++);
                const int64_t estimate = activation_bytes(batch, kept, torch::kFloat);
                if (before >= 0)
                    std::cout << "batch " << batch << ": the caching allocator measured "
                              << cuda_allocated_bytes() - before
                              << " bytes, activation_bytes() says " << estimate << "\n";
                else
                    std::cout << "batch " << batch << ": activation_bytes() calculates " << estimate
                              << " bytes (no GPU: a calculation, not a measurement)\n";
                const auto z = evaluate(model, x); // 没有计算图
                lab::memory(step++);
                std::cout << "batch " << batch << ": output requires_grad " << y.requires_grad()
                          << " with a graph, " << (z.defined() ? z.requires_grad() : false)
                          << " in evaluate()\n";
            }
            lab::memory(step++);
        }
#ifdef TORCHLAB_WITH_CUDA
        if (device.is_cuda()) {
            // 已释放的块仍由 caching allocator 保留（reserved），直到你把它们交还回去。
            c10::cuda::CUDACachingAllocator::emptyCache();
            lab::memory(step++);
        }
#endif
        if (!device.is_cuda())
            lab::note(
                "No GPU here: the activation figures are calculated by activation_bytes(), "
                "not measured (the CPU allocator keeps no statistics), and the memory plot "
                "shows this process's resident memory instead of the CUDA allocator's curves.");
    });
}
