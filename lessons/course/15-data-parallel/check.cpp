// Hidden checks for lesson 15. The lab runs this file's main() once per rank (RANK=0 and RANK=1),
// so every check below runs on both ranks, and the collectives the checks call themselves are
// called by both in the same order. The learner's file is compiled with
// -Dmain=torchlab_learner_main and linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
using Collectives = c10d::Backend;
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
using Collectives = c10d::ProcessGroup;
#endif

#include <filesystem>
#include <functional>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

// The same struct as in exercise.cpp.
struct Dist
{
    int rank = 0;
    int world_size = 1;
    int local_rank = 0;
    bool launched = false;
    std::string backend;
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Collectives> group;
};

Dist init_distributed();
torch::Device rank_device(const Dist &dist);
void broadcast_parameters(Dist &dist, torch::nn::Module &model);
void average_gradients(Dist &dist, torch::nn::Module &model);
torch::nn::Sequential make_model();
torch::Tensor shard(const torch::Tensor &data, const Dist &dist);
std::vector<double> train(Dist &dist, torch::nn::Sequential &model, const torch::Tensor &images,
                          const torch::Tensor &labels, int64_t steps, int64_t batch_size);

namespace {

using lab::checks::attempt;
using lab::checks::first_line;
using lab::checks::flat;
using lab::checks::num;
using lab::checks::sentence;

const char *const kAllChecks[] = {"broadcast_parameters", "average_gradients",
                                  "parameters_identical", "learns"};

// The first line of an error, as a sentence, with advice for the errors this lesson provokes.
std::string explain(std::string error)
{
    error = sentence(first_line(error));
    if (error.find("AVG with Gloo") != std::string::npos)
        error += " Gloo has no AVG: all-reduce with the default SUM and divide by world_size.";
    else if (error.find("invalid tensor type") != std::string::npos)
        error += " All tensors of one collective must have the same dtype and device.";
    else if (error.find("undefined") != std::string::npos)
        error += " Skip parameters whose grad() is not defined.";
    return error;
}

std::string rank_text(const Dist &dist)
{
    return "rank " + std::to_string(dist.rank) + ": ";
}

// Where the checks' tensors meet the process group: NCCL (TORCHLAB_DIST_BACKEND=nccl) works on
// GPU memory only, this rank's GPU; Gloo takes CPU tensors.
torch::Device collective_device(const Dist &dist)
{
    return dist.backend == "nccl" ? rank_device(dist) : torch::Device(torch::kCPU);
}

// The checks' own collectives, so that a check never depends on the code it checks. They take
// and return CPU tensors.
torch::Tensor own_broadcast(Dist &dist, const torch::Tensor &t)
{
    std::vector<torch::Tensor> one{t.clone().to(collective_device(dist))};
    dist.group->broadcast(one)->wait();
    return one[0].cpu();
}

torch::Tensor own_allgather(Dist &dist, const torch::Tensor &t)
{
    std::vector<torch::Tensor> input{t.contiguous().to(collective_device(dist))};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < dist.world_size; ++r)
        output[0].push_back(torch::empty_like(input[0]));
    dist.group->allgather(output, input)->wait();
    return torch::stack(output[0]).cpu();
}

// [sum, sum of squares, index-weighted sum] of all parameters, in double.
torch::Tensor checksum(torch::nn::Module &model)
{
    const torch::Tensor all = flat(model.parameters());
    const torch::Tensor weights = torch::arange(all.numel(), all.options()).remainder(97).add(1);
    return torch::stack({all.sum(), all.pow(2).sum(), (all * weights).sum()});
}

// "rank 0 12.3456, rank 1 12.3401"
std::string by_rank(const torch::Tensor &checksums)
{
    std::string out;
    for (int64_t r = 0; r < checksums.size(0); ++r)
        out += (r ? ", rank " : "rank ") + std::to_string(r) + " " +
               num(checksums[r][0].item<double>(), 9);
    return out;
}

