// Hidden checks for lesson 21: the learner's CMakeLists.txt configures, compiles and links app.cpp
// against LibTorch as C++17, Release by default, and the program it builds prints the right count.
//
// The lab compiles app.cpp (with -Dmain=torchlab_learner_main) and this file as usual; this
// program then does what the learner would do in a terminal, on a copy of the learner's files in
// a fresh folder of the run's working folder:
//   cmake -S src -B build -DCMAKE_PREFIX_PATH=<the LibTorch this program runs on>
//   cmake --build build -j 2
//   build/app
// plus a second configure with -DCMAKE_BUILD_TYPE=Debug (nothing built), to see that the command
// line still chooses the build type.
// A small CMake script given as CMAKE_PROJECT_INCLUDE records, once the learner's CMakeLists.txt
// has been read, what it set up (build type, Torch_DIR, the app target's standard and link
// libraries), so that each check can say what is missing rather than only that something failed.
#include <torch/torch.h>
#include <torchlab/check.h>
#include <torchlab/lab.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <link.h>
#include <map>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace fs = std::filesystem;

namespace {

using lab::checks::first_line;
using lab::checks::num_fixed;
using lab::checks::sentence;

// Limits for each step, inside the lesson's own wall-clock limit (lesson.toml [limits]).
constexpr int configureSeconds = 60;
constexpr int buildSeconds = 180;
constexpr int runSeconds = 30;
constexpr size_t keepOutputBytes = 4 << 20;

struct Command
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1; // the exit status; -1 when it ended by a signal or never started
    int signal = 0;
    std::string output; // stdout and stderr as they came, cut after keepOutputBytes
    double seconds = 0;
    bool ok() const { return started && !timedOut && exitCode == 0; }
};

// Runs argv[0] (a path) with `env`, stdin from /dev/null, stdout and stderr into one pipe, in a
// process group of its own so that a timeout stops make and the compilers it started too.
Command runCommand(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                   int timeoutSeconds)
{
    Command result;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        result.output = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);

    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char *> envp;
    for (const std::string &e : env)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);

    const auto start = std::chrono::steady_clock::now();
    pid_t pid = -1;
    const int spawned =
        ::posix_spawn(&pid, args[0], &actions, &attributes, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        result.output = argv[0] + ": " + std::strerror(spawned);
        return result;
    }
    result.started = true;

    const auto deadline = start + std::chrono::seconds(timeoutSeconds);
    char buffer[65536];
    bool open = true;
    while (open) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0 && !result.timedOut) {
            result.timedOut = true;
            ::kill(-pid, SIGKILL);
        }
        pollfd p{fds[0], POLLIN, 0};
        // After a kill, wait a little for the group's end of the pipe to close; a process
        // that left the group may keep it open, and then we stop reading.
        const int waitMs = result.timedOut ? 2000 : int(std::min<long long>(left, 500));
        const int ready = ::poll(&p, 1, waitMs);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            if (result.timedOut)
                break;
            continue;
        }
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            open = false;
        } else if (result.output.size() < keepOutputBytes) {
            result.output.append(buffer, size_t(n));
        }
    }
    ::close(fds[0]);
    // A program may close its output and go on running: the deadline holds for it too.
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, result.timedOut ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            break;
        if (done == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                result.timedOut = true;
                ::kill(-pid, SIGKILL);
            } else {
                ::usleep(10'000);
            }
        }
    }
    ::kill(-pid, SIGKILL); // whatever of the group is left (a background process of the build)
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (WIFEXITED(status))
        result.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.signal = WTERMSIG(status);
    return result;
}

// The first program called `name` on PATH; empty when there is none.
std::string onPath(const std::string &name)
{
    const char *path = std::getenv("PATH");
    std::stringstream folders(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        if (folder.empty())
            continue;
        const std::string candidate = folder + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate))
            return candidate;
    }
    return std::string();
}

