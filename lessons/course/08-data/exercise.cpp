// Day 2, lesson 8: datasets, transforms and data loaders.
// Read Fashion-MNIST with LibTorch's MNIST reader, write a Dataset of your own, and batch it with a
// DataLoader.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <string>
#include <vector>

using torch::data::datasets::MNIST;

// Fashion-MNIST's training (train = true, 60,000 images) or test split (10,000 images), read from
// the folder the lab unpacks it into. Images come out as [1, 28, 28] floats in [0, 1], labels as
// Long class indices 0..9.
MNIST open_fashion_mnist(bool train)
{
    // TODO: the files are in lab::data_dir() + "/fashion-mnist"; pick MNIST::Mode::kTrain or
    // MNIST::Mode::kTest
    //       from `train`.
    const std::string root = "";
    (void)train;
    return MNIST(root, MNIST::Mode::kTrain);
}

// A dataset holding only the examples whose label is one of `classes`, in their original order.
class ClassSubset : public torch::data::datasets::Dataset<ClassSubset>
{
public:
    ClassSubset(torch::Tensor images, torch::Tensor labels, const std::vector<int64_t> &classes)
        : images_(std::move(images)), labels_(std::move(labels))
    {
        // TODO: indices_ = the positions (ascending) of the examples whose label is one of
        // `classes`.
        //       A Bool mask built with labels_ == c for each class, then mask.nonzero().flatten(),
        //       does it.
        (void)classes;
        indices_ = torch::zeros({0}, torch::kLong);
    }

    // The index-th kept example: its image and its label.
    torch::data::Example<> get(size_t index) override
    {
        // TODO: look up the original position i = indices_[index] and return {images_[i],
        // labels_[i]}.
        (void)index;
        return {torch::zeros({1, 28, 28}), torch::zeros({}, torch::kLong)};
    }

    torch::optional<size_t> size() const override
    {
        // TODO: how many examples were kept?
        return size_t(0);
    }

private:
    torch::Tensor images_, labels_, indices_;
};

// One pass over ClassSubset(images, labels, classes): every image normalised with Fashion-MNIST's
// mean and standard deviation, stacked into batches of batch_size, in the original order or
// shuffled, with the last, smaller batch dropped when drop_last is true.
std::vector<torch::data::Example<>> load_batches(const torch::Tensor &images,
                                                 const torch::Tensor &labels,
                                                 const std::vector<int64_t> &classes,
                                                 int64_t batch_size, bool shuffle, bool drop_last)
{
    // TODO: add .map(torch::data::transforms::Normalize<>(0.2860, 0.3530)) before Stack.
    auto dataset = ClassSubset(images, labels, classes).map(torch::data::transforms::Stack<>());
    // TODO: pass drop_last to the options as well.
    const auto options = torch::data::DataLoaderOptions().batch_size(size_t(batch_size)).workers(2);
    (void)drop_last;

    std::vector<torch::data::Example<>> batches;
    if (shuffle) {
        // TODO: the same loop with a torch::data::samplers::RandomSampler.
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

        // T-shirts/tops (0) and trousers (1) only, shuffled, in batches of 64.
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
