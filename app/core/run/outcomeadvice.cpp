#include "core/run/outcomeadvice.h"

#include <QCoreApplication>

namespace torchlab {

namespace {

// lupdate files a tr() call in a free function under the enclosing namespace
// ("torchlab"), a context nothing looks up at run time; qualified calls through
// this class give lupdate and QCoreApplication::translate the same context.
struct OutcomeAdvice
{
    Q_DECLARE_TR_FUNCTIONS(torchlab::OutcomeAdvice)
};

bool mentions(const QString &detail, std::initializer_list<const char *> words)
{
    for (const char *w : words)
        if (detail.contains(QLatin1String(w), Qt::CaseInsensitive))
            return true;
    return false;
}

// Moves `tip` to the front: the one that matches what the error said.
void promote(QStringList &tips, const QString &tip)
{
    if (tips.removeOne(tip))
        tips.prepend(tip);
}

QStringList torchErrorTips(const QString &detail)
{
    const QString shapes =
        OutcomeAdvice::tr("Shapes: print x.sizes() of every input just before the failing line and "
                          "compare them with what the operation expects (batch dimension first; "
                          "use view/reshape, flatten or permute to fix the layout).");
    const QString dtypes =
        OutcomeAdvice::tr("Types: targets for cross_entropy/nll_loss must be integers "
                          "(.to(torch::kLong)); inputs to a layer must be float "
                          "(.to(torch::kFloat)). Print x.dtype() to check.");
    const QString devices = OutcomeAdvice::tr(
        "Devices: the model and every tensor it meets must be on the same device; "
        "call model->to(device) once and x.to(device) on each batch.");
    QStringList tips{
        OutcomeAdvice::tr(
            "Read the first line of the error: it names the operation that failed and why."),
        shapes,
        dtypes,
        devices,
        OutcomeAdvice::tr(
            "An index out of range (index_select, embedding, a class label >= the number of "
            "classes) "
            "also ends up here: check the largest value you index with."),
    };
    if (mentions(detail, {"device", "cuda:", "cpu and"}))
        promote(tips, devices);
    if (mentions(detail, {"scalar type", "dtype", "expected type"}))
        promote(tips, dtypes);
    if (mentions(detail, {"size", "shape", "mat1 and mat2", "dimension", "broadcast"}))
        promote(tips, shapes);
    return tips;
}

QStringList crashTips(const QString &detail)
{
    const QString index = OutcomeAdvice::tr(
        "Most crashes are an index out of range: a std::vector, a raw pointer or a "
        "tensor accessor read past its end. Check loop bounds and sizes "
        "(use .at(i) instead of [i] to get an error instead of a crash).");
    const QString division =
        OutcomeAdvice::tr("SIGFPE means an integer division by zero: check divisors such as "
                          "the number of batches or the batch size.");
    const QString abort =
        OutcomeAdvice::tr("SIGABRT means the program aborted itself: an uncaught exception or a "
                          "failed assertion. The lines just before it say which.");
    QStringList tips{
        OutcomeAdvice::tr(
            "Look at the last lines of the output and at the stack trace, if one was printed: they "
            "show "
            "how far the program got."),
        index,
        OutcomeAdvice::tr(
            "Use only objects that still exist: no pointer or reference to a local variable that "
            "went "
            "out of scope, no module member that was never registered or assigned."),
        OutcomeAdvice::tr(
            "Add std::cerr lines before the suspicious parts (std::cerr is not buffered), or run "
            "the "
            "program under gdb to see the failing line."),
    };
    if (mentions(detail, {"SIGFPE"}))
        tips.insert(1, division);
    if (mentions(detail, {"SIGABRT", "terminate", "assert"}))
        tips.insert(1, abort);
    return tips;
}

} // namespace

QString outcomeTitle(RunResult::Outcome outcome)
{
    using O = RunResult::Outcome;
    switch (outcome) {
    case O::Ok:
        return OutcomeAdvice::tr("Finished");
    case O::ExitCode:
        return OutcomeAdvice::tr("Exited with an error");
    case O::Crashed:
        return OutcomeAdvice::tr("Crashed");
    case O::TimeLimit:
        return OutcomeAdvice::tr("Time limit");
    case O::MemoryLimit:
        return OutcomeAdvice::tr("Out of memory");
    case O::OutputLimit:
        return OutcomeAdvice::tr("Too much output");
    case O::FileSizeLimit:
        return OutcomeAdvice::tr("File size limit");
    case O::TooManyFiles:
        return OutcomeAdvice::tr("Too many open files");
    case O::TooManyProcesses:
        return OutcomeAdvice::tr("Too many processes");
    case O::CudaOutOfMemory:
        return OutcomeAdvice::tr("GPU out of memory");
    case O::TorchError:
        return OutcomeAdvice::tr("LibTorch error");
    case O::Stopped:
        return OutcomeAdvice::tr("Stopped");
    case O::FailedToStart:
        return OutcomeAdvice::tr("Could not start");
    case O::ConnectionLost:
        return OutcomeAdvice::tr("Connection lost");
    case O::EndedByCluster:
        return OutcomeAdvice::tr("Ended by the cluster");
    }
    return QString();
}

QStringList whatToTry(RunResult::Outcome outcome, const QString &detail)
{
    using O = RunResult::Outcome;
    switch (outcome) {
    case O::Ok:
    case O::Stopped:
        return {};
    case O::CudaOutOfMemory:
        return {
            OutcomeAdvice::tr(
                "Use a smaller batch: halve the batch size until the error goes away."),
            OutcomeAdvice::tr(
                "Keep the effective batch size with gradient accumulation: run N smaller batches, "
                "call (loss / N).backward() on each, and call optimizer.step() and zero_grad() "
                "once "
                "every N batches."),
            OutcomeAdvice::tr(
                "Evaluate inside a torch::NoGradGuard scope (and call model->eval()): without it "
                "every "
                "forward pass keeps its activations for a backward pass that never comes."),
            OutcomeAdvice::tr(
                "Do not keep tensors that hold a graph: sum losses with loss.item<double>(), not "
                "with "
                "loss itself, and let large tensors go out of scope when you are done with them."),
            OutcomeAdvice::tr(
                "\"Allocated\" is memory live tensors use; \"reserved\" is what the caching "
                "allocator "
                "keeps for reuse, so it stays high after tensors are freed. "
                "c10::cuda::CUDACachingAllocator::emptyCache() gives the unused reserved blocks "
                "back "
                "to the driver; it cannot free tensors you still hold."),
            OutcomeAdvice::tr(
                "Use a smaller model or smaller inputs (fewer channels, smaller images) if the "
                "batch "
                "is already small."),
        };
    case O::MemoryLimit:
        return {
            OutcomeAdvice::tr("Check the sizes of large tensors: one wrong dimension (e.g. an "
                              "outer product where "
                              "you meant an elementwise one) can ask for gigabytes."),
            OutcomeAdvice::tr(
                "Use a smaller batch, or load the data in batches instead of all at once."),
            OutcomeAdvice::tr(
                "Look for a container that grows every step, such as a std::vector of outputs or "
                "losses that still hold their graphs; store loss.item<double>() instead."),
            OutcomeAdvice::tr("Evaluate inside a torch::NoGradGuard scope so no graph is kept."),
        };
    case O::TimeLimit:
        return {
            OutcomeAdvice::tr(
                "Check that every loop ends: its condition, and the step counter it relies on."),
            OutcomeAdvice::tr(
                "Train for fewer steps while trying things out (Quick runs in Settings), then run "
                "the "
                "full lesson."),
            OutcomeAdvice::tr(
                "Move work out of the inner loop: build tensors once, and avoid .item(), printing "
                "or "
                "copying to the CPU on every step."),
            OutcomeAdvice::tr(
                "Use the GPU when one is available, and batches instead of one sample at a time."),
            OutcomeAdvice::tr("On a slow computer, raise the time scale in Settings."),
        };
    case O::Crashed:
        return crashTips(detail);
    case O::TorchError:
        return torchErrorTips(detail);
    case O::ExitCode:
        return {
            OutcomeAdvice::tr(
                "The program returned a non-zero status: the last lines it printed usually say "
                "why."),
            OutcomeAdvice::tr(
                "Check what main() returns and every call to exit() or std::abort()."),
        };
    case O::OutputLimit:
        return {
            OutcomeAdvice::tr("Print less: report every 100th step instead of every step."),
            OutcomeAdvice::tr("Report values you want to see as a curve with lab::metric or "
                              "lab::loss: they go to "
                              "the plot, not the console."),
            OutcomeAdvice::tr("Look for a loop that prints without end."),
        };
    case O::FileSizeLimit:
        return {
            OutcomeAdvice::tr("Write smaller files: save checkpoints less often, or overwrite one "
                              "file instead of "
                              "appending to it."),
            OutcomeAdvice::tr("Look for a loop that writes without end."),
        };
    case O::TooManyFiles:
        return {
            OutcomeAdvice::tr(
                "Close each file once you are done with it: let std::ofstream / std::ifstream go "
                "out "
                "of scope, or call close()."),
            OutcomeAdvice::tr(
                "Open a file once, outside the training loop, instead of on every step."),
        };
    case O::TooManyProcesses:
        return {
            OutcomeAdvice::tr(
                "Look for fork(), std::system() or std::thread started inside a loop."),
            OutcomeAdvice::tr("Start a fixed number of workers once, before the loop, and wait "
                              "for them."),
        };
    case O::FailedToStart:
        return {
            OutcomeAdvice::tr("Run it again: the build may have been removed while it started."),
            OutcomeAdvice::tr(
                "Open the Environment dialog to check the compiler and LibTorch this lab uses."),
        };
    case O::ConnectionLost:
        return {
            OutcomeAdvice::tr("Your code is kept in the editor: nothing was lost. Run it again "
                              "once the network is back."),
            OutcomeAdvice::tr("If it keeps happening, check the connection to the server (Wi-Fi, "
                              "VPN) or ask your instructor whether the server is up."),
        };
    case O::EndedByCluster:
        return {
            OutcomeAdvice::tr("Nothing is wrong with your code because of this: the cluster took "
                              "the GPU back. Your code is kept; press Run again to queue it anew."),
            OutcomeAdvice::tr("If it happens every time, ask your instructor: the partition may "
                              "be preempted for other jobs, or a node may be failing."),
        };
    }
    return {};
}

} // namespace torchlab