// The environment for CMake and the program: this one, with English messages, without what
// would change the build behind the learner's CMakeLists.txt, and without the lab's event pipe.
std::vector<std::string> childEnvironment(bool forProgram)
{
    static const char *const dropped[] = {"LC_ALL=",
                                          "LANG=",
                                          "LANGUAGE=",
                                          "CMAKE_BUILD_TYPE=",
                                          "CMAKE_GENERATOR=",
                                          "CMAKE_CONFIGURATION_TYPES=",
                                          "CMAKE_TOOLCHAIN_FILE=",
                                          "TORCHLAB_METRICS_FD="};
    std::vector<std::string> env;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry = *e;
        bool drop = std::any_of(std::begin(dropped), std::end(dropped),
                                [&](const char *prefix) { return entry.rfind(prefix, 0) == 0; });
        // The program must find LibTorch by itself (RPATH), as it will outside the lab.
        drop = drop || (forProgram && entry.rfind("LD_LIBRARY_PATH=", 0) == 0);
        if (!drop)
            env.push_back(entry);
    }
    env.push_back("LC_ALL=C");
    return env;
}

// The folder that holds Torch/TorchConfig.cmake for the LibTorch this program has loaded, or
// empty: Debian's lib/<arch>/cmake, the share/cmake of the official zip and of pip's torch.
std::string torchPrefixPath()
{
    std::string library;
    ::dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) {
            const std::string name = info->dlpi_name ? info->dlpi_name : "";
            const std::string file = fs::path(name).filename().string();
            if (file.rfind("libtorch_cpu.so", 0) == 0 || file.rfind("libtorch.so", 0) == 0) {
                *static_cast<std::string *>(data) = name;
                return 1;
            }
            return 0;
        },
        &library);
    if (library.empty())
        return std::string();
    std::error_code error;
    const fs::path folder = fs::canonical(library, error).parent_path();
    for (const fs::path &candidate : {folder / "cmake", folder.parent_path() / "share" / "cmake",
                                      folder.parent_path() / "lib" / "cmake"}) {
        if (fs::is_regular_file(candidate / "Torch" / "TorchConfig.cmake", error))
            return candidate.string();
    }
    return std::string();
}

// Run after every project() call (CMAKE_PROJECT_INCLUDE); once, at the end of the top-level
// CMakeLists.txt, writes the variables and executable targets this check looks at.
const char *const probeScript = R"cmake(
get_property(_torchlab_armed GLOBAL PROPERTY TORCHLAB_PROBE_ARMED)
if(NOT _torchlab_armed AND CMAKE_CURRENT_SOURCE_DIR STREQUAL CMAKE_SOURCE_DIR)
  set_property(GLOBAL PROPERTY TORCHLAB_PROBE_ARMED ON)
  function(_torchlab_probe)
    set(text "")
    foreach(var CMAKE_BUILD_TYPE CMAKE_CONFIGURATION_TYPES Torch_DIR Torch_FOUND Torch_VERSION
                TORCH_LIBRARIES TORCH_CXX_FLAGS CMAKE_CXX_STANDARD CMAKE_CXX_FLAGS)
      if(DEFINED ${var})
        string(REPLACE "\n" " " value "${${var}}")
        string(APPEND text "var ${var}=${value}\n")
      endif()
    endforeach()
    get_property(targets DIRECTORY "${CMAKE_SOURCE_DIR}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "EXECUTABLE")
        string(APPEND text "target ${target}\n")
        foreach(property CXX_STANDARD COMPILE_FEATURES COMPILE_OPTIONS LINK_LIBRARIES)
          get_target_property(value ${target} ${property})
          if(value)
            string(REPLACE "\n" " " value "${value}")
            string(APPEND text "${target}.${property}=${value}\n")
          endif()
        endforeach()
      endif()
    endforeach()
    file(WRITE "${TORCHLAB_PROBE_FILE}" "${text}")
  endfunction()
  cmake_language(DEFER CALL _torchlab_probe)
endif()
)cmake";

