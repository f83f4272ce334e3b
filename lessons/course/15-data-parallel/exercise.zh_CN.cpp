// 第三天，第 15 课：用 c10d 进行数据并行训练。
// TorchLab 会像 torchrun 那样把这个程序启动两次，分别作为 rank 0 和 rank 1。每个 rank 在
// Fashion-MNIST 中属于自己的那一半数据上训练同一个网络；每次反向传播之后，各 rank 对梯度取平均，
// 这样它们都走同样的一步，各自的模型副本也保持完全相同。如果手动运行且没有设置 RANK 和
// WORLD_SIZE，它就以 world size 1 单独训练。
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

// LibTorch 2.0 把 c10d 拆分成前端（c10d::ProcessGroup）和后端（c10d::Backend）：
// 从那时起 ProcessGroupGloo 和 ProcessGroupNCCL 继承自 Backend，而在 1.13 中继承自 ProcessGroup。
// 这两个基类都有这里用到的集合通信操作，且签名相同。
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

// 本进程是谁，以及它与其他进程的连接。
struct Dist
{
    int rank = 0;          // 0 .. world_size - 1
    int world_size = 1;    // 一起训练的进程总数
    int local_rank = 0;    // 本进程在这台机器上的编号：决定用哪块 GPU
    bool launched = false; // RANK 和 WORLD_SIZE 由启动器设置
    std::string backend;   // "gloo" 或 "nccl"
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

// 本 rank 进行计算的设备：如果每个 rank 都有一块 GPU，就用自己的那块，否则用 lab::device()。
torch::Device rank_device(const Dist &dist)
{
    const torch::Device device = lab::device();
    if (device.is_cuda() && torch::cuda::device_count() > 1)
        return torch::Device(torch::kCUDA,
                             int8_t(dist.local_rank % int(torch::cuda::device_count())));
    return device;
}

// 根据启动器设置的变量完成会合并建立进程组：RANK、WORLD_SIZE、
// LOCAL_RANK、MASTER_ADDR、MASTER_PORT。没有 RANK 和 WORLD_SIZE 时：单个进程，world size 1。
// TORCHLAB_DIST_BACKEND 选择后端："gloo"（默认）或 "nccl"；TorchLab 会设置它。
Dist init_distributed()
{
    Dist dist;
    dist.launched = std::getenv("RANK") && std::getenv("WORLD_SIZE");
    const auto timeout = std::chrono::seconds(60); // 缺席的 rank 会在这段时间后报错，而不是永远等下去
    if (dist.launched) {
        dist.rank = env_int("RANK", 0);
        dist.world_size = env_int("WORLD_SIZE", 1);
        dist.local_rank = env_int("LOCAL_RANK", dist.rank);
        TORCH_CHECK(dist.world_size >= 1 && dist.rank >= 0 && dist.rank < dist.world_size,
                    "RANK=", dist.rank, " does not fit WORLD_SIZE=", dist.world_size);
        TORCH_CHECK(std::getenv("MASTER_PORT"),
                    "RANK and WORLD_SIZE are set but MASTER_PORT is not: every rank needs the "
                    "address and port of rank 0's store");
        // rank 0 运行 store 的服务器；每个 rank（包括 rank 0）都作为客户端连接它。
        c10d::TCPStoreOptions options;
        options.port = uint16_t(env_int("MASTER_PORT", 29500));
        options.isServer = dist.rank == 0;
        options.numWorkers = size_t(dist.world_size);
        options.waitWorkers = true;
        options.timeout = timeout;
        dist.store =
            c10::make_intrusive<c10d::TCPStore>(env_text("MASTER_ADDR", "127.0.0.1"), options);

        // 与 torchrun 启动多个进程时设置 OMP_NUM_THREADS=1 的做法一样：同一台机器上的
        // 各个 rank 分享它的核心，而不是每个都占用全部核心。
        const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
        const int local_ranks = std::max(1, env_int("LOCAL_WORLD_SIZE", dist.world_size));
        torch::set_num_threads(std::max(1, cores / local_ranks));
    } else {
        dist.store = c10::make_intrusive<c10d::HashStore>(); // 进程内的 store：没有别人需要会合
    }

    // 每个 rank 必须建立同一种进程组，所以由启动器决定：在 CUDA 构建中且每个 rank 都有一块 GPU 时，
    // TorchLab 选择 NCCL，否则选择 Gloo。手动运行且没有这个变量时：Gloo。
    dist.backend = env_text("TORCHLAB_DIST_BACKEND", "gloo");
    TORCH_CHECK(dist.backend == "gloo" || dist.backend == "nccl",
                "TORCHLAB_DIST_BACKEND=", dist.backend, ": the backend must be gloo or nccl");
    if (dist.backend == "nccl") {
#ifdef LESSON_HAVE_NCCL
        // NCCL 在 GPU 之间直接通信，每个 rank 一块 GPU：两个 rank 共用一块 GPU 会被拒绝。
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
    // Gloo 的传输方式：在单台机器上使用回环（loopback）接口。
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

// 让每个 rank 的参数和缓冲区都等于 rank 0 的。
void broadcast_parameters(Dist &dist, torch::nn::Module &model)
{
    // TODO: 在不记录计算图的情况下（torch::NoGradGuard），从 rank 0 广播
    //       model.parameters() 和 model.buffers() 中的每个张量：集合通信操作接收一个
    //       std::vector<torch::Tensor>，并原地修改这些张量的内存
    //       （t.detach() 与原张量共享内存），dist.group->broadcast(...) 返回一个 Work，对它调用 wait()
    //       即可完成广播。除非你修改它，BroadcastOptions 的 rootRank 就是 0。
    //       在此之前，每个 rank 都保留着由自己的种子生成的随机权重。
    (void)dist, (void)model;
}

// 在 backward() 之后调用：把每个参数的梯度替换为该梯度在所有 rank 上的平均值，
// 这样每个 rank 的优化器都走同样的一步。
void average_gradients(Dist &dist, torch::nn::Module &model)
{
    // TODO: 对 model.parameters() 中 p.grad() 已定义的每个参数 p：
    //         - 用 dist.group->allreduce(...) 原地对 p.grad() 做 all-reduce，并 wait() 等它完成
    //           （默认的归约操作是 SUM：完成后每个 rank 持有的是所有 rank 的总和）
    //         - 再除以 dist.world_size
    //       在此之前，每个 rank 只用自己那个 batch 的梯度更新，各 rank 的
    //       模型副本会逐渐分道扬镳。
    (void)dist, (void)model;
}

// 第 7 课的网络。
torch::nn::Sequential make_model()
{
    return torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                 torch::nn::ReLU(), torch::nn::Linear(128, 10));
}

// 数据集中属于本 rank 的那一份：第 rank、rank + world_size、rank + 2 * world_size……行
torch::Tensor shard(const torch::Tensor &data, const Dist &dist)
{
    return data.slice(0, dist.rank, data.size(0), dist.world_size);
}

// 在本 rank 的图像上训练 `steps` 个大小为 `batch_size` 的 batch，每一步都在各 rank 之间
// 平均梯度。rank 0 报告各 rank 平均后的损失。返回这些损失。
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
        average_gradients(dist, *model); // 让训练变成数据并行的，就是这一行
        optimizer.step();

        // 用于图表：本步损失在各 rank 上的平均值（再做一次小小的 all-reduce）。
        std::vector<torch::Tensor> mean{loss.detach().reshape({1}).clone()};
        dist.group->allreduce(mean)->wait();
        losses.push_back(mean[0].item<double>() / dist.world_size);
        if (dist.rank == 0)
            lab::loss(step, losses.back());
    }
    return losses;
}

