#include "core/course/pack.h"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>

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

QString Check::id() const
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

QString Check::displayTitle(const QString &language) const
{
    if (const QString own = localized(titleText, language); !own.isEmpty())
        return own;
    switch (kind) {
    case Kind::Compiles:
        return warningFree ? QCoreApplication::translate("torchlab::Check",
                                                         "The program compiles without warnings")
                           : QCoreApplication::translate("torchlab::Check", "The program compiles");
    case Kind::ExitsOk:
        return QCoreApplication::translate("torchlab::Check", "The program ends without an error");
    case Kind::Output:
        return stream == Stream::Stderr
                   ? QCoreApplication::translate("torchlab::Check",
                                                 "The error output shows the expected text")
                   : QCoreApplication::translate("torchlab::Check",
                                                 "The output shows the expected text");
    case Kind::Metric: {
        const QString a = min ? QLocale().toString(*min, 'g', 6) : QString();
        const QString b = max ? QLocale().toString(*max, 'g', 6) : QString();
        // %1 is the metric's name as the program reports it ("loss").
        switch (of) {
        case Of::Final:
            if (min && max)
                return QCoreApplication::translate("torchlab::Check",
                                                   "Final %1 is between %2 and %3")
                    .arg(name, a, b);
            if (min)
                return QCoreApplication::translate("torchlab::Check", "Final %1 is at least %2")
                    .arg(name, a);
            return QCoreApplication::translate("torchlab::Check", "Final %1 is at most %2")
                .arg(name, b);
        case Of::Min:
            if (min && max)
                return QCoreApplication::translate("torchlab::Check",
                                                   "Lowest %1 is between %2 and %3")
                    .arg(name, a, b);
            if (min)
                return QCoreApplication::translate("torchlab::Check", "Lowest %1 is at least %2")
                    .arg(name, a);
            return QCoreApplication::translate("torchlab::Check", "Lowest %1 is at most %2")
                .arg(name, b);
        case Of::Max:
            if (min && max)
                return QCoreApplication::translate("torchlab::Check",
                                                   "Highest %1 is between %2 and %3")
                    .arg(name, a, b);
            if (min)
                return QCoreApplication::translate("torchlab::Check", "Highest %1 is at least %2")
                    .arg(name, a);
            return QCoreApplication::translate("torchlab::Check", "Highest %1 is at most %2")
                .arg(name, b);
        }
        break;
    }
    case Kind::Check:
        return name;
    case Kind::Time:
        return QCoreApplication::translate("torchlab::Check", "Finishes within %1 s")
            .arg(QLocale().toString(maxSeconds, 'g', 6));
    }
    return id();
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
