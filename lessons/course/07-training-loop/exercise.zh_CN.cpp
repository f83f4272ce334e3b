// 第二天，第 7 课：训练循环。
// 在 Fashion-MNIST 上训练 784-128-10 网络，并在图表里看着损失一路下降。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

// 第 6 课的网络，写成 Sequential 的形式，这样检查也能构建它。
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// 在一个 batch 上做一步优化。返回这个 batch 的损失（更新之前的值）。
double train_step(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                  const torch::Tensor &images, const torch::Tensor &labels)
{
    // TODO: 每个训练步都有的五行代码：
    //   1. 清除上一步的梯度（optimizer.zero_grad()）
    //   2. 前向传播：logits = model->forward(images)
    //   3. loss = torch::nn::functional::cross_entropy(logits, labels)
    //   4. loss.backward()
    //   5. optimizer.step()
    // 然后以 double 形式返回损失（loss.item<double>()）。
    (void)model, (void)optimizer, (void)images, (void)labels;
    return 0.0;
}

// 训练 `steps` 个 mini-batch，每批 `batch_size` 个样本，按随机顺序抽取
// （每遍历完一遍数据就换一个新的顺序）。每一步的损失都用 lab::loss(step, value)
// 报告，最后把它们全部返回。
std::vector<double> train(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer,
                          const torch::Tensor &images, const torch::Tensor &labels, int64_t steps,
                          int64_t batch_size)
{
    model->train();
    std::vector<double> losses;
    const int64_t n = images.size(0);
    torch::Tensor order =
        torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(images.device()));
    int64_t position = 0;
    // TODO: 对 step = 0 .. steps-1：
    //   - 当 position + batch_size > n 时，生成一个新的顺序（torch::randperm），
    //     并从 position 0 重新开始
    //   - index = order.slice(0, position, position + batch_size)；然后推进 position
    //   - 对 images.index_select(0, index) 和 labels.index_select(0, index) 运行 train_step
    //   - 用 lab::loss(step, loss) 报告损失，并把它 push_back 进 `losses`
    (void)model, (void)optimizer, (void)labels, (void)steps, (void)batch_size, (void)position;
    return losses;
}

// 得分最高的类别正是其标签的图像所占的比例（0..1）。
double accuracy(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels)
{
    torch::NoGradGuard no_grad; // 评估时不记录计算图：省内存，也省时间
    model->eval();
    // TODO: 预测的类别 = 最大 logit 的下标（在第 1 维上做 argmax）；
    //       用 eq 与标签比较，把布尔值转换成浮点数，
    //       再取平均值。
    (void)images, (void)labels;
    model->train();
    return 0.0;
}

int main()
{
    return lab::run([]() -> int {
        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte")) {
            std::cout << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        const torch::Device device = lab::device();
        auto train_set =
            torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTrain);
        auto test_set =
            torch::data::datasets::MNIST(root, torch::data::datasets::MNIST::Mode::kTest);
        // 快速模式只在一个子集上训练，步数也更少。
        const int64_t n = lab::quick() ? 10000 : 60000;
        const torch::Tensor images = train_set.images().slice(0, 0, n).to(device);
        const torch::Tensor labels = train_set.targets().slice(0, 0, n).to(device);

        torch::manual_seed(0);
        torch::nn::Sequential model = make_model();
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

        const int64_t steps = lab::quick() ? 300 : 1800;
        const std::vector<double> losses = train(model, optimizer, images, labels, steps, 64);
        if (losses.empty()) {
            std::cout << "train() returned no losses yet: fill in the TODOs\n";
            return 0;
        }
        const double acc =
            accuracy(model, test_set.images().to(device), test_set.targets().to(device));
        lab::metric("test_accuracy", steps, acc);
        std::cout << std::fixed << std::setprecision(3) << "first loss " << losses.front()
                  << ", last loss " << losses.back() << ", test accuracy " << acc << " after "
                  << steps << " steps\n";
        return 0;
    });
}
