// GPU check, item 6: an all-reduce over NCCL between the ranks run.sh starts
// (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT as torchrun sets them). Rank r
// contributes r + 1; every rank must end with 1 + 2 + ... + WORLD_SIZE.
// Each rank takes GPU (rank % device_count): with fewer GPUs than ranks NCCL
// refuses, and its own words say why.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

int env_int(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

} // namespace

int main()
{
    return lab::run([]() -> int {
#ifndef USE_C10D_NCCL
        std::cout << "NCCL: this LibTorch profile has no NCCL (USE_C10D_NCCL is not defined)\n";
        return 2;
#else
        const int rank = env_int("RANK", 0), world = env_int("WORLD_SIZE", 1);
        const int gpus = int(torch::cuda::device_count());
        if (gpus == 0) {
            std::cout << "NCCL: no GPU is visible to LibTorch\n";
            return 2;
        }
        c10d::TCPStoreOptions options;
        options.port = uint16_t(env_int("MASTER_PORT", 29500));
        options.isServer = rank == 0;
        options.numWorkers = size_t(world);
        options.waitWorkers = true;
        options.timeout = std::chrono::seconds(60);
        const char *addr = std::getenv("MASTER_ADDR");
        auto store = c10::make_intrusive<c10d::TCPStore>(addr ? addr : "127.0.0.1", options);
        auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
        nccl_options->timeout = std::chrono::seconds(60);
        auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world, nccl_options);

        const torch::Device device(torch::kCUDA, int8_t(rank % gpus));
        std::vector<torch::Tensor> tensors{
            torch::full({4}, float(rank + 1), torch::TensorOptions().device(device))};
        group->allreduce(tensors)->wait();
        torch::cuda::synchronize();
        const float expected = float(world * (world + 1) / 2);
        const bool ok = tensors[0].eq(expected).all().item<bool>();
        std::cout << "rank " << rank << " of " << world << " on " << device << ": all-reduce gave "
                  << tensors[0][0].item<float>() << ", expected " << expected << "\n";
        lab::check("nccl_allreduce", ok, "rank " + std::to_string(rank));
        return ok ? 0 : 1;
#endif
    });
}
