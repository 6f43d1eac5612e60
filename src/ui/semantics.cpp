// See semantics.h.
#include "semantics.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

namespace handbook::ui {

namespace {

struct Recorder {
    SemanticsTree* tree = nullptr;
    std::vector<int> open;  // indices of the open containers
    bool in_main = false;
};

Recorder g_recorder;

uint32_t hash(uint32_t seed, SemanticRole role, std::string_view key) {
    seed = ImHashData(&role, sizeof role, seed);
    return ImHashData(key.data(), key.size(), seed);
}

SemanticNode* add(SemanticRole role, std::string_view name, std::string_view key) {
    SemanticsTree& tree = *g_recorder.tree;
    const int parent = g_recorder.open.empty() ? -1 : g_recorder.open.back();
    const uint32_t seed = parent >= 0 ? tree.nodes[static_cast<size_t>(parent)].id : 0x5eed;
    uint32_t id = hash(seed, role, key.empty() ? name : key);
    // Two siblings with the same role and name (two "Edit" buttons): the second differs by count.
    for (int i = tree.size - 1; i >= 0 && i >= tree.size - 64; --i)
        if (tree.nodes[static_cast<size_t>(i)].id == id) id = hash(id, role, "again");
    if (static_cast<size_t>(tree.size) == tree.nodes.size()) tree.nodes.emplace_back();
    SemanticNode& n = tree.nodes[static_cast<size_t>(tree.size++)];
    n = SemanticNode{};
    n.id = id;
    n.parent = parent;
    n.role = role;
    n.name.assign(name.data(), name.size());
    n.in_main = g_recorder.in_main;
    return &n;
}

// The part of `n` inside the current window's clip rectangle, if any.
void clip(SemanticNode& n) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImRect r(n.x, n.y, n.x + n.w, n.y + n.h);
    if (window) r.ClipWithFull(window->ClipRect);
    n.visible = r.GetWidth() >= 1 && r.GetHeight() >= 1;
    n.vx = r.Min.x;
    n.vy = r.Min.y;
    n.vw = r.GetWidth();
    n.vh = r.GetHeight();
}

}  // namespace

const char* semantic_role_name(SemanticRole role) {
    switch (role) {
    case SemanticRole::banner: return "banner";
    case SemanticRole::search: return "search";
    case SemanticRole::main: return "main";
    case SemanticRole::navigation: return "navigation";
    case SemanticRole::region: return "region";
    case SemanticRole::dialog: return "dialog";
    case SemanticRole::heading: return "heading";
    case SemanticRole::paragraph: return "paragraph";
    case SemanticRole::text: return "text";
    case SemanticRole::list: return "list";
    case SemanticRole::list_item: return "listitem";
    case SemanticRole::table: return "table";
    case SemanticRole::row: return "row";
    case SemanticRole::cell: return "cell";
    case SemanticRole::column_header: return "columnheader";
    case SemanticRole::link: return "link";
    case SemanticRole::button: return "button";
    case SemanticRole::toggle: return "toggle";
    case SemanticRole::text_field: return "textbox";
    case SemanticRole::status: return "status";
    case SemanticRole::image: return "img";
    }
    return "paragraph";
}

const SemanticNode* SemanticsTree::by_id(uint32_t id) const {
    for (int i = 0; i < size; ++i)
        if (nodes[static_cast<size_t>(i)].id == id) return &nodes[static_cast<size_t>(i)];
    return nullptr;
}

const SemanticNode* SemanticsTree::find(std::string_view name, SemanticRole role) const {
    for (int i = 0; i < size; ++i)
        if (nodes[static_cast<size_t>(i)].role == role && nodes[static_cast<size_t>(i)].name == name) return &nodes[static_cast<size_t>(i)];
    return nullptr;
}

