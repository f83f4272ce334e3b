#include "core/editor/completionindex.h"
#include "helpers/requiredeps.h"

#include "core/util/labpaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace torchlab;

namespace {

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// A miniature LibTorch include tree with the shapes of the real headers
// (lines copied from LibTorch 1.13 and 2.4).
void writeFakeLibTorch(const QString &root, bool opsLayout)
{
    const QString api = root + "/torch/csrc/api/include/torch/";
    writeFile(api + "nn/modules/linear.h", R"(
namespace torch {
namespace nn {
class TORCH_API LinearImpl : public Cloneable<LinearImpl> {
 public:
  Tensor forward(const Tensor& input);
};
TORCH_MODULE(Linear);
class TORCH_API FlattenImpl;
} // namespace nn
} // namespace torch
)");
    writeFile(api + "nn/modules/container/sequential.h", R"(
class SequentialImpl : public Cloneable<SequentialImpl> {
};
class Sequential : public torch::nn::ModuleHolder<SequentialImpl> {
};
TORCH_MODULE(ModuleList);
)");
    writeFile(api + "nn/options/linear.h", R"(
struct TORCH_API LinearOptions {
  LinearOptions(int64_t in_features, int64_t out_features);
};
template <size_t D>
struct ConvFuncOptions {
};
namespace functional {
using Conv2dFuncOptions = ConvFuncOptions<2>;
using LinearFuncOptions = LinearOptions;
} // namespace functional
using Conv2dOptions = ConvOptions<2>;
struct TORCH_API ForwardDeclaredOptions;
)");
    writeFile(api + "nn/functional/activation.h", R"(
namespace functional {
#ifndef DOXYGEN_SHOULD_SKIP_THIS
namespace detail {
inline Tensor elu(Tensor input, double alpha, bool inplace) {
}
inline Tensor detail_only_helper(Tensor input) {
}
} // namespace detail
#endif /* DOXYGEN_SHOULD_SKIP_THIS */
inline Tensor elu(Tensor input, const ELUFuncOptions& options = {}) {
  return detail::elu(input, options.alpha(), options.inplace());
}
inline std::tuple<Tensor, Tensor> max_pool2d_with_indices(
    const Tensor& input,
    const MaxPool2dFuncOptions& options) {
}
} // namespace functional
)");
    writeFile(api + "optim/adam.h", R"(
struct TORCH_API AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
};
struct TORCH_API AdamParamState
    : public OptimizerCloneableParamState<AdamParamState> {
};
class TORCH_API Adam : public Optimizer {
};
)");
    writeFile(api + "optim/schedulers/step_lr.h", R"(
class TORCH_API StepLR : public LRScheduler {
};
)");
    writeFile(api + "data/datasets/mnist.h", R"(
class TORCH_API MNIST : public Dataset<MNIST> {
};
)");
    writeFile(api + "data/transforms/stack.h", R"(
template <typename T = Example<>>
struct Stack;
template <>
struct Stack<Example<>> : public Collation<Example<>> {
};
)");
    if (opsLayout) {
        writeFile(root + "/ATen/Functions.h", R"(
#pragma once
#include <ATen/ops/_adaptive_avg_pool2d.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/relu_backward.h>
#include <ATen/ops/add_out.h>
)");
    } else {
        writeFile(root + "/ATen/Functions.h", R"(
TORCH_API Tensor relu(const Tensor & self);
TORCH_API Tensor & relu_(Tensor & self);
TORCH_API Tensor & relu_out(Tensor & out, const Tensor & self);
inline Tensor zeros(IntArrayRef size, TensorOptions options={}) {
)");
    }
    writeFile(root + "/ATen/core/TensorBody.h", R"(
class TORCH_API Tensor: public TensorBase {
  template<typename T>
  T item() const;
  Tensor index(ArrayRef<at::indexing::TensorIndex> indices) const;
  void backward(const Tensor & gradient={}, c10::optional<bool> retain_graph=c10::nullopt, bool create_graph=false, c10::optional<TensorList> inputs=c10::nullopt) const {
  at::Tensor & relu_() const;
  Tensor& operator+=(const Tensor & other) const;
  void __dispatch__backward(at::TensorList inputs) const;
    return this->operator[](index.item());
};
)");
}

} // namespace

class TestCompletionIndex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void curatedListIsEmbedded()
    {
        const QStringList curated = CompletionIndex::curated();
        QVERIFY2(curated.size() >= 300, qPrintable(QString::number(curated.size())));
        QVERIFY(curated.contains("torch::nn::Linear"));
        QVERIFY(curated.contains("torch::optim::Adam"));
        QVERIFY(curated.contains("torch::Tensor::backward"));
        for (const QString &name : curated)
            QVERIFY2(!name.startsWith('#') && name == name.trimmed(), qPrintable(name));
    }

