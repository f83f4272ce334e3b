// Hidden checks for lesson 11: train N steps, save, train M more; compare with load + M steps from
// a fresh model.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

torch::nn::Sequential make_model();
void save_checkpoint(const std::string &path, torch::nn::Sequential &model,
                     torch::optim::Optimizer &optimizer, int64_t step);
int64_t load_checkpoint(const std::string &path, torch::nn::Sequential &model,
                        torch::optim::Optimizer &optimizer);

namespace {

using lab::checks::guarded;

struct Data
{
    std::vector<torch::Tensor> x, y; // batch i is used at step i, in both runs
};

Data make_data(int64_t steps, const torch::Device &device)
{
    torch::manual_seed(21);
    Data d;
    for (int64_t i = 0; i < steps; ++i) {
        d.x.push_back(torch::randn({32, 784}, device));
        d.y.push_back(
            torch::randint(0, 10, {32}, torch::TensorOptions().dtype(torch::kLong).device(device)));
    }
    return d;
}

void train(torch::nn::Sequential &model, torch::optim::Optimizer &optimizer, const Data &d,
           int64_t from, int64_t to)
{
    for (int64_t step = from; step < to; ++step) {
        optimizer.zero_grad();
        torch::nn::functional::cross_entropy(model->forward(d.x[size_t(step)]), d.y[size_t(step)])
            .backward();
        optimizer.step();
    }
}

std::vector<torch::Tensor> snapshot(torch::nn::Sequential &model)
{
    std::vector<torch::Tensor> out;
    for (const auto &p : model->parameters())
        out.push_back(p.detach().clone());
    return out;
}

// Identical on the CPU; on a GPU, allow for the last bit of nondeterministic kernels.
bool same(const std::vector<torch::Tensor> &a, const std::vector<torch::Tensor> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].sizes() != b[i].sizes())
            return false;
        if (a[i].is_cuda() ? !torch::allclose(a[i], b[i], 0, 1e-6) : !torch::equal(a[i], b[i]))
            return false;
    }
    return true;
}

// Adam's per-parameter state (step, exp_avg, exp_avg_sq), in parameter order;
// empty when the optimizer has no state for some parameter.
struct AdamEntry
{
    int64_t step = 0;
    torch::Tensor exp_avg, exp_avg_sq;
};

std::vector<AdamEntry> adam_state(torch::optim::Adam &optimizer, torch::nn::Sequential &model)
{
    std::vector<AdamEntry> entries;
    for (const torch::Tensor &p : model->parameters()) {
        const auto it = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
        if (it == optimizer.state().end())
            return {};
        const auto &s = static_cast<const torch::optim::AdamParamState &>(*it->second);
        entries.push_back(
            {s.step(), s.exp_avg().detach().clone(), s.exp_avg_sq().detach().clone()});
    }
    return entries;
}

bool same_adam(const std::vector<AdamEntry> &a, const std::vector<AdamEntry> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].step != b[i].step || a[i].exp_avg.sizes() != b[i].exp_avg.sizes() ||
            !torch::allclose(a[i].exp_avg, b[i].exp_avg, 0, 1e-7) ||
            !torch::allclose(a[i].exp_avg_sq, b[i].exp_avg_sq, 0, 1e-7))
            return false;
    }
    return true;
}

} // namespace