// What the probe wrote: "var NAME" and "TARGET.PROPERTY" -> value, "targets" -> names.
struct Probe
{
    bool written = false;
    std::map<std::string, std::string> values;
    std::vector<std::string> targets;
    bool has(const std::string &key) const { return values.count(key) > 0; }
    std::string get(const std::string &key) const
    {
        const auto it = values.find(key);
        return it == values.end() ? std::string() : it->second;
    }
};

Probe readProbe(const fs::path &file)
{
    Probe probe;
    std::ifstream in(file);
    if (!in)
        return probe;
    probe.written = true;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("target ", 0) == 0) {
            probe.targets.push_back(line.substr(7));
            continue;
        }
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            probe.values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return probe;
}

// CMake's idea of true for a value it wrote itself (Torch_FOUND).
bool cmakeTrue(std::string value)
{
    std::transform(value.begin(), value.end(), value.begin(), ::toupper);
    return value == "1" || value == "ON" || value == "YES" || value == "TRUE" || value == "Y";
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), ::tolower);
    return text;
}

std::string collapse(const std::string &text)
{
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        out += c;
        space = false;
    }
    return out;
}

std::string cut(const std::string &text, size_t max = 400)
{
    return text.size() <= max ? text : text.substr(0, max - 3) + "...";
}

// Paths of the copied project as the learner knows them: "CMakeLists.txt", "app.cpp".
std::string shortPaths(std::string text, const fs::path &source, const fs::path &build)
{
    for (const auto &[folder, shown] :
         {std::pair<std::string, std::string>{build.string() + "/", "build/"},
          {source.string() + "/", ""}}) {
        for (size_t at = text.find(folder); at != std::string::npos; at = text.find(folder, at))
            text.replace(at, folder.size(), shown);
    }
    return text;
}

// "CMakeLists.txt:12 (find_package): By not providing ..." from CMake's first error.
std::string firstCMakeError(const std::string &output)
{
    std::istringstream lines(output);
    std::string line;
    std::string text;
    bool inside = false;
    int taken = 0;
    while (std::getline(lines, line)) {
        if (!inside) {
            if (line.rfind("CMake Error", 0) == 0) {
                inside = true;
                text = line.rfind("CMake Error at ", 0) == 0 ? line.substr(15) : line.substr(11);
            }
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            if (taken > 0)
                break;
            continue;
        }
        if (line[0] != ' ' || ++taken > 4)
            break;
        text += ' ' + line;
    }
    return cut(collapse(text));
}

// The first line of a build's output that names an error: the compiler's or the linker's.
std::string firstBuildError(const std::string &output)
{
    std::istringstream lines(output);
    std::string line;
    std::string fallback;
    while (std::getline(lines, line)) {
        if (line.find("error:") != std::string::npos ||
            line.find("undefined reference") != std::string::npos ||
            line.find("cannot find -l") != std::string::npos)
            return cut(collapse(line), 300);
        if (fallback.empty() && line.find("Error") != std::string::npos)
            fallback = line;
    }
    return cut(collapse(fallback), 300);
}

// The last lines of a tool's output, for the Output panel.
std::string tail(const std::string &text, int lines)
{
    size_t at = text.size();
    for (int i = 0; i <= lines && at != std::string::npos && at > 0; ++i)
        at = text.rfind('\n', at - 1);
    return at == std::string::npos ? text : text.substr(at + 1);
}

std::string showCommand(const std::vector<std::string> &argv, const fs::path &work)
{
    std::string text = "$";
    const std::string prefix = work.string() + "/";
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string a = i == 0 ? fs::path(argv[i]).filename().string() : argv[i];
        for (size_t at = a.find(prefix); at != std::string::npos; at = a.find(prefix, at))
            a.erase(at, prefix.size());
        text += ' ' + (a.find(' ') == std::string::npos ? a : '"' + a + '"');
    }
    return text;
}

// C++ standard numbers as years, so that 98 sorts before 11.
int standardYear(int standard)
{
    return standard >= 90 ? 1900 + standard : 2000 + standard;
}

