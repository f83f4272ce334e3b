#include "core/editor/completionindex.h"

#include "core/util/labpaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

namespace torchlab {

namespace {

// Bump when the scan rules change, so old cache files are not reused.
constexpr int kScanVersion = 1;

enum class Kind
{
    Modules,
    Options,
    Functional,
    Optim,
    Data,
    AtenFunctions,
    TensorMethods
};

struct Source
{
    Kind kind;
    QString path;
    QString prefix; // namespace the names go under, with trailing "::"
};

// Where the C++ front end (torch/nn/...) and ATen live for one include
// directory. Both layouts keep the front end one "torch/csrc/api/include"
// below the main include dir, and a learner's settings may name either.
struct Roots
{
    QString api;  // dir holding torch/nn/modules
    QString aten; // dir holding ATen/Functions.h
};

Roots rootsFor(const QString &includeDir)
{
    Roots roots;
    const QDir dir(includeDir);
    for (const QString &candidate :
         {dir.absolutePath(), dir.absoluteFilePath(QStringLiteral("torch/csrc/api/include"))}) {
        if (QFileInfo(candidate + QStringLiteral("/torch/nn/modules")).isDir()) {
            roots.api = QDir::cleanPath(candidate);
            break;
        }
    }
    QStringList atenCandidates{dir.absolutePath()};
    if (dir.absolutePath().endsWith(QLatin1String("torch/csrc/api/include")))
        atenCandidates << QDir::cleanPath(dir.absoluteFilePath(QStringLiteral("../../../..")));
    for (const QString &candidate : std::as_const(atenCandidates)) {
        if (QFileInfo::exists(candidate + QStringLiteral("/ATen/Functions.h"))) {
            roots.aten = QDir::cleanPath(candidate);
            break;
        }
    }
    return roots;
}

void addHeaders(QList<Source> &out, const QString &dir, Kind kind, const QString &prefix,
                bool recursive)
{
    QDirIterator it(dir, {QStringLiteral("*.h")}, QDir::Files,
                    recursive ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
    QStringList paths;
    while (it.hasNext())
        paths << it.next();
    paths.sort(); // a stable order keeps the cache key stable
    for (const QString &path : std::as_const(paths))
        out.append({kind, path, prefix});
}

QList<Source> sourcesFor(const QStringList &includeDirs)
{
    QList<Source> sources;
    QSet<QString> seenApi;
    QSet<QString> seenAten;
    for (const QString &includeDir : includeDirs) {
        const Roots roots = rootsFor(includeDir);
        if (!roots.api.isEmpty() && !seenApi.contains(roots.api)) {
            seenApi.insert(roots.api);
            const QString torch = roots.api + QStringLiteral("/torch/");
            addHeaders(sources, torch + QStringLiteral("nn/modules"), Kind::Modules,
                       QStringLiteral("torch::nn::"), true);
            addHeaders(sources, torch + QStringLiteral("nn/options"), Kind::Options,
                       QStringLiteral("torch::nn::"), false);
            addHeaders(sources, torch + QStringLiteral("nn/functional"), Kind::Functional,
                       QStringLiteral("torch::nn::functional::"), false);
            addHeaders(sources, torch + QStringLiteral("optim"), Kind::Optim,
                       QStringLiteral("torch::optim::"), true);
            for (const char *area : {"datasets", "samplers", "transforms"}) {
                addHeaders(
                    sources, torch + QStringLiteral("data/") + QLatin1String(area), Kind::Data,
                    QStringLiteral("torch::data::") + QLatin1String(area) + QStringLiteral("::"),
                    false);
            }
        }
        if (!roots.aten.isEmpty() && !seenAten.contains(roots.aten)) {
            seenAten.insert(roots.aten);
            const QString aten = roots.aten + QStringLiteral("/ATen/");
            sources.append({Kind::AtenFunctions, aten + QStringLiteral("Functions.h"),
                            QStringLiteral("torch::")});
            for (const char *file : {"core/TensorBody.h", "core/TensorBase.h"}) {
                const QString path = aten + QLatin1String(file);
                if (QFileInfo::exists(path))
                    sources.append({Kind::TensorMethods, path, QStringLiteral("torch::Tensor::")});
            }
        }
    }
    return sources;
}

// Operator variants a learner never calls by hand: out= overloads, backward
// kernels and symbolic-int twins.
bool isInternalOp(const QString &name)
{
    return name.startsWith(u'_') || name.endsWith(QLatin1String("_out")) ||
           name.endsWith(QLatin1String("_outf")) || name.endsWith(QLatin1String("_backward")) ||
           name.endsWith(QLatin1String("_symint"));
}

void scanFile(const Source &source, QSet<QString> &names)
{
    QFile file(source.path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QString text = QString::fromUtf8(file.readAll());

    static const QRegularExpression torchModule(QStringLiteral(R"(\bTORCH_MODULE\((\w+)\))"));
    static const QRegularExpression implClass(
        QStringLiteral(R"(^\s*class\s+(?:TORCH_API\s+)?(\w+Impl)\b(?!\s*;))"));
    static const QRegularExpression optionsClass(
        QStringLiteral(R"(^\s*(?:struct|class)\s+(?:TORCH_API\s+)?(\w+Options)\b(?!\s*;))"));
    static const QRegularExpression optionsAlias(QStringLiteral(R"(^\s*using\s+(\w+Options)\s*=)"));
    static const QRegularExpression inlineFunction(
        QStringLiteral(R"(^inline\s+[\w:<>, ]+?[\s&*]+(\w+)\s*\()"));
    static const QRegularExpression publicClass(QStringLiteral(
        R"(^\s*(?:class|struct)\s+(?:TORCH_API\s+)?(\w+)\s*(?:<.*>\s*)?(?:final\s*)?(?::\s*public\b|\{))"));
    static const QRegularExpression opsInclude(
        QStringLiteral(R"(^#include\s+<ATen/ops/(\w+)\.h>)"));
    // LibTorch before 1.13 declared every operator in Functions.h itself.
    static const QRegularExpression declaredFunction(
        QStringLiteral(R"(^\s*(?:TORCH_API|inline)\s+[\w:<>, ]+?[\s&*]+(\w+)\s*\()"));
    static const QRegularExpression method(QStringLiteral(
        R"(^  (?:template\s*<[^>]*>\s*)?(?:inline\s+)?[\w:<>,]+(?:\s*[&*])?\s+[&*]?(\w+)\s*\([^;]*\)\s*const\b)"));

    bool inDetail = false;
    const QStringList lines = text.split(u'\n');
    for (const QString &line : lines) {
        // Front-end headers keep implementation helpers with the same names as
        // the public functions in "namespace detail" blocks.
        if (line.startsWith(QLatin1String("namespace detail"))) {
            inDetail = true;
            continue;
        }
        if (inDetail) {
            if (line.startsWith(QLatin1String("} // namespace detail")) ||
                line.startsWith(QLatin1String("}  // namespace detail")))
                inDetail = false;
            continue;
        }

        auto add = [&](const QString &prefix, const QString &name) {
            if (!name.isEmpty() && !name.startsWith(u'_'))
                names.insert(prefix + name);
        };
        QRegularExpressionMatch m;
        switch (source.kind) {
        case Kind::Modules:
            if ((m = torchModule.match(line)).hasMatch() && m.captured(1) != QLatin1String("Name"))
                add(source.prefix, m.captured(1));
            else if ((m = implClass.match(line)).hasMatch())
                add(source.prefix, m.captured(1));
            break;
        case Kind::Options:
            if ((m = optionsClass.match(line)).hasMatch() ||
                (m = optionsAlias.match(line)).hasMatch()) {
                const QString name = m.captured(1);
                add(name.endsWith(QLatin1String("FuncOptions"))
                        ? QStringLiteral("torch::nn::functional::")
                        : source.prefix,
                    name);
            }
            break;
        case Kind::Functional:
            if ((m = inlineFunction.match(line)).hasMatch())
                add(source.prefix, m.captured(1));
            break;
        case Kind::Optim:
        case Kind::Data:
            if ((m = publicClass.match(line)).hasMatch()) {
                const QString name = m.captured(1);
                if (!name.endsWith(QLatin1String("ParamState")))
                    add(source.prefix, name);
            }
            break;
        case Kind::AtenFunctions:
            if ((m = opsInclude.match(line)).hasMatch() ||
                (m = declaredFunction.match(line)).hasMatch()) {
                if (!isInternalOp(m.captured(1)))
                    add(source.prefix, m.captured(1));
            }
            break;
        case Kind::TensorMethods:
            if ((m = method.match(line)).hasMatch()) {
                const QString name = m.captured(1);
                if (!name.startsWith(QLatin1String("operator")) && !isInternalOp(name))
                    add(source.prefix, name);
            }
            break;
        }
    }
}

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QStringList out;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (!line.isEmpty() && !line.startsWith(u'#'))
            out << line;
    }
    return out;
}

QString cacheKey(const QStringList &includeDirs, const QList<Source> &sources)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(QByteArray::number(kScanVersion));
    for (const QString &dir : includeDirs) {
        hash.addData(QDir::cleanPath(QDir(dir).absolutePath()).toUtf8());
        hash.addData("\n");
    }
    for (const Source &source : sources) {
        const QFileInfo info(source.path);
        hash.addData(source.path.toUtf8());
        hash.addData(QByteArray::number(info.size()));
        hash.addData(QByteArray::number(info.lastModified().toMSecsSinceEpoch()));
        hash.addData("\n");
    }
    return QString::fromLatin1(hash.result().toHex().left(20));
}

QStringList merged(QStringList names, const QStringList &more)
{
    names += more;
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

QStringList CompletionIndex::curated()
{
    return readLines(QStringLiteral(":/torchlab/completions/libtorch.txt"));
}

QStringList CompletionIndex::scanHeaders(const QStringList &libtorchIncludeDirs)
{
    QSet<QString> names;
    const QList<Source> sources = sourcesFor(libtorchIncludeDirs);
    for (const Source &source : sources)
        scanFile(source, names);
    QStringList out(names.cbegin(), names.cend());
    out.sort();
    return out;
}

QString CompletionIndex::cacheFilePath(const QStringList &libtorchIncludeDirs)
{
    return LabPaths::cacheDir() + QStringLiteral("/completions/") +
           cacheKey(libtorchIncludeDirs, sourcesFor(libtorchIncludeDirs)) + QStringLiteral(".txt");
}

QStringList CompletionIndex::load(const QStringList &libtorchIncludeDirs)
{
    const QList<Source> sources = sourcesFor(libtorchIncludeDirs);
    if (sources.isEmpty())
        return merged({}, curated());

    // Only the scan is cached; the curated list ships inside the binary and
    // is merged on every call, so an updated app never serves a stale list.
    const QString cachePath = LabPaths::cacheDir() + QStringLiteral("/completions/") +
                              cacheKey(libtorchIncludeDirs, sources) + QStringLiteral(".txt");
    QStringList scanned = readLines(cachePath);
    if (scanned.isEmpty()) {
        QSet<QString> names;
        for (const Source &source : sources)
            scanFile(source, names);
        scanned = QStringList(names.cbegin(), names.cend());
        scanned.sort();
        if (!scanned.isEmpty()) {
            // QSaveFile renames into place, so two processes racing here never
            // leave a half-written list for the next reader.
            QDir().mkpath(QFileInfo(cachePath).absolutePath());
            QSaveFile file(cachePath);
            if (file.open(QIODevice::WriteOnly | QIODevice::Text)) {
                file.write("# LibTorch names scanned by TorchLab; safe to delete\n");
                file.write(scanned.join(u'\n').toUtf8());
                file.write("\n");
                file.commit();
            }
        }
    }
    return merged(scanned, curated());
}

} // namespace torchlab
