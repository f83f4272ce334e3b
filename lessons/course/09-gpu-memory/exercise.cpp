// Day 2, lesson 9: where GPU memory goes.
// Estimate the memory a training step needs, pick the largest batch that fits, and evaluate without
// a graph.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <vector>

// Bytes of the activations one forward pass keeps for backward: `widths` lists the number of
// features of each kept tensor (each is [batch, width]); every value takes the element size of
// `dtype` (4 for kFloat).
int64_t activation_bytes(int64_t batch, const std::vector<int64_t> &widths, torch::ScalarType dtype)
{
    // TODO: add up the widths, multiply by the batch size and by the bytes per element of dtype
    //       (c10::elementSize(dtype)). Keep everything in int64_t: real budgets exceed 2^31 bytes.
    (void)batch, (void)widths, (void)dtype;
    return 0;
}

// Bytes that stay allocated for the whole training run, whatever the batch size: the parameters,
// their gradients, and for Adam its two running averages (exp_avg and exp_avg_sq) per parameter.
int64_t training_state_bytes(int64_t parameters, torch::ScalarType dtype, bool adam)
{
    // TODO: how many copies of every parameter live in memory? Weights, gradients, and for Adam two
    // more.
    (void)parameters, (void)dtype, (void)adam;
    return 0;
}

// The largest batch for which fixed_bytes + activation_bytes(batch, ...) is at most budget_bytes; 0
// if not even one example fits.
int64_t largest_batch(int64_t budget_bytes, int64_t fixed_bytes, const std::vector<int64_t> &widths,
                      torch::ScalarType dtype)
{
    // TODO: the bytes one example needs are activation_bytes(1, widths, dtype); what is left of the
    // budget after
    //       the fixed bytes, divided by that, rounded down. Never return a negative batch.
    (void)budget_bytes, (void)fixed_bytes, (void)widths, (void)dtype;
    return 0;
}

// The model's outputs for x, computed without recording an autograd graph.
torch::Tensor evaluate(torch::nn::Sequential &model, const torch::Tensor &x)
{
    // TODO: switch off graph recording for this forward pass with a torch::NoGradGuard.
    return model->forward(x);
}

// Bytes in live CUDA tensors on the current device, as the caching allocator counts them; -1
// without a GPU (the CPU allocator keeps no such statistics).
int64_t cuda_allocated_bytes()
{
#ifdef TORCHLAB_WITH_CUDA
    if (torch::cuda::is_available()) // entry 0 of the stats: all memory pools together
        return c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device())
            .allocated_bytes[0]
            .current;
#endif
    return -1;
}

int main()
{
    return lab::run([] {
        // A forward pass of the 784-128-10 network leaves alive its input (fc1's addmm saves it
        // for the weight gradient), the ReLU's result (saved by ReLU and by fc2's addmm: one
        // tensor) and the logits (the output you hold). fc1's output is freed once the ReLU ran.
        const std::vector<int64_t> kept = {784, 128, 10};
        const int64_t parameters = 101770;
        const int64_t fixed = training_state_bytes(parameters, torch::kFloat, /*adam=*/true);
        std::cout << "training state (weights, gradients, Adam): " << fixed << " bytes\n";
        for (const int64_t batch : {64, 1024, 65536})
            std::cout << "activations for a batch of " << batch << ": "
                      << activation_bytes(batch, kept, torch::kFloat) << " bytes\n";
        const int64_t budget = int64_t(1) << 30; // 1 GiB
        std::cout << "largest batch in 1 GiB: " << largest_batch(budget, fixed, kept, torch::kFloat)
                  << " (float), " << largest_batch(budget, fixed, kept, torch::kHalf)
                  << " (half)\n";

        // Measure the same thing: the lab's memory plot shows these steps on a GPU.
        const torch::Device device = lab::device();
        torch::manual_seed(0);
        torch::nn::Sequential model(torch::nn::Flatten(), torch::nn::Linear(784, 128),
                                    torch::nn::ReLU(), torch::nn::Linear(128, 10));
        model->to(device);
        // The first matmul creates cuBLAS's workspace: keep it out of the figures below.
        if (device.is_cuda())
            model->forward(torch::randn({1, 784}, device));
        int64_t step = 0;
        lab::memory(step++);
        // Bigger batches on a GPU, so that the curves stand out; small ones keep the CPU run short.
        const std::vector<int64_t> batches = device.is_cuda()
                                                 ? std::vector<int64_t>{8192, 32768, 131072}
                                                 : std::vector<int64_t>{256, 1024, 4096};
        for (const int64_t batch : batches) {
            const int64_t before = cuda_allocated_bytes();
            const auto x = torch::randn({batch, 784}, device);
            {
                const auto y =
                    model->forward(x); // with a graph: activations stay alive until y goes
                lab::memory(step++);
                const int64_t estimate = activation_bytes(batch, kept, torch::kFloat);
                if (before >= 0)
                    std::cout << "batch " << batch << ": the caching allocator measured "
                              << cuda_allocated_bytes() - before
                              << " bytes, activation_bytes() says " << estimate << "\n";
                else
                    std::cout << "batch " << batch << ": activation_bytes() calculates " << estimate
                              << " bytes (no GPU: a calculation, not a measurement)\n";
                const auto z = evaluate(model, x); // without a graph
                lab::memory(step++);
                std::cout << "batch " << batch << ": output requires_grad " << y.requires_grad()
                          << " with a graph, " << (z.defined() ? z.requires_grad() : false)
                          << " in evaluate()\n";
            }
            lab::memory(step++);
        }
#ifdef TORCHLAB_WITH_CUDA
        if (device.is_cuda()) {
            // Freed blocks stay reserved by the caching allocator until you give them back.
            c10::cuda::CUDACachingAllocator::emptyCache();
            lab::memory(step++);
        }
#endif
        if (!device.is_cuda())
            lab::note(
                "No GPU here: the activation figures are calculated by activation_bytes(), "
                "not measured (the CPU allocator keeps no statistics), and the memory plot "
                "shows this process's resident memory instead of the CUDA allocator's curves.");
    });
}
