#include "core/grading/checkreport.h"

#include "core/run/resultjson.h"

#include <QJsonArray>

namespace torchlab {

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(capText(text));
}

} // namespace

QString CheckResult::statusName(Status status)
{
    switch (status) {
    case Status::Pass:
        return QStringLiteral("pass");
    case Status::Fail:
        return QStringLiteral("fail");
    case Status::Error:
        return QStringLiteral("error");
    case Status::Skipped:
        return QStringLiteral("skipped");
    }
    return QString();
}

QString capText(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    return text.left(maxChars - 1) + QChar(0x2026);
}

QString tailLines(const QString &text, int maxLines, int maxChars)
{
    QString t = text;
    while (t.endsWith(QLatin1Char('\n')) || t.endsWith(QLatin1Char('\r')))
        t.chop(1);
    if (t.isEmpty())
        return t;
    QStringList lines = t.split(QLatin1Char('\n'));
    bool cut = lines.size() > maxLines;
    if (cut)
        lines = lines.mid(lines.size() - maxLines);
    QString tail = lines.join(QLatin1Char('\n'));
    if (tail.size() > maxChars) {
        tail = tail.right(maxChars);
        cut = true;
    }
    return cut ? QStringLiteral("\u2026") + tail : tail;
}

int CheckReport::count(Status s) const
{
    return int(std::count_if(tests.cbegin(), tests.cend(),
                             [s](const CheckResult &r) { return r.status == s; }));
}

QJsonObject CheckReport::toJson() const
{
    QJsonArray testArray;
    for (const CheckResult &t : tests)
        testArray.append(QJsonObject{{QStringLiteral("name"), t.title.isEmpty() ? t.name : t.title},
                                     {QStringLiteral("id"), t.name},
                                     {QStringLiteral("kind"), Check::kindName(t.kind)},
                                     {QStringLiteral("status"), CheckResult::statusName(t.status)},
                                     {QStringLiteral("message"), textOrNull(t.message)},
                                     {QStringLiteral("output"), textOrNull(t.output)}});
    // A template explosion can produce thousands; the first ones are what matters.
    constexpr int maxDiagnostics = 200;
    QJsonArray diagnosticArray;
    for (const Diagnostic &d : diagnostics.mid(0, maxDiagnostics))
        diagnosticArray.append(diagnosticToJson(d));
    QJsonObject json{{QStringLiteral("version"), 2},
                     {QStringLiteral("status"), CheckResult::statusName(status)},
                     {QStringLiteral("message"), textOrNull(message)},
                     {QStringLiteral("tests"), testArray},
                     {QStringLiteral("lesson"), lessonId},
                     {QStringLiteral("folder"), lessonFolder},
                     {QStringLiteral("title"), lessonTitle},
                     {QStringLiteral("source"), source},
                     {QStringLiteral("language"), language},
                     {QStringLiteral("quick"), quick},
                     {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
                     {QStringLiteral("compile_ms"), compileMs},
                     {QStringLiteral("run_ms"), runMs}};
    json.insert(QStringLiteral("run_outcome"),
                runOutcome ? QJsonValue(outcomeName(*runOutcome)) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("run_summary"), textOrNull(runSummary));
    json.insert(QStringLiteral("run_explanation"), textOrNull(runExplanation));
    json.insert(QStringLiteral("run_detail"), textOrNull(runDetail));
    json.insert(QStringLiteral("sandbox"), textOrNull(sandbox));
    json.insert(QStringLiteral("sandbox_note"), textOrNull(sandboxNote));
    json.insert(QStringLiteral("device"), textOrNull(device));
    json.insert(QStringLiteral("diagnostics"), diagnosticArray);
    if (diagnostics.size() > maxDiagnostics)
        json.insert(QStringLiteral("diagnostics_omitted"),
                    int(diagnostics.size() - maxDiagnostics));
    return json;
}

} // namespace torchlab
