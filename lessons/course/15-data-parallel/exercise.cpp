// Day 3, lesson 15: data-parallel training with c10d.
// The lab starts this program twice, as rank 0 and rank 1, the way torchrun does. Each rank trains
// the same network on its own half of Fashion-MNIST; after every backward pass the ranks average
// their gradients, so that they all take the same step and their copies of the model stay
// identical. Run by hand without RANK and WORLD_SIZE, it trains alone, with world size 1.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(USE_C10D_NCCL) && defined(TORCHLAB_WITH_CUDA)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#define LESSON_HAVE_NCCL 1
#endif

// LibTorch 2.0 split c10d into a front end (c10d::ProcessGroup) and backends (c10d::Backend):
// ProcessGroupGloo and ProcessGroupNCCL derive from Backend there, and from ProcessGroup in 1.13.
// Both bases have the collectives used here, with the same signatures.
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
using Collectives = c10d::Backend;
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
using Collectives = c10d::ProcessGroup;
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

// Who this process is, and its connection to the others.
struct Dist
{
    int rank = 0;          // 0 .. world_size - 1
    int world_size = 1;    // how many processes train together
    int local_rank = 0;    // rank among the processes on this machine: which GPU to use
    bool launched = false; // RANK and WORLD_SIZE came from the launcher
    std::string backend;   // "gloo" or "nccl"
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Collectives> group;
};

