#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace torchlab {

// One token of a source file, comments dropped and the text of string and
// character literals left out ("" and '' stand for any literal).
struct CodeToken
{
    QString text;
    int line = 0; // 1-based
};

// How a file writes its comments and literals.
enum class CodeSyntax
{
    Cpp,   // C++ and CUDA: // and /* */ comments; "...", '...' and raw string literals
    CMake, // CMakeLists.txt, *.cmake: # and #[[ ]] comments; "..." and [[ ]] arguments
};

// CMake for "CMakeLists.txt" and names ending in ".cmake" (any folder), else C++.
CodeSyntax codeSyntaxFor(const QString &fileName);

// The tokens of `source`: identifiers, numbers (digit separators included),
// literals (raw strings too) and punctuation one character at a time.
// Preprocessor lines tokenize like code. Not a compiler's lexer: enough to
// tell whether two versions of a file differ only in comments and words
// inside string literals. In CMake, a quoted argument stands as "" and a
// bracket argument as [[]].
QList<CodeToken> codeSkeleton(const QString &source, CodeSyntax syntax = CodeSyntax::Cpp);

// 0 when `translated` differs from `original` only in comments, whitespace
// and the text of string literals; otherwise the 1-based line of
// `translated` where its code first differs (its last line + 1 when it ends early).
int firstCodeDifference(const QString &original, const QString &translated,
                        CodeSyntax syntax = CodeSyntax::Cpp);

// A starter file's translations lie beside it as <stem>.<language>.<suffix>:
// "exercise.zh_CN.cpp" for "exercise.cpp". The name for one language.
QString starterVariantName(const QString &fileName, const QString &language);
// The languages that have a variant of `relativePath` in `directory`, sorted.
QStringList starterVariantLanguages(const QString &directory, const QString &relativePath);

} // namespace torchlab
