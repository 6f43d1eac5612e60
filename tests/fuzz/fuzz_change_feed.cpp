// libFuzzer target: any bytes as a downloaded update. Applying either succeeds or
// fails with a message; a failure changes nothing on the device.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/schema.h"

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
    return 0;
}