bool all_equal(const torch::Tensor &rows)
{
    return torch::equal(rows, rows[0].unsqueeze(0).expand_as(rows));
}

// Reports a check that every rank evaluated for itself. The ranks first agree on the verdict,
// so that a pass is reported once (by rank 0) and a failure by each rank that failed, with its
// own words.
void report(Dist &dist, const std::string &name, bool ok, const std::string &message)
{
    std::vector<torch::Tensor> failures{
        torch::tensor({ok ? 0.0f : 1.0f}).to(collective_device(dist))};
    dist.group->allreduce(failures)->wait();
    const bool all_ok = failures[0].item<float>() == 0;
    if (!ok || (all_ok && dist.rank == 0))
        lab::check(name, ok, message);
}

// A model with parameters and buffers (BatchNorm's running statistics).
torch::nn::Sequential probe_model()
{
    return torch::nn::Sequential(torch::nn::Linear(6, 8), torch::nn::BatchNorm1d(8),
                                 torch::nn::ReLU(), torch::nn::Linear(8, 3));
}

void check_broadcast(Dist &dist)
{
    // Different weights and running statistics on every rank, as after a per-rank seed.
    // On the device the learner's collectives must use (a GPU for NCCL).
    const torch::Device device = collective_device(dist);
    torch::manual_seed(1000 + dist.rank);
    torch::nn::Sequential model = probe_model();
    model->to(device);
    {
        torch::NoGradGuard no_grad;
        model->forward((torch::randn({16, 6}) * (dist.rank + 1) + dist.rank).to(device));
    }
    const torch::Tensor params_before = flat(model->parameters());
    const torch::Tensor buffers_before = flat(model->buffers());
    const torch::Tensor want_params = own_broadcast(dist, params_before);
    const torch::Tensor want_buffers = own_broadcast(dist, buffers_before);

    std::string error;
    if (!attempt([&] { broadcast_parameters(dist, *model); }, error)) {
        report(dist, "broadcast_parameters", false,
               rank_text(dist) + "broadcast_parameters() threw: " + explain(error));
        return;
    }
    const torch::Tensor params = flat(model->parameters());
    const torch::Tensor buffers = flat(model->buffers());
    std::string why;
    bool requires_grad = true;
    for (const auto &p : model->parameters())
        requires_grad = requires_grad && p.requires_grad() && p.is_leaf();
    if (params.sizes() != want_params.sizes() || buffers.sizes() != want_buffers.sizes())
        why = "the model's parameters or buffers changed shape.";
    else if (dist.rank == 0 && !torch::equal(params, params_before))
        why = "rank 0's parameters changed. Rank 0 is the source of the broadcast: its values "
              "must stay as they are (BroadcastOptions::rootRank = 0).";
    else if (!torch::equal(params, want_params))
        why = torch::equal(params, params_before)
                  ? "the parameters are still this rank's own random ones, not rank 0's. "
                    "Broadcast every tensor of model.parameters() from rank 0 and wait() for "
                    "each."
                  : "the parameters changed, but they are not rank 0's: broadcast from "
                    "rootRank 0, in place on each parameter (p.detach() shares its memory).";
    else if (!torch::equal(buffers, want_buffers))
        why = "the parameters equal rank 0's, but the buffers (BatchNorm's running_mean and "
              "running_var) do not: broadcast model.buffers() too.";
    else if (!requires_grad)
        why = "the parameters must still be leaf tensors that require grad: broadcast into "
              "them in place (under torch::NoGradGuard, or on p.detach()).";
    report(dist, "broadcast_parameters", why.empty(),
           why.empty() ? "every rank's parameters and buffers equal rank 0's."
                       : rank_text(dist) + why);
}

