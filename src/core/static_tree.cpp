// See static_tree.h.
#include "static_tree.h"

#include <nlohmann/json.hpp>

#include "content_trust.h"
#include "signed_file.h"

namespace handbook {

using nlohmann::json;

namespace {

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// A file named by the pointer: under content/, named by its hash, nothing else.
bool is_content_path(const std::string& file, const std::string& sha256, const char* folder) {
    return file == std::string("content/") + folder + "/" + sha256;
}

}  // namespace

std::string static_pointer_json(const StaticPointer& p) {
    json pages = json::array();
    for (const StaticPage& page : p.pages)
        pages.push_back({{"after", page.after}, {"latest", page.latest}, {"file", page.file}, {"sha256", page.sha256}});
    json j = {{"format", 1},
              {"server", p.server},
              {"head", p.head},
              {"snapshot", {{"file", p.snapshot_file}, {"sha256", p.snapshot_sha256}, {"position", p.snapshot_position}}},
              {"pages", std::move(pages)}};
    return j.dump();
}

std::string seal_static_pointer(const SigningKey& key, const std::vector<Endorsement>& chain, const StaticPointer& pointer,
                                const std::string& made_at) {
    return seal(key, statement_of("latest", pointer.server, 0, pointer.head, pointer.head, made_at), static_pointer_json(pointer), chain);
}

Result<StaticPointer> parse_static_pointer(std::string_view text) {
    const auto bad = [](const std::string& what) { return Status::fail(StatusCode::invalid, "the list of published content is damaged: " + what); };
    if (text.size() > kMaxStaticPointerBytes) return bad("too large");
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not JSON");
    if (!j.contains("format") || j["format"] != 1) return bad("a format this version of Handbook does not know (reload the page)");
    StaticPointer p;
    try {
        p.server = j.at("server").get<std::string>();
        p.head = j.at("head").get<int64_t>();
        const json& snap = j.at("snapshot");
        p.snapshot_file = snap.at("file").get<std::string>();
        p.snapshot_sha256 = snap.at("sha256").get<std::string>();
        p.snapshot_position = snap.at("position").get<int64_t>();
        for (const json& page : j.at("pages")) {
            StaticPage sp;
            sp.after = page.at("after").get<int64_t>();
            sp.latest = page.at("latest").get<int64_t>();
            sp.file = page.at("file").get<std::string>();
            sp.sha256 = page.at("sha256").get<std::string>();
            p.pages.push_back(std::move(sp));
        }
    } catch (const json::exception&) {
        return bad("a field is missing or of the wrong type");
    }
    if (p.head < 0 || p.snapshot_position < 0 || p.snapshot_position > p.head || !is_hex64(p.snapshot_sha256) ||
        !is_content_path(p.snapshot_file, p.snapshot_sha256, "snapshot"))
        return bad("the library download it names is not a content file");
    // The pages follow on from 0 to the head, each a content file.
    int64_t at = 0;
    for (const StaticPage& page : p.pages) {
        if (page.after != at || page.latest <= page.after || !is_hex64(page.sha256) || !is_content_path(page.file, page.sha256, "feed"))
            return bad("its pages do not follow on from 0 (after " + std::to_string(page.after) + ", expected " + std::to_string(at) + ")");
        at = page.latest;
    }
    if (at != p.head) return bad("its pages end at " + std::to_string(at) + ", not at its head " + std::to_string(p.head));
    return p;
}

Result<StaticPointer> open_static_pointer(std::string_view file, const DeviceTrust& trust, OpenedFile* opened) {
    if (trust.key.empty()) return Status::fail(StatusCode::untrusted, "this device trusts no signing key yet, so it cannot check the list of published content");
    auto checked = open_signed(file, trust.key);
    if (!checked) return checked.status().with_context("the list of published content was refused: ");
    const SignedStatement& st = checked->statement;
    if (st.kind != "latest")
        return Status::fail(StatusCode::untrusted, "the list of published content was refused: it is signed as a " + st.kind);
    auto pointer = parse_static_pointer(checked->body);
    if (!pointer) return pointer.status();
    if (pointer->server != st.server || pointer->head != st.head)
        return Status::fail(StatusCode::untrusted, "the list of published content was refused: it is not what was signed (server or head)");
    if (Status t = check_claim_time(trust, st.made_at); !t) return t;
    pointer->made_at = st.made_at;
    if (opened) *opened = std::move(*checked);
    return pointer;
}

std::vector<StaticPage> pages_after(const StaticPointer& pointer, int64_t held) {
    std::vector<StaticPage> out;
    for (const StaticPage& page : pointer.pages)
        if (page.latest > held) out.push_back(page);
    return out;
}

}  // namespace handbook
