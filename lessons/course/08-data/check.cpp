// Hidden checks for lesson 8: the MNIST reader, ClassSubset through load_batches(), and
// normalisation.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

torch::data::datasets::MNIST open_fashion_mnist(bool train);
std::vector<torch::data::Example<>> load_batches(const torch::Tensor &images,
                                                 const torch::Tensor &labels,
                                                 const std::vector<int64_t> &classes,
                                                 int64_t batch_size, bool shuffle, bool drop_last);

namespace {

using lab::checks::guarded;
using lab::checks::num;
using lab::checks::shape;
using lab::checks::text;
using lab::checks::values;

// 20 synthetic examples. Example i has a single bright pixel at flat position i, so its identity
// survives any normalisation (argmax); its label is i % 4.
struct Synthetic
{
    torch::Tensor images = torch::zeros({20, 1, 28, 28});
    torch::Tensor labels = torch::arange(20, torch::kLong).remainder(4);
    Synthetic()
    {
        auto flat = images.view({20, -1});
        for (int64_t i = 0; i < 20; ++i)
            flat[i][i] = 1.0;
    }
};

// Which synthetic examples the batches hold, in order (-1 for an example that is not a synthetic
// image).
std::vector<int64_t> ids(const std::vector<torch::data::Example<>> &batches)
{
    std::vector<int64_t> out;
    for (const auto &b : batches) {
        if (!b.data.defined() || b.data.dim() != 4)
            continue;
        const auto best = b.data.reshape({b.data.size(0), -1}).argmax(1);
        for (int64_t i = 0; i < best.size(0); ++i)
            out.push_back(best[i].item<int64_t>());
    }
    return out;
}

std::vector<int64_t> sizes_of(const std::vector<torch::data::Example<>> &batches)
{
    std::vector<int64_t> out;
    for (const auto &b : batches)
        out.push_back(b.data.defined() && b.data.dim() > 0 ? b.data.size(0) : 0);
    return out;
}

const std::vector<int64_t> kOdd = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19};

void check_subset()
{
    const Synthetic s;
    const auto batches =
        load_batches(s.images, s.labels, {1, 3}, 4, /*shuffle=*/false, /*drop_last=*/false);
    const auto got = ids(batches);

    guarded("subset_size", [&] {
        int64_t total = 0;
        for (const int64_t n : sizes_of(batches))
            total += n;
        lab::check(
            "subset_size", total == 10,
            total == 10
                ? "ClassSubset keeps the 10 examples of classes 1 and 3"
                : "20 examples with labels 0,1,2,3,0,1,... and classes {1, 3} should give 10 "
                  "examples, but the batches hold " +
                      std::to_string(total) +
                      ". The constructor must keep the positions whose label is in classes, and "
                      "size() must return how many it kept.");
    });

    guarded("subset_order", [&] {
        const bool ok = got == kOdd;
        lab::check("subset_order", ok,
                   ok ? "get(i) returns the i-th kept example, in order"
                      : "with the sequential sampler the examples should come out as " +
                            values(kOdd) + " (the positions with label 1 or 3), got " +
                            values(got) +
                            ". get(i) must return images[indices[i]] and labels[indices[i]].");
    });

    guarded("batch_shapes", [&] {
        std::string why;
        const auto n = sizes_of(batches);
        if (n != std::vector<int64_t>{4, 4, 2})
            why = "10 examples in batches of 4 without drop_last should give batch sizes [4, 4, "
                  "2], got " +
                  values(n) + ".";
        else {
            const auto &b = batches.front();
            if (b.data.sizes() != torch::IntArrayRef({4, 1, 28, 28}) ||
                b.data.scalar_type() != torch::kFloat)
                why = "a batch's data should be a Float [4, 1, 28, 28] tensor, got " +
                      text(b.data.sizes()) +
                      ". Stack<> stacks the [1, 28, 28] images along a new first dimension.";
            else if (!b.target.defined() || b.target.sizes() != torch::IntArrayRef({4}) ||
                     b.target.scalar_type() != torch::kLong)
                why = "a batch's target should be a Long [4] tensor of labels; got " +
                      shape(b.target) + ".";
            else if (!b.target.remainder(2).eq(1).all().item<bool>())
                why = "the labels in the batch are not all 1 or 3: return labels[indices[i]] as "
                      "the target.";
        }
        lab::check("batch_shapes", why.empty(),
                   why.empty() ? "batches are [B, 1, 28, 28] + [B]" : why);
    });
}