namespace {

int env_int(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

std::string env_text(const char *name, const std::string &fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

} // namespace

// The device this rank computes on: its own GPU when there is one per rank, else lab::device().
torch::Device rank_device(const Dist &dist)
{
    const torch::Device device = lab::device();
    if (device.is_cuda() && torch::cuda::device_count() > 1)
        return torch::Device(torch::kCUDA,
                             int8_t(dist.local_rank % int(torch::cuda::device_count())));
    return device;
}

// Rendezvous and process group, from the variables a launcher sets: RANK, WORLD_SIZE,
// LOCAL_RANK, MASTER_ADDR, MASTER_PORT. Without RANK and WORLD_SIZE: one process, world size 1.
// TORCHLAB_DIST_BACKEND picks the backend, "gloo" (the default) or "nccl"; the lab sets it.
Dist init_distributed()
{
    Dist dist;
    dist.launched = std::getenv("RANK") && std::getenv("WORLD_SIZE");
    const auto timeout = std::chrono::seconds(60); // a missing rank fails after this, not never
    if (dist.launched) {
        dist.rank = env_int("RANK", 0);
        dist.world_size = env_int("WORLD_SIZE", 1);
        dist.local_rank = env_int("LOCAL_RANK", dist.rank);
        TORCH_CHECK(dist.world_size >= 1 && dist.rank >= 0 && dist.rank < dist.world_size,
                    "RANK=", dist.rank, " does not fit WORLD_SIZE=", dist.world_size);
        TORCH_CHECK(std::getenv("MASTER_PORT"),
                    "RANK and WORLD_SIZE are set but MASTER_PORT is not: every rank needs the "
                    "address and port of rank 0's store");
        // Rank 0 runs the store's server; every rank (rank 0 too) connects to it as a client.
        c10d::TCPStoreOptions options;
        options.port = uint16_t(env_int("MASTER_PORT", 29500));
        options.isServer = dist.rank == 0;
        options.numWorkers = size_t(dist.world_size);
        options.waitWorkers = true;
        options.timeout = timeout;
        dist.store =
            c10::make_intrusive<c10d::TCPStore>(env_text("MASTER_ADDR", "127.0.0.1"), options);

        // Like torchrun, which sets OMP_NUM_THREADS=1 when it starts several processes: ranks on
        // one machine share its cores instead of each taking all of them.
        const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
        const int local_ranks = std::max(1, env_int("LOCAL_WORLD_SIZE", dist.world_size));
        torch::set_num_threads(std::max(1, cores / local_ranks));
    } else {
        dist.store = c10::make_intrusive<c10d::HashStore>(); // in-process: nobody to meet
    }

    // Every rank must build the same kind of group, so the launcher decides: the lab picks NCCL on
    // a CUDA build with a GPU per rank, Gloo otherwise. By hand, without the variable: Gloo.
    dist.backend = env_text("TORCHLAB_DIST_BACKEND", "gloo");
    TORCH_CHECK(dist.backend == "gloo" || dist.backend == "nccl",
                "TORCHLAB_DIST_BACKEND=", dist.backend, ": the backend must be gloo or nccl");
    if (dist.backend == "nccl") {
#ifdef LESSON_HAVE_NCCL
        // NCCL talks GPU to GPU, one GPU per rank: two ranks on one GPU are refused.
        TORCH_CHECK(rank_device(dist).is_cuda() &&
                        torch::cuda::device_count() >= size_t(dist.world_size),
                    "TORCHLAB_DIST_BACKEND=nccl needs a GPU per rank: ", dist.world_size,
                    " rank(s), ", torch::cuda::device_count(), " GPU(s) visible; use gloo");
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = timeout;
        dist.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(dist.store, dist.rank,
                                                                 dist.world_size, options);
        return dist;
#else
        TORCH_CHECK(false, "TORCHLAB_DIST_BACKEND=nccl, but this program was built without NCCL "
                           "(that needs a CUDA LibTorch with USE_C10D_NCCL); use gloo");
#endif
    }
#ifdef USE_C10D_GLOO
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    // Gloo's transport: on one machine, the loopback interface.
    const std::string addr = env_text("MASTER_ADDR", "127.0.0.1");
    if (std::getenv("GLOO_SOCKET_IFNAME"))
        options->devices.push_back(
            c10d::ProcessGroupGloo::createDeviceForInterface(env_text("GLOO_SOCKET_IFNAME", "")));
    else if (addr == "127.0.0.1" || addr == "localhost")
        options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
        options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    dist.group = c10::make_intrusive<c10d::ProcessGroupGloo>(dist.store, dist.rank, dist.world_size,
                                                             options);
#endif
    TORCH_CHECK(dist.group,
                "this LibTorch has no usable c10d backend: compile with -DUSE_C10D_GLOO and link "
                "-lgloo (Debian: sudo apt install libgloo-dev); `torchlab-cli doctor` says what "
                "is missing");
    return dist;
}

// Makes every rank's parameters and buffers equal to rank 0's.
void broadcast_parameters(Dist &dist, torch::nn::Module &model)
{
    // TODO: without recording a graph (torch::NoGradGuard), broadcast every tensor of
    //       model.parameters() and of model.buffers() from rank 0: a collective takes a
    //       std::vector<torch::Tensor> and works in place on the tensors' memory
    //       (t.detach() shares it), dist.group->broadcast(...) returns a Work, and wait() on it
    //       finishes the broadcast. BroadcastOptions' rootRank is 0 unless you change it.
    //       Until then every rank keeps the random weights its own seed gave it.
    (void)dist, (void)model;
}

// After backward(): replaces every parameter's gradient by the mean of that gradient over all
// ranks, so that every rank's optimizer takes the same step.
void average_gradients(Dist &dist, torch::nn::Module &model)
{
    // TODO: for every parameter p of model.parameters() whose p.grad() is defined:
    //         - all-reduce p.grad() in place with dist.group->allreduce(...) and wait() for it
    //           (the default reduce op is SUM: afterwards every rank holds the sum over ranks)
    //         - divide it by dist.world_size
    //       Until then each rank steps with the gradient of its own batch only, and the ranks'
    //       copies of the model drift apart.
    (void)dist, (void)model;
}

// The network of lesson 7.
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// This rank's share of a data set: rows rank, rank + world_size, rank + 2 * world_size, ...
torch::Tensor shard(const torch::Tensor &data, const Dist &dist)
{
    return data.slice(0, dist.rank, data.size(0), dist.world_size);
}

// Trains on this rank's images for `steps` batches of `batch_size`, averaging gradients across
// ranks every step. Rank 0 reports the loss averaged over the ranks. Returns those losses.
std::vector<double> train(Dist &dist, torch::nn::Sequential &model, const torch::Tensor &images,
                          const torch::Tensor &labels, int64_t steps, int64_t batch_size)
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
        average_gradients(dist, *model); // the one line that makes this data-parallel
        optimizer.step();

        // For the plot: this step's loss averaged over the ranks (one more small all-reduce).
        std::vector<torch::Tensor> mean{loss.detach().reshape({1}).clone()};
        dist.group->allreduce(mean)->wait();
        losses.push_back(mean[0].item<double>() / dist.world_size);
        if (dist.rank == 0)
            lab::loss(step, losses.back());
    }
    return losses;
}

// Test accuracy, computed data-parallel too: each rank classifies its shard, the counts are summed.
double evaluate(Dist &dist, torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels)
{
    torch::NoGradGuard no_grad;
    model->eval();
    const torch::Tensor x = shard(images, dist), y = shard(labels, dist);
    const double correct = model->forward(x).argmax(1).eq(y).sum().item<double>();
    model->train();
    // NCCL reduces GPU memory only: the counts live where the images do.
    std::vector<torch::Tensor> counts{
        torch::tensor({correct, double(x.size(0))},
                      torch::TensorOptions().dtype(torch::kDouble).device(x.device()))};
    dist.group->allreduce(counts)->wait();
    return counts[0][0].item<double>() / counts[0][1].item<double>();
}

