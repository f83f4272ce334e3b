// 第三天，第 17 课：结业项目——一个有明确目标的 Fashion-MNIST 分类器。
// 目标：在两个 CPU 核上训练最多 5 分钟后，10,000 张测试图像中至少 90% 分类正确。
// 快速模式在一个子集上训练，用时远少于 30 秒，且必须在 2,000 张测试图像上达到
// 84%。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <string>

// [N, 1, 28, 28] 的归一化图像 -> [N, 10] 的 logits。
torch::nn::Sequential make_classifier()
{
    // TODO: 这个线性模型是基线。它几秒钟就能训练完，准确率停在 84% 左右：
    //       每个像素、每个类别只有一个权重，分不清衬衫和套头衫。请设计一个
    //       在时间预算内达到 90% 的网络。第 12 课提供了各个零件：
    //       卷积 + batch norm + ReLU + 池化，分类器之前加 dropout。让第一个卷积
    //       （在完整的 28x28 分辨率上运行的那个）保持窄小：它的开销最大。
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 10));
}

// 训练多久，以及学得多快。
struct Plan
{
    int64_t epochs = 1;
    int64_t batch_size = 128;
    double lr = 1e-3; // Adam 的学习率峰值；到训练结束时线性下降到约 0
};

// 完整运行的计划，以及快速运行的计划（数据的一个子集，用时远少于 30 秒）。
Plan make_plan(bool quick)
{
    Plan plan;
    // TODO: 确定完整运行的规模。给你的网络的一个轮次计时（main 会在每个轮次之后
    //       打印耗时），然后计划 5 分钟内放得下、并留有余量的轮次数。让快速
    //       计划保持简短：快速检查在 12,000 张图像上训练，最多允许 45 秒。
    plan.epochs = quick ? 2 : 3;
    plan.batch_size = 128;
    plan.lr = 2e-3;
    return plan;
}

// 用 Adam 训练，学习率从 plan.lr 线性下降到接近 0，并报告每一步的损失；每个轮次之后，
// 如果传入了 after_epoch，就调用 after_epoch(epoch)（已写好）。
void fit(torch::nn::Sequential &model, const torch::Tensor &images, const torch::Tensor &labels,
         const Plan &plan, const std::function<void(int64_t)> &after_epoch = nullptr)
{
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(plan.lr));
    const int64_t n = images.size(0);
    const int64_t per_epoch = std::max<int64_t>(1, n / plan.batch_size);
    const int64_t total = per_epoch * plan.epochs;
    int64_t step = 0;
    for (int64_t epoch = 1; epoch <= plan.epochs; ++epoch) {
        model->train();
        const torch::Tensor order =
            torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(images.device()));
        for (int64_t b = 0; b < per_epoch; ++b, ++step) {
            const double lr = plan.lr * (1.0 - double(step) / double(total)) + 1e-5;
            for (auto &group : optimizer.param_groups())
                static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
            const torch::Tensor index =
                order.slice(0, b * plan.batch_size, (b + 1) * plan.batch_size);
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(
                model->forward(images.index_select(0, index)), labels.index_select(0, index));
            loss.backward();
            optimizer.step();
            if (step % 10 == 0)
                lab::loss(step, loss.item<double>());
        }
        if (after_epoch)
            after_epoch(epoch);
    }
}

// 最大 logit 的下标等于标签的图像所占的比例，在评估模式下计算，每次 1000 张；结束后
// 模型处于训练模式（已写好）。
double evaluate(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels)
{
    torch::NoGradGuard no_grad;
    model->eval();
    int64_t correct = 0;
    for (int64_t start = 0; start < images.size(0); start += 1000) {
        const int64_t end = std::min(images.size(0), start + 1000);
        correct += model->forward(images.slice(0, start, end))
                       .argmax(1)
                       .eq(labels.slice(0, start, end))
                       .sum()
                       .item<int64_t>();
    }
    model->train();
    return double(correct) / double(images.size(0));
}

// Fashion-MNIST，已用训练集的均值和标准差做了归一化（已写好）。
struct Data
{
    torch::Tensor train_images, train_labels, test_images, test_labels;
};

Data load_data(const std::string &root)
{
    using torch::data::datasets::MNIST;
    MNIST train(root, MNIST::Mode::kTrain);
    MNIST test(root, MNIST::Mode::kTest);
    const torch::Tensor mean = train.images().mean(), std = train.images().std();
    return {(train.images() - mean) / std, train.targets(), (test.images() - mean) / std,
            test.targets()};
}

int main()
{
    return lab::run([]() -> int {
        torch::set_num_threads(2); // LibTorch 自己可能会选得更少；这台机器有两个核
        torch::manual_seed(0);
        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte") ||
            !std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
            std::cout << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        const bool quick = lab::quick();
        const torch::Device device = lab::device();
        const Data data = load_data(root);
        const int64_t n_train = quick ? 12000 : 60000, n_test = quick ? 2000 : 10000;
        const torch::Tensor images = data.train_images.slice(0, 0, n_train).to(device);
        const torch::Tensor labels = data.train_labels.slice(0, 0, n_train).to(device);
        const torch::Tensor test_images = data.test_images.slice(0, 0, n_test).to(device);
        const torch::Tensor test_labels = data.test_labels.slice(0, 0, n_test).to(device);

        torch::nn::Sequential model = make_classifier();
        model->to(device);
        int64_t parameters = 0;
        for (const auto &p : model->parameters())
            parameters += p.numel();
        const Plan plan = make_plan(quick);
        std::cout << parameters << " parameters; " << plan.epochs << " epoch(s) of " << n_train
                  << " images, batches of " << plan.batch_size << ", lr " << plan.lr << ", "
                  << torch::get_num_threads() << " threads\n";

        const auto t0 = std::chrono::steady_clock::now();
        const auto seconds = [&] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        };
        fit(model, images, labels, plan, [&](int64_t epoch) {
            const double acc = evaluate(model, test_images, test_labels);
            lab::metric("test_accuracy", epoch, acc);
            std::cout << std::fixed << std::setprecision(4) << "epoch " << epoch
                      << ": test accuracy " << acc << " after " << std::setprecision(1) << seconds()
                      << " s\n";
        });
        const double acc = evaluate(model, test_images, test_labels);
        std::cout << std::fixed << std::setprecision(4) << "final test accuracy " << acc << " on "
                  << n_test << " images, " << std::setprecision(1) << seconds() << " s in all\n"
                  << (quick ? (acc >= 0.84
                                   ? "quick bound of 0.84 reached; the target of 0.90 applies to a "
                                     "full run\n"
                                   : "below the quick bound of 0.84 (the full target is 0.90)\n")
                            : (acc >= 0.90 ? "target of 0.90 reached\n"
                                           : "below the target of 0.90\n"));
        return 0;
    });
}
