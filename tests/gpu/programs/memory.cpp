// GPU check, item 3: a run whose GPU memory moves. Tensors of 64 MiB pile up
// and some are freed again (so reserved stays above allocated), with a
// lab::memory() report per step and 100 ms between steps, about two seconds
// in all: enough for NVML's 10 Hz samples to see the process.
#include <torch/torch.h>

#include <torchlab/lab.h>

#include <chrono>
#include <thread>
#include <vector>

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        std::vector<torch::Tensor> kept;
        for (int64_t step = 0; step < 20; ++step) {
            kept.push_back(torch::randn({1024, 1024, 16}, device));
            if (step % 5 == 4)
                kept.erase(kept.begin(), kept.begin() + 2);
            if (device.is_cuda())
                torch::cuda::synchronize();
            lab::memory(step);
            lab::metric("tensors", step, double(kept.size()));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}