void check_loader_options()
{
    const Synthetic s;
    guarded("drop_last", [&] {
        const auto n =
            sizes_of(load_batches(s.images, s.labels, {1, 3}, 4, false, /*drop_last=*/true));
        const bool ok = n == std::vector<int64_t>{4, 4};
        lab::check(
            "drop_last", ok,
            ok ? "drop_last drops the short last batch"
               : "with drop_last = true, 10 examples in batches of 4 should give [4, 4], got " +
                     values(n) + ". Pass drop_last to DataLoaderOptions().drop_last(...).");
    });

    guarded("shuffle", [&] {
        torch::manual_seed(5);
        const auto got = ids(load_batches(s.images, s.labels, {1, 3}, 4, /*shuffle=*/true, false));
        auto sorted = got;
        std::sort(sorted.begin(), sorted.end());
        std::string why;
        if (sorted != kOdd)
            why = "a shuffled pass should hold the same 10 examples " + values(kOdd) +
                  " in some order, got " + values(got) + ".";
        else if (got == kOdd)
            why = "shuffle = true returned the examples in their original order: use "
                  "torch::data::samplers::RandomSampler when shuffle is set.";
        lab::check("shuffle", why.empty(), why.empty() ? "shuffle uses a random sampler" : why);
    });
}

void check_real_data()
{
    const std::string root = lab::data_dir() + "/fashion-mnist";
    if (!std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
        const std::string why =
            "Fashion-MNIST was not found in " + root +
            " (t10k-images-idx3-ubyte etc.). The lab unpacks it on first use; run "
            "`torchlab-cli doctor` to see why it is missing.";
        lab::check("mnist_reader", false, why);
        lab::check("normalized", false, why);
        return;
    }

    guarded("mnist_reader", [&] {
        std::string why;
        try {
            auto test = open_fashion_mnist(false);
            const auto n = test.size().value_or(0);
            if (n != 10000)
                why = "open_fashion_mnist(false) has " + std::to_string(n) +
                      " images; the test split has 10000 (the training split 60000). Use "
                      "MNIST::Mode::kTest when "
                      "train is false.";
            else if (!lab::quick() && open_fashion_mnist(true).size().value_or(0) != 60000)
                why = "open_fashion_mnist(true) should have the 60000 training images "
                      "(MNIST::Mode::kTrain).";
            else if (test.images().sizes() != torch::IntArrayRef({10000, 1, 28, 28}) ||
                     test.targets().scalar_type() != torch::kLong)
                why = "images should be [10000, 1, 28, 28] and labels Long.";
        } catch (const c10::Error &e) {
            why = std::string("open_fashion_mnist threw: ") + e.what_without_backtrace() +
                  ". The files are in lab::data_dir() + \"/fashion-mnist\".";
        }
        lab::check("mnist_reader", why.empty(),
                   why.empty() ? "the test split has 10000 images" : why);
    });

    // Normalisation is checked on the check's own copy of the test split, independent of
    // open_fashion_mnist.
    torch::data::datasets::MNIST test(root, torch::data::datasets::MNIST::Mode::kTest);
    const torch::Tensor images = test.images(), labels = test.targets();

    guarded("normalized", [&] {
        const auto batches =
            load_batches(images, labels, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 500, false, false);
        std::vector<torch::Tensor> data;
        for (const auto &b : batches)
            if (b.data.defined())
                data.push_back(b.data);
        std::string why;
        if (data.empty())
            why = "load_batches returned no batches for the test split.";
        else {
            const auto all = torch::cat(data);
            const double mean = all.mean().item<double>(), sd = all.std().item<double>();
            if (all.size(0) != 10000)
                why =
                    "a pass over all ten classes of the test split should hold 10000 images, got " +
                    std::to_string(all.size(0)) + ".";
            else if (std::abs(mean) > 0.02 || std::abs(sd - 1) > 0.02)
                why = "over the test split the pixels have mean " + num(mean) +
                      " and standard deviation " + num(sd) +
                      "; after normalising they should be about 0 and 1. Map the dataset with "
                      "torch::data::transforms::Normalize<>(0.2860, 0.3530) before Stack<>().";
        }
        lab::check("normalized", why.empty(), why.empty() ? "pixels have mean ~0 and std ~1" : why);
    });
}

} // namespace

int main()
{
    return lab::run([] {
        guarded("subset_size", [] { check_subset(); });
        guarded("drop_last", [] { check_loader_options(); });
        guarded("mnist_reader", [] { check_real_data(); });
    });
}
