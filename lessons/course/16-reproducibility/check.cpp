// Hidden checks for lesson 16: seeding, bit-identical reruns, the environment record, and a model
// exported and reloaded. The learner's file is compiled with -Dmain=torchlab_learner_main and
// linked with this one.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

torch::nn::Sequential make_model();

// The same struct as in exercise.cpp.
struct Run
{
    std::vector<double> losses;
    torch::nn::Sequential model = make_model();
};

std::mt19937_64 &augment_rng();
void set_seed(uint64_t seed);
void make_deterministic();
void record_environment(const std::string &path, uint64_t seed);
void save_model(torch::nn::Sequential &model, const std::string &path);
torch::nn::Sequential load_model(const std::string &path, const torch::Device &device);
Run train_run(uint64_t seed, torch::data::datasets::MNIST data, int64_t steps);

namespace {

using lab::checks::flat;
using lab::checks::guarded;
using lab::checks::in_quotes;
using lab::checks::num;

struct TempDir
{
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("torchlab-check16-" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

void check_seeding()
{
    set_seed(7);
    const torch::Tensor a = torch::rand({4});
    const uint64_t ra = augment_rng()();
    set_seed(7);
    const torch::Tensor b = torch::rand({4});
    const uint64_t rb = augment_rng()();
    set_seed(8);
    const torch::Tensor c = torch::rand({4});
    const uint64_t rc = augment_rng()();

    std::string why;
    if (!torch::equal(a, b))
        why = "after set_seed(7), torch::rand({4}) gave different numbers each time: seed "
              "LibTorch's generator with torch::manual_seed(seed).";
    else if (torch::equal(a, c))
        why = "set_seed(7) and set_seed(8) give the same torch::rand numbers: seed with the "
              "value you are given, not a constant.";
    else if (ra != rb)
        why = "LibTorch's generator is seeded, but augment_rng() gives different numbers after "
              "set_seed(7) each time. torch::manual_seed does not reach a std::mt19937_64: "
              "call augment_rng().seed(seed) too.";
    else if (ra == rc)
        why = "augment_rng() gives the same numbers after set_seed(7) and set_seed(8): seed it "
              "with the value you are given.";
    else if (torch::cuda::is_available()) {
        set_seed(7);
        const torch::Tensor g1 = torch::rand({4}, torch::kCUDA);
        set_seed(7);
        const torch::Tensor g2 = torch::rand({4}, torch::kCUDA);
        if (!torch::equal(g1, g2))
            why = "the GPU's generator is not seeded: torch::manual_seed seeds every device; "
                  "or add torch::cuda::manual_seed_all(seed).";
    }
    lab::check("seeds_generators", why.empty(),
               why.empty() ? "set_seed() seeds LibTorch's generators and augment_rng()." : why);
}

void check_reruns(const torch::data::datasets::MNIST &data, int64_t steps)
{
    const Run first = train_run(11, data, steps);
    const Run second = train_run(11, data, steps);
    std::string why;
    if (first.losses.size() != size_t(steps) || second.losses.size() != size_t(steps))
        why = "train_run() returned " + std::to_string(first.losses.size()) + " losses for " +
              std::to_string(steps) + " steps.";
    else {
        size_t same = 0;
        while (same < first.losses.size() && first.losses[same] == second.losses[same])
            ++same;
        if (same < first.losses.size())
            why = "two training runs with seed 11 differ from step " + std::to_string(same) +
                  " on (loss " + num(first.losses[same], 10) + " versus " +
                  num(second.losses[same], 10) + ")." +
                  (same == 0 ? " Already the first loss differs: the initial weights, the first "
                               "batch or its augmentation came from unseeded generators."
                             : " The first steps agree, so something random later in the run "
                               "is not seeded.");
    }
    lab::check("same_seed_same_losses", why.empty(),
               why.empty() ? "two runs with seed 11 give bit-identical losses over " +
                                 std::to_string(steps) + " steps."
                           : why);
}

// Reads lines of the form   "key": value,   into a map of key -> value text.
std::map<std::string, std::string> read_entries(const std::string &text)
{
    std::map<std::string, std::string> entries;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto open = line.find('"');
        const auto close = open == std::string::npos ? open : line.find('"', open + 1);
        const auto colon = close == std::string::npos ? close : line.find(':', close);
        if (colon == std::string::npos)
            continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.back() == ',' || value.back() == ' ' ||
                                  value.back() == '\r' || value.back() == '\t'))
            value.pop_back();
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.erase(0, 1);
        entries[line.substr(open + 1, close - open - 1)] = value;
    }
    return entries;
}

