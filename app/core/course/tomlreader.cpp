#include "core/course/tomlreader.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace torchlab::manifest {

namespace {

int clampInt(toml::source_index v)
{
    return v > toml::source_index(std::numeric_limits<int>::max()) ? std::numeric_limits<int>::max()
                                                                   : int(v);
}

Pos fromRegion(const toml::source_region &r)
{
    return Pos{clampInt(r.begin.line), clampInt(r.begin.column)};
}

QString typeName(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return QStringLiteral("a string");
    case toml::node_type::integer:
        return QStringLiteral("an integer");
    case toml::node_type::floating_point:
        return QStringLiteral("a number with a fraction");
    case toml::node_type::boolean:
        return QStringLiteral("true/false");
    case toml::node_type::array:
        return QStringLiteral("an array");
    case toml::node_type::table:
        return QStringLiteral("a table");
    case toml::node_type::date:
        return QStringLiteral("a date");
    case toml::node_type::time:
        return QStringLiteral("a time");
    case toml::node_type::date_time:
        return QStringLiteral("a date-time");
    case toml::node_type::none:
        break;
    }
    return QStringLiteral("nothing");
}

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> prev(size_t(b.size()) + 1), cur(size_t(b.size()) + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int subst = prev[size_t(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[size_t(j)] = std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[size_t(b.size())];
}

} // namespace

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString closestName(const QString &word, const QStringList &candidates)
{
    if (word.size() > 64)
        return QString(); // nobody mistypes 64 characters; keeps the distance cheap
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    for (const QString &c : candidates) {
        const int d = editDistance(word.toLower(), c.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    if (bestDistance <= 2 && bestDistance * 2 < std::max<qsizetype>(word.size(), 2))
        return best;
    return QString();
}

TomlReader::TomlReader(const QString &file, QList<Problem> *problems)
    : m_file(file), m_problems(problems)
{
}

std::optional<toml::table> TomlReader::parse(QByteArrayView text)
{
    try {
        return toml::parse(std::string_view(text.data(), size_t(text.size())));
    } catch (const toml::parse_error &e) {
        QString what = fromStd(e.description());
        if (!what.isEmpty())
            what[0] = what[0].toUpper();
        if (!what.endsWith(QLatin1Char('.')))
            what += QLatin1Char('.');
        error(fromRegion(e.source()), QStringLiteral("TOML syntax error: %1").arg(what));
    } catch (const std::exception &e) {
        // toml++ reports everything through parse_error; anything else (an
        // allocation failure on absurd input) must still not end the program.
        error(Pos{},
              QStringLiteral("The file could not be read: %1").arg(QString::fromUtf8(e.what())));
    }
    return std::nullopt;
}

void TomlReader::error(Pos pos, const QString &message)
{
    m_problems->append(Problem{Problem::Severity::Error, m_file, pos.line, pos.column, message});
}

void TomlReader::warning(Pos pos, const QString &message)
{
    m_problems->append(Problem{Problem::Severity::Warning, m_file, pos.line, pos.column, message});
}

Pos TomlReader::position(const toml::node &node)
{
    return fromRegion(node.source());
}

Pos TomlReader::position(const toml::key &key)
{
    return fromRegion(key.source());
}

Pos TomlReader::position(const toml::table &table)
{
    const Pos p = fromRegion(table.source());
    return p.line > 0 ? p : Pos{1, 1};
}

void TomlReader::checkKeys(const toml::table &table, std::initializer_list<std::string_view> known,
                           const QString &where)
{
    QStringList names;
    for (std::string_view k : known)
        names << fromStd(k);
    for (auto &&[key, node] : table) {
        const QString name = fromStd(key.str());
        if (names.contains(name))
            continue;
        const QString suggestion = closestName(name, names);
        QString message = QStringLiteral("Unknown key \"%1\" in %2 is ignored.").arg(name, where);
        if (!suggestion.isEmpty())
            message += QStringLiteral(" Did you mean \"%1\"?").arg(suggestion);
        else
            message += QStringLiteral(" Known keys: %1.").arg(names.join(QStringLiteral(", ")));
        warning(position(key), message);
    }
}

const toml::node *TomlReader::get(const toml::table &t, std::string_view key, Need need,
                                  const char *type)
{
    const toml::node *node = t.get(key);
    if (!node && need == Need::Required)
        error(position(t), QStringLiteral("\"%1\" is missing: it must be %2.")
                               .arg(fromStd(key), QLatin1String(type)));
    return node;
}

void TomlReader::wrongType(const toml::node &node, std::string_view key, const char *type)
{
    error(position(node), QStringLiteral("\"%1\" must be %2, not %3.")
                              .arg(fromStd(key), QLatin1String(type), typeName(node)));
}

std::optional<Located<QString>> TomlReader::string(const toml::table &t, std::string_view key,
                                                   Need need)
{
    const char *type = "a string";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    if (const auto *s = node->as_string())
        return Located<QString>{fromStd(s->get()), position(*node)};
    wrongType(*node, key, type);
    return std::nullopt;
}

std::optional<Located<qint64>> TomlReader::integer(const toml::table &t, std::string_view key,
                                                   Need need)
{
    const char *type = "a whole number";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    if (const auto *i = node->as_integer())
        return Located<qint64>{qint64(i->get()), position(*node)};
    wrongType(*node, key, type);
    return std::nullopt;
}

std::optional<Located<double>> TomlReader::number(const toml::table &t, std::string_view key,
                                                  Need need)
{
    const char *type = "a number";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    double v = 0;
    if (const auto *i = node->as_integer()) {
        v = double(i->get());
    } else if (const auto *f = node->as_floating_point()) {
        v = f->get();
        if (!std::isfinite(v)) {
            error(position(*node), QStringLiteral("\"%1\" must be a finite number, not nan or inf.")
                                       .arg(fromStd(key)));
            return std::nullopt;
        }
    } else {
        wrongType(*node, key, type);
        return std::nullopt;
    }
    return Located<double>{v, position(*node)};
}

std::optional<Located<bool>> TomlReader::boolean(const toml::table &t, std::string_view key,
                                                 Need need)
{
    const char *type = "true or false";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    if (const auto *b = node->as_boolean())
        return Located<bool>{b->get(), position(*node)};
    wrongType(*node, key, type);
    return std::nullopt;
}

std::optional<Located<QList<Located<QString>>>>
TomlReader::stringArray(const toml::table &t, std::string_view key, Need need)
{
    const char *type = "an array of strings";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    const toml::array *array = node->as_array();
    if (!array) {
        wrongType(*node, key, type);
        return std::nullopt;
    }
    Located<QList<Located<QString>>> out{{}, position(*node)};
    for (const toml::node &element : *array) {
        if (const auto *s = element.as_string())
            out.value.append(Located<QString>{fromStd(s->get()), position(element)});
        else
            error(position(element),
                  QStringLiteral("Every element of \"%1\" must be a string, not %2.")
                      .arg(fromStd(key), typeName(element)));
    }
    return out;
}

LocalizedText TomlReader::localizedTable(const toml::table &t, const QString &what)
{
    LocalizedText out;
    for (auto &&[key, node] : t) {
        const QString language = fromStd(key.str());
        if (!Languages::isLanguageCode(language)) {
            const QString suggestion = closestName(language, Languages::required());
            warning(
                position(key),
                QStringLiteral(
                    "\"%1\" in %2 is not a language code (such as en or zh_CN) and is ignored.%3")
                    .arg(language, what,
                         suggestion.isEmpty()
                             ? QString()
                             : QStringLiteral(" Did you mean \"%1\"?").arg(suggestion)));
            continue;
        }
        const auto *s = node.as_string();
        if (!s) {
            error(position(node), QStringLiteral("The %1 text of %2 must be a string, not %3.")
                                      .arg(language, what, typeName(node)));
            continue;
        }
        const QString text = fromStd(s->get());
        if (text.trimmed().isEmpty()) {
            error(position(node),
                  QStringLiteral("The %1 text of %2 is empty.").arg(language, what));
            continue;
        }
        out.insert(language, text);
    }
    for (const QString &language : Languages::required()) {
        if (out.contains(language) || t.get(language.toStdString()))
            continue;
        error(position(t), QStringLiteral("%1 has no \"%2\" text; every pack needs %3.")
                               .arg(what.left(1).toUpper() + what.mid(1), language,
                                    Languages::required().join(QStringLiteral(" and "))));
    }
    return out;
}

std::optional<LocalizedText> TomlReader::localized(const toml::table &t, std::string_view key,
                                                   Need need, const QString &what)
{
    const char *type = "a table of texts per language, such as { en = \"...\", zh_CN = \"...\" }";
    const toml::node *node = get(t, key, need, type);
    if (!node)
        return std::nullopt;
    const toml::table *table = node->as_table();
    if (!table) {
        wrongType(*node, key, type);
        return std::nullopt;
    }
    return localizedTable(*table, what);
}

std::optional<QList<const toml::table *>> TomlReader::tableArray(const toml::table &t,
                                                                 std::string_view key, Need need)
{
    const toml::node *node = t.get(key);
    if (!node) {
        if (need == Need::Required)
            error(position(t), QStringLiteral("There is no [[%1]] entry.").arg(fromStd(key)));
        return std::nullopt;
    }
    const toml::array *array = node->as_array();
    if (!array) {
        error(position(*node), QStringLiteral("\"%1\" must be written as [[%1]] tables, not %2.")
                                   .arg(fromStd(key), typeName(*node)));
        return std::nullopt;
    }
    QList<const toml::table *> out;
    for (const toml::node &element : *array) {
        if (const auto *table = element.as_table())
            out.append(table);
        else
            error(position(element),
                  QStringLiteral("Every element of \"%1\" must be a table, not %2.")
                      .arg(fromStd(key), typeName(element)));
    }
    return out;
}

const toml::table *TomlReader::table(const toml::table &t, std::string_view key, Need need)
{
    const toml::node *node = t.get(key);
    if (!node) {
        if (need == Need::Required)
            error(position(t), QStringLiteral("The [%1] table is missing.").arg(fromStd(key)));
        return nullptr;
    }
    if (const auto *table = node->as_table())
        return table;
    error(position(*node), QStringLiteral("\"%1\" must be a table ([%1]), not %2.")
                               .arg(fromStd(key), typeName(*node)));
    return nullptr;
}

} // namespace torchlab::manifest