namespace semantics {

void begin_frame(SemanticsTree* tree) {
    g_recorder.tree = tree;
    g_recorder.open.clear();
    if (!tree) return;
    tree->size = 0;
    tree->announcement.clear();
    tree->status_announcement.clear();
}

void end_frame() {
    g_recorder.open.clear();
    g_recorder.tree = nullptr;
    g_recorder.in_main = false;
}

bool recording() { return g_recorder.tree != nullptr; }

SemanticNode* open(SemanticRole role, std::string_view name, std::string_view key) {
    if (!recording()) return nullptr;
    SemanticNode* n = add(role, name, key);
    // A container's rectangle is where it starts; the mirror sizes it by its children.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    n->x = at.x;
    n->y = at.y;
    g_recorder.open.push_back(g_recorder.tree->size - 1);
    return n;
}

void close() {
    if (!recording() || g_recorder.open.empty()) return;
    g_recorder.open.pop_back();
}

SemanticNode* item(SemanticRole role, std::string_view name, std::string_view key) {
    if (!recording()) return nullptr;
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    SemanticNode* n = add(role, name, key);
    n->x = a.x;
    n->y = a.y;
    n->w = b.x - a.x;
    n->h = b.y - a.y;
    n->action_id = ImGui::GetItemID();
    n->focusable = role == SemanticRole::button || role == SemanticRole::link || role == SemanticRole::toggle ||
                   role == SemanticRole::text_field;
    clip(*n);
    return n;
}

SemanticNode* area(SemanticRole role, std::string_view name, float x, float y, float w, float h, std::string_view key) {
    if (!recording()) return nullptr;
    SemanticNode* n = add(role, name, key);
    n->x = x;
    n->y = y;
    n->w = w;
    n->h = h;
    n->focusable = role == SemanticRole::link || role == SemanticRole::button;
    clip(*n);
    return n;
}

SemanticNode* last() {
    if (!recording() || g_recorder.tree->size == 0) return nullptr;
    return &g_recorder.tree->nodes[static_cast<size_t>(g_recorder.tree->size - 1)];
}

void announce_status(std::string_view message) {
    if (!recording()) return;
    g_recorder.tree->status_announcement.assign(message.data(), message.size());
}

void announce(std::string_view message) {
    if (!recording()) return;
    g_recorder.tree->announcement.assign(message.data(), message.size());
}

}  // namespace semantics

void semantics_begin_main(float top, float scroll_y, float content_height) {
    if (!g_recorder.tree) return;
    g_recorder.tree->main_top = top;
    g_recorder.tree->scroll_y = scroll_y;
    g_recorder.tree->content_height = content_height;
    g_recorder.in_main = true;
}

void semantics_end_main() { g_recorder.in_main = false; }

uint64_t semantics_fingerprint(const SemanticsTree& tree) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    auto mix = [&h](const void* data, size_t n) {
        const auto* b = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
    };
    auto mix_int = [&](int64_t v) { mix(&v, sizeof v); };
    mix_int(static_cast<int64_t>(tree.main_top));
    mix_int(static_cast<int64_t>(tree.content_height));
    mix(tree.announcement.data(), tree.announcement.size());
    mix(tree.status_announcement.data(), tree.status_announcement.size());
    for (int i = 0; i < tree.size; ++i) {
        const SemanticNode& n = tree.nodes[static_cast<size_t>(i)];
        const float y = n.in_main ? n.y - tree.main_top + tree.scroll_y : n.y;
        const int64_t parts[] = {n.id, n.parent, static_cast<int64_t>(n.role), n.level, n.focusable, n.disabled, n.checked,
                                 n.expanded, n.multiline, n.password, n.invalid, n.in_main,
                                 static_cast<int64_t>(n.x), static_cast<int64_t>(y), static_cast<int64_t>(n.w), static_cast<int64_t>(n.h)};
        mix(parts, sizeof parts);
        for (const std::string* text : {&n.name, &n.value, &n.description, &n.target}) {
            mix(text->data(), text->size());
            mix_int(static_cast<int64_t>(text->size()));
        }
    }
    return h;
}

uint32_t semantics_active_text_field(const SemanticsTree& tree) {
    const ImGuiID active = ImGui::GetActiveID();
    if (!active) return 0;
    for (int i = 0; i < tree.size; ++i) {
        const SemanticNode& n = tree.nodes[static_cast<size_t>(i)];
        if (n.role == SemanticRole::text_field && n.action_id == active) return n.id;
    }
    return 0;
}

void semantics_release_text_field() {
    if (ImGui::GetActiveID() && ImGui::GetInputTextState(ImGui::GetActiveID())) ImGui::ClearActiveID();
}

std::string semantics_json(const SemanticsTree& tree) {
    nlohmann::json nodes = nlohmann::json::array();
    for (int i = 0; i < tree.size; ++i) {
        const SemanticNode& n = tree.nodes[static_cast<size_t>(i)];
        const int flags = (n.focusable ? 1 : 0) | (n.disabled ? 2 : 0) | (n.checked ? 4 : 0) | (n.expanded ? 8 : 0) |
                          (n.multiline ? 16 : 0) | (n.password ? 32 : 0) | (n.invalid ? 64 : 0) | (n.in_main ? 128 : 0);
        auto round = [](float v) { return static_cast<int>(v + (v < 0 ? -0.5f : 0.5f)); };
        nodes.push_back({n.id, n.parent, semantic_role_name(n.role), n.level, flags, n.name, n.value, n.description, n.target,
                         round(n.x), round(n.y), round(n.w), round(n.h)});
    }
    nlohmann::json j = {{"main", {tree.main_top, tree.content_height}}, {"scroll", tree.scroll_y}, {"say", tree.announcement}, {"status", tree.status_announcement},
                        {"nodes", nodes}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace handbook::ui