void check_average(Dist &dist)
{
    // Every rank computes a gradient it knows: d/dp sum(p * c) = c, with c = (rank + 1) * base.
    const torch::Device device = collective_device(dist);
    torch::manual_seed(5);
    torch::nn::Sequential model =
        torch::nn::Sequential(torch::nn::Linear(4, 3), torch::nn::ReLU(), torch::nn::Linear(3, 2));
    model->to(device);
    const std::vector<torch::Tensor> params = model->parameters();
    std::vector<torch::Tensor> base;
    torch::Tensor loss = torch::zeros({}, torch::TensorOptions().device(device));
    for (size_t i = 0; i < params.size(); ++i) {
        base.push_back(torch::arange(1, params[i].numel() + 1,
                                     torch::TensorOptions().dtype(torch::kFloat).device(device))
                           .reshape(params[i].sizes())
                           .div(float(i + 1)));
        loss = loss + (params[i] * base[i] * float(dist.rank + 1)).sum();
    }
    loss.backward();
    const torch::Tensor params_before = flat(params);
    const double w = dist.world_size;
    const torch::Tensor own = flat(base) * double(dist.rank + 1);
    const torch::Tensor mean = flat(base) * ((w + 1) / 2);
    const torch::Tensor sum = flat(base) * (w * (w + 1) / 2);

    std::string error;
    if (!attempt([&] { average_gradients(dist, *model); }, error)) {
        report(dist, "average_gradients", false,
               rank_text(dist) + "average_gradients() threw: " + explain(error));
        return;
    }
    std::vector<torch::Tensor> grads;
    bool defined = true;
    for (const auto &p : params) {
        defined = defined && p.grad().defined();
        grads.push_back(p.grad().defined() ? p.grad() : torch::zeros_like(p));
    }
    const torch::Tensor got = flat(grads);
    std::string why;
    if (!defined)
        why = "a gradient is undefined after average_gradients(): all-reduce p.grad() in place "
              "instead of resetting it.";
    else if (!torch::equal(flat(params), params_before))
        why = "average_gradients() changed the parameters. It must change only their "
              "gradients; optimizer.step() does the update.";
    else if (torch::allclose(got, own))
        why = "the gradients did not change: every rank still has only its own. All-reduce "
              "each parameter's p.grad() (the default reduce op is SUM) and wait() for it.";
    else if (torch::allclose(got, sum))
        why = "the gradients are the sum over the ranks (" + num(got[0].item<double>(), 6) +
              " where the mean is " + num(mean[0].item<double>(), 6) +
              "): divide by world_size after the all-reduce.";
    else if (!torch::allclose(got, mean, 1e-5, 1e-6)) {
        const int64_t worst = (got - mean).abs().argmax().item<int64_t>();
        why = "gradient element " + std::to_string(worst) + " is " +
              num(got[worst].item<double>(), 6) + "; the mean over the ranks is " +
              num(mean[worst].item<double>(), 6) +
              ". All-reduce every parameter's gradient with "
              "SUM, then divide it by world_size.";
    }
    report(dist, "average_gradients", why.empty(),
           why.empty() ? "on every rank, every gradient is the mean over the ranks."
                       : rank_text(dist) + why);
}

