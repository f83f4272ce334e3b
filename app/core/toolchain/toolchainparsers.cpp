#include "core/toolchain/toolchainparsers.h"

#include <QRegularExpression>
#include <QStringList>

namespace torchlab::ToolchainParsers {

QString torchVersionFromHeader(const QString &text)
{
    // The string form spans two lines in the real header:
    //   #define TORCH_VERSION \
    //     "1.13.0"
    static const QRegularExpression stringForm(
        QStringLiteral(R"(#\s*define\s+TORCH_VERSION\s*(?:\\\s*)?\"([^\"]+)\")"));
    const auto match = stringForm.match(text);
    if (match.hasMatch())
        return match.captured(1).trimmed();

    const auto number = [&text](const char *name) {
        const QRegularExpression re(
            QStringLiteral(R"(#\s*define\s+%1\s+(\d+))").arg(QLatin1String(name)));
        const auto m = re.match(text);
        return m.hasMatch() ? m.captured(1) : QString();
    };
    const QString major = number("TORCH_VERSION_MAJOR");
    const QString minor = number("TORCH_VERSION_MINOR");
    const QString patch = number("TORCH_VERSION_PATCH");
    if (major.isEmpty() || minor.isEmpty())
        return QString();
    return patch.isEmpty() ? major + QLatin1Char('.') + minor
                           : major + QLatin1Char('.') + minor + QLatin1Char('.') + patch;
}

VersionPy parseVersionPy(const QString &text)
{
    VersionPy result;
    static const QRegularExpression versionRe(
        QStringLiteral(R"(^__version__\s*(?::[^=\n]*)?=\s*['"]([^'"]+)['"])"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression cudaRe(
        QStringLiteral(R"(^cuda\s*(?::[^=\n]*)?=\s*(?:['"]([^'"]*)['"]|(None)))"),
        QRegularExpression::MultilineOption);
    const auto version = versionRe.match(text);
    if (version.hasMatch())
        result.version = version.captured(1).trimmed();
    const auto cuda = cudaRe.match(text);
    if (cuda.hasMatch()) {
        result.cuda = cuda.captured(1).trimmed();
        result.cudaNone = !cuda.captured(2).isEmpty();
    }
    return result;
}

QString parseBuildVersion(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            return trimmed;
    }
    return QString();
}

QString cudaFromVersionSuffix(const QString &version)
{
    static const QRegularExpression suffix(QStringLiteral(R"(\+cu(\d{2,3})\b)"));
    const auto match = suffix.match(version);
    if (!match.hasMatch())
        return QString();
    const QString digits = match.captured(1);
    // The last digit is the minor version: cu118 → 11.8, cu130 → 13.0, cu92 → 9.2.
    return digits.left(digits.size() - 1) + QLatin1Char('.') + digits.right(1);
}

QString cudaFromRuntimeHeader(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(#\s*define\s+CUDART_VERSION\s+(\d+))"));
    const auto match = re.match(text);
    if (!match.hasMatch())
        return QString();
    const int value = match.captured(1).toInt();
    return QStringLiteral("%1.%2").arg(value / 1000).arg((value % 1000) / 10);
}

int abiFromTorchConfig(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(_GLIBCXX_USE_CXX11_ABI=([01]))"));
    const auto match = re.match(text);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

int cxxStandardFromTorchConfig(const QString &text)
{
    static const QRegularExpression property(QStringLiteral(R"(CXX_STANDARD\s+(\d+))"));
    static const QRegularExpression feature(QStringLiteral(R"(cxx_std_(\d+))"));
    int best = 0;
    for (const auto *re : {&property, &feature}) {
        auto it = re->globalMatch(text);
        while (it.hasNext())
            best = qMax(best, it.next().captured(1).toInt());
    }
    return best;
}

CompilerVersion parseCompilerVersion(const QString &output)
{
    CompilerVersion result;
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty()) {
            result.firstLine = line.trimmed();
            break;
        }
    }

    // nvcc: "Cuda compilation tools, release 13.0, V13.0.88"
    static const QRegularExpression nvccRe(
        QStringLiteral(R"(release\s+(\d+)\.(\d+),\s*V(\d+\.\d+\.\d+))"));
    // clang: "Debian clang version 14.0.6", "clang version 18.1.3 (...)", "Apple clang
    // version 15.0.0"
    static const QRegularExpression clangRe(
        QStringLiteral(R"(clang version\s+(\d+)\.(\d+)(?:\.(\d+))?)"));
    // g++: "g++ (Debian 12.2.0-14+deb12u1) 12.2.0", "g++ (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0"
    static const QRegularExpression gccRe(
        QStringLiteral(R"(^\S*(?:g\+\+|c\+\+|gcc)\S*\s+\(.*\)\s+(\d+)\.(\d+)(?:\.(\d+))?)"),
        QRegularExpression::MultilineOption);

    if (const auto m = nvccRe.match(output); m.hasMatch()) {
        result.kind = CompilerInfo::Kind::Nvcc;
        result.version = m.captured(3);
        result.major = m.captured(1).toInt();
        result.minor = m.captured(2).toInt();
        result.recognised = true;
        for (const QString &line : lines) {
            if (line.contains(QLatin1String("release"))) {
                result.firstLine = line.trimmed();
                break;
            }
        }
    } else if (const auto m = clangRe.match(output); m.hasMatch()) {
        result.kind = CompilerInfo::Kind::Clang;
        result.major = m.captured(1).toInt();
        result.minor = m.captured(2).toInt();
        result.version = m.captured(1) + QLatin1Char('.') + m.captured(2) +
                         (m.captured(3).isEmpty() ? QString() : QLatin1Char('.') + m.captured(3));
        result.recognised = true;
    } else if (const auto m = gccRe.match(output); m.hasMatch()) {
        result.kind = CompilerInfo::Kind::Gcc;
        result.major = m.captured(1).toInt();
        result.minor = m.captured(2).toInt();
        result.version = m.captured(1) + QLatin1Char('.') + m.captured(2) +
                         (m.captured(3).isEmpty() ? QString() : QLatin1Char('.') + m.captured(3));
        result.recognised = true;
    }
    return result;
}

AbiMacros parseAbiMacros(const QString &output)
{
    AbiMacros result;
    static const QRegularExpression abiRe(
        QStringLiteral(R"(#define\s+_GLIBCXX_USE_CXX11_ABI\s+(\d))"));
    static const QRegularExpression dualRe(
        QStringLiteral(R"(#define\s+_GLIBCXX_USE_DUAL_ABI\s+(\d))"));
    if (const auto m = abiRe.match(output); m.hasMatch())
        result.defaultAbi = m.captured(1).toInt();
    if (const auto m = dualRe.match(output); m.hasMatch())
        result.dualAbi = m.captured(1).toInt() != 0;
    return result;
}

namespace {
QList<int> numericParts(const QString &version)
{
    static const QRegularExpression prefix(QStringLiteral(R"(^\s*(\d+(?:\.\d+)*))"));
    QList<int> parts;
    const auto match = prefix.match(version);
    if (!match.hasMatch())
        return parts;
    const QStringList pieces = match.captured(1).split(QLatin1Char('.'));
    for (const QString &piece : pieces)
        parts.append(piece.toInt());
    return parts;
}
} // namespace

int compareVersions(const QString &a, const QString &b)
{
    const QList<int> left = numericParts(a);
    const QList<int> right = numericParts(b);
    const qsizetype count = qMax(left.size(), right.size());
    for (qsizetype i = 0; i < count; ++i) {
        const int l = i < left.size() ? left.at(i) : 0;
        const int r = i < right.size() ? right.at(i) : 0;
        if (l != r)
            return l < r ? -1 : 1;
    }
    return 0;
}

QString majorMinor(const QString &version)
{
    const QList<int> parts = numericParts(version);
    if (parts.isEmpty())
        return QString();
    return QString::number(parts.at(0)) + QLatin1Char('.') +
           QString::number(parts.size() > 1 ? parts.at(1) : 0);
}

NvccHostLimits nvccHostLimits(int nvccMajor, int nvccMinor)
{
    // From each release's crt/host_config.h (13.0 read from the toolkit on the
    // CI machine; the others from NVIDIA's installation guides). Releases
    // newer than the table are not limited: a newer nvcc accepts at least
    // what an older one did, and refusing a working pair is worse than one
    // clear nvcc error.
    struct Row
    {
        int major, minor, gcc, clang;
    };
    static constexpr Row rows[] = {
        {13, 0, 15, 20}, {12, 8, 14, 19}, {12, 6, 13, 18}, {12, 4, 13, 17}, {12, 2, 12, 16},
        {12, 1, 12, 15}, {12, 0, 12, 14}, {11, 4, 11, 13}, {11, 0, 10, 11},
    };
    if (nvccMajor > rows[0].major || (nvccMajor == rows[0].major && nvccMinor > rows[0].minor))
        return {};
    for (const Row &row : rows) {
        if (nvccMajor > row.major || (nvccMajor == row.major && nvccMinor >= row.minor))
            return {row.gcc, row.clang};
    }
    return {};
}

bool nvccAcceptsHost(const CompilerInfo &nvcc, const CompilerInfo &host)
{
    if (host.kind == CompilerInfo::Kind::Nvcc || host.path.isEmpty())
        return false;
    const NvccHostLimits limits = nvccHostLimits(nvcc.versionMajor, nvcc.versionMinor);
    const int limit = host.kind == CompilerInfo::Kind::Gcc ? limits.maxGcc : limits.maxClang;
    return limit == 0 || host.versionMajor == 0 || host.versionMajor <= limit;
}

} // namespace torchlab::ToolchainParsers
