// Lesson 1: Hello LibTorch
//
// Press Run first: the program prints what LibTorch sees on this machine.
// Then complete the three TODOs below. Check runs hidden tests on
// libtorch_version(), pick_device() and describe() with several inputs.
#include <torch/torch.h>
#include <torchlab/lab.h>

#include <iostream>
#include <sstream>
#include <string>

// The version of LibTorch this program was compiled against, e.g. "1.13.0".
std::string libtorch_version()
{
    // TODO: return the TORCH_VERSION macro (from <torch/version.h>, which
    //       <torch/torch.h> already includes).
    return "unknown";
}

// CUDA device 0 when prefer_cuda is true and LibTorch can use a GPU here;
// the CPU in every other case.
torch::Device pick_device(bool prefer_cuda)
{
    // TODO: when prefer_cuda is true, ask torch::cuda::is_available() and
    //       return torch::Device(torch::kCUDA, 0) if it says yes.
    (void)prefer_cuda;
    return torch::Device(torch::kCPU);
}

// One line about a tensor: "<scalar type> [<sizes>] on <device>", for example
// "Float [2, 3] on cpu", "Long [5] on cpu", "Double [] on cpu" (a 0-dim tensor)
// or "Float [4] on cuda:0". An undefined tensor gives "undefined".
std::string describe(const torch::Tensor &t)
{
    // TODO: check t.defined() first, then write t.scalar_type(), t.sizes()
    //       and t.device() into a std::ostringstream.
    (void)t;
    return "";
}

int main()
{
    std::cout << "LibTorch " << libtorch_version() << "\n";
    std::cout << "CPU threads: " << torch::get_num_threads() << "\n";

    const bool cuda = torch::cuda::is_available();
    std::cout << "CUDA available: " << (cuda ? "yes" : "no")
              << ", CUDA devices: " << torch::cuda::device_count() << "\n";
    if (!cuda) {
        std::cout << "No GPU for LibTorch here; everything below runs on the CPU.\n"
                  << "If this machine has an NVIDIA GPU, `torchlab-cli doctor` says why.\n";
    }

    const torch::Device device = pick_device(/*prefer_cuda=*/true);
    std::cout << "Using device: " << device << "\n";

    // Tensors are created on the CPU unless you say otherwise.
    const torch::Tensor x = torch::rand({2, 3}, device);
    const torch::Tensor gram = torch::matmul(x, x.t());
    std::cout << "x         : " << describe(x) << "\n";
    std::cout << "x x^T     : " << describe(gram) << "\n" << gram << "\n";
    std::cout << "arange(5) : " << describe(torch::arange(5)) << "\n";
    std::cout << "sum       : " << describe(gram.sum()) << "\n";
    std::cout << "undefined : " << describe(torch::Tensor()) << "\n";
    return 0;
}
