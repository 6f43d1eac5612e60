// libFuzzer target: any bytes as a search query (both as typed and as submitted)
// must give a result, never an error or a crash, and leave the store searchable.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/article_store.h"
#include "core/schema.h"
#include "core/search.h"

using namespace handbook;

namespace {

struct Fixture {
    std::unique_ptr<Database> db;
    std::unique_ptr<SearchEngine> engine;
};

Fixture& fixture() {
    static Fixture f = [] {
        Fixture out;
        out.db = std::move(*open_store(":memory:"));
        const char* rows[][3] = {
            {"refund-windows", "Refund windows", "Most goods can be returned within **30 days**."},
            {"damaged-deliveries", "Damaged deliveries", "A parcel that arrives damaged is reported within 48 hours."},
            {"escalation-ladder", "The escalation ladder", "Level 2 is the team leader; level 3 the manager."},
            {"cafe", "Café vouchers", "Crème brûlée is not on the menu. 😀"},
        };
        for (auto& r : rows) {
            Article a{r[0], r[1], "Refunds and returns", {"refund"}, "Customer Service", "2026-01-01", "2027-01-01",
                      "published", r[2]};
            if (!save_article(*out.db, a)) std::abort();
        }
        if (!set_synonyms(*out.db, {{"parcel", "package"}, {"refund", "money back"}})) std::abort();
        out.engine = std::move(*SearchEngine::create(*out.db));
        return out;
    }();
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Fixture& f = fixture();
    SearchQuery q;
    q.text.assign(reinterpret_cast<const char*>(data), size);
    q.as_you_type = size % 2 == 0;
    q.limit = static_cast<int>(size % 7) + 1;
    auto r = f.engine->search(q);
    if (!r) std::abort();  // any text is a valid query
    for (const auto& h : r->hits)
        for (const auto& range : h.snippet_highlights)
            if (range.start + range.length > h.snippet.size()) std::abort();
    return 0;
}