// The newest standard a target asks for through CXX_STANDARD or a cxx_std_NN feature; 0: none.
int requestedStandard(const Probe &probe, const std::string &target)
{
    int year = 0;
    const std::string property = probe.get(target + ".CXX_STANDARD");
    if (!property.empty() && std::isdigit(static_cast<unsigned char>(property[0])))
        year = standardYear(std::atoi(property.c_str()));
    const std::string features = probe.get(target + ".COMPILE_FEATURES");
    const std::string feature = "cxx_std_";
    for (size_t at = features.find(feature); at != std::string::npos;
         at = features.find(feature, at + 1)) {
        const char *digits = features.c_str() + at + feature.size();
        if (std::isdigit(static_cast<unsigned char>(*digits)))
            year = std::max(year, standardYear(std::atoi(digits)));
    }
    return year;
}

bool linksTorch(const std::string &libraries)
{
    std::stringstream items(libraries);
    std::string item;
    while (std::getline(items, item, ';')) {
        const std::string file = fs::path(item).filename().string();
        if (item == "torch" || file.rfind("libtorch.so", 0) == 0 ||
            file.rfind("libtorch_cpu.so", 0) == 0)
            return true;
    }
    return false;
}

struct Paths
{
    fs::path work;   // the run's working folder
    fs::path source; // the copy of the learner's project
    fs::path build;
    fs::path probe;
};

struct Results
{
    std::string cmake;
    std::string prefix;
    Command configure;
    Command build;
    Command program;
    Probe probe;
    Probe debugProbe;   // a second configure with -DCMAKE_BUILD_TYPE=Debug
    std::string target; // the executable the checks look at
};

// Where the lab put the learner's files: <working folder>/src (the lab's layout), else the
// working folder itself.
fs::path learnerFolder()
{
    const fs::path here = fs::current_path();
    if (fs::is_regular_file(here / "src" / "CMakeLists.txt"))
        return here / "src";
    return here;
}

bool copyProject(const fs::path &from, const fs::path &to, std::string &error)
{
    std::error_code ec;
    fs::create_directories(to, ec);
    for (const fs::directory_entry &entry : fs::directory_iterator(from, ec)) {
        if (!entry.is_regular_file())
            continue;
        fs::copy_file(entry.path(), to / entry.path().filename(),
                      fs::copy_options::overwrite_existing, ec);
        if (ec) {
            error = "cannot copy " + entry.path().filename().string() + ": " + ec.message();
            return false;
        }
    }
    if (ec) {
        error = ec.message();
        return false;
    }
    return true;
}

void checkConfigures(const Results &r)
{
    const Probe &p = r.probe;
    std::string why;
    if (r.configure.timedOut) {
        why = "cmake -S src -B build was still configuring after " +
              std::to_string(configureSeconds) +
              " s and was stopped: look for a loop or a download in CMakeLists.txt.";
    } else if (!r.configure.ok()) {
        const std::string error = firstCMakeError(r.configure.output);
        why = "CMake stopped with an error: " +
              (error.empty() ? first_line(tail(r.configure.output, 1)) : error);
        const std::string said = lower(error);
        if (said.find("torchconfig.cmake") != std::string::npos ||
            said.find("findtorch.cmake") != std::string::npos)
            why += " find_package(Torch) did not find TorchConfig.cmake: the folder that holds it "
                   "goes into CMAKE_PREFIX_PATH (the check passes " +
                   (r.prefix.empty() ? std::string("none, it found no TorchConfig.cmake")
                                     : "-DCMAKE_PREFIX_PATH=" + r.prefix) +
                   ").";
        else if (said.find("cuda") != std::string::npos)
            why += " This LibTorch is a CUDA build, and its TorchConfig.cmake looks for the CUDA "
                   "toolkit (nvcc) while configuring: install the toolkit or build against a CPU "
                   "LibTorch.";
    } else if (!p.written) {
        why = "CMake configured, but no project() call came before the end of CMakeLists.txt: "
              "keep project(tensor_app LANGUAGES CXX) right after cmake_minimum_required().";
    } else if (!p.has("var Torch_DIR")) {
        why = "CMake configured without ever looking for LibTorch: add find_package(Torch "
              "REQUIRED) before add_executable(app app.cpp).";
    } else if (!cmakeTrue(p.get("var Torch_FOUND"))) {
        why = "find_package(Torch) ran but did not find LibTorch (Torch_DIR is " +
              p.get("var Torch_DIR") +
              "). Write find_package(Torch REQUIRED): then CMake stops right there and says why.";
    }
    lab::check("configures", why.empty(),
               why.empty() ? "find_package(Torch) found LibTorch " + p.get("var Torch_VERSION") +
                                 " in " + p.get("var Torch_DIR") + " (configured in " +
                                 num_fixed(r.configure.seconds, 1) + " s)."
                           : why);
}

