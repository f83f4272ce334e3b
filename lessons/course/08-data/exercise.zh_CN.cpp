// 第二天，第 8 课：数据集、变换与 DataLoader。
// 用 LibTorch 的 MNIST 读取器读取 Fashion-MNIST，编写一个自己的数据集，再用
// DataLoader 把它分成 batch。
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <string>
#include <vector>

using torch::data::datasets::MNIST;

// Fashion-MNIST 的训练集（train = true，60,000 张图像）或测试集（10,000 张图像），从 TorchLab
// 解压它的目录中读取。图像是取值在 [0, 1] 的 [1, 28, 28] float 张量，标签是
// Long 类型的类别索引 0..9。
MNIST open_fashion_mnist(bool train)
{
    // TODO: 文件位于 lab::data_dir() + "/fashion-mnist"。
    //       根据 `train` 选择 MNIST::Mode::kTrain 或
    //       MNIST::Mode::kTest。
    const std::string root = "";
    (void)train;
    return MNIST(root, MNIST::Mode::kTrain);
}

// 一个只保留标签属于 `classes` 的样本的数据集，样本保持原来的顺序。
class ClassSubset : public torch::data::datasets::Dataset<ClassSubset>
{
public:
    ClassSubset(torch::Tensor images, torch::Tensor labels, const std::vector<int64_t> &classes)
        : images_(std::move(images)), labels_(std::move(labels))
    {
        // TODO: indices_ = 标签属于 `classes` 的样本的位置
        //       （升序）。
        //       用 labels_ == c 为每个类别构建 Bool 掩码，再调用 mask.nonzero().flatten()，
        //       就能做到。
        (void)classes;
        indices_ = torch::zeros({0}, torch::kLong);
    }

    // 第 index 个被保留的样本：它的图像和标签。
    torch::data::Example<> get(size_t index) override
    {
        // TODO: 查出原始位置 i = indices_[index]，
        //       然后返回 {images_[i], labels_[i]}。
        (void)index;
        return {torch::zeros({1, 28, 28}), torch::zeros({}, torch::kLong)};
    }

    torch::optional<size_t> size() const override
    {
        // TODO: 一共保留了多少个样本？
        return size_t(0);
    }

private:
    torch::Tensor images_, labels_, indices_;
};

// 遍历一遍 ClassSubset(images, labels, classes)：每张图像都用 Fashion-MNIST 的均值和标准差
// 归一化，再堆叠成大小为 batch_size 的 batch，保持原来的顺序或打乱顺序；
// drop_last 为 true 时丢弃最后那个较小的 batch。
std::vector<torch::data::Example<>> load_batches(const torch::Tensor &images,
                                                 const torch::Tensor &labels,
                                                 const std::vector<int64_t> &classes,
                                                 int64_t batch_size, bool shuffle, bool drop_last)
{
    // TODO: 在 Stack 之前加上 .map(torch::data::transforms::Normalize<>(0.2860, 0.3530))。
    auto dataset = ClassSubset(images, labels, classes).map(torch::data::transforms::Stack<>());
    // TODO: 把 drop_last 也传给 options。
    const auto options = torch::data::DataLoaderOptions().batch_size(size_t(batch_size)).workers(2);
    (void)drop_last;

    std::vector<torch::data::Example<>> batches;
    if (shuffle) {
        // TODO: 同样的循环，改用 torch::data::samplers::RandomSampler。
    } else {
        auto loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
            std::move(dataset), options);
        for (auto &batch : *loader)
            batches.push_back(batch);
    }
    return batches;
}

int main()
{
    return lab::run([] {
        torch::optional<MNIST> test;
        try {
            test = open_fashion_mnist(/*train=*/false);
        } catch (const c10::Error &e) {
            std::cout << "open_fashion_mnist(false) failed: " << e.what_without_backtrace() << "\n";
            return;
        }
        std::cout << "test split: " << test->size().value() << " images of "
                  << test->images().sizes().slice(1) << ", labels " << test->targets().scalar_type()
                  << "\n";

        // 只取 T 恤/上衣（0）和裤子（1），打乱顺序，每批 64 个。
        const auto batches =
            load_batches(test->images(), test->targets(), {0, 1}, 64, /*shuffle=*/true,
                         /*drop_last=*/false);
        if (batches.empty()) {
            std::cout << "load_batches returned no batches yet: fill in the TODOs\n";
            return;
        }
        int64_t examples = 0;
        for (const auto &b : batches)
            examples += b.data.size(0);
        const auto &first = batches.front();
        std::cout << batches.size() << " batches, " << examples << " examples; first batch "
                  << first.data.sizes()
                  << "\nfirst labels: " << first.target.slice(0, 0, 16).view({1, -1}) << "\n";
        std::cout << "first batch: pixel mean " << first.data.mean().item<double>() << ", std "
                  << first.data.std().item<double>() << " (about 0 and 1 once normalised)\n";
    });
}