// 测试准确率，同样以数据并行方式计算：每个 rank 对自己的分片分类，再把计数相加。
double evaluate(Dist &dist, torch::nn::Sequential &model, const torch::Tensor &images,
                const torch::Tensor &labels)
{
    torch::NoGradGuard no_grad;
    model->eval();
    const torch::Tensor x = shard(images, dist), y = shard(labels, dist);
    const double correct = model->forward(x).argmax(1).eq(y).sum().item<double>();
    model->train();
    // NCCL 只能归约 GPU 显存中的数据：计数张量要放在图像所在的设备上。
    std::vector<torch::Tensor> counts{
        torch::tensor({correct, double(x.size(0))},
                      torch::TensorOptions().dtype(torch::kDouble).device(x.device()))};
    dist.group->allreduce(counts)->wait();
    return counts[0][0].item<double>() / counts[0][1].item<double>();
}

// 参数的指纹：[总和, 平方和, 按下标加权的和]，用 double 计算。
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

// 每个 rank 的校验和，在每个 rank 上收集齐：[world_size, 3]。
torch::Tensor gather_checksums(Dist &dist, torch::nn::Module &model)
{
    std::vector<torch::Tensor> input{checksum(model).to(rank_device(dist))};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < dist.world_size; ++r)
        output[0].push_back(torch::empty_like(input[0]));
    dist.group->allgather(output, input)->wait();
    return torch::stack(output[0]).cpu();
}

// "[-7.83, 3.62]"：每个 rank 一个数。
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

        // 每个 rank 有自己的种子，所以各自打乱分片的顺序不同——初始的随机权重也不同，
        // 直到 broadcast_parameters() 把 rank 0 的权重复制过来。
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

        // 每个 rank 必须走相同的步数：提前停下的 rank 会让其他 rank
        // 一直卡在 all-reduce 里等待。
        const int64_t steps = lab::quick() ? 200 : 900;
        const int64_t batch_size = 64 / dist.world_size; // 全局 batch 仍然是 64
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
        dist.group->barrier()->wait(); // rank 0 的 store 必须活到其他 rank 最后一次使用它之后
        return 0;
    });
}