void checkBuilds(const Results &r, const Paths &paths)
{
    std::string why;
    if (!r.configure.ok()) {
        why = "Nothing was built: CMake did not configure the project (see the check on "
              "find_package).";
    } else if (r.build.timedOut) {
        why = "cmake --build build was still building after " + std::to_string(buildSeconds) +
              " s and was stopped.";
    } else if (!r.build.ok()) {
        const std::string error =
            shortPaths(firstBuildError(r.build.output), paths.source, paths.build);
        why =
            "The build failed: " + sentence(error.empty() ? std::string("see the output") : error);
        if (error.find("No such file") != std::string::npos &&
            error.find("torch/") != std::string::npos)
            why += " The compiler does not know LibTorch's include folders: they come with the "
                   "torch target, so link app against \"${TORCH_LIBRARIES}\" "
                   "(target_link_libraries after find_package and add_executable).";
        else if (error.find("undefined reference") != std::string::npos)
            why += " The linker does not see LibTorch's libraries: "
                   "target_link_libraries(app \"${TORCH_LIBRARIES}\").";
    } else if (r.target.empty() || !fs::is_regular_file(paths.build / r.target)) {
        why = "The build succeeded, but build/app does not exist: keep add_executable(app "
              "app.cpp), so that the program is called app.";
    }
    lab::check("builds", why.empty(),
               why.empty() ? "cmake --build build -j 2 built build/" + r.target + " in " +
                                 num_fixed(r.build.seconds, 1) + " s."
                           : why);
}

void checkCxx17(const Results &r)
{
    const Probe &p = r.probe;
    std::string why;
    if (!p.written) {
        why = "CMake stopped before the end of CMakeLists.txt, so the app target's C++ standard "
              "is unknown: fix the configure step first.";
    } else if (r.target.empty()) {
        why = "CMakeLists.txt defines no program: keep add_executable(app app.cpp).";
    } else {
        const int year = requestedStandard(p, r.target);
        const std::string options =
            p.get(r.target + ".COMPILE_OPTIONS") + " " + p.get("var CMAKE_CXX_FLAGS");
        const std::string global = p.get("var CMAKE_CXX_STANDARD");
        if (year >= 2017) {
            // fine
        } else if (year > 0) {
            why = "app asks for C++" + std::to_string(year % 100) +
                  "; LibTorch 2.x headers need C++17: use cxx_std_17.";
        } else if (!global.empty() && std::isdigit(static_cast<unsigned char>(global[0]))) {
            why = "CMAKE_CXX_STANDARD is " + global +
                  " at the end of CMakeLists.txt, but app did not get it: a target takes the "
                  "variable when add_executable() creates it, so set it above add_executable, "
                  "or write target_compile_features(app PRIVATE cxx_std_17).";
        } else if (options.find("-std=") != std::string::npos) {
            why = "A -std= flag in the compile options sets the standard behind CMake's back (and "
                  "only for GCC and Clang): write target_compile_features(app PRIVATE cxx_std_17) "
                  "instead.";
        } else {
            why =
                "app has no C++ standard of its own, so it gets whatever the compiler defaults to "
                "(C++14 on older compilers): add target_compile_features(app PRIVATE "
                "cxx_std_17) after add_executable.";
        }
    }
    const std::string property = p.get(r.target + ".CXX_STANDARD");
    lab::check("cxx17", why.empty(),
               why.empty() ? "app asks CMake for C++" +
                                 std::to_string(requestedStandard(p, r.target) % 100) + " (" +
                                 (property.empty()
                                      ? "compile feature " + p.get(r.target + ".COMPILE_FEATURES")
                                      : "CXX_STANDARD " + property) +
                                 ")."
                           : why);
}

