// libFuzzer target for the signed feed's index parser (docs/reliability.md row 22;
// the index is parsed only after its signature verified, but the parser must
// still be total). Beyond "no crash, no sanitizer report": a parsed index
// satisfies every promise FeedIndex::parse() makes, and survives a round trip.
#include "core/packs/feedindex.h"

#include <QSet>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace torchlab;

namespace {

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto index = FeedIndex::parse(json, &error);
    if (!index) {
        require(!error.isEmpty(), "a refusal without a reason");
        return 0;
    }
    require(index->issued.isValid() && index->expires > index->issued, "bad times");
    require(index->packs.size() <= FeedIndex::MaxPacks, "too many packs");
    QSet<QString> ids;
    for (const FeedEntry &e : index->packs) {
        require(FeedIndex::isValidPackId(e.id) && FeedIndex::isValidFileName(e.file),
                "bad id or file");
        require(!e.file.contains(QLatin1Char('/')) && !e.file.contains(QLatin1String("..")),
                "file leaves the feed");
        require(e.size >= 1 && e.size <= FeedIndex::MaxPackBytes && e.sha256.size() == 64,
                "bad size or hash");
        require(!ids.contains(e.id), "duplicate id");
        ids.insert(e.id);
    }
    const auto again = FeedIndex::parse(index->toJson());
    require(again && again->packs.size() == index->packs.size() && again->issued == index->issued &&
                again->trustedComment() == index->trustedComment(),
            "round trip");
    return 0;
}
