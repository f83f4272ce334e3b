#pragma once

// Internal to app/core/course: typed access to a toml++ document that turns
// every absent, mistyped or unknown value into a Problem with its line and
// column. Only .cpp files include this header, so toml++ stays out of the
// public API.
#include "core/course/localizedtext.h"
#include "core/course/problem.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <initializer_list>
#include <optional>
#include <string_view>

#include <toml++/toml.h>

namespace torchlab::manifest {

struct Pos
{
    int line = 0;
    int column = 0;
};

template <typename T> struct Located
{
    T value;
    Pos pos;
};

enum class Need
{
    Optional,
    Required
};

// Names the closest of `candidates` to `word` when it is a likely typo
// (edit distance at most 2, and less than half the word); empty otherwise.
QString closestName(const QString &word, const QStringList &candidates);

class TomlReader
{
public:
    TomlReader(const QString &file, QList<Problem> *problems);

    // Parses `text`; a syntax error (or bytes that are not UTF-8) becomes one
    // error at the place toml++ names, and nullopt is returned.
    std::optional<toml::table> parse(QByteArrayView text);

    void error(Pos pos, const QString &message);
    void warning(Pos pos, const QString &message);
    static Pos position(const toml::node &node);
    static Pos position(const toml::key &key);
    // Where a table starts; line 1 for the document itself.
    static Pos position(const toml::table &table);

    // Warns about every key of `table` that is not in `known`, suggesting the
    // closest known key. `where` names the table in the message ("the [limits] table").
    void checkKeys(const toml::table &table, std::initializer_list<std::string_view> known,
                   const QString &where);

    // Typed getters: nullopt when the key is absent (an error when Required)
    // or has the wrong type (always an error).
    std::optional<Located<QString>> string(const toml::table &t, std::string_view key, Need need);
    std::optional<Located<qint64>> integer(const toml::table &t, std::string_view key, Need need);
    // Integers or floats; NaN and infinities are errors.
    std::optional<Located<double>> number(const toml::table &t, std::string_view key, Need need);
    std::optional<Located<bool>> boolean(const toml::table &t, std::string_view key, Need need);
    // An array of strings; nullopt when absent or not an array. Elements of
    // another type are errors and left out.
    std::optional<Located<QList<Located<QString>>>> stringArray(const toml::table &t,
                                                                std::string_view key, Need need);
    // A table (or inline table) of language -> non-empty string. Every
    // language in Languages::required() must be there; others must look like
    // language codes. `what` names the text in messages ("the title").
    std::optional<LocalizedText> localized(const toml::table &t, std::string_view key, Need need,
                                           const QString &what);
    // The same for a table that is itself the localized text (an element of [[hints]]).
    LocalizedText localizedTable(const toml::table &t, const QString &what);
    // An array of tables ([[checks]]); nullopt when absent or not such an array.
    std::optional<QList<const toml::table *>> tableArray(const toml::table &t, std::string_view key,
                                                         Need need);
    const toml::table *table(const toml::table &t, std::string_view key, Need need);

private:
    const toml::node *get(const toml::table &t, std::string_view key, Need need, const char *type);
    void wrongType(const toml::node &node, std::string_view key, const char *type);

    QString m_file;
    QList<Problem> *m_problems;
};

QString fromStd(std::string_view s);

} // namespace torchlab::manifest