void check_training(Dist &dist)
{
    const std::string root = lab::data_dir() + "/fashion-mnist";
    if (!std::filesystem::exists(root + "/train-images-idx3-ubyte") ||
        !std::filesystem::exists(root + "/t10k-images-idx3-ubyte")) {
        const std::string why =
            "Fashion-MNIST was not found in " + root +
            " (train-images-idx3-ubyte etc.). The lab unpacks it on first use; run "
            "`torchlab-cli doctor` to see why it is missing.";
        if (dist.rank == 0) { // the ranks share the machine, and so the data directory
            lab::check("parameters_identical", false, why);
            lab::check("learns", false, why);
        }
        return;
    }
    using torch::data::datasets::MNIST;
    const torch::Device device = rank_device(dist);
    MNIST train_set(root, MNIST::Mode::kTrain);
    MNIST test_set(root, MNIST::Mode::kTest);
    const torch::Tensor images = shard(train_set.images(), dist).to(device);
    const torch::Tensor labels = shard(train_set.targets(), dist).to(device);
    const int64_t steps = lab::quick() ? 200 : 400;

    // As in main(): a seed per rank, then the learner's broadcast, training and averaging.
    torch::manual_seed(2000 + dist.rank);
    torch::nn::Sequential model = make_model();
    model->to(device);
    torch::Tensor start, end;
    std::string error;
    const bool ran = attempt(
        [&] {
            broadcast_parameters(dist, *model);
            start = own_allgather(dist, checksum(*model));
            train(dist, model, images, labels, steps, 32);
            end = own_allgather(dist, checksum(*model));
        },
        error);
    if (!ran) {
        const std::string why = rank_text(dist) + "training threw: " + explain(error);
        report(dist, "parameters_identical", false, why);
        report(dist, "learns", false, why);
        return;
    }

    std::string why;
    if (!all_equal(start))
        why = "The ranks started training from different weights (weight sums " + by_rank(start) +
              "): broadcast_parameters() must give every rank rank 0's parameters first.";
    if (!all_equal(end))
        why += std::string(why.empty() ? "" : " ") + "After " + std::to_string(steps) +
               " steps the ranks hold different parameters (weight sums " + by_rank(end) + ")" +
               (all_equal(start) ? ", although they started identical: each rank stepped with "
                                   "the gradient of its own batch. average_gradients() must "
                                   "all-reduce the gradients before optimizer.step()."
                                 : ".");
    // Every rank gathered every checksum, so all reach the same verdict: rank 0 reports it.
    if (dist.rank == 0)
        lab::check("parameters_identical", why.empty(),
                   why.empty() ? "after " + std::to_string(steps) +
                                     " steps every rank holds the same parameters (weight sum " +
                                     num(end[0][0].item<double>(), 9) + ")."
                               : why);

    // 1000 test images this rank never trained on, evaluated by the check itself.
    double acc = 0;
    {
        torch::NoGradGuard no_grad;
        model->eval();
        const torch::Tensor x = test_set.images().slice(0, 0, 1000).to(device);
        const torch::Tensor y = test_set.targets().slice(0, 0, 1000).to(device);
        acc = model->forward(x).argmax(1).eq(y).to(torch::kFloat).mean().item<double>();
        model->train();
    }
    // Ranks that each trained a copy of their own learn too, but that is not
    // data-parallel training: the accuracy counts only for one shared model.
    if (!why.empty()) {
        report(dist, "learns", false,
               rank_text(dist) + "the model gets " + num(acc, 3) +
                   " of 1000 held-out images right, but the ranks do not hold one shared "
                   "model (see parameters_identical), so this is not the data-parallel model "
                   "learning.");
        return;
    }
    lab::metric("heldout_accuracy", steps, acc);
    const bool learned = acc > 0.75;
    report(dist, "learns", learned,
           rank_text(dist) + (learned ? "held-out accuracy " + num(acc, 3) + "."
                                      : "after training the model gets " + num(acc, 3) +
                                            " of 1000 held-out images right; expected more "
                                            "than 0.75. Check that train() still calls "
                                            "optimizer.step() every step."));
}

} // namespace

int main()
{
    return lab::run([]() -> int {
        Dist dist;
        std::string error;
        if (!attempt([&] { dist = init_distributed(); }, error) || !dist.group) {
            for (const char *name : kAllChecks)
                lab::check(name, false,
                           "init_distributed() failed: " +
                               (error.empty() ? std::string("it returned no process group.")
                                              : explain(error)));
            return 1;
        }
        if (dist.world_size < 2) {
            for (const char *name : kAllChecks)
                lab::check(name, false,
                           "These checks need 2 ranks, and this run has world size 1. The lab "
                           "starts 2 when you press Check; by hand, start two copies with RANK=0 "
                           "and RANK=1, WORLD_SIZE=2, MASTER_ADDR=127.0.0.1 and a free "
                           "MASTER_PORT.");
            return 0;
        }
        check_broadcast(dist);
        check_average(dist);
        check_training(dist);
        dist.group->barrier()->wait(); // rank 0's store must outlive the others' last use of it
        return 0;
    });
}