void checkLinksTorch(const Results &r, const Paths &paths)
{
    const Probe &p = r.probe;
    std::string why;
    const std::string libraries =
        r.target.empty() ? std::string() : p.get(r.target + ".LINK_LIBRARIES");
    if (!p.written) {
        why = "CMake stopped before the end of CMakeLists.txt, so what app links is unknown: fix "
              "the configure step first.";
    } else if (r.target.empty()) {
        why = "CMakeLists.txt defines no program: keep add_executable(app app.cpp).";
    } else if (!linksTorch(libraries)) {
        why = libraries.empty() ? "app links no library at all"
                                : "app links " + libraries + ", but not LibTorch";
        why += ": add target_link_libraries(app \"${TORCH_LIBRARIES}\") after add_executable.";
        if (libraries.empty() && !p.get("var TORCH_LIBRARIES").empty())
            why += " (If you wrote it already, it came before find_package(Torch), when "
                   "TORCH_LIBRARIES was still empty.)";
    } else if (!r.build.ok() || !fs::is_regular_file(paths.build / r.target)) {
        why = "app names LibTorch among its libraries, but the build did not get as far as a "
              "linked program (see the build check).";
    }
    lab::check("links_torch", why.empty(),
               why.empty() ? "app links LibTorch (" + cut(libraries, 200) + ")." : why);
}

void checkRuns(const Results &r, int64_t expected)
{
    std::string why;
    const std::string output = r.program.output;
    if (!r.program.started) {
        why = r.build.ok() ? "build/" + r.target + " could not be started: " + first_line(output)
                           : "There is no program to start: the build did not produce one.";
    } else if (output.find("error while loading shared libraries") != std::string::npos) {
        why = "The program does not find its libraries: " + cut(first_line(output), 200) +
              ". Outside the lab nobody sets LD_LIBRARY_PATH: CMake writes LibTorch's folder into "
              "the program's RPATH when it links app against \"${TORCH_LIBRARIES}\"; do not "
              "switch that off (CMAKE_SKIP_RPATH, CMAKE_SKIP_BUILD_RPATH).";
    } else if (r.program.timedOut) {
        why = "build/app was still running after " + std::to_string(runSeconds) +
              " s and was stopped.";
    } else if (r.program.exitCode != 0) {
        why = "build/app ended with " +
              (r.program.signal ? "signal " + std::to_string(r.program.signal)
                                : "exit status " + std::to_string(r.program.exitCode)) +
              ": " + cut(collapse(tail(output, 2)), 300);
    } else {
        const std::string label = "count (loop): ";
        const size_t at = output.find(label);
        if (at == std::string::npos) {
            why = "build/app printed no line \"count (loop): ...\": keep main() as it was given.";
        } else {
            const std::string printed = collapse(
                output.substr(at + label.size(), output.find('\n', at) - at - label.size()));
            const long long got = std::atoll(printed.c_str());
            if (got != expected || printed.empty()) {
                why = "build/app printed count (loop): " + printed + "; " +
                      std::to_string(expected) + " elements of x lie between -0.25 and 0.5. ";
                if (got == 0)
                    why += "count_between_loop() still returns 0.";
                else if (got == int64_t(1'000'000) - expected)
                    why += "That is the number of elements outside: count those with "
                           "values[i] > -0.25f && values[i] < 0.5f.";
                else
                    why += "count_between_loop() must look at every element of "
                           "x.accessor<float, 1>() and count those with -0.25f < values[i] < "
                           "0.5f.";
            }
        }
    }
    lab::check("runs", why.empty(),
               why.empty() ? "build/app runs without LD_LIBRARY_PATH and counts " +
                                 std::to_string(expected) + " elements between -0.25 and 0.5."
                           : why);
}