// A fingerprint of the parameters: [sum, sum of squares, index-weighted sum], in double.
torch::Tensor checksum(torch::nn::Module &model)
{
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> flat;
    for (const auto &p : model.parameters())
        flat.push_back(p.detach().reshape({-1}).to(torch::kCPU, torch::kDouble));
    const torch::Tensor all = torch::cat(flat);
    const torch::Tensor weights = torch::arange(all.numel(), all.options()).remainder(97).add(1);
    return torch::stack({all.sum(), all.pow(2).sum(), (all * weights).sum()});
}

// Every rank's checksum, gathered on every rank: [world_size, 3].
torch::Tensor gather_checksums(Dist &dist, torch::nn::Module &model)
{
    std::vector<torch::Tensor> input{checksum(model).to(rank_device(dist))};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < dist.world_size; ++r)
        output[0].push_back(torch::empty_like(input[0]));
    dist.group->allgather(output, input)->wait();
    return torch::stack(output[0]).cpu();
}

// "[-7.83, 3.62]": one number per rank.
std::string row(const torch::Tensor &t)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(4) << "[";
    for (int64_t i = 0; i < t.numel(); ++i)
        out << (i ? ", " : "") << t.reshape({-1})[i].item<double>();
    out << "]";
    return out.str();
}

int main()
{
    return lab::run([]() -> int {
        Dist dist = init_distributed();
        const torch::Device device = rank_device(dist);
        const std::string me = "rank " + std::to_string(dist.rank) + ": ";
        if (!dist.launched)
            std::cout << "RANK and WORLD_SIZE are not set: running as a single process (world "
                         "size 1). The lab starts 2 ranks; by hand, start one copy per rank with "
                         "RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT set.\n";
        std::cout << me << "one of " << dist.world_size << " ranks, backend " << dist.backend
                  << ", device " << device << ", " << torch::get_num_threads() << " thread(s)\n";

        // Each rank has its own seed, so each shuffles its shard differently -- and starts from
        // different random weights, until broadcast_parameters() copies rank 0's.
        torch::manual_seed(100 + dist.rank);
        torch::nn::Sequential model = make_model();
        model->to(device);
        const torch::Tensor before = gather_checksums(dist, *model);
        broadcast_parameters(dist, *model);
        const torch::Tensor start = gather_checksums(dist, *model);
        if (dist.rank == 0)
            std::cout << "weight sums by rank before broadcast_parameters() "
                      << row(before.select(1, 0)) << ", after " << row(start.select(1, 0)) << "\n";

        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte") ||
            !std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
            std::cout << me << "Fashion-MNIST was not found in " << root
                      << ". The lab unpacks it there on first use; run `torchlab-cli doctor` to "
                         "see why it is missing.\n";
            return 1;
        }
        using torch::data::datasets::MNIST;
        MNIST train_set(root, MNIST::Mode::kTrain);
        MNIST test_set(root, MNIST::Mode::kTest);
        const torch::Tensor images = shard(train_set.images(), dist).to(device);
        const torch::Tensor labels = shard(train_set.targets(), dist).to(device);
        std::cout << me << "training on " << images.size(0) << " of " << train_set.images().size(0)
                  << " images\n";

        // Every rank must take the same number of steps: a rank that stopped early would leave
        // the others waiting in an all-reduce.
        const int64_t steps = lab::quick() ? 200 : 900;
        const int64_t batch_size = 64 / dist.world_size; // the global batch stays 64
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<double> losses = train(dist, model, images, labels, steps, batch_size);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        const double acc =
            evaluate(dist, model, test_set.images().to(device), test_set.targets().to(device));
        const torch::Tensor end = gather_checksums(dist, *model);
        const bool identical = torch::equal(end, end[0].expand_as(end));
        if (dist.rank == 0) {
            lab::metric("test_accuracy", steps, acc);
            std::cout << std::fixed << std::setprecision(3) << "loss " << losses.front() << " -> "
                      << losses.back() << " in " << steps << " steps of " << batch_size
                      << " images per rank (" << seconds << " s), test accuracy " << acc << "\n"
                      << "weight sums by rank after training " << row(end.select(1, 0)) << ": "
                      << (identical ? "all ranks hold identical parameters"
                                    : "the ranks' parameters differ")
                      << "\n";
        }
        dist.group->barrier()->wait(); // rank 0's store must outlive the others' last use of it
        return 0;
    });
}
