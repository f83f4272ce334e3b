// 第三天，第 12 课：用于 Fashion-MNIST 的卷积神经网络。
// 搭建两个卷积块和一个分类器，再写一个 evaluate()：它把模型切换到
// 评估模式，用完再切换回来。TorchLab 会画出训练损失和验证准确率。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

// 一个卷积块：Conv2d(in, out, 3x3, padding 1) -> BatchNorm2d(out) -> ReLU ->
// MaxPool2d(2)。卷积保持高和宽不变；池化把它们减半。
struct ConvBlockImpl : torch::nn::Module
{
    ConvBlockImpl(int64_t in, int64_t out)
    {
        // TODO: 创建这三个层并注册它们，例如：
        //   conv = register_module("conv", torch::nn::Conv2d(
        //                                      torch::nn::Conv2dOptions(in, out, 3).padding(1)));
        //   bn: BatchNorm2d(out)          pool: MaxPool2d(MaxPool2dOptions(2))
        (void)in, (void)out;
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        // TODO: 卷积、batch norm、ReLU、池化。
        return x;
    }

    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
    torch::nn::MaxPool2d pool{nullptr};
};
TORCH_MODULE(ConvBlock);

// [N, 1, 28, 28] 的图像 -> [N, 10] 的 logits。
torch::nn::Sequential make_cnn()
{
    // TODO: ConvBlock(1, 16) -> [N, 16, 14, 14]，ConvBlock(16, 32) -> [N, 32, 7, 7]，然后是
    // Flatten、
    //       Dropout(0.25)，以及一个把 32 * 7 * 7 个特征映射到 10 个类别的 Linear 层。
    // 在此之前，这里先放一个线性模型，好让程序能够运行。
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 10));
}

// 返回最大 logit 的下标等于标签的图像所占的比例（0..1）：在评估模式下、不记录计算图，
// 每批 batch_size 张图像分批计算。调用结束后，模型保持
// 调用前的模式。
double evaluate(torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels, int64_t batch_size)
{
    // TODO: 这样也能得到一个数，但它带着本课要讲的那个 bug：模型仍处于
    //       训练模式，所以 dropout 是开着的，batch norm 用测试图像的统计量做归一化
    //       （还会把它们混进自己的滑动平均）。它还会记录一个没人用的计算图，
    //       并把整个数据集一次性送进模型。请改成：
    //   1. 记下 model->is_training()，并声明一个具名的 torch::NoGradGuard 变量
    //   2. model->eval()
    //   3. 按每批 batch_size 张图像循环（最后一批可以更小），累加
    //      预测正确的数量
    //   4. 把模型恢复成调用前的模式：model->train(was_training)
    (void)batch_size;
    const torch::Tensor predicted = model->forward(images).argmax(1);
    return predicted.eq(labels).to(torch::kFloat).mean().item<double>();
}

// 用 Adam 按随机顺序训练 `steps` 个 batch，用 lab::loss 报告每一步的损失，并且
// 每隔 `eval_every` 步，把验证张量上的准确率作为指标 "val_accuracy" 报告出来。
// 返回各步的损失。
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

        // 1. 数据逐层穿过网络时的形状，以及网络的大小。
        torch::Tensor x = torch::randn({2, 1, 28, 28}, device);
        std::cout << "input              " << x.sizes() << "\n";
        for (auto &layer : *model) { // Sequential 可以逐个遍历它的各层
            x = layer.forward(x);
            std::cout << std::left << std::setw(19) << short_name(layer.ptr()->name()) << x.sizes()
                      << "\n";
        }
        int64_t parameters = 0;
        for (const auto &p : model->parameters())
            parameters += p.numel();
        std::cout << "parameters: " << parameters << "\n";

        // 2. 同一输入在训练模式和评估模式下的对比。
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

        // 3. 在 Fashion-MNIST 上训练。
        const auto modules = model->modules();
        if (std::none_of(modules.begin(), modules.end(), [](const auto &m) {
                return m->template as<torch::nn::Conv2d>() != nullptr;
            })) {
            std::cout << "make_cnn() 里还没有 Conv2d 层，所以还没有可训练的 CNN："
                         "写好 ConvBlock 和 make_cnn() 之后才开始训练。\n";
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
        // 训练过程中的验证：使用最后 1,000 张测试图像。
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
