// libFuzzer target: any bytes as a downloaded update. Applying either succeeds or
// fails with a message; a failure changes nothing on the device. The same bytes as a
// signed answer, and as a static tree's pointer, are refused (they carry no signature of
// the trusted key) without crashing, and change nothing either.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/content_trust.h"
#include "core/schema.h"
#include "core/signed_file.h"
#include "core/static_tree.h"

using namespace handbook;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto db = std::move(*open_store(":memory:"));
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto applied = apply_change_feed(*db, text);
    if (!applied) {
        if (applied.error().empty()) std::abort();
        auto held = applied_feed_position(*db);
        auto head = latest_change_seq(*db);
        if (!held || held->seq != 0 || !held->server.empty() || !head || *head != 0) std::abort();  // nothing written
    }
    static const std::string trusted = key_text(signing_key_from_seed(std::string(kSigningSeedBytes, 'k'))->public_key);
    DeviceTrust trust{trusted, ""};
    auto device = std::move(*open_store(":memory:"));
    if (apply_signed_feed(*device, trust, text) || applied_feed_position(*device)->seq != 0) std::abort();
    if (open_static_pointer(text, trust, nullptr)) std::abort();
    (void)peek_statement(text);
    (void)parse_static_pointer(text);
    return 0;
}
