#pragma once

#include "packs/minisign.h"

#include <QString>

#include <optional>

class QLabel;
class QPlainTextEdit;

namespace torchlab::packkeyfield {

// What InstallPackDialog and SubscribeDialog share about the instructor's
// public key field, so both say the same things in the same words.

// Monospace, about three lines high, Tab moves focus, a placeholder that shows
// what to paste.
void setUp(QPlainTextEdit *edit);
// The text of a key file (at most 4 KiB); nullopt with a plain sentence when
// it cannot be read or is too large to be a key.
std::optional<QString> readKeyFile(const QString &path, QString *error);
// The sentence for a key file whose text does not parse.
QString notAKeyFile(const QString &path, const QString &text);
// Empty when `text` parses as a key; else what to do (empty field) or what is
// wrong (MinisignPublicKey's sentence).
QString keyProblem(const QString &text);
// Shown once everything is filled in: the key id to compare with the instructor's.
QString keyIdSentence(const MinisignPublicKey &key);
// Plain window text, or the error colour.
void setTone(QLabel *label, bool error);

} // namespace torchlab::packkeyfield
