#include "core/course/pack.h"

#include <QDir>

namespace torchlab {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

QString Check::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Compiles:
        return QStringLiteral("compiles");
    case Kind::ExitsOk:
        return QStringLiteral("exits_ok");
    case Kind::Output:
        return QStringLiteral("output");
    case Kind::Metric:
        return QStringLiteral("metric");
    case Kind::Check:
        return QStringLiteral("check");
    case Kind::Time:
        return QStringLiteral("time");
    }
    return QString();
}

std::optional<Check::Kind> Check::kindFromName(const QString &name)
{
    for (Kind k :
         {Kind::Compiles, Kind::ExitsOk, Kind::Output, Kind::Metric, Kind::Check, Kind::Time})
        if (kindName(k) == name)
            return k;
    return std::nullopt;
}

QString Check::ofName(Of of)
{
    switch (of) {
    case Of::Final:
        return QStringLiteral("final");
    case Of::Min:
        return QStringLiteral("min");
    case Of::Max:
        return QStringLiteral("max");
    }
    return QString();
}

QString Check::streamName(Stream stream)
{
    return stream == Stream::Stderr ? QStringLiteral("stderr") : QStringLiteral("stdout");
}

QString Check::title() const
{
    switch (kind) {
    case Kind::Compiles:
        return warningFree ? QStringLiteral("compiles without warnings")
                           : QStringLiteral("compiles");
    case Kind::ExitsOk:
        return QStringLiteral("exits_ok");
    case Kind::Output: {
        QString p = pattern;
        if (p.size() > 40)
            p = p.left(39) + QChar(0x2026);
        return QStringLiteral("%1 matches /%2/").arg(streamName(stream), p);
    }
    case Kind::Metric: {
        QString t = QStringLiteral("metric %1 %2").arg(name, ofName(of));
        if (min && max)
            t += QStringLiteral(" in [%1, %2]").arg(number(*min), number(*max));
        else if (min)
            t += QStringLiteral(" >= %1").arg(number(*min));
        else if (max)
            t += QStringLiteral(" <= %1").arg(number(*max));
        return t;
    }
    case Kind::Check:
        return name;
    case Kind::Time:
        return QStringLiteral("time <= %1 s").arg(number(maxSeconds));
    }
    return QString();
}

QString SolutionPolicy::whenName(When when)
{
    switch (when) {
    case When::AfterPass:
        return QStringLiteral("after_pass");
    case When::AfterFailures:
        return QStringLiteral("after_failures");
    case When::Never:
        return QStringLiteral("never");
    }
    return QString();
}

QString Lesson::filePath(const QString &relative) const
{
    return QDir(directory).filePath(relative);
}

const Lesson *Pack::lesson(const QString &idOrFolder) const
{
    for (const Lesson &l : lessons)
        if (l.id == idOrFolder)
            return &l;
    for (const Lesson &l : lessons)
        if (l.folder == idOrFolder)
            return &l;
    return nullptr;
}

} // namespace torchlab
