#include "core/build/pathmap.h"

#include <QDir>
#include <QRegularExpression>

namespace torchlab {

namespace {

QString fileNameOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? path : path.mid(slash + 1);
}

QString stemOf(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(u'.');
    return dot <= 0 ? fileName : fileName.left(dot);
}

QString resolved(const QString &path, const QString &workingDirectory)
{
    if (path.startsWith(u'/') || workingDirectory.isEmpty())
        return QDir::cleanPath(path);
    return QDir::cleanPath(workingDirectory + u'/' + path);
}

} // namespace

PathMap::Mapped PathMap::map(const QString &printedPath) const
{
    if (printedPath.isEmpty())
        return {};
    if (const auto it = realToShown.constFind(printedPath); it != realToShown.cend())
        return {it.value(), true};

    const QString wanted = resolved(printedPath, workingDirectory);
    for (auto it = realToShown.cbegin(); it != realToShown.cend(); ++it) {
        if (resolved(it.key(), workingDirectory) == wanted)
            return {it.value(), true};
    }

    // Linkers name sources by the bare name stored in the object file; accept it only
    // when exactly one learner file matches, so two "main.cpp" never get confused.
    if (!printedPath.contains(u'/')) {
        // nvcc compiles <stem>.cu through tmpxft_<hex>_<hex>-<n>_<stem>.cudafe1.cpp.
        static const QRegularExpression cudafe(
            QStringLiteral("^tmpxft_[0-9a-fA-F]+_[0-9a-fA-F]+-\\d+_(.+)\\.cudafe1\\.[a-z.]+$"));
        const auto cudafeMatch = cudafe.match(printedPath);
        const QString stem = cudafeMatch.hasMatch() ? cudafeMatch.captured(1) : QString();
        QString found;
        int hits = 0;
        for (auto it = realToShown.cbegin(); it != realToShown.cend(); ++it) {
            const QString name = fileNameOf(it.key());
            const bool cuSource = name.endsWith(QStringLiteral(".cu"));
            if (stem.isEmpty() ? name == printedPath : (cuSource && stemOf(name) == stem)) {
                found = it.value();
                ++hits;
            }
        }
        if (hits == 1)
            return {found, true};
    }
    return {printedPath.startsWith(u'/') ? QDir::cleanPath(printedPath) : printedPath, false};
}

QString PathMap::displayPath(const QString &file) const
{
    for (auto it = realToShown.cbegin(); it != realToShown.cend(); ++it) {
        if (it.value() == file)
            return file;
    }
    qsizetype best = -1;
    for (const QString &root : includeRoots) {
        const QString prefix = QDir::cleanPath(root) + u'/';
        if (file.startsWith(prefix) && prefix.size() > best)
            best = prefix.size();
    }
    if (best > 0)
        return file.mid(best);
    // Without configured roots: LibTorch's C++ API headers live under
    // .../torch/csrc/api/include/, everything else under some .../include/.
    static const QString apiInclude = QStringLiteral("/torch/csrc/api/include/");
    if (const qsizetype at = file.indexOf(apiInclude); at >= 0)
        return file.mid(at + apiInclude.size());
    if (file.startsWith(u'/')) {
        if (const qsizetype at = file.lastIndexOf(QStringLiteral("/include/")); at >= 0)
            return file.mid(at + 9);
    }
    return file;
}

} // namespace torchlab