void check_environment(const TempDir &dir)
{
    const std::string path = (dir.path / "environment.json").string();
    make_deterministic();
    record_environment(path, 1234);
    std::ifstream file(path);
    if (!file) {
        lab::check("environment_file", false,
                   "record_environment() wrote no file at " + path + ".");
        return;
    }
    std::stringstream buffer;
    buffer << file.rdbuf();
    const std::string text = buffer.str();
    const auto entries = read_entries(text);
    const bool deterministic = at::globalContext().deterministicAlgorithms();
    struct Expect
    {
        std::string key, want, what;
        std::function<bool(const std::string &)> ok;
    };
    const std::vector<Expect> expected = {
        {"torch", in_quotes(TORCH_VERSION), "TORCH_VERSION",
         [&](const std::string &v) { return v == in_quotes(TORCH_VERSION); }},
        {"device", in_quotes(lab::device().str()), "lab::device().str()",
         [&](const std::string &v) { return v == in_quotes(lab::device().str()); }},
        {"threads", std::to_string(torch::get_num_threads()), "torch::get_num_threads()",
         [&](const std::string &v) { return v == std::to_string(torch::get_num_threads()); }},
        {"compiler", in_quotes(__VERSION__), "__VERSION__",
         [&](const std::string &v) { return v == in_quotes(__VERSION__); }},
        {"deterministic", deterministic ? "true" : "false",
         "at::globalContext().deterministicAlgorithms()",
         [&](const std::string &v) { return v == (deterministic ? "true" : "false"); }},
        {"seed", "1234", "the seed you are given",
         [&](const std::string &v) { return v == "1234"; }},
    };
    std::string missing, wrong;
    for (const Expect &e : expected) {
        const auto it = entries.find(e.key);
        if (it == entries.end())
            missing += (missing.empty() ? "" : ", ") + in_quotes(e.key);
        else if (!e.ok(it->second))
            wrong += " \"" + e.key + "\" is " + it->second + ", expected " + e.want + " (" +
                     e.what + ").";
    }
    std::string why;
    if (!missing.empty())
        why = "The file has no line for " + missing +
              ". Write one line per key, for example \"torch\": \"" TORCH_VERSION "\",";
    why += wrong;
    const auto first = text.find_first_not_of(" \n\t");
    const auto last = text.find_last_not_of(" \n\t");
    if (why.empty() && (first == std::string::npos || text[first] != '{' || text[last] != '}'))
        why = "The entries are right, but the file should be one JSON object: start with { and "
              "end with }.";
    lab::check("environment_file", why.empty(),
               why.empty() ? "the environment record names LibTorch, device, threads, compiler, "
                             "determinism and seed."
                           : "record_environment(path, 1234): " + why);
}

void check_reload(const torch::data::datasets::MNIST &data, const TempDir &dir)
{
    const torch::Device device = lab::device();
    Run trained = train_run(21, data, 30);
    const std::string path = (dir.path / "model.pt").string();
    save_model(trained.model, path);
    std::error_code no_file;
    const auto bytes = std::filesystem::file_size(path, no_file);
    if (no_file || bytes == 0) {
        lab::check("reload_identical", false,
                   "save_model(model, path) wrote no file at " + path +
                       ": write the module with torch::save(model, path).");
        return;
    }
    torch::nn::Sequential loaded = load_model(path, device);

    // Compare the state first: a forward pass in training mode would update batch norm's
    // running statistics.
    const bool same_params =
        torch::equal(flat(loaded->parameters()), flat(trained.model->parameters()));
    const bool same_buffers = torch::equal(flat(loaded->buffers()), flat(trained.model->buffers()));
    bool on_device = true;
    for (const auto &p : loaded->parameters())
        on_device = on_device && p.device() == device;
    const bool training = loaded->is_training();

    const torch::Tensor x = torch::rand({64, 1, 28, 28}, device);
    torch::Tensor want, got;
    {
        torch::NoGradGuard no_grad;
        trained.model->eval();
        want = trained.model->forward(x);
        got = loaded->forward(x); // as load_model returned it
    }
    std::string why;
    if (!same_params)
        why = "the loaded model's weights are not the saved ones: load the file into the fresh "
              "model with torch::load(model, path, device).";
    else if (!same_buffers)
        why = "the weights match, but BatchNorm's running statistics (buffers) do not: save and "
              "load the whole module with torch::save / torch::load, not only parameters().";
    else if (!on_device)
        why = "the loaded weights are not on " + device.str() +
              ": pass the device to torch::load(model, path, device).";
    else if (!torch::equal(got, want))
        why = training ? "the weights are right, but load_model() returns the model in training "
                         "mode: dropout is on and batch norm normalises with the batch's own "
                         "statistics. Call model->eval() before returning it."
                       : "the reloaded model's predictions differ from the trained model's.";
    lab::check("reload_identical", why.empty(),
               why.empty() ? "the reloaded model predicts exactly what the trained one did (" +
                                 std::to_string(bytes) + " bytes on disk)."
                           : why);
}

} // namespace

int main()
{
    return lab::run([]() -> int {
        // The runs below use deterministic mode; on a GPU cuBLAS needs this before its first call
        // (make_deterministic() sets it too, but only once check_environment has called it).
        ::setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
        TempDir dir;
        guarded("seeds_generators", [] { check_seeding(); });
        guarded("environment_file", [&] { check_environment(dir); });

        const std::string root = lab::data_dir() + "/fashion-mnist";
        if (!std::filesystem::exists(root + "/train-images-idx3-ubyte")) {
            const std::string why = "Fashion-MNIST was not found in " + root +
                                    " (train-images-idx3-ubyte etc.). The lab unpacks it on "
                                    "first use; run `torchlab-cli doctor` to see why it is "
                                    "missing.";
            lab::check("same_seed_same_losses", false, why);
            lab::check("reload_identical", false, why);
            return 0;
        }
        const torch::data::datasets::MNIST data(root, torch::data::datasets::MNIST::Mode::kTrain);
        guarded("same_seed_same_losses", [&] { check_reruns(data, lab::quick() ? 40 : 100); });
        guarded("reload_identical", [&] { check_reload(data, dir); });
        return 0;
    });
}
