#pragma once
// The one generated header a CUDA LibTorch has and Debian's CPU libtorch-dev
// lacks (its c10/cuda headers are shipped without it). Same content as the
// file CMake writes into a CUDA build of LibTorch.
#define C10_CUDA_BUILD_SHARED_LIBS