    void scansBothLayouts_data()
    {
        QTest::addColumn<bool>("opsLayout");
        QTest::addColumn<bool>("giveApiDir");
        QTest::newRow("2.x ops headers, main include dir") << true << false;
        QTest::newRow("1.13 Debian pair") << true << true;
        QTest::newRow("pre-1.13 Functions.h") << false << false;
    }
    void scansBothLayouts()
    {
        QFETCH(bool, opsLayout);
        QFETCH(bool, giveApiDir);
        QTemporaryDir dir;
        writeFakeLibTorch(dir.path(), opsLayout);
        QStringList dirs{dir.path()};
        if (giveApiDir)
            dirs << dir.path() + "/torch/csrc/api/include";
        const QStringList names = CompletionIndex::scanHeaders(dirs);

        for (const char *expected : {"torch::nn::Linear",
                                     "torch::nn::LinearImpl",
                                     "torch::nn::ModuleList",
                                     "torch::nn::LinearOptions",
                                     "torch::nn::Conv2dOptions",
                                     "torch::nn::functional::Conv2dFuncOptions",
                                     "torch::nn::functional::ConvFuncOptions",
                                     "torch::nn::functional::elu",
                                     "torch::nn::functional::max_pool2d_with_indices",
                                     "torch::optim::Adam",
                                     "torch::optim::AdamOptions",
                                     "torch::optim::StepLR",
                                     "torch::data::datasets::MNIST",
                                     "torch::data::transforms::Stack",
                                     "torch::relu",
                                     "torch::zeros",
                                     "torch::Tensor::item",
                                     "torch::Tensor::index",
                                     "torch::Tensor::backward",
                                     "torch::Tensor::relu_"}) {
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        }
        for (const char *unexpected :
             {"torch::nn::functional::detail_only_helper", "torch::_adaptive_avg_pool2d",
              "torch::relu_backward", "torch::add_out", "torch::relu_out",
              "torch::nn::ForwardDeclaredOptions", "torch::nn::FlattenImpl",
              "torch::optim::AdamParamState", "torch::Tensor::operator",
              "torch::Tensor::__dispatch__backward"}) {
            QVERIFY2(!names.contains(QLatin1String(unexpected)), unexpected);
        }
        QCOMPARE(names.size(), QSet<QString>(names.cbegin(), names.cend()).size());
    }

    void loadMergesAndCaches()
    {
        QTemporaryDir dir;
        writeFakeLibTorch(dir.path(), true);
        const QStringList dirs{dir.path()};
        const QString cachePath = CompletionIndex::cacheFilePath(dirs);
        QVERIFY(cachePath.startsWith(LabPaths::cacheDir() + "/completions/"));
        QVERIFY(!QFileInfo::exists(cachePath));

        QElapsedTimer timer;
        timer.start();
        const QStringList cold = CompletionIndex::load(dirs);
        const qint64 coldUs = timer.nsecsElapsed() / 1000;
        QVERIFY(QFileInfo::exists(cachePath));
        QVERIFY(cold.contains("torch::nn::functional::max_pool2d_with_indices")); // scanned
        QVERIFY(cold.contains("torch::nn::init::kaiming_uniform_"));              // curated
        QVERIFY(std::is_sorted(cold.cbegin(), cold.cend()));
        QCOMPARE(cold.size(), QSet<QString>(cold.cbegin(), cold.cend()).size());

        // Prove the second call reads the cache: edit the cached file and see the edit.
        QFile cache(cachePath);
        QVERIFY(cache.open(QIODevice::Append));
        cache.write("torch::only_in_cache\n");
        cache.close();
        timer.restart();
        const QStringList warm = CompletionIndex::load(dirs);
        const qint64 warmUs = timer.nsecsElapsed() / 1000;
        QVERIFY(warm.contains("torch::only_in_cache"));
        qDebug("fake tree: cold %lld us, warm %lld us", coldUs, warmUs);

        // A changed header changes the key: the edit is gone after a rescan.
        writeFile(dir.path() + "/torch/csrc/api/include/torch/nn/modules/linear.h",
                  "TORCH_MODULE(Linear);\nTORCH_MODULE(Bilinear);\n");
        QVERIFY(CompletionIndex::cacheFilePath(dirs) != cachePath);
        const QStringList rescanned = CompletionIndex::load(dirs);
        QVERIFY(!rescanned.contains("torch::only_in_cache"));
        QVERIFY(rescanned.contains("torch::nn::Bilinear"));
    }

    void noHeadersGivesCuratedList()
    {
        QTemporaryDir dir;
        const QStringList curated = CompletionIndex::curated();
        QCOMPARE(CompletionIndex::load({dir.path()}).size(),
                 QSet<QString>(curated.cbegin(), curated.cend()).size());
        QVERIFY(CompletionIndex::load({}).contains("torch::nn::Linear"));
    }

    // The installed LibTorch, when there is one: the figures a learner's
    // machine sees on the first and every later start.
    void installedLibTorch()
    {
        QStringList dirs;
        for (const QString &candidate : {QStringLiteral("/usr/include"),
                                         QStringLiteral("/usr/include/torch/csrc/api/include")}) {
            if (QFileInfo::exists(candidate + "/ATen/Functions.h") ||
                QFileInfo::exists(candidate + "/torch/nn/modules/linear.h"))
                dirs << candidate;
        }
        if (dirs.isEmpty())
            LAB_SKIP_MISSING("no LibTorch headers under /usr/include");
        QFile::remove(CompletionIndex::cacheFilePath(dirs));
        QElapsedTimer timer;
        timer.start();
        const QStringList cold = CompletionIndex::load(dirs);
        const qint64 coldMs = timer.elapsed();
        timer.restart();
        const QStringList warm = CompletionIndex::load(dirs);
        const qint64 warmMs = timer.elapsed();
        qDebug("installed LibTorch: %lld names (%lld scanned), cold %lld ms, warm %lld ms",
               qint64(cold.size()), qint64(CompletionIndex::scanHeaders(dirs).size()), coldMs,
               warmMs);
        QCOMPARE(warm, cold);
        for (const char *expected : {"torch::nn::Conv2d", "torch::nn::TransformerEncoderLayer",
                                     "torch::optim::AdamW", "torch::relu", "torch::randn",
                                     "torch::Tensor::backward", "torch::nn::functional::gelu"})
            QVERIFY2(cold.contains(QLatin1String(expected)), expected);
    }
};

QTEST_GUILESS_MAIN(TestCompletionIndex)
#include "tst_completionindex.moc"
