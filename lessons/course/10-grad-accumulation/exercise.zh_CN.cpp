// 第二天，第 10 课：梯度累积。
// 把一个大 batch 切成小块分别运行，得到它的梯度，这样它就能放进显存。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iomanip>
#include <iostream>
#include <vector>

torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// 在每个参数的 .grad() 中留下整个 batch (x, y) 上平均交叉熵的梯度：从零梯度开始，
// 分 `micro_batches` 块（x.chunk(micro_batches)）计算。
// 返回整个 batch 的平均损失。
double accumulate_gradients(torch::nn::Sequential &model, const torch::Tensor &x,
                            const torch::Tensor &y, int64_t micro_batches)
{
    model->zero_grad();
    const auto xs = x.chunk(micro_batches), ys = y.chunk(micro_batches);
    double total = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        // TODO: 计算第 i 个 micro-batch 的交叉熵，并按它在整个 batch 中的占比缩放
        //       （xs[i].size(0) / x.size(0)，各块等大时即为 1/K）；对它调用 backward()，
        //       并把缩放后的损失加到 total 上。
        (void)ys;
    }
    return total;
}

// 用累积的梯度在整个 batch 上做一次优化器更新。返回该 batch 的平均
// 损失。
double accumulated_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                        const torch::Tensor &x, const torch::Tensor &y, int64_t micro_batches)
{
    // TODO: 累积整个 batch 的梯度，然后让优化器更新一步（`optimizer.step()`）；
    // 返回损失。
    (void)model, (void)optimizer, (void)x, (void)y, (void)micro_batches;
    return 0.0;
}

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        // 一个可学习的合成任务：标签来自一个固定的随机“教师”（teacher）层。
        const auto teacher = torch::randn({784, 10}, device);
        const auto x = torch::randn({2048, 784}, device);
        const auto y = x.matmul(teacher).argmax(1);

        auto model = make_model();
        model->to(device);

        // 1. 同样的梯度：一次算完，以及分 8 块算。
        const auto batch_x = x.slice(0, 0, 256), batch_y = y.slice(0, 0, 256);
        model->zero_grad();
        torch::nn::functional::cross_entropy(model->forward(batch_x), batch_y).backward();
        std::vector<torch::Tensor> full;
        for (const auto &p : model->parameters())
            full.push_back(p.grad().defined() ? p.grad().clone() : torch::Tensor());
        accumulate_gradients(model, batch_x, batch_y, 8);
        double worst = 0;
        const auto params = model->parameters();
        for (size_t i = 0; i < params.size(); ++i) {
            if (!full[i].defined() || !params[i].grad().defined()) {
                std::cout << "no gradient for parameter " << i << " yet: fill in the TODOs\n";
                return;
            }
            worst = std::max(worst, (params[i].grad() - full[i]).abs().max().item<double>());
        }
        std::cout << "largest difference between 1 x 256 and 8 x 32 gradients: " << std::scientific
                  << worst << "\n";

        // 2. 以 32 个样本的 micro-batch 训练，等效 batch 大小为 256。
        torch::optim::SGD optimizer(model->parameters(),
                                    torch::optim::SGDOptions(0.05).momentum(0.9));
        const int64_t steps = lab::quick() ? 30 : 100;
        for (int64_t step = 0; step < steps; ++step) {
            const int64_t start = (step * 256) % 2048;
            const double loss = accumulated_step(model, optimizer, x.slice(0, start, start + 256),
                                                 y.slice(0, start, start + 256), 8);
            lab::loss(step, loss);
            lab::memory(step);
        }
        std::cout << "trained " << steps << " steps of 8 micro-batches\n";
    });
}
