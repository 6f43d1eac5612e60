// See semantics.h.
#include "semantics.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace handbook::ui {

namespace {

struct Recorder {
    SemanticsTree* tree = nullptr;
    std::vector<int> open;  // indices of the open containers
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
    return &n;
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
}

void end_frame() {
    g_recorder.open.clear();
    g_recorder.tree = nullptr;
}

bool recording() { return g_recorder.tree != nullptr; }

void open(SemanticRole role, std::string_view name, std::string_view key) {
    if (!recording()) return;
    SemanticNode* n = add(role, name, key);
    // A container's rectangle is where it starts; the mirror sizes it by its children.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    n->x = at.x;
    n->y = at.y;
    g_recorder.open.push_back(g_recorder.tree->size - 1);
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
    return n;
}

SemanticNode* area(SemanticRole role, std::string_view name, float x, float y, float w, float h, std::string_view key) {
    if (!recording()) return nullptr;
    SemanticNode* n = add(role, name, key);
    n->x = x;
    n->y = y;
    n->w = w;
    n->h = h;
    return n;
}

void announce(std::string_view message) {
    if (!recording()) return;
    g_recorder.tree->announcement.assign(message.data(), message.size());
}

}  // namespace semantics

}  // namespace handbook::ui