void checkRelease(const Results &r)
{
    const Probe &p = r.probe;
    std::string why;
    const std::string type = p.get("var CMAKE_BUILD_TYPE");
    if (!p.written) {
        why = "CMake stopped before the end of CMakeLists.txt, so the build type is unknown: fix "
              "the configure step first.";
    } else if (!p.get("var CMAKE_CONFIGURATION_TYPES").empty()) {
        why = "This generator has several configurations; the check uses a single-configuration "
              "one. Do not set CMAKE_CONFIGURATION_TYPES in CMakeLists.txt.";
    } else if (type.empty()) {
        why = "The check configured without -DCMAKE_BUILD_TYPE, and CMakeLists.txt left the build "
              "type empty: then CMake passes no -O flag at all, and your own loops run at "
              "Debug speed. Make Release the default: if(NOT CMAKE_BUILD_TYPE AND NOT "
              "CMAKE_CONFIGURATION_TYPES) set(CMAKE_BUILD_TYPE Release CACHE STRING \"Build "
              "type\" FORCE) endif().";
    } else if (lower(type) == "debug") {
        why = "The build type is Debug (-O0 -g): right for a debugger, slow for your own loops. "
              "Release is the default this lesson asks for; Debug stays one "
              "-DCMAKE_BUILD_TYPE=Debug away.";
    } else if (lower(type) != "release") {
        why = "The build type is " + type +
              ", which is optimized too, but the lesson asks for Release (-O3 -DNDEBUG) as the "
              "default.";
    } else if (r.debugProbe.written && lower(r.debugProbe.get("var CMAKE_BUILD_TYPE")) != "debug") {
        why = "Release is the default, but it also overrides the command line: configured with "
              "-DCMAKE_BUILD_TYPE=Debug, the build type is still " +
              r.debugProbe.get("var CMAKE_BUILD_TYPE") +
              ". Set it only when none was given: if(NOT CMAKE_BUILD_TYPE AND NOT "
              "CMAKE_CONFIGURATION_TYPES) ... endif().";
    } else if (r.program.ok() &&
               r.program.output.find("build: not optimized") != std::string::npos) {
        why = "CMAKE_BUILD_TYPE is Release, yet app was compiled without optimization: "
              "something in CMakeLists.txt replaces CMAKE_CXX_FLAGS_RELEASE or adds -O0.";
    }
    lab::check("release", why.empty(),
               why.empty() ? "Without -DCMAKE_BUILD_TYPE the project builds as Release; "
                             "-DCMAKE_BUILD_TYPE=Debug still gives Debug."
                           : why);
}

void allSkipped(const std::string &reason)
{
    for (const char *name : {"configures", "builds", "cxx17", "links_torch", "runs", "release"})
        lab::skip(name, reason);
}

void allFailed(const std::string &reason)
{
    for (const char *name : {"configures", "builds", "cxx17", "links_torch", "runs", "release"})
        lab::check(name, false, reason);
}

} // namespace

