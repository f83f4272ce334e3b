#pragma once

#include "core/packs/minisign.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace torchlab {

// What an instructor hands students to subscribe in one click:
//
//   torchlab://subscribe?feed=<percent-encoded http(s) feed URL>&key=<RW... minisign
//   key>[&name=<text>]
//
// `feed` is the feed folder ("…/") or its index.json; `key` the instructor's
// minisign public key (the base64 line of minisign.pub, percent-encoded or
// not: '+' and '/' are accepted as they are); `name` an optional label shown
// to the student ("Deep Learning, Autumn 2026"), at most 200 characters.
// Nothing in a link is trusted: the student confirms it in the Subscribe
// dialog, and the feed is then verified with the key like any other.
struct SubscribeLink
{
    QUrl feed;
    MinisignPublicKey key;
    QString name;

    // Also accepts the link with surrounding whitespace, or "torchlab:subscribe?…".
    // nullopt with one plain, translated sentence in *error for anything else:
    // another scheme or action, a missing/duplicated parameter, a feed that is
    // not http(s) or carries user info, a key that does not parse.
    static std::optional<SubscribeLink> parse(const QString &text, QString *error = nullptr);
    // The canonical link for `feed` and `key` (and `name` when not empty);
    // parse(toString()) gives back an equal link.
    QString toString() const;
};

} // namespace torchlab
