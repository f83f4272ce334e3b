// Day 3, lesson 17: capstone -- a Fashion-MNIST classifier with a target (reference solution).
// Target: at least 90% of the 10,000 test images right, trained in at most 5 minutes on two CPU
// cores. Quick mode trains on a subset for well under 30 seconds and must reach 84% on 2,000 test
// images.
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

// Conv 3x3 (same size) -> BatchNorm -> ReLU -> MaxPool 2x2: halves height and width.
struct ConvBlockImpl : torch::nn::Module
{
    ConvBlockImpl(int64_t in, int64_t out)
    {
        // No bias: the batch norm right after it has one (beta).
        conv = register_module(
            "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
        bn = register_module("bn", torch::nn::BatchNorm2d(out));
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        return torch::max_pool2d(torch::relu(bn(conv(x))), 2);
    }

    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
};
TORCH_MODULE(ConvBlock);

// [N, 1, 28, 28] normalised images -> [N, 10] logits.
torch::nn::Sequential make_classifier()
{
    return torch::nn::Sequential(ConvBlock(1, 16),  // -> [N, 16, 14, 14]
                                 ConvBlock(16, 32), // -> [N, 32, 7, 7]
                                 torch::nn::Flatten(), torch::nn::Dropout(0.25),
                                 torch::nn::Linear(32 * 7 * 7, 128), torch::nn::ReLU(),
                                 torch::nn::Dropout(0.25), torch::nn::Linear(128, 10));
}

// How long and how fast to train.
struct Plan
{
    int64_t epochs = 1;
    int64_t batch_size = 128;
    double lr = 1e-3; // Adam's peak learning rate; it falls linearly to ~0 by the end
};

// The plan for a full run, and for a quick one (a subset of the data, well under 30 s).
Plan make_plan(bool quick)
{
    Plan plan;
    plan.epochs = quick ? 2 : 5; // one epoch of 60,000 images takes ~40 s on two cores
    plan.batch_size = 128;
    plan.lr = 2e-3;
    return plan;
}

// Trains with Adam, the learning rate falling linearly from plan.lr to nearly 0, reporting every
// step's loss; after each epoch, calls after_epoch(epoch) if given (given).
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

// The fraction of images whose largest logit is at the label, in eval mode, 1000 at a time; the
// model is left in training mode (given).
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

// Fashion-MNIST, normalised with the training set's mean and standard deviation (given).
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
        torch::set_num_threads(2); // LibTorch may pick fewer on its own; this machine has two
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
