// Day 3, lesson 13: the CUDA side of scaled SiLU, out[i] = alpha * x[i] * sigmoid(x[i]).
//
// nvcc compiles this file on its own. It includes only the CUDA runtime, no LibTorch header:
// the launcher takes raw device pointers, an element count and a stream, and exercise.cpp does
// everything that needs a torch::Tensor. The lab compiles it only when it has a GPU, a CUDA build
// of LibTorch and nvcc; it then defines TORCHLAB_WITH_CUDA_KERNELS for the C++ files.
#include <cuda_runtime.h>

#include <cstdint>

// One thread per element. Threads are numbered across the whole grid: block b, thread t handles
// element b * blockDim.x + t. The last block usually has threads past the end; they must not
// touch memory, hence the bounds check. Neighbouring threads read neighbouring floats, so each
// warp's 32 loads combine into a few wide memory transactions (coalescing).
__global__ void scaled_silu_kernel(const float *__restrict__ x, float *__restrict__ out,
                                   int64_t n, float alpha)
{
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) {
        const float v = x[i];
        out[i] = alpha * v / (1.0f + expf(-v));
    }
}

// Launches the kernel on `stream` for n contiguous floats. x and out are device pointers.
// Returns cudaSuccess, or the error of the launch (a bad configuration, no device, ...). The
// kernel itself runs later: errors inside it show up at the next synchronising call.
extern "C" cudaError_t scaled_silu_launch(const float *x, float *out, int64_t n, float alpha,
                                          cudaStream_t stream)
{
    if (n == 0)
        return cudaSuccess; // a grid of zero blocks is an invalid configuration
    constexpr int threads = 256; // a multiple of the 32-thread warp
    const int64_t blocks = (n + threads - 1) / threads; // round up: no element left behind
    if (blocks > 2147483647LL)
        return cudaErrorInvalidConfiguration; // gridDim.x is at most 2^31 - 1
    scaled_silu_kernel<<<unsigned(blocks), threads, 0, stream>>>(x, out, n, alpha);
    return cudaGetLastError();
}
