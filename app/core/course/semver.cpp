#include "core/course/semver.h"

#include <QRegularExpression>
#include <QStringList>

namespace torchlab {

namespace {

// Compares dot-separated prerelease identifiers: numeric ones numerically and
// below alphanumeric ones, shorter lists first when all else is equal.
int comparePrerelease(const QString &a, const QString &b)
{
    if (a == b)
        return 0;
    if (a.isEmpty())
        return 1;
    if (b.isEmpty())
        return -1;
    const QStringList pa = a.split(QLatin1Char('.'));
    const QStringList pb = b.split(QLatin1Char('.'));
    for (qsizetype i = 0; i < std::min(pa.size(), pb.size()); ++i) {
        bool na = false, nb = false;
        const qulonglong va = pa[i].toULongLong(&na);
        const qulonglong vb = pb[i].toULongLong(&nb);
        if (na && nb) {
            if (va != vb)
                return va < vb ? -1 : 1;
        } else if (na != nb) {
            return na ? -1 : 1;
        } else if (const int c = pa[i].compare(pb[i]); c != 0) {
            return c < 0 ? -1 : 1;
        }
    }
    return pa.size() == pb.size() ? 0 : (pa.size() < pb.size() ? -1 : 1);
}

} // namespace

std::optional<SemVer> SemVer::parse(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
                       "(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9][0-9]*|["
                       "0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?"
                       "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    SemVer v;
    bool ok1 = false, ok2 = false, ok3 = false;
    v.major = m.captured(1).toInt(&ok1);
    v.minor = m.captured(2).toInt(&ok2);
    v.patch = m.captured(3).toInt(&ok3);
    if (!ok1 || !ok2 || !ok3)
        return std::nullopt;
    v.prerelease = m.captured(4);
    return v;
}

int SemVer::compare(const SemVer &a, const SemVer &b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return comparePrerelease(a.prerelease, b.prerelease);
}

QString SemVer::toString() const
{
    QString s = QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch);
    if (!prerelease.isEmpty())
        s += QLatin1Char('-') + prerelease;
    return s;
}

} // namespace torchlab
