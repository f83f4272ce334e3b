// Day 3, lesson 12: a convolutional network for Fashion-MNIST.
// Build two convolution blocks and a classifier, and an evaluate() that switches the model to
// evaluation mode and back. The lab plots the training loss and the validation accuracy.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

// One convolution block: Conv2d(in, out, 3x3, padding 1) -> BatchNorm2d(out) -> ReLU ->
// MaxPool2d(2). The convolution keeps the height and width; the pool halves them.
struct ConvBlockImpl : torch::nn::Module
{
    ConvBlockImpl(int64_t in, int64_t out)
        : conv(register_module("conv",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)))),
          bn(register_module("bn", torch::nn::BatchNorm2d(out))),
          pool(register_module("pool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2))))
    {
    }

    torch::Tensor forward(const torch::Tensor &x) { return pool(torch::relu(bn(conv(x)))); }

    torch::nn::Conv2d conv;
    torch::nn::BatchNorm2d bn;
    torch::nn::MaxPool2d pool;
};
TORCH_MODULE(ConvBlock);

// [N, 1, 28, 28] images -> [N, 10] logits.
torch::nn::Sequential make_cnn()
{
    return torch::nn::Sequential(ConvBlock(1, 16),     // [N, 16, 14, 14]
                                 ConvBlock(16, 32),    // [N, 32, 7, 7]
                                 torch::nn::Flatten(), // [N, 1568]
                                 torch::nn::Dropout(0.25), torch::nn::Linear(32 * 7 * 7, 10));
}

// The fraction (0..1) of images whose largest logit is at the label's index, computed in batches
// of batch_size images in evaluation mode without recording a graph. The model is left in the
// mode it was in.
double evaluate(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels, int64_t batch_size)
{
    const bool was_training = model->is_training();
    torch::NoGradGuard no_grad;
    model->eval(); // Dropout off, BatchNorm uses its running statistics
    const int64_t n = images.size(0);
    int64_t correct = 0;
    for (int64_t start = 0; start < n; start += batch_size) {
        const int64_t end = std::min(n, start + batch_size); // the last batch may be smaller
        const torch::Tensor logits = model->forward(images.slice(0, start, end));
        correct += logits.argmax(1).eq(labels.slice(0, start, end)).sum().item<int64_t>();
    }
    model->train(was_training);
    return n > 0 ? double(correct) / double(n) : 0.0;
}

// Trains with Adam for `steps` batches in a random order, reporting each loss with lab::loss and,
// every `eval_every` steps, the accuracy on the validation tensors as the metric "val_accuracy".
// Returns the losses.
std::vector<double> train(torch::nn::Sequential &model, const torch::Tensor &images,
                          const torch::Tensor &labels, const torch::Tensor &val_images,
                          const torch::Tensor &val_labels, int64_t steps, int64_t batch_size,
                          int64_t eval_every)
{
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
    model->train();
    std::vector<double> losses;
    const int64_t n = images.size(0);
    torch::Tensor order =
        torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(images.device()));
    int64_t position = 0;
    for (int64_t step = 0; step < steps; ++step) {
        if (position + batch_size > n) {
            order = torch::randperm(n, order.options());
            position = 0;
        }
        const torch::Tensor index = order.slice(0, position, position + batch_size);
        position += batch_size;
        optimizer.zero_grad();
        const torch::Tensor loss = torch::nn::functional::cross_entropy(
            model->forward(images.index_select(0, index)), labels.index_select(0, index));
        loss.backward();
        optimizer.step();
        losses.push_back(loss.item<double>());
        lab::loss(step, losses.back());
        if (eval_every > 0 && (step + 1) % eval_every == 0)
            lab::metric("val_accuracy", step + 1, evaluate(model, val_images, val_labels, 500));
    }
    return losses;
}

// "torch::nn::Conv2dImpl" -> "Conv2d"
std::string short_name(std::string name)
{
    if (name.rfind("torch::nn::", 0) == 0)
        name = name.substr(11);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "Impl") == 0)
        name.resize(name.size() - 4);
    return name;
}

int main()
{
    return lab::run([]() -> int {
        torch::manual_seed(0);
        const torch::Device device = lab::device();
        torch::nn::Sequential model = make_cnn();
        model->to(device);

        // 1. Shapes through the network, one layer at a time, and its size.
        torch::Tensor x = torch::randn({2, 1, 28, 28}, device);
        std::cout << "input              " << x.sizes() << "\n";
        for (auto &layer : *model) { // a Sequential iterates over its layers
            x = layer.forward(x);
            std::cout << std::left << std::setw(19) << short_name(layer.ptr()->name()) << x.sizes()
                      << "\n";
        }
        int64_t parameters = 0;
        for (const auto &p : model->parameters())
            parameters += p.numel();
        std::cout << "parameters: " << parameters << "\n";

        // 2. Train mode versus eval mode on the same input.
        const torch::Tensor probe = torch::randn({4, 1, 28, 28}, device);
        {
            torch::NoGradGuard no_grad;
            const bool same_train = torch::equal(model->forward(probe), model->forward(probe));
            model->eval();
            const bool same_eval = torch::equal(model->forward(probe), model->forward(probe));
            model->train();
            std::cout << std::boolalpha << "two forward passes agree: in train mode " << same_train
                      << ", in eval mode " << same_eval << "\n";
        }

        // 3. Train on Fashion-MNIST.
        const auto modules = model->modules();
        if (std::none_of(modules.begin(), modules.end(), [](const auto &m) {
                return m->template as<torch::nn::Conv2d>() != nullptr;
            })) {
            std::cout << "make_cnn() has no Conv2d layer yet, so there is no CNN to train: "
                         "training starts once ConvBlock and make_cnn() are written.\n";
            return 0;
        }

        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte")) {
            std::cout << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        using torch::data::datasets::MNIST;
        MNIST train_set(root, MNIST::Mode::kTrain);
        MNIST test_set(root, MNIST::Mode::kTest);
        const int64_t n = lab::quick() ? 6000 : 60000;
        const int64_t steps = lab::quick() ? 150 : 900;
        const torch::Tensor images = train_set.images().slice(0, 0, n).to(device);
        const torch::Tensor labels = train_set.targets().slice(0, 0, n).to(device);
        // Validation during training: the last 1,000 test images.
        const torch::Tensor val_images = test_set.images().slice(0, 9000).to(device);
        const torch::Tensor val_labels = test_set.targets().slice(0, 9000).to(device);

        const std::vector<double> losses =
            train(model, images, labels, val_images, val_labels, steps, 64, 50);
        const int64_t n_test = lab::quick() ? 2000 : 10000;
        const double acc = evaluate(model, test_set.images().slice(0, 0, n_test).to(device),
                                    test_set.targets().slice(0, 0, n_test).to(device), 500);
        lab::metric("test_accuracy", steps, acc);
        std::cout << std::fixed << std::setprecision(3) << "first loss " << losses.front()
                  << ", last loss " << losses.back() << ", test accuracy " << acc << " after "
                  << steps << " steps\n";
        return 0;
    });
}
