// See search_misses.h.
#include "search_misses.h"

#include <nlohmann/json.hpp>

#include "article.h"
#include "device_store.h"

namespace handbook {

namespace {

// One is the other typed on or typed back: the same search, refined.
bool refines(std::string_view a, std::string_view b) {
    return a.substr(0, b.size()) == b || b.substr(0, a.size()) == a;
}

}  // namespace

std::string search_miss_text(std::string_view query) {
    if (!is_valid_utf8(query)) return {};
    std::string out;
    for (char c : query) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.size() > kMaxSearchMissQueryBytes) {
        out.resize(kMaxSearchMissQueryBytes);
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();  // a lead byte cut from its tail
        while (!out.empty() && out.back() == ' ') out.pop_back();
    }
    size_t characters = 0;
    for (char c : out) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return characters < 2 ? std::string{} : out;
}

std::vector<SearchMiss> watch_search(SearchWatch& w, std::string_view query, int hits, double now) {
    std::vector<SearchMiss> misses;
    const std::string text = search_miss_text(query);
    if (text != w.query) {
        if (!w.looked_at.empty() && !refines(text, w.looked_at)) {
            if (!w.opened) misses.push_back({w.looked_at, "nothing_opened"});
            w.looked_at.clear();
            w.opened = false;
        }
        w.query = text;
        w.typed_at = now;
        w.counted = false;
    }
    w.hits = hits;
    if (!w.counted && !w.query.empty() && now - w.typed_at >= kSearchSettleSeconds) {
        w.counted = true;
        if (hits == 0) {
            misses.push_back({w.query, "no_results"});
        } else {
            // Refined from a search they opened something of: still found (typed back
            // from "return parcel" to "retur" after opening one of its hits).
            if (w.looked_at.empty() || !refines(w.query, w.looked_at)) w.opened = false;
            w.looked_at = w.query;
        }
    }
    return misses;
}

void watch_opened(SearchWatch& w) {
    if (w.query.empty()) return;
    w.counted = true;
    w.looked_at = w.query;
    w.opened = true;
}

std::optional<SearchMiss> watch_left(SearchWatch& w) {
    std::optional<SearchMiss> miss;
    if (!w.looked_at.empty() && !w.opened) miss = SearchMiss{w.looked_at, "nothing_opened"};
    w = SearchWatch{};
    return miss;
}

Status keep_search_miss(Database& device, const SearchMiss& miss, const std::string& id, const std::string& at) {
    if (miss.query.empty() || (miss.kind != "no_results" && miss.kind != "nothing_opened"))
        return Status::fail(StatusCode::invalid, "a search miss needs its text and a kind (no_results or nothing_opened)");
    auto waiting = device.prepare("SELECT count(*) FROM outbox WHERE kind = 'search_miss'");
    if (!waiting) return waiting.status();
    if (waiting->step() && waiting->column_int(0) >= kMaxSearchMissesWaiting) return Status::ok();
    if (!waiting->status()) return waiting->status();
    OutboxEntry e;
    e.id = id;
    e.kind = "search_miss";
    e.payload = nlohmann::json{{"id", id}, {"query", miss.query}, {"kind", miss.kind}, {"searched_at", at}}.dump();
    e.created_at = at;
    return add_to_outbox(device, e);
}

}  // namespace handbook
