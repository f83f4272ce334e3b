#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace torchlab {

// Why something did not work, in the learner's language: one or two plain
// sentences, already translated (tr() at the place that knows what failed).
struct Failure
{
    QString message;
};

// The failure of an operation: `return fail(tr("…"));` converts to any Result.
inline Failure fail(QString message)
{
    return Failure{std::move(message)};
}

// The one error-return shape of app/core: a value, or a Failure whose message
// is ready to show. Replaces {ok, error} structs, std::optional with a
// QString* out-parameter, and a member lastError() for new and touched code.
//
//   Result<Pack> loaded = load(path);
//   if (!loaded)
//       show(loaded.error());
//   use(*loaded);
template <class T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Failure failure) : m_state(std::in_place_index<1>, std::move(failure)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Only when ok().
    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

    // Empty when ok().
    QString error() const { return ok() ? QString() : std::get<1>(m_state).message; }

private:
    std::variant<T, Failure> m_state;
};

// A Result without a value: success, or a Failure.
template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Failure failure) : m_failed(true), m_message(std::move(failure.message)) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    QString error() const { return m_message; }

private:
    bool m_failed = false;
    QString m_message;
};

using Status = Result<void>;

} // namespace torchlab