int main()
{
    return lab::run([] {
        const torch::Device device = lab::device();
        const int64_t n = 6, m = 6;
        const Data data = make_data(n + m, device);
        const auto dir = std::filesystem::temp_directory_path() /
                         ("torchlab-check11-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        const std::string path = (dir / "checkpoint.pt").string();

        // The uninterrupted run: n steps, save, m more steps.
        torch::manual_seed(1);
        auto model = make_model();
        model->to(device);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
        train(model, optimizer, data, 0, n);
        const auto at_save = snapshot(model);
        const auto adam_at_save = adam_state(optimizer, model);
        bool saved = false;
        std::string not_saved;
        guarded("model_restored", [&] {
            save_checkpoint(path, model, optimizer, n);
            saved = std::filesystem::exists(path) && std::filesystem::file_size(path) > 0;
            if (!saved)
                not_saved = "save_checkpoint did not create " + path +
                            ": write the archive with archive.save_to(path) (or "
                            "torch::save(..., path)).";
        });
        train(model, optimizer, data, n, n + m);
        const auto uninterrupted = snapshot(model);

        // The resumed run: a differently initialised model and a fresh optimizer, loaded, then m
        // steps.
        torch::manual_seed(2);
        auto resumed = make_model();
        resumed->to(device);
        torch::optim::Adam resumed_optimizer(resumed->parameters(),
                                             torch::optim::AdamOptions(1e-2));
        int64_t step = -1;
        bool loaded = false;
        guarded("model_restored", [&] {
            if (!saved) {
                if (!not_saved.empty())
                    lab::check("model_restored", false, not_saved);
                return;
            }
            try {
                step = load_checkpoint(path, resumed, resumed_optimizer);
            } catch (const c10::Error &e) {
                lab::check("model_restored", false,
                           std::string("load_checkpoint threw: ") + e.what_without_backtrace() +
                               ". Every key that load_checkpoint reads must have been written by "
                               "save_checkpoint "
                               "under the same name.");
                return;
            }
            loaded = true;
            const bool ok = same(snapshot(resumed), at_save);
            lab::check(
                "model_restored", ok,
                ok ? "the loaded parameters equal the saved ones"
                   : "after load_checkpoint the model's parameters are not the ones that were "
                     "saved: write "
                     "model->save(...) into the archive and read it back with model->load(...).");
        });
        if (!loaded) {
            lab::check("optimizer_restored", false,
                       "the checkpoint could not be loaded; see model_restored.");
            lab::check("step_restored", false,
                       "the checkpoint could not be loaded; see model_restored.");
            lab::check("identical_continuation", false,
                       "the checkpoint could not be loaded; see model_restored.");
            std::filesystem::remove_all(dir);
            return;
        }

        {
            const auto restored = adam_state(resumed_optimizer, resumed);
            std::string why;
            if (restored.empty())
                why = "after load_checkpoint the fresh Adam optimizer has no state: its step "
                      "counts and running averages (exp_avg, exp_avg_sq) were not restored. "
                      "Write optimizer.save(...) into the archive and read it back with "
                      "optimizer.load(...).";
            else if (!same_adam(restored, adam_at_save))
                why = "after load_checkpoint the Adam state (step counts, exp_avg, exp_avg_sq) "
                      "differs from the saved optimizer's: save and load the optimizer of the "
                      "same model, after the model.";
            lab::check("optimizer_restored", why.empty(),
                       why.empty() ? "the optimizer's step counts and running averages come back"
                                   : why);
        }

        lab::check("step_restored", step == n,
                   step == n
                       ? "load_checkpoint returns the saved step"
                       : "load_checkpoint returned step " + std::to_string(step) +
                             ", but the checkpoint was "
                             "saved after " +
                             std::to_string(n) +
                             " steps. Write the step into the archive (archive.write(\"step\", "
                             "torch::tensor(step))) and read it back.");

        guarded("identical_continuation", [&] {
            train(resumed, resumed_optimizer, data, n, n + m);
            const bool ok = same(snapshot(resumed), uninterrupted);
            lab::check("identical_continuation", ok,
                       ok ? "training resumed from the checkpoint continues exactly like the "
                            "uninterrupted run"
                          : "the model was restored, but " + std::to_string(m) +
                                " steps after resuming the parameters differ from the "
                                "uninterrupted run. Adam keeps "
                                "a step count and two running averages per parameter (exp_avg, "
                                "exp_avg_sq); save "
                                "them with optimizer.save(...) and restore them with "
                                "optimizer.load(...).");
        });
        std::filesystem::remove_all(dir);
    });
}