int main()
{
    return lab::run([] {
        Results r;
        r.cmake = onPath("cmake");
        if (r.cmake.empty()) {
            allSkipped("cmake is not installed here, so the project cannot be built (Debian and "
                       "Ubuntu: sudo apt install cmake).");
            return;
        }

        // The probe needs cmake_language(DEFER), new in CMake 3.19.
        const Command version = runCommand({r.cmake, "--version"}, childEnvironment(false), 20);
        int major = 0;
        int minor = 0;
        if (std::sscanf(version.output.c_str(), "cmake version %d.%d", &major, &minor) != 2 ||
            major * 100 + minor < 319) {
            allSkipped("This check needs CMake 3.19 or newer; here " +
                       first_line(version.output.empty() ? "cmake does not run" : version.output) +
                       ".");
            return;
        }

        Paths paths;
        paths.work = fs::current_path() / "cmake-check";
        paths.source = paths.work / "src";
        paths.build = paths.work / "build";
        paths.probe = paths.work / "project.txt";
        std::error_code ec;
        fs::remove_all(paths.work, ec);
        std::string error;
        const fs::path learner = learnerFolder();
        if (!fs::is_regular_file(learner / "CMakeLists.txt")) {
            allFailed("There is no CMakeLists.txt next to app.cpp.");
            return;
        }
        if (!copyProject(learner, paths.source, error)) {
            allFailed("The project could not be copied for the build: " + error);
            return;
        }
        const fs::path script = paths.work / "probe.cmake";
        std::ofstream(script) << probeScript;

        r.prefix = torchPrefixPath();
        std::vector<std::string> configure = {r.cmake,
                                              "-S",
                                              paths.source.string(),
                                              "-B",
                                              paths.build.string(),
                                              "-DCMAKE_PROJECT_INCLUDE=" + script.string(),
                                              "-DTORCHLAB_PROBE_FILE=" + paths.probe.string()};
        if (!r.prefix.empty())
            configure.push_back("-DCMAKE_PREFIX_PATH=" + r.prefix);
        if (onPath("make").empty() && !onPath("ninja").empty())
            configure.insert(configure.begin() + 1, {"-G", "Ninja"});
        else
            configure.insert(configure.begin() + 1, {"-G", "Unix Makefiles"});

        const std::vector<std::string> cmakeEnv = childEnvironment(false);
        std::cout << showCommand(configure, paths.work) << std::endl;
        r.configure = runCommand(configure, cmakeEnv, configureSeconds);
        std::cout << shortPaths(r.configure.ok() ? tail(r.configure.output, 4)
                                                 : tail(r.configure.output, 40),
                                paths.source, paths.build)
                  << std::endl;
        r.probe = readProbe(paths.probe);
        const auto &targets = r.probe.targets;
        if (std::find(targets.begin(), targets.end(), "app") != targets.end())
            r.target = "app";
        else if (targets.size() == 1)
            r.target = targets.front();

        if (r.configure.ok()) {
            // A build type given on the command line must win over the project's default.
            std::vector<std::string> debug = configure;
            for (std::string &a : debug) {
                if (a == paths.build.string())
                    a = (paths.work / "build-debug").string();
                else if (a == "-DTORCHLAB_PROBE_FILE=" + paths.probe.string())
                    a = "-DTORCHLAB_PROBE_FILE=" + (paths.work / "project-debug.txt").string();
            }
            debug.push_back("-DCMAKE_BUILD_TYPE=Debug");
            if (runCommand(debug, cmakeEnv, configureSeconds).ok())
                r.debugProbe = readProbe(paths.work / "project-debug.txt");
        }
        if (r.configure.ok()) {
            const std::vector<std::string> build = {r.cmake, "--build", paths.build.string(), "-j",
                                                    "2"};
            std::cout << showCommand(build, paths.work) << std::endl;
            r.build = runCommand(build, cmakeEnv, buildSeconds);
            std::cout << shortPaths(r.build.ok() ? tail(r.build.output, 3)
                                                 : tail(r.build.output, 40),
                                    paths.source, paths.build)
                      << std::endl;
        }
        const fs::path program = paths.build / r.target;
        if (r.build.ok() && !r.target.empty() && fs::is_regular_file(program)) {
            std::cout << "$ build/" << r.target << std::endl;
            r.program = runCommand({program.string()}, childEnvironment(true), runSeconds);
            std::cout << tail(r.program.output, 20) << std::endl;
        }

        const torch::Tensor x = torch::linspace(-1.0, 1.0, 1'000'000);
        const int64_t expected = ((x > -0.25) & (x < 0.5)).sum().item<int64_t>();
        checkConfigures(r);
        checkBuilds(r, paths);
        checkCxx17(r);
        checkLinksTorch(r, paths);
        checkRuns(r, expected);
        checkRelease(r);
        lab::note("CMake: configure " + num_fixed(r.configure.seconds, 1) + " s, build " +
                  num_fixed(r.build.seconds, 1) + " s, run " + num_fixed(r.program.seconds, 1) +
                  " s.");
        fs::remove_all(paths.work, ec);
    });
}
